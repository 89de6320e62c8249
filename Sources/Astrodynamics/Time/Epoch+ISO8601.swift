extension Epoch {
    /// Parses ISO 8601 / CCSDS epoch text read in `scale` (UTC unless told otherwise):
    /// `2026-11-24T12:00:00.123Z`, `2026-328T12:00:00.123`, `2026-11-24T12:00` or `2026-11-24` (midnight).
    ///
    /// Any number of fraction digits: up to nine are exact, further digits round to the nearest nanosecond. A
    /// trailing `Z` means UTC and is an error with another scale. `23:59:60` is accepted in a UTC leap second and
    /// `24:00:00` as the end of the day. Throws `TimeError` (`.invalidISO8601`, `.invalidComponents`,
    /// `.utcBefore1972`, `.outOfRange`).
    public init(
        iso8601 text: String, in scale: TimeScale = .utc, leapSeconds: LeapSecondTable = .builtIn,
        eop: EarthOrientationData? = nil
    ) throws {
        let parsed = try ISO8601Text.parse(text).get()
        if parsed.hasZuluSuffix && scale != .utc {
            throw TimeError.invalidISO8601(text: text, reason: "a trailing 'Z' means UTC, but the scale is \(scale)")
        }
        self = try Epoch(parsed.components, in: scale, leapSeconds: leapSeconds, eop: eop)
            .adding(nanoseconds: parsed.roundsUpOneNanosecond ? 1 : 0)
    }

    /// ISO 8601 text of the instant read in `scale`: `2026-11-24T12:00:00.123Z` (the `Z` only for UTC), or
    /// `2026-328T12:00:00.123` with `dayOfYear`. The time is rounded (half up) to `fractionDigits` (0–9) digits,
    /// carrying into the next second, day or leap second as needed.
    public func iso8601(
        in scale: TimeScale = .utc, fractionDigits: Int = 3, dayOfYear: Bool = false,
        leapSeconds: LeapSecondTable = .builtIn, eop: EarthOrientationData? = nil
    ) -> String {
        let digits = min(max(fractionDigits, 0), 9)
        var quantum: Int64 = 1
        for _ in digits..<9 { quantum *= 10 }
        let c = components(in: scale, roundedToNanoseconds: quantum, leapSeconds: leapSeconds, eop: eop)
        return ISO8601Text.format(c, fractionDigits: digits, dayOfYear: dayOfYear, suffix: scale == .utc ? "Z" : "")
    }
}
