import Astrodynamics

/// A sensor and an object: the key of the spans in which the one can observe the other.
struct SensorObjectKey: Hashable {
    /// The sensor's index in the scheduler's `sensors`.
    var sensor: Int
    /// The object.
    var noradID: Int
}

/// The part of an observable interval inside one of the sensor's nights: where a tracklet of that object may lie.
struct ObservableSpan: Hashable {
    /// The sensor's index in the scheduler's `sensors`.
    var sensor: Int
    /// The night's index in the sensor's nights.
    var night: Int
    /// Observable and in the night from `span.start` to `span.end`.
    var span: EpochInterval
    /// Whether that night is clouded out (kept for reasons; never used for slots).
    var clouded: Bool
}

extension Epoch {
    /// The next whole UTC second at or after the instant (TAI and UTC seconds share their boundaries: ΔAT is a
    /// whole number of seconds since 1972).
    var roundedUpToWholeSecond: Epoch {
        let second: Int64 = 1_000_000_000
        let ns = taiNanosecondsSinceJ2000
        let remainder = ((ns % second) + second) % second
        return remainder == 0 ? self : Epoch(taiNanosecondsSinceJ2000: ns - remainder + second)
    }
}
