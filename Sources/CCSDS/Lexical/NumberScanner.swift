#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads numbers and epochs straight from bytes: no `String` per token, no regular expression.
enum NumberScanner {
    /// Exact powers of ten representable in a `Double` (10^0 … 10^22).
    private static let powersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// Parses a decimal floating-point number occupying all of `bytes` (`[+-]digits[.digits][(e|E)[+-]digits]`).
    ///
    /// Numbers with at most 15 significant digits and a small exponent take Clinger's exact fast path; the rest go
    /// through `strtod`, so every result is the correctly rounded double. Returns nil for anything else (including
    /// `inf`, `nan` and hexadecimal forms, which no CCSDS message may hold).
    static func double(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var index = 0
        let count = bytes.count
        guard count > 0 else { return nil }
        var negative = false
        if bytes[0] == UInt8(ascii: "+") || bytes[0] == UInt8(ascii: "-") {
            negative = bytes[0] == UInt8(ascii: "-")
            index = 1
        }
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var digitsSeen = 0
        var exponent = 0
        while index < count, bytes[index] &- 48 < 10 {
            let digit = UInt64(bytes[index] &- 48)
            if significantDigits < 19 {
                if mantissa != 0 || digit != 0 { significantDigits += 1 }
                mantissa = mantissa &* 10 &+ digit
            } else {
                exponent += 1
                significantDigits += 1
            }
            digitsSeen += 1
            index += 1
        }
        if index < count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < count, bytes[index] &- 48 < 10 {
                let digit = UInt64(bytes[index] &- 48)
                if significantDigits < 19 {
                    if mantissa != 0 || digit != 0 { significantDigits += 1 }
                    mantissa = mantissa &* 10 &+ digit
                    exponent -= 1
                } else {
                    significantDigits += 1
                }
                digitsSeen += 1
                index += 1
            }
        }
        guard digitsSeen > 0 else { return nil }
        if index < count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var written = 0
            var exponentDigits = 0
            while index < count, bytes[index] &- 48 < 10 {
                if written < 100_000 { written = written * 10 + Int(bytes[index] &- 48) }
                exponentDigits += 1
                index += 1
            }
            guard exponentDigits > 0 else { return nil }
            exponent += exponentNegative ? -written : written
        }
        guard index == count else { return nil }
        if significantDigits <= 15, mantissa < (1 << 53) {
            var value = Double(mantissa)
            if mantissa == 0 {
                return negative ? -0.0 : 0.0
            } else if exponent >= 0, exponent <= 22 {
                value *= powersOfTen[exponent]
                return negative ? -value : value
            } else if exponent < 0, exponent >= -22 {
                value /= powersOfTen[-exponent]
                return negative ? -value : value
            }
        }
        return slowDouble(bytes)
    }

    /// Correctly rounded conversion through the C library for the numbers the fast path cannot do exactly.
    private static func slowDouble(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var text = [CChar](repeating: 0, count: bytes.count + 1)
        for index in 0..<bytes.count { text[index] = CChar(bitPattern: bytes[index]) }
        return text.withUnsafeBufferPointer { pointer -> Double? in
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(pointer.baseAddress!, &end)
            guard let end, end - UnsafeMutablePointer(mutating: pointer.baseAddress!) == bytes.count else { return nil }
            return value.isFinite ? value : nil
        }
    }

    /// Parses a decimal integer occupying all of `bytes` (`[+-]digits`), or nil.
    static func integer(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        var negative = false
        guard bytes.count > 0 else { return nil }
        if bytes[0] == UInt8(ascii: "+") || bytes[0] == UInt8(ascii: "-") {
            negative = bytes[0] == UInt8(ascii: "-")
            index = 1
        }
        guard index < bytes.count else { return nil }
        var value = 0
        while index < bytes.count {
            let digit = bytes[index] &- 48
            guard digit < 10 else { return nil }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int(digit))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
            index += 1
        }
        return negative ? -value : value
    }

    /// Why an epoch could not be read.
    enum EpochProblem: Error, Equatable {
        /// The text is not in either CCSDS form.
        case malformed
        /// A field is out of its range (month 13, day 32, hour 25 …): the name of the field.
        case outOfRange(String)
    }

    /// Parses a CCSDS epoch occupying all of `bytes`.
    static func epoch(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<CCSDSEpoch, EpochProblem> {
        let count = bytes.count
        @inline(__always) func digits(_ start: Int, _ length: Int) -> Int? {
            guard start + length <= count else { return nil }
            var value = 0
            for index in start..<(start + length) {
                let digit = bytes[index] &- 48
                guard digit < 10 else { return nil }
                value = value * 10 + Int(digit)
            }
            return value
        }
        guard count >= 17, let year = digits(0, 4), bytes[4] == UInt8(ascii: "-") else { return .failure(.malformed) }
        var month: Int
        var day: Int
        var timeStart: Int
        var form = CCSDSEpoch.Form.calendar
        if count > 7, bytes[7] == UInt8(ascii: "-") {
            guard let m = digits(5, 2), let d = digits(8, 2), count > 10, bytes[10] == UInt8(ascii: "T") else {
                return .failure(.malformed)
            }
            month = m
            day = d
            timeStart = 11
            guard (1...12).contains(month) else { return .failure(.outOfRange("month")) }
            guard day >= 1, day <= CCSDSEpoch.daysInMonth(year: year, month: month) else {
                return .failure(.outOfRange("day"))
            }
        } else {
            guard let doy = digits(5, 3), count > 8, bytes[8] == UInt8(ascii: "T") else { return .failure(.malformed) }
            guard doy >= 1, doy <= (CCSDSEpoch.isLeap(year) ? 366 : 365) else {
                return .failure(.outOfRange("day of year"))
            }
            (month, day) = CCSDSEpoch.monthAndDay(year: year, dayOfYear: doy)
            timeStart = 9
            form = .dayOfYear
        }
        guard let hour = digits(timeStart, 2), timeStart + 8 <= count, bytes[timeStart + 2] == UInt8(ascii: ":"),
            let minute = digits(timeStart + 3, 2), bytes[timeStart + 5] == UInt8(ascii: ":"),
            let second = digits(timeStart + 6, 2)
        else { return .failure(.malformed) }
        var index = timeStart + 8
        var fraction = ""
        if index < count, bytes[index] == UInt8(ascii: ".") {
            let start = index + 1
            index = start
            while index < count, bytes[index] &- 48 < 10 { index += 1 }
            guard index > start else { return .failure(.malformed) }
            fraction = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        }
        var zulu = false
        if index < count, bytes[index] == UInt8(ascii: "Z") {
            zulu = true
            index += 1
        }
        guard index == count else { return .failure(.malformed) }
        guard hour <= 24 else { return .failure(.outOfRange("hour")) }
        guard minute <= 59 else { return .failure(.outOfRange("minute")) }
        guard second <= 60 else { return .failure(.outOfRange("second")) }
        if hour == 24, minute != 0 || second != 0 || fraction.utf8.contains(where: { $0 != 48 }) {
            return .failure(.outOfRange("hour"))
        }
        return .success(
            CCSDSEpoch(
                year: year, month: month, day: day, hour: hour, minute: minute, second: second,
                fractionDigits: fraction, form: form, hasZuluSuffix: zulu))
    }
}

extension CCSDSEpoch {
    /// Parses a CCSDS epoch (either form), or returns nil.
    public init?(_ text: String) {
        var text = text
        let result = text.withUTF8 { NumberScanner.epoch($0) }
        guard case .success(let epoch) = result else { return nil }
        self = epoch
    }
}
