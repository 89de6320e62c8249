import Foundation

/// Lines of an IERS text file as byte ranges, with fixed-column and whitespace-separated number readers that
/// report `file:line` on failure.
struct EOPTextLines {
    let bytes: [UInt8]
    let fileName: String

    /// The file's bytes.
    static func load(_ path: String) throws -> EOPTextLines {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TimeError.unreadableFile(file: path, message: "cannot read the Earth-orientation file")
        }
        return EOPTextLines(bytes: [UInt8](data), fileName: path)
    }

    /// Calls `body(lineNumber, lineRange)` for every line (without its `\n` or `\r\n`).
    func forEachLine(_ body: (Int, Range<Int>) throws -> Void) rethrows {
        var start = 0
        var number = 1
        while start < bytes.count {
            var end = start
            while end < bytes.count && bytes[end] != 10 { end += 1 }
            let next = end + 1
            if end > start && bytes[end - 1] == 13 { end -= 1 }
            try body(number, start..<end)
            start = next
            number += 1
        }
    }

    /// Whether columns `columns` (1-based, inclusive, as in the IERS read-me files) of the line are blank or
    /// beyond its end.
    func isBlank(_ line: Range<Int>, columns: ClosedRange<Int>) -> Bool {
        let lower = line.lowerBound + columns.lowerBound - 1
        let upper = min(line.lowerBound + columns.upperBound, line.upperBound)
        guard lower < upper else { return true }
        return bytes[lower..<upper].allSatisfy { $0 == 32 }
    }

    /// The decimal number in columns `columns` (1-based, inclusive); nil when blank; throws when not a number.
    func number(_ line: Range<Int>, columns: ClosedRange<Int>, lineNumber: Int, name: String) throws -> Double? {
        if isBlank(line, columns: columns) { return nil }
        let lower = line.lowerBound + columns.lowerBound - 1
        let upper = min(line.lowerBound + columns.upperBound, line.upperBound)
        guard let value = EOPTextLines.decimal(bytes[lower..<upper]) else {
            throw TimeError.malformedFile(
                file: fileName, line: lineNumber,
                message: "\(name) in columns \(columns.lowerBound)-\(columns.upperBound) is not a number: "
                    + "'\(String(decoding: bytes[lower..<upper], as: UTF8.self))'")
        }
        return value
    }

    /// The whitespace-separated fields of a line.
    func fields(_ line: Range<Int>) -> [ArraySlice<UInt8>] {
        bytes[line].split(whereSeparator: { $0 == 32 || $0 == 9 })
    }

    /// A field as a number, or a `file:line` error naming it.
    func number(_ field: ArraySlice<UInt8>, lineNumber: Int, name: String) throws -> Double {
        guard let value = EOPTextLines.decimal(field) else {
            throw TimeError.malformedFile(
                file: fileName, line: lineNumber,
                message: "\(name) is not a number: '\(String(decoding: field, as: UTF8.self))'")
        }
        return value
    }

    /// `[-+]digits[.digits]` with surrounding blanks; leading-dot forms (`.143000`, `-.5`) included. The
    /// result is the correctly rounded double (an exact integer mantissa divided once by a power of ten).
    static func decimal(_ text: ArraySlice<UInt8>) -> Double? {
        var index = text.startIndex
        var end = text.endIndex
        while index < end && text[index] == 32 { index += 1 }
        while end > index && text[end - 1] == 32 { end -= 1 }
        guard index < end else { return nil }
        var negative = false
        if text[index] == UInt8(ascii: "-") || text[index] == UInt8(ascii: "+") {
            negative = text[index] == UInt8(ascii: "-")
            index += 1
        }
        var mantissa: Int64 = 0
        var digits = 0
        var fractionDigits = 0
        var seenPoint = false
        while index < end {
            let byte = text[index]
            if byte == UInt8(ascii: ".") && !seenPoint {
                seenPoint = true
            } else if byte >= 48 && byte <= 57 {
                guard digits < 17 else {
                    return Double(String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespaces))
                }
                mantissa = mantissa * 10 + Int64(byte - 48)
                digits += 1
                if seenPoint { fractionDigits += 1 }
            } else {
                return nil
            }
            index += 1
        }
        guard digits > 0 else { return nil }
        let value = fractionDigits == 0 ? Double(mantissa) : Double(mantissa) / powersOfTen[fractionDigits]
        return negative ? -value : value
    }

    private static let powersOfTen: [Double] = (0...17).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }
}
