import Astrodynamics

extension PlanningRun {
    /// The sensors that may take `task`'s tracks.
    func eligibleSensors(for task: ObservationTask) -> [Int] {
        scheduler.sensors.indices.filter { task.accepts(scheduler.sensors[$0]) }
    }

    /// Why `task` has no (more) room within `bounds`: a clause a requester reads ("it is never observable …").
    func diagnosis(of task: ObservationTask, within bounds: EpochInterval?) -> String {
        let eligible = eligibleSensors(for: task)
        let kind = task.sensorTypesText
        if eligible.isEmpty {
            if let named = task.sensor { return "the network has no \(kind) sensor named or sited \"\(named)\"" }
            return "the network has no \(kind) sensor"
        }
        guard let bounds else {
            return "its window (\(task.window)) lies outside this plan's period (\(scheduler.period)) or has passed"
        }
        var clear: [ObservableSpan] = []
        var cloudedSensors: [String] = []
        for i in eligible {
            for span in scheduler.spans[SensorObjectKey(sensor: i, noradID: task.noradID)] ?? []
            where span.span.overlaps(bounds) {
                if span.clouded {
                    if !cloudedSensors.contains(scheduler.sensors[i].name) {
                        cloudedSensors.append(scheduler.sensors[i].name)
                    }
                } else {
                    clear.append(span)
                }
            }
        }
        let names = eligible.map { scheduler.sensors[$0].name }.joined(separator: ", ")
        if clear.isEmpty && cloudedSensors.isEmpty {
            return "it is never observable by any \(kind) sensor (\(names)) within its window \(bounds)"
        }
        let cloudText = "clouded out at \(cloudedSensors.joined(separator: ", ")) (seeded weather)"
        if clear.isEmpty { return "it is observable within its window only on nights \(cloudText)" }
        let longEnough = clear.filter {
            ($0.span.clipped(to: bounds)?.durationSeconds ?? 0) >= scheduler.sensors[$0.sensor].trackDurationSeconds
        }
        if longEnough.isEmpty {
            return "it is observable within its window only for less than a tracklet at a time"
        }
        if longEnough.allSatisfy({ !hasDuty(on: $0.sensor, night: $0.night) }) {
            return "the radar's duty cycle for those nights is used up"
        }
        var holders: [String] = []
        for span in longEnough {
            guard let part = span.span.clipped(to: bounds) else { continue }
            for slot in state.timelines[span.sensor] where slot.end > part.start && slot.start < part.end {
                if let id = slot.purpose.requestID, id != task.id, !holders.contains(id) { holders.append(id) }
            }
        }
        var text = "the free time of its observable intervals in the window is taken"
        if !holders.isEmpty {
            let named = holders.prefix(4).map { id in
                tasks[id].map { "\(id) (\($0.priority.rawValue))" } ?? id
            }
            text += " by requests planned before it: \(named.joined(separator: ", "))"
            if holders.count > 4 { text += " and \(holders.count - 4) more" }
        } else {
            text += " or too short for a tracklet with the slews around it"
        }
        if !cloudedSensors.isEmpty { text += "; other nights are \(cloudText)" }
        return text
    }

    /// The decision for a task with no track in its window: the nearest window with room for all of its tracks,
    /// or a rejection saying why.
    mutating func proposalOrRejection(for task: ObservationTask, prefix: String) -> Draft {
        let why = diagnosis(of: task, within: bounds(of: task))
        guard !eligibleSensors(for: task).isEmpty else { return .rejected(reason: prefix + why) }
        let tracks = "\(task.tracksWanted) track\(task.tracksWanted == 1 ? "" : "s")"
        if let (window, sensors) = proposal(for: task) {
            let shift = window.start.seconds(since: task.window.start)
            let fitting = task.tracksWanted == 1 ? "its track fits" : "all \(tracks) fit"
            return .proposed(
                window,
                reason: "\(prefix)no track fits in the window: \(why); proposed \(window), the nearest window "
                    + "(\(Self.shiftText(shift))) in which \(fitting) (\(sensors.joined(separator: ", ")))")
        }
        let days = scheduler.proposalSearchDays
        return .rejected(
            reason: "\(prefix)\(why), and no window within \(Self.number(days)) days before or after it has room "
                + "for \(tracks)")
    }

    /// The nearest shift of `task`'s window, by whole steps later or earlier (later first at equal distance), in
    /// which all of its tracks fit as the plan stands, with the sensors that would take them. Windows may lie
    /// outside the plan's period (where the plan is still empty) but never before `now`.
    func proposal(for task: ObservationTask) -> (EpochInterval, [String])? {
        let step = scheduler.proposalStepSeconds
        let steps = Int((scheduler.proposalSearchDays * 86_400 / step).rounded(.down))
        guard steps >= 1 else { return nil }
        let future = EpochInterval(start: now, end: Epoch(taiNanosecondsSinceJ2000: .max))
        for k in 1...steps {
            for sign in [1.0, -1.0] {
                let window = task.window.shifted(bySeconds: sign * Double(k) * step)
                guard let bounds = window.clipped(to: future) else { continue }
                let spans = candidates(for: task, within: bounds)
                let room = spans.reduce(0) {
                    $0 + Int($1.span.durationSeconds / scheduler.sensors[$1.sensor].trackDurationSeconds)
                }
                guard room >= task.tracksWanted else { continue }
                var trial = self
                let placed = trial.placeTracks(of: task, numbers: Array(1...task.tracksWanted), within: bounds)
                if placed.count == task.tracksWanted {
                    var names: [String] = []
                    for p in placed where !names.contains(p.slot.sensor) { names.append(p.slot.sensor) }
                    return (window, names)
                }
            }
        }
        return nil
    }

    /// "3 h later", "2 days earlier".
    static func shiftText(_ seconds: Double) -> String {
        let direction = seconds >= 0 ? "later" : "earlier"
        let hours = abs(seconds) / 3600
        if hours >= 24, hours.truncatingRemainder(dividingBy: 24) == 0 {
            let days = Int(hours / 24)
            return "\(days) day\(days == 1 ? "" : "s") \(direction)"
        }
        return "\(number(hours)) h \(direction)"
    }

    /// A number without a useless ".0".
    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
