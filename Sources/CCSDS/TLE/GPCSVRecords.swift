/// Splits RFC 4180 CSV into records and fields, from bytes: fields separated by commas, records by LF or CRLF,
/// fields optionally quoted with `"` (a doubled `""` inside quotes is one quote; quoted fields may hold commas and
/// line breaks).
struct GPCSVRecords {
    /// One field: where its bytes are and where it starts in the text.
    struct FieldRange {
        /// Byte range of the content (inside the quotes, for a quoted field).
        var range: Range<Int>
        /// Whether the field was quoted and holds doubled quotes to unescape.
        var hasEscapedQuotes: Bool
        /// 1-based line and column where the field starts.
        var line: Int
        /// See `line`.
        var column: Int
    }

    /// The text.
    let bytes: UnsafeBufferPointer<UInt8>
    /// Where the next record starts.
    private var position = 0
    /// The line number at `position`.
    private var line = 1
    /// Byte offset where the current line starts.
    private var lineStart = 0

    /// Reads `bytes` (a UTF-8 byte-order mark at the start is skipped).
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            position = 3
            lineStart = 3
        }
    }

    /// The next record's fields and whether a quoted field was left open at the end; nil at the end of input.
    /// Blank lines give an empty array.
    mutating func next() -> (fields: [FieldRange], unterminatedQuote: Bool)? {
        guard position < bytes.count else { return nil }
        var fields: [FieldRange] = []
        let count = bytes.count
        if bytes[position] == 10 || (bytes[position] == 13 && position + 1 < count && bytes[position + 1] == 10) {
            position += bytes[position] == 13 ? 2 : 1
            line += 1
            lineStart = position
            return ([], false)
        }
        while true {
            let fieldLine = line
            let fieldColumn = position - lineStart + 1
            if position < count, bytes[position] == UInt8(ascii: "\"") {
                position += 1
                let start = position
                var escaped = false
                var closed = false
                while position < count {
                    let byte = bytes[position]
                    if byte == UInt8(ascii: "\"") {
                        if position + 1 < count, bytes[position + 1] == UInt8(ascii: "\"") {
                            escaped = true
                            position += 2
                            continue
                        }
                        closed = true
                        break
                    }
                    if byte == 10 {
                        line += 1
                        lineStart = position + 1
                    }
                    position += 1
                }
                fields.append(
                    FieldRange(range: start..<position, hasEscapedQuotes: escaped, line: fieldLine, column: fieldColumn)
                )
                if !closed { return (fields, true) }
                position += 1  // the closing quote
                // Anything up to the separator after a closing quote is ignored.
                while position < count, bytes[position] != UInt8(ascii: ","), bytes[position] != 10 { position += 1 }
            } else {
                let start = position
                while position < count, bytes[position] != UInt8(ascii: ","), bytes[position] != 10 { position += 1 }
                var end = position
                if end > start, bytes[end - 1] == 13 { end -= 1 }
                fields.append(
                    FieldRange(range: start..<end, hasEscapedQuotes: false, line: fieldLine, column: fieldColumn))
            }
            if position < count, bytes[position] == UInt8(ascii: ",") {
                position += 1
                continue
            }
            if position < count {  // line feed
                position += 1
                line += 1
                lineStart = position
            }
            return (fields, false)
        }
    }

    /// The field's text, with doubled quotes made single.
    func text(_ field: FieldRange) -> String {
        let slice = UnsafeBufferPointer(rebasing: bytes[field.range])
        guard field.hasEscapedQuotes else { return String(decoding: slice, as: UTF8.self) }
        var result: [UInt8] = []
        result.reserveCapacity(slice.count)
        var index = 0
        while index < slice.count {
            result.append(slice[index])
            index += slice[index] == UInt8(ascii: "\"") ? 2 : 1
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// The field's bytes without surrounding blanks (for numbers).
    func trimmed(_ field: FieldRange) -> UnsafeBufferPointer<UInt8> {
        var start = field.range.lowerBound
        var end = field.range.upperBound
        while start < end, bytes[start] == 32 || bytes[start] == 9 { start += 1 }
        while end > start, bytes[end - 1] == 32 || bytes[end - 1] == 9 || bytes[end - 1] == 13 { end -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    /// Appends `text` as one CSV field, quoted when it holds a comma, a quote, a line break or surrounding blanks.
    static func appendField(_ text: String, to output: inout [UInt8]) {
        let utf8 = text.utf8
        let needsQuotes =
            utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
            || utf8.first == 32 || utf8.last == 32
        guard needsQuotes else {
            output.append(contentsOf: utf8)
            return
        }
        output.append(UInt8(ascii: "\""))
        for byte in utf8 {
            output.append(byte)
            if byte == UInt8(ascii: "\"") { output.append(byte) }
        }
        output.append(UInt8(ascii: "\""))
    }
}
