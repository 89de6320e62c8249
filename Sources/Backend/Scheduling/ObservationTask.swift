import Astrodynamics

/// An observation request as the scheduler sees it: what to observe, when, how often, how urgently, with what.
public struct ObservationTask: Sendable, Hashable {
    /// The request id (`req_…`); unique among the tasks of a plan.
    public var id: String
    /// The object to observe.
    public var noradID: Int
    /// The request window: every track starts and ends inside it.
    public var window: EpochInterval
    /// How many tracks (tracklets) are wanted, at least 1.
    public var tracksWanted: Int
    /// Routine, urgent or emergency.
    public var priority: TaskPriority
    /// The sensor types that may take its tracks: those making any of the requested measurements
    /// (optical-angles → optical; radar-range, radar-doppler → radar).
    public var sensorTypes: Set<SensorType>
    /// A sensor or site the request names (the protocol's `sensor`), or nil for any. When given, only the sensor of
    /// that name, or the sensors whose hyphen-separated name contains it as a part (`calern` names
    /// `tarot-calern`), may take the tracks.
    public var sensor: String?
    /// When it was submitted: among equal priorities the earlier submission is planned first (then the id).
    public var submitted: Epoch

    /// A task from its fields; `sensorTypes` from the measurements.
    public init(
        id: String, noradID: Int, window: EpochInterval, tracksWanted: Int = 1, priority: TaskPriority = .routine,
        measurements: [MeasurementKind] = [.opticalAngles], sensor: String? = nil, submitted: Epoch = .j2000TAI
    ) {
        self.id = id
        self.noradID = noradID
        self.window = window
        self.tracksWanted = max(tracksWanted, 1)
        self.priority = priority
        self.sensorTypes = Set(measurements.map(\.sensorType))
        self.sensor = sensor
        self.submitted = submitted
    }

    /// Whether `sensor` may take this task's tracks (type, and the named sensor or site when there is one).
    public func accepts(_ sensor: Sensor) -> Bool {
        guard sensorTypes.contains(sensor.type) else { return false }
        guard let wanted = self.sensor?.lowercased() else { return true }
        let name = sensor.name.lowercased()
        return name == wanted || name.split(separator: "-").contains { $0 == wanted }
    }

    /// The sensor types in words, for reasons: "optical", "radar" or "optical or radar".
    var sensorTypesText: String {
        SensorType.allCases.filter(sensorTypes.contains).map(\.rawValue).joined(separator: " or ")
    }

    /// The planning order: priority descending, then submission time, then id (a strict total order).
    static func plannedBefore(_ a: ObservationTask, _ b: ObservationTask) -> Bool {
        if a.priority != b.priority { return a.priority > b.priority }
        if a.submitted != b.submitted { return a.submitted < b.submitted }
        return a.id < b.id
    }
}
