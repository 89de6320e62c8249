import CCSDS

// Conversions between the exact `Epoch` and the CCSDS library's `CCSDSEpoch`, which keeps an epoch as written
// (calendar or day-of-year form, fraction digits as text) and leaves its scale to the message's TIME_SYSTEM
// (CCSDS 502.0-B-3 §7.5.10, Annex B). Exact to the nanosecond both ways.

extension TimeScale {
    /// The scale named by a CCSDS `TIME_SYSTEM` value (`UTC`, `TAI`, `TT`, `GPS`, `TDB`, `UT1`; case-insensitive,
    /// `TDT` and `ET` read as TT and TDB, their pre-1991 names); nil for the others (`TCB`, `TCG`, `MET`, `GMST` …).
    public init?(ccsdsTimeSystem value: String) {
        switch value.uppercased() {
        case "UTC": self = .utc
        case "TAI": self = .tai
        case "TT", "TDT": self = .tt
        case "GPS": self = .gps
        case "TDB", "ET": self = .tdb
        case "UT1": self = .ut1
        default: return nil
        }
    }

    /// The CCSDS `TIME_SYSTEM` value of the scale.
    public var ccsdsTimeSystem: String { rawValue }
}

extension Epoch {
    /// The instant a CCSDS epoch names in `scale` (the message's TIME_SYSTEM).
    ///
    /// Up to nine fraction digits are exact; further digits round to the nearest nanosecond. `24:00:00` is the
    /// end of the day, `23:59:60` a UTC leap second. Throws `TimeError` for a field out of range, a non-digit in
    /// the fraction, or a UTC date before 1972.
    public init(
        _ epoch: CCSDSEpoch, in scale: TimeScale, leapSeconds: LeapSecondTable = .builtIn,
        eop: EarthOrientationData? = nil
    ) throws {
        var nanosecond = 0
        var roundsUp = false
        for (index, byte) in epoch.fractionDigits.utf8.enumerated() {
            guard byte >= 48 && byte <= 57 else {
                throw TimeError.invalidComponents(
                    "fraction digits '\(epoch.fractionDigits)' of \(epoch) are not digits")
            }
            if index < 9 {
                nanosecond = nanosecond * 10 + Int(byte - 48)
            } else if index == 9 {
                roundsUp = byte >= 53
            }
        }
        for _ in epoch.fractionDigits.utf8.count..<max(9, epoch.fractionDigits.utf8.count) { nanosecond *= 10 }
        let components = CalendarComponents(
            year: Int(epoch.year), month: Int(epoch.month), day: Int(epoch.day), hour: Int(epoch.hour),
            minute: Int(epoch.minute), second: Int(epoch.second), nanosecond: nanosecond)
        self = try Epoch(components, in: scale, leapSeconds: leapSeconds, eop: eop).adding(
            nanoseconds: roundsUp ? 1 : 0)
    }

    /// The CCSDS epoch of the instant read in `scale`.
    ///
    /// `fractionDigits` nil writes the fewest digits that are exact (none for a whole second, at most nine);
    /// 0–9 rounds (half up) to that many, carrying into the seconds, day or leap second as needed.
    public func ccsdsEpoch(
        in scale: TimeScale, fractionDigits: Int? = nil, form: CCSDSEpoch.Form = .calendar,
        hasZuluSuffix: Bool = false, leapSeconds: LeapSecondTable = .builtIn, eop: EarthOrientationData? = nil
    ) -> CCSDSEpoch {
        let digits = min(max(fractionDigits ?? 9, 0), 9)
        var quantum: Int64 = 1
        for _ in digits..<9 { quantum *= 10 }
        let c = components(in: scale, roundedToNanoseconds: quantum, leapSeconds: leapSeconds, eop: eop)
        var text = ""
        if digits > 0 {
            // Nine digits of the nanosecond, most significant first, then cut to `digits` (and, with nil, to the
            // last non-zero digit); built in a byte buffer (this runs once per state of an OEM).
            var bytes: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0)
            text = withUnsafeMutableBytes(of: &bytes) { buffer in
                var value = c.nanosecond
                for index in stride(from: 8, through: 0, by: -1) {
                    buffer[index] = UInt8(48 + value % 10)
                    value /= 10
                }
                var count = digits
                if fractionDigits == nil {
                    while count > 0, buffer[count - 1] == 48 { count -= 1 }
                }
                return String(decoding: buffer.prefix(count), as: UTF8.self)
            }
        }
        return CCSDSEpoch(
            year: c.year, month: c.month, day: c.day, hour: c.hour, minute: c.minute, second: c.second,
            fractionDigits: text, form: form, hasZuluSuffix: hasZuluSuffix)
    }
}
