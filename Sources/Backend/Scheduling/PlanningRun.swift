import Astrodynamics

/// One planning pass: the state being built, what was decided for each task and why. `ObservationScheduler`
/// creates one per `plan` or `rescheduled` call; its extensions hold the steps (tasks, displacement, proposals,
/// maintenance, reasons).
struct PlanningRun {
    /// What was decided for a task before its slots are final (the slots are read from the state at the end).
    enum Draft {
        /// Tracks were placed; the reason says where and why there.
        case placed(reason: String)
        /// No track fits; `window` is proposed.
        case proposed(EpochInterval, reason: String)
        /// Cannot be met.
        case rejected(reason: String)
        /// Left to a later plan.
        case deferred(reason: String)
    }

    /// A slot just placed, with the requests whose slots pushed it later (for its reason) and the slots it displaced.
    struct Placement {
        var slot: PlannedSlot
        var sensor: Int
        var pushedBy: [String]
        var displaced: [PlannedSlot] = []
    }

    /// A span a task may use, clipped to the bounds it is searched in.
    struct Candidate {
        var sensor: Int
        var night: Int
        var span: EpochInterval
    }

    let scheduler: ObservationScheduler
    /// No slot starts before this instant; slots of a previous plan starting before it never change.
    let now: Epoch
    var state: SchedulingState
    /// The tasks of the plan, by id.
    var tasks: [String: ObservationTask] = [:]
    /// The decision so far for each task.
    var drafts: [String: Draft] = [:]

    /// A run from an empty plan.
    init(scheduler: ObservationScheduler, now: Epoch) {
        self.scheduler = scheduler
        self.now = now
        state = SchedulingState(sensorCount: scheduler.sensors.count, periodStart: scheduler.period.start)
    }

    // MARK: - Geometry

    /// The sensor's pointing at `noradID` at `epoch`, nil when unknown.
    func pointing(_ sensor: Int, _ noradID: Int, _ epoch: Epoch) -> PointingDirection? {
        scheduler.pointing(scheduler.sensors[sensor].name, noradID, epoch)
    }

    /// Slew plus settle, seconds, from object `a` at `aTime` to object `b` at `bTime` (a half turn when either
    /// pointing is unknown).
    func repointSeconds(on sensor: Int, from a: Int, at aTime: Epoch, to b: Int, at bTime: Epoch) -> Double {
        let angle: Double
        if let p = pointing(sensor, a, aTime), let q = pointing(sensor, b, bTime) {
            angle = p.angleDegrees(to: q)
        } else {
            angle = 180
        }
        return scheduler.sensors[sensor].repointSeconds(angleDegrees: angle)
    }

    /// Whether `first` (earlier) and `second` on the same sensor leave the slew and settle time between them.
    func separated(_ first: PlannedSlot, _ second: PlannedSlot, on sensor: Int) -> Bool {
        let gap = second.start.seconds(since: first.end)
        guard gap >= scheduler.sensors[sensor].settleSeconds else { return false }
        return gap
            >= repointSeconds(on: sensor, from: first.noradID, at: first.end, to: second.noradID, at: second.start)
    }

    /// Whether `slot` and `other` on the same sensor cannot both be planned.
    func conflict(_ slot: PlannedSlot, _ other: PlannedSlot, on sensor: Int) -> Bool {
        !(separated(other, slot, on: sensor) || separated(slot, other, on: sensor))
    }

    // MARK: - Searching a timeline

    /// The earliest start in `[from, latest]` (whole seconds) at which a tracklet of `noradID` fits on `sensor`
    /// between the slots that are not `passable`, with the requests of the slots it had to pass.
    func earliestStart(
        on sensor: Int, noradID: Int, from: Epoch, latest: Epoch, passable: (PlannedSlot) -> Bool = { _ in false }
    ) -> (start: Epoch, pushedBy: [String])? {
        let slots = state.timelines[sensor]
        let duration = scheduler.sensors[sensor].trackDurationSeconds
        let settle = scheduler.sensors[sensor].settleSeconds
        var t = from.roundedUpToWholeSecond
        var pushedBy: [String] = []
        var next = state.firstIndex(on: sensor, startingAtOrAfter: t)
        var previous: PlannedSlot?
        var back = next - 1
        while back >= 0, previous == nil {
            if !passable(slots[back]) { previous = slots[back] }
            back -= 1
        }
        var steps = 0
        while t <= latest, steps < 100_000 {
            steps += 1
            // Cheap bounds first (settle only, no pointing), then the exact slews.
            if let p = previous, t < p.end.adding(seconds: settle) {
                t = p.end.adding(seconds: settle).roundedUpToWholeSecond
                if let id = p.purpose.requestID, !pushedBy.contains(id) { pushedBy.append(id) }
            }
            var overtaken = false
            while next < slots.count, slots[next].start < t {
                if !passable(slots[next]) {
                    previous = slots[next]
                    overtaken = true
                }
                next += 1
            }
            if overtaken { continue }
            while next < slots.count, passable(slots[next]) { next += 1 }
            let end = t.adding(seconds: duration)
            if next < slots.count, end.adding(seconds: settle) > slots[next].start {
                previous = slots[next]
                next += 1
                continue
            }
            if let p = previous {
                let need = p.end.adding(
                    seconds: repointSeconds(on: sensor, from: p.noradID, at: p.end, to: noradID, at: t))
                if t < need {
                    t = need.roundedUpToWholeSecond
                    if let id = p.purpose.requestID, !pushedBy.contains(id) { pushedBy.append(id) }
                    continue
                }
            }
            if next < slots.count {
                let n = slots[next]
                let slew = repointSeconds(on: sensor, from: noradID, at: end, to: n.noradID, at: n.start)
                if end.adding(seconds: slew) > n.start {
                    previous = n
                    next += 1
                    continue
                }
            }
            return t <= latest ? (t, pushedBy) : nil
        }
        return nil
    }

    /// Whether `slot` fits on `sensor` as the timeline stands (its neighbours leave the slew and settle time).
    func fits(_ slot: PlannedSlot, on sensor: Int) -> Bool {
        let slots = state.timelines[sensor]
        let index = state.firstIndex(on: sensor, startingAtOrAfter: slot.start)
        if index > 0, !separated(slots[index - 1], slot, on: sensor) { return false }
        if index < slots.count, !separated(slot, slots[index], on: sensor) { return false }
        return true
    }

    /// Whether a radar night has duty left for one more track (always for a telescope).
    func hasDuty(on sensor: Int, night: Int) -> Bool {
        let s = scheduler.sensors[sensor]
        guard let radar = s.radar else { return true }
        let length = scheduler.nights[sensor][night].span.durationSeconds
        let used = state.dutyUsedSeconds[SchedulingState.NightKey(sensor: sensor, night: night)] ?? 0
        return used + s.trackDurationSeconds <= radar.dutyCycle * length + 1e-6
    }

    // MARK: - Candidate spans

    /// The spans in which `sensor` (an index) may observe `noradID`, clipped to `bounds`, on clear nights, long
    /// enough for a tracklet; sorted by start.
    func candidates(sensor: Int, noradID: Int, within bounds: EpochInterval) -> [Candidate] {
        guard let list = scheduler.spans[SensorObjectKey(sensor: sensor, noradID: noradID)] else { return [] }
        let duration = scheduler.sensors[sensor].trackDurationSeconds
        var found: [Candidate] = []
        for span in list where !span.clouded && span.span.end > bounds.start {
            if span.span.start >= bounds.end { break }
            guard let part = span.span.clipped(to: bounds), part.durationSeconds >= duration else { continue }
            found.append(Candidate(sensor: sensor, night: span.night, span: part))
        }
        return found
    }

    /// The spans `task` may use within `bounds`, over every sensor that accepts it, sorted by start then sensor.
    func candidates(for task: ObservationTask, within bounds: EpochInterval) -> [Candidate] {
        var found: [Candidate] = []
        for (i, sensor) in scheduler.sensors.enumerated() where task.accepts(sensor) {
            found += candidates(sensor: i, noradID: task.noradID, within: bounds)
        }
        return found.sorted { $0.span.start != $1.span.start ? $0.span.start < $1.span.start : $0.sensor < $1.sensor }
    }

    /// Places a tracklet of `noradID` at the earliest fitting time in `candidate` from `from`, if any.
    mutating func place(
        _ noradID: Int, purpose: SlotPurpose, in candidate: Candidate, from: Epoch,
        passable: (PlannedSlot) -> Bool = { _ in false }
    ) -> Placement? {
        guard hasDuty(on: candidate.sensor, night: candidate.night) else { return nil }
        let duration = scheduler.sensors[candidate.sensor].trackDurationSeconds
        let latest = candidate.span.end.adding(seconds: -duration)
        guard
            let found = earliestStart(
                on: candidate.sensor, noradID: noradID, from: max(from, candidate.span.start), latest: latest,
                passable: passable)
        else { return nil }
        let slot = PlannedSlot(
            sensor: scheduler.sensors[candidate.sensor].name, noradID: noradID, start: found.start,
            end: found.start.adding(seconds: duration), purpose: purpose)
        var displaced: [PlannedSlot] = []
        if !fits(slot, on: candidate.sensor) {
            displaced = conflicts(of: slot, on: candidate.sensor).filter(passable)
            for victim in displaced { state.remove(victim, on: candidate.sensor) }
            guard fits(slot, on: candidate.sensor), hasDuty(on: candidate.sensor, night: candidate.night) else {
                for victim in displaced { restore(victim, on: candidate.sensor) }
                return nil
            }
        }
        state.insert(slot, on: candidate.sensor, night: candidate.night)
        return Placement(slot: slot, sensor: candidate.sensor, pushedBy: found.pushedBy, displaced: displaced)
    }

    /// The slots of `sensor` that conflict with `slot`.
    func conflicts(of slot: PlannedSlot, on sensor: Int) -> [PlannedSlot] {
        let s = scheduler.sensors[sensor]
        let reach = s.repointSeconds(angleDegrees: 180) + s.trackDurationSeconds + 1
        let slots = state.timelines[sensor]
        var index = state.firstIndex(on: sensor, startingAtOrAfter: slot.start.adding(seconds: -reach))
        var found: [PlannedSlot] = []
        while index < slots.count, slots[index].start <= slot.end.adding(seconds: reach) {
            if conflict(slot, slots[index], on: sensor) { found.append(slots[index]) }
            index += 1
        }
        return found
    }

    /// Puts back a slot removed while trying a displacement.
    mutating func restore(_ slot: PlannedSlot, on sensor: Int) {
        state.insert(slot, on: sensor, night: night(of: slot, on: sensor) ?? 0)
    }

    /// The index of the night of `sensor` that holds `slot`.
    func night(of slot: PlannedSlot, on sensor: Int) -> Int? {
        let list = scheduler.nights[sensor]
        let n = ObservationScheduler.firstNight(in: list, endingAfter: slot.start)
        return n < list.count && list[n].span.start <= slot.start ? n : nil
    }
}
