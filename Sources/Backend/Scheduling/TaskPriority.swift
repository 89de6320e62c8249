/// How urgent an observation request is (the backend protocol's `priority`): routine < urgent < emergency.
public enum TaskPriority: String, Sendable, Hashable, CaseIterable, Comparable {
    /// The default: planned after every urgent and emergency request.
    case routine
    /// Planned before routine requests.
    case urgent
    /// Planned first.
    case emergency

    /// The order of the cases, lowest first.
    var rank: Int {
        switch self {
        case .routine: 0
        case .urgent: 1
        case .emergency: 2
        }
    }

    /// Routine < urgent < emergency.
    public static func < (lhs: TaskPriority, rhs: TaskPriority) -> Bool { lhs.rank < rhs.rank }
}

/// A measurement a request asks for (the backend protocol's `measurements`), and the sensor type that makes it.
public enum MeasurementKind: String, Sendable, Hashable, CaseIterable {
    /// Right ascension and declination from a telescope.
    case opticalAngles = "optical-angles"
    /// Range from a radar.
    case radarRange = "radar-range"
    /// Range rate (Doppler) from a radar.
    case radarDoppler = "radar-doppler"

    /// The type of sensor that makes this measurement.
    public var sensorType: SensorType {
        switch self {
        case .opticalAngles: .optical
        case .radarRange, .radarDoppler: .radar
        }
    }
}
