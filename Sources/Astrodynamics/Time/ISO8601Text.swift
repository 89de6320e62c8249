/// ISO 8601 / CCSDS epoch text: `YYYY-MM-DDThh:mm:ss.f…` or `YYYY-DDDThh:mm:ss.f…` (CCSDS 502.0-B-3 §7.5.10,
/// ISO 8601-1:2019 §5.4), with an optional trailing `Z`.
enum ISO8601Text {
    /// What the text said.
    struct Parsed {
        var components: CalendarComponents
        /// A trailing `Z` (or `z`) was written.
        var hasZuluSuffix: Bool
        /// Fraction digits beyond the ninth rounded the nanoseconds up by one (applied to the instant, so that a
        /// carry into the next second, minute or day follows the scale's calendar).
        var roundsUpOneNanosecond: Bool
        /// The date was written as a day of the year.
        var isDayOfYear: Bool
    }

    /// Parses the text; the `reason` of a failure says what was expected where.
    static func parse(_ text: String) -> Result<Parsed, TimeError> {
        let bytes = Array(text.utf8)
        var index = 0
        func fail(_ reason: String) -> Result<Parsed, TimeError> {
            .failure(.invalidISO8601(text: text, reason: reason))
        }
        func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<index + count] {
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += count
            return value
        }
        func expect(_ character: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == character else { return false }
            index += 1
            return true
        }
        guard let year = digits(4) else { return fail("expected a four-digit year at the start") }
        guard expect(UInt8(ascii: "-")) else { return fail("expected '-' after the year") }
        // YYYY-DDD is followed by 'T' or the end; YYYY-MM-DD has a second '-'.
        var components: CalendarComponents
        var isDayOfYear = false
        let afterYear = index
        if let doy = digits(3),
            index == bytes.count || bytes[index] == UInt8(ascii: "T") || bytes[index] == UInt8(ascii: "t")
        {
            guard doy >= 1 && doy <= (CivilCalendar.isLeapYear(year) ? 366 : 365) else {
                return fail("day of year \(doy) is not 1–\(CivilCalendar.isLeapYear(year) ? 366 : 365)")
            }
            components = CalendarComponents(year: year, dayOfYear: doy)
            isDayOfYear = true
        } else {
            index = afterYear
            guard let month = digits(2), expect(UInt8(ascii: "-")), let day = digits(2) else {
                return fail("expected YYYY-MM-DD or YYYY-DDD")
            }
            components = CalendarComponents(year: year, month: month, day: day)
        }
        var roundsUp = false
        if expect(UInt8(ascii: "T")) || expect(UInt8(ascii: "t")) {
            guard let hour = digits(2), expect(UInt8(ascii: ":")), let minute = digits(2) else {
                return fail("expected hh:mm after 'T'")
            }
            components.hour = hour
            components.minute = minute
            if expect(UInt8(ascii: ":")) {
                guard let second = digits(2) else { return fail("expected two digits of seconds") }
                components.second = second
                if expect(UInt8(ascii: ".")) {
                    var nanosecond = 0
                    var count = 0
                    while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                        let digit = Int(bytes[index] - 48)
                        if count < 9 {
                            nanosecond = nanosecond * 10 + digit
                        } else if count == 9 {
                            roundsUp = digit >= 5
                        }
                        count += 1
                        index += 1
                    }
                    guard count > 0 else { return fail("expected digits after the decimal point") }
                    for _ in count..<max(count, 9) { nanosecond *= 10 }
                    components.nanosecond = nanosecond
                }
            }
        }
        var zulu = false
        if expect(UInt8(ascii: "Z")) || expect(UInt8(ascii: "z")) { zulu = true }
        guard index == bytes.count else {
            return fail(
                "unexpected '\(String(decoding: bytes[index...], as: UTF8.self))' (time zones other than Z are not accepted)"
            )
        }
        return .success(
            Parsed(
                components: components, hasZuluSuffix: zulu, roundsUpOneNanosecond: roundsUp, isDayOfYear: isDayOfYear))
    }

    /// Formats components (already rounded to `fractionDigits`) as text.
    static func format(_ c: CalendarComponents, fractionDigits: Int, dayOfYear: Bool, suffix: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        func put(_ value: Int, width: Int) {
            var v = value
            if v < 0 {
                bytes.append(UInt8(ascii: "-"))
                v = -v
            }
            var digits: [UInt8] = []
            repeat {
                digits.append(UInt8(48 + v % 10))
                v /= 10
            } while v > 0
            for _ in digits.count..<max(width, digits.count) { bytes.append(48) }
            bytes.append(contentsOf: digits.reversed())
        }
        put(c.year, width: 4)
        bytes.append(UInt8(ascii: "-"))
        if dayOfYear {
            put(c.dayOfYear, width: 3)
        } else {
            put(c.month, width: 2)
            bytes.append(UInt8(ascii: "-"))
            put(c.day, width: 2)
        }
        bytes.append(UInt8(ascii: "T"))
        put(c.hour, width: 2)
        bytes.append(UInt8(ascii: ":"))
        put(c.minute, width: 2)
        bytes.append(UInt8(ascii: ":"))
        put(c.second, width: 2)
        if fractionDigits > 0 {
            bytes.append(UInt8(ascii: "."))
            var divisor = 100_000_000
            for _ in 0..<fractionDigits {
                bytes.append(UInt8(48 + (c.nanosecond / divisor) % 10))
                divisor /= 10
            }
        }
        bytes.append(contentsOf: suffix.utf8)
        return String(decoding: bytes, as: UTF8.self)
    }
}
