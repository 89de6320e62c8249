/// Writing the two 69-column lines (CelesTrak, "Frequently Asked Questions: Two-Line Element Set Format",
/// https://celestrak.org/columns/v04n03/).
///
/// Canonical layout: numbers right-justified with blanks, catalogue number zero-padded (Alpha-5 above 99999),
/// international designator left-justified, a blank (not `+`) for positive signs, exponential fields normalised
/// (`12345-3`), zero written `00000-0` unless the parsed input had `00000+0`. Values are rounded to the field's
/// precision (see `TLEFields`); values that do not fit are reported, never truncated.
extension TLE {
    /// The two lines, each exactly 69 characters with its checksum.
    public func lines() throws(ValidationError) -> (line1: String, line2: String) {
        let (encoded, problems) = TLEFields.encode(self)
        guard let encoded else { throw ValidationError(problems) }
        let (first, second) = layOut(encoded)
        return (String(decoding: first, as: UTF8.self), String(decoding: second, as: UTF8.self))
    }

    /// The element set as text: the name line (if there is a name), then the two lines, each followed by
    /// `lineEnding`.
    public func text(nameStyle: TLENameStyle = .plain, lineEnding: String = "\n") throws(ValidationError) -> String {
        var bytes: [UInt8] = []
        let problems = append(to: &bytes, nameStyle: nameStyle, lineEnding: Array(lineEnding.utf8))
        if !problems.isEmpty { throw ValidationError(problems) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the name line (if any) and the two lines to `bytes`; on failure appends nothing and returns the
    /// problems.
    func append(to bytes: inout [UInt8], nameStyle: TLENameStyle, lineEnding: [UInt8]) -> [Diagnostic] {
        var (encoded, problems) = TLEFields.encode(self)
        if let name, name.utf8.contains(where: { $0 == 10 || $0 == 13 }) {
            problems.append(
                Diagnostic(
                    .error, .notRepresentable, "the name contains a line break; a name is one line",
                    keyword: "OBJECT_NAME"))
            encoded = nil
        }
        guard let encoded else { return problems }
        if let name {
            switch nameStyle {
            case .plain:
                bytes.append(contentsOf: name.utf8)
            case .spaceTrack:
                bytes.append(UInt8(ascii: "0"))
                bytes.append(UInt8(ascii: " "))
                bytes.append(contentsOf: name.utf8)
            case .celesTrak:
                bytes.append(contentsOf: name.utf8)
                let count = name.utf8.count
                if count < 24 { bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 24 - count)) }
            }
            bytes.append(contentsOf: lineEnding)
        }
        let (first, second) = layOut(encoded)
        bytes.append(contentsOf: first)
        bytes.append(contentsOf: lineEnding)
        bytes.append(contentsOf: second)
        bytes.append(contentsOf: lineEnding)
        return []
    }

    /// The two 69-byte lines of encoded fields.
    func layOut(_ fields: TLEFields.Encoded) -> ([UInt8], [UInt8]) {
        let blank = UInt8(ascii: " ")
        var first = [UInt8](repeating: blank, count: 69)
        var second = [UInt8](repeating: blank, count: 69)

        // Line 1.
        first[0] = UInt8(ascii: "1")
        TLE.putCatalogue(fields.catalogueNumber, into: &first)
        first[7] = fields.classification
        for (offset, byte) in fields.designator.prefix(8).enumerated() { first[9 + offset] = byte }
        for (offset, byte) in fields.epoch.prefix(14).enumerated() { first[18 + offset] = byte }
        // Columns 34–43: sign, ".", eight digits.
        first[33] = fields.meanMotionDot < 0 ? UInt8(ascii: "-") : blank
        first[34] = UInt8(ascii: ".")
        TLE.putDigits(abs(fields.meanMotionDot), count: 8, endingAt: 42, into: &first)
        TLE.putExponential(fields.meanMotionDdot, at: 44, zeroPlus: spelling.ddotZeroExponentPlus, into: &first)
        TLE.putExponential(fields.bstar, at: 53, zeroPlus: spelling.bstarZeroExponentPlus, into: &first)
        first[62] = UInt8(48 + fields.ephemerisType)
        TLE.putRightJustified(fields.elementSetNumber, endingAt: 67, into: &first)
        first[68] = UInt8(48 + TLE.checksum(first))

        // Line 2.
        second[0] = UInt8(ascii: "2")
        TLE.putCatalogue(fields.catalogueNumber, into: &second)
        TLE.putFixed(fields.inclination, decimals: 4, endingAt: 15, into: &second)
        TLE.putFixed(fields.rightAscension, decimals: 4, endingAt: 24, into: &second)
        TLE.putDigits(fields.eccentricity, count: 7, endingAt: 32, into: &second)
        TLE.putFixed(fields.argumentOfPerigee, decimals: 4, endingAt: 41, into: &second)
        TLE.putFixed(fields.meanAnomaly, decimals: 4, endingAt: 50, into: &second)
        TLE.putFixed(fields.meanMotion, decimals: 8, endingAt: 62, into: &second)
        TLE.putRightJustified(fields.revolutionNumber, endingAt: 67, into: &second)
        second[68] = UInt8(48 + TLE.checksum(second))
        return (first, second)
    }

    /// The checksum of columns 1–68: the sum of the digits, plus one for each minus sign, modulo 10 (CelesTrak
    /// FAQ: "letters, blanks, periods, plus signs = 0; minus signs = 1").
    static func checksum(_ line: UnsafeBufferPointer<UInt8>) -> Int {
        var sum = 0
        for index in 0..<min(68, line.count) {
            let byte = line[index]
            let digit = byte &- 48
            if digit < 10 {
                sum += Int(digit)
            } else if byte == UInt8(ascii: "-") {
                sum += 1
            }
        }
        return sum % 10
    }

    /// The checksum of columns 1–68 of `line`.
    static func checksum(_ line: [UInt8]) -> Int {
        line.withUnsafeBufferPointer { checksum($0) }
    }

    /// Columns 3–7 (zero-based 2…6).
    private static func putCatalogue(_ number: Int, into line: inout [UInt8]) {
        var text: [UInt8] = []
        text.reserveCapacity(5)
        _ = Alpha5.append(number, to: &text)
        for (offset, byte) in text.enumerated() { line[2 + offset] = byte }
    }

    /// Exactly `count` digits of `value` (zero-padded) ending at zero-based index `end`.
    private static func putDigits(_ value: Int, count: Int, endingAt end: Int, into line: inout [UInt8]) {
        var rest = value
        for index in stride(from: end, to: end - count, by: -1) {
            line[index] = UInt8(48 + rest % 10)
            rest /= 10
        }
    }

    /// `value` right-justified (no padding zeros) ending at zero-based index `end`.
    private static func putRightJustified(_ value: Int, endingAt end: Int, into line: inout [UInt8]) {
        var rest = value
        var index = end
        repeat {
            line[index] = UInt8(48 + rest % 10)
            rest /= 10
            index -= 1
        } while rest > 0
    }

    /// `units × 10^-decimals` (non-negative) as `I.FFFF`, right-justified ending at zero-based index `end`.
    private static func putFixed(_ units: Int, decimals: Int, endingAt end: Int, into line: inout [UInt8]) {
        var divisor = 1
        for _ in 0..<decimals { divisor *= 10 }
        putDigits(units % divisor, count: decimals, endingAt: end, into: &line)
        line[end - decimals] = UInt8(ascii: ".")
        putRightJustified(units / divisor, endingAt: end - decimals - 1, into: &line)
    }

    /// `±NNNNN±N` starting at zero-based index `start`.
    private static func putExponential(
        _ value: TLEFields.Exponential, at start: Int, zeroPlus: Bool, into line: inout [UInt8]
    ) {
        line[start] = value.negative && value.mantissa != 0 ? UInt8(ascii: "-") : UInt8(ascii: " ")
        putDigits(value.mantissa, count: 5, endingAt: start + 5, into: &line)
        let exponent = value.mantissa == 0 ? 0 : value.exponent
        if exponent == 0 {
            line[start + 6] = zeroPlus ? UInt8(ascii: "+") : UInt8(ascii: "-")
        } else {
            line[start + 6] = exponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+")
        }
        line[start + 7] = UInt8(48 + abs(exponent))
    }
}
