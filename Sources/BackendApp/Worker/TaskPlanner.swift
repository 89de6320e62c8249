import Astrodynamics
import Backend
import Foundation

/// Plans the backend's tasks with the `Backend` scheduler: each round reschedules the current plan (the planned
/// slots of the scheduled tasks) adding the tasks that wait, so that it touches only what it must
/// (`ObservationScheduler.rescheduled`). Visibility is computed for the tasks' objects from the truth catalogue
/// (in part 1 the backend's own catalogue is its truth) over the windows widened by the proposal search.
///
/// The weather is not known in advance: plans assume clear skies for the nights to come, and a slot whose night
/// turns out clouded is lost when its time comes (`isClouded`), which makes the task look for other slots; a night
/// that has begun is known, so a clouded one is not planned again.
struct TaskPlanner: Sendable {
    let network: SensorNetwork
    let truth: TruthCatalogue
    let visibility: Visibility
    let weather: Weather
    /// How far past a window a proposed window may lie, days (the scheduler's `proposalSearchDays`).
    static let searchDays = 7.0
    /// How many times a task looks for new slots after losing some to clouds.
    static let maximumReplans = 3

    init(
        network: SensorNetwork, truth: TruthCatalogue, seed: UInt64, weather: Bool,
        transformer: FrameTransformer = FrameTransformer()
    ) {
        self.network = network
        self.truth = truth
        visibility = Visibility(network: network, transformer: transformer)
        self.weather = weather ? Weather(seed: seed) : .clear
    }

    /// What a round decided for a waiting task.
    enum Decision: Equatable {
        /// Tracks placed (maybe fewer than wanted: the note says so).
        case scheduled([TaskSlot], note: String)
        case proposed(TimeWindow, reason: String)
        case rejected(reason: String)
    }

    /// A round: the decisions for `waiting`, and the new slots of scheduled tasks whose planned slots changed
    /// (displaced by a higher priority and placed again, or lost).
    struct Round {
        var decisions: [String: Decision] = [:]
        var moved: [String: [TaskSlot]] = [:]
    }

    /// Tasks in planning order: priority, then arrival, then id.
    static func order(_ a: BackendTask, _ b: BackendTask) -> Bool {
        let pa = TaskPriority(rawValue: a.submission.priority) ?? .routine
        let pb = TaskPriority(rawValue: b.submission.priority) ?? .routine
        if pa != pb { return pa > pb }
        if a.received != b.received { return a.received < b.received }
        return a.id < b.id
    }

    /// Plans `waiting` into the plan of `scheduled` at simulated time `now`.
    func round(waiting: [BackendTask], scheduled: [BackendTask], now: Date) -> Round {
        var round = Round()
        let start = Epoch(date: now)
        var adding: [ObservationTask] = []
        var objects: [Int: TrackedObject] = [:]
        for task in waiting {
            if let reason = refusal(task, now: now) {
                round.decisions[task.id] = .rejected(reason: reason)
                continue
            }
            let norad = task.submission.target.noradID!
            objects[norad] = truth.object(norad, at: start)
            adding.append(observationTask(task, tracks: remainingTracks(task), now: start))
        }
        guard !adding.isEmpty else { return round }
        var previousTasks: [ObservationTask] = []
        var previousSlots: [PlannedSlot] = []
        for task in scheduled {
            let planned = task.slots.filter { $0.outcome == .planned && $0.start >= now }
            guard !planned.isEmpty, let norad = task.submission.target.noradID,
                let object = truth.object(norad, at: start)
            else { continue }
            objects[norad] = object
            previousTasks.append(observationTask(task, tracks: planned.count, now: start))
            previousSlots += planned.map {
                PlannedSlot(
                    sensor: $0.sensor, noradID: $0.noradID, start: Epoch(date: $0.start), end: Epoch(date: $0.end),
                    purpose: .request(id: task.id, track: $0.track))
            }
        }
        let latestStop = (adding + previousTasks).map(\.window.end).max() ?? start
        let period = EpochInterval(start: start, end: latestStop.adding(seconds: Self.searchDays * 86_400))
        let intervals = visibility.intervals(of: Array(objects.values), from: period.start, to: period.end)
        // Telescope nights from a day back, so that a night under way keeps its true start (the weather is drawn
        // per night start); a night that has begun is known: a clouded one is left out, later nights are assumed
        // clear. Radar "nights" are 24 h from the period's start (its duty cycle is counted per night), as
        // `ObservationScheduler(visibility:…)` makes them.
        var nights: [ObservingNight] = []
        for sensor in network.sensors {
            if sensor.type == .optical {
                nights += visibility.darkIntervals(of: sensor, from: period.start.adding(seconds: -86_400), to: period.end)
                    .filter { !($0.start <= start && weather.isClouded(sensor: sensor, nightStart: $0.start)) }
                    .map { ObservingNight(sensor: sensor.name, span: EpochInterval(start: $0.start, end: $0.end)) }
            } else {
                var from = period.start
                while from < period.end {
                    let to = min(from.adding(seconds: 86_400), period.end)
                    nights.append(ObservingNight(sensor: sensor.name, span: EpochInterval(start: from, end: to)))
                    from = to
                }
            }
        }
        let scheduler = ObservationScheduler(
            sensors: network.sensors, intervals: intervals, nights: nights,
            pointing: ObservationScheduler.pointing(
                visibility, network: network, catalogue: ObjectCatalogue(objects: Array(objects.values))),
            maintenance: [], period: period, weather: .clear)
        let previous = ObservationPlan(
            stored: previousSlots.sorted { ($0.start, $0.sensor) < ($1.start, $1.sensor) }, tasks: previousTasks,
            period: period, madeAt: start)
        let plan = scheduler.rescheduled(previous: previous, adding: adding, removing: [], now: start)
        for task in adding {
            guard let decision = plan.decisions[task.id] else {
                round.decisions[task.id] = .rejected(reason: "the scheduler did not plan it")
                continue
            }
            let explanation = plan.explanation(for: task.id) ?? decision.reason
            switch decision {
            case .scheduled(let slots, _):
                round.decisions[task.id] = .scheduled(slots.map(Self.taskSlot), note: explanation)
            case .partial(let slots, _, _):
                round.decisions[task.id] = .scheduled(slots.map(Self.taskSlot), note: explanation)
            case .proposed(let window, let reason):
                round.decisions[task.id] = .proposed(
                    TimeWindow(start: window.start.date(), stop: window.end.date()), reason: reason)
            case .rejected(let reason), .deferred(let reason):
                round.decisions[task.id] = .rejected(reason: reason)
            }
        }
        for task in previousTasks {
            let now = plan.slots(of: task.id).map(Self.taskSlot)
            let before = previousSlots.filter { $0.purpose.requestID == task.id }.map(Self.taskSlot)
            if now != before { round.moved[task.id] = now }
        }
        return round
    }

    /// Why a task cannot be planned at all, if it cannot.
    func refusal(_ task: BackendTask, now: Date) -> String? {
        guard let norad = task.submission.target.noradID else {
            return "the reference backend observes catalogue objects only (a request with an inline orbit and no "
                + "NORAD id cannot be tasked)"
        }
        guard truth.object(norad, at: Epoch(date: now)) != nil else {
            return "object \(norad) is not in the reference backend's catalogue"
        }
        if let wanted = task.submission.sensor {
            let probe = observationTask(task, tracks: 1, now: Epoch(date: now))
            let named = network.sensors.filter { sensor in
                var any = probe
                any.sensorTypes = Set(SensorType.allCases)
                return any.accepts(sensor)
            }
            if named.isEmpty {
                return "there is no sensor or site named \"\(wanted)\" in the network (sensors: "
                    + network.sensors.map(\.name).joined(separator: ", ") + ")"
            }
        }
        if task.window.stop <= now { return "the window ended before the request could be planned" }
        return nil
    }

    /// Tracks still wanted: those asked for, less those observed.
    func remainingTracks(_ task: BackendTask) -> Int {
        max(task.submission.tracks - task.slots.filter { $0.outcome == .observed }.count, 1)
    }

    /// Whether a task that lost slots may look for others: replans left and time left in its window.
    func canReplan(_ task: BackendTask, now: Date) -> Bool {
        task.replans < Self.maximumReplans && task.window.stop > now
    }

    /// Whether `slot`'s night is clouded out at its sensor (the seeded weather).
    func isClouded(_ slot: TaskSlot) -> Bool {
        guard let sensor = network.sensor(named: slot.sensor), sensor.cloudProbability > 0 else { return false }
        let start = Epoch(date: slot.start)
        let nights = visibility.darkIntervals(of: sensor, from: start.adding(seconds: -86_400), to: Epoch(date: slot.end))
        guard let night = nights.last(where: { $0.start <= start }) else { return false }
        return weather.isClouded(sensor: sensor, nightStart: night.start)
    }

    func observationTask(_ task: BackendTask, tracks: Int, now: Epoch) -> ObservationTask {
        let start = max(Epoch(date: task.window.start), now)
        return ObservationTask(
            id: task.id, noradID: task.submission.target.noradID ?? 0,
            window: EpochInterval(start: start, end: max(Epoch(date: task.window.stop), start)), tracksWanted: tracks,
            priority: TaskPriority(rawValue: task.submission.priority) ?? .routine,
            measurements: task.submission.measurements.compactMap(MeasurementKind.init(rawValue:)),
            sensor: task.submission.sensor, submitted: Epoch(date: task.received))
    }

    static func taskSlot(_ slot: PlannedSlot) -> TaskSlot {
        var track = 0
        if case .request(_, let number) = slot.purpose { track = number }
        return TaskSlot(track: track, sensor: slot.sensor, noradID: slot.noradID, start: slot.start.date(), end: slot.end.date())
    }
}
