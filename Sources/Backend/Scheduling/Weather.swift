import Astrodynamics

/// Seeded weather: whether a sensor's night is clouded out, drawn with the sensor's `cloudProbability`.
///
/// The draw is a pure function of (seed, sensor name, the night's date), so the same seed gives the same weather
/// in every run and every process. The date is the UTC day of `nightStart − 12 h`: an evening start and a
/// start after midnight UTC of the same local night fall on the same day, so small changes to the computed night
/// start do not change the weather. The bits come from `SplitMix64` (Measurements). A clouded night cancels all of that sensor's slots that night.
public struct Weather: Sendable, Hashable {
    /// The seed, or nil for no clouds at all.
    public var seed: UInt64?

    /// Weather drawn from `seed`.
    public init(seed: UInt64) { self.seed = seed }

    private init() { seed = nil }

    /// Every night clear (tests; sensors without weather).
    public static let clear = Weather()

    /// Whether `sensor`'s night starting at `nightStart` is clouded out.
    public func isClouded(sensor: Sensor, nightStart: Epoch) -> Bool {
        guard let seed else { return false }
        return Self.isClouded(sensor: sensor, nightStart: nightStart, seed: seed)
    }

    /// Whether `sensor`'s night starting at `nightStart` is clouded out with weather `seed`.
    public static func isClouded(sensor: Sensor, nightStart: Epoch, seed: UInt64) -> Bool {
        guard sensor.cloudProbability > 0 else { return false }
        let shifted = nightStart.taiNanosecondsSinceJ2000 - 43_200_000_000_000
        let dayLength: Int64 = 86_400_000_000_000
        let day = shifted >= 0 ? shifted / dayLength : (shifted - dayLength + 1) / dayLength  // floor
        var hash = SplitMix64(seed: seed ^ 0x5C10_D5EE_D000_0000)
        for byte in sensor.name.utf8 { hash = SplitMix64(seed: hash.next() ^ UInt64(byte)) }
        hash = SplitMix64(seed: hash.next() ^ UInt64(bitPattern: day))
        return Double(hash.next() >> 11) / 9_007_199_254_740_992 < sensor.cloudProbability  // 53 bits → [0, 1)
    }
}
