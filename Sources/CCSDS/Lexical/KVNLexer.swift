/// One line of a KVN file, classified (CCSDS 502.0-B-3 §7.4; 503.0-B-2 §4.1; 508.0-B-1 §4.1).
///
/// Ranges index the file's bytes, so no `String` is built for a line until a reader asks for one.
struct KVNLine {
    /// What the line holds.
    enum Kind: Equatable {
        /// Nothing but blanks.
        case blank
        /// `COMMENT text`: `value` is the text (may be empty).
        case comment
        /// A lone structural keyword (`META_START`, `COVARIANCE_STOP` …): `key` is the keyword.
        case delimiter
        /// `KEY = value [unit]`: `key`, `value` and, when written, `unit`.
        case keyValue
        /// Anything else (ephemeris lines, covariance rows): `value` is the trimmed line.
        case raw
    }

    /// The classification.
    var kind: Kind
    /// The 1-based line number.
    var number: Int
    /// Byte offset of the line's first byte.
    var lineStart: Int
    /// The keyword's bytes.
    var key: Range<Int> = 0..<0
    /// The value's bytes (trimmed), the comment text, or the whole trimmed raw line.
    var value: Range<Int> = 0..<0
    /// The unit's bytes, between `[` and `]`, when written.
    var unit: Range<Int>?
    /// Whether the key contained characters outside A–Z, 0–9, `_` (a lexical error to report).
    var keyIsMalformed = false

    /// 1-based column of a byte offset on this line.
    func column(of offset: Int) -> Int { offset - lineStart + 1 }
}

/// Splits KVN bytes into classified lines.
struct KVNLexer {
    /// The file's bytes.
    let bytes: UnsafeBufferPointer<UInt8>
    /// Offset of the next unread byte.
    private(set) var offset = 0
    /// Number of the last line returned.
    private(set) var lineNumber = 0

    /// Creates a lexer over `bytes`.
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        // A UTF-8 byte-order mark is not part of the first line.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { offset = 3 }
    }

    @inline(__always) private static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0C
    }

    @inline(__always) private static func isKeyByte(_ byte: UInt8) -> Bool {
        (byte &- 65 < 26) || (byte &- 48 < 10) || byte == 95
    }

    /// The next line, or nil at the end of the file.
    mutating func next() -> KVNLine? {
        let count = bytes.count
        guard offset < count else { return nil }
        let start = offset
        var end = start
        if let base = bytes.baseAddress, let found = memchr(base + start, 0x0A, count - start) {
            end = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            offset = end + 1
        } else {
            end = count
            offset = count
        }
        lineNumber += 1
        return classify(start: start, end: end)
    }

    /// Looks at the next line without consuming it.
    func peek() -> KVNLine? {
        var copy = self
        return copy.next()
    }

    private func classify(start: Int, end: Int) -> KVNLine {
        var line = KVNLine(kind: .blank, number: lineNumber, lineStart: start)
        var low = start
        var high = end
        while low < high, KVNLexer.isBlank(bytes[low]) { low += 1 }
        while high > low, KVNLexer.isBlank(bytes[high - 1]) { high -= 1 }
        guard low < high else { return line }
        let first = bytes[low]
        // Data lines start with a digit or sign (ephemeris epochs, covariance numbers): skip the keyword scan.
        if first &- 48 < 10 || first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".") {
            line.kind = .raw
            line.value = low..<high
            return line
        }
        var keyEnd = low
        var malformed = false
        while keyEnd < high, bytes[keyEnd] != UInt8(ascii: "="), !KVNLexer.isBlank(bytes[keyEnd]) {
            if !KVNLexer.isKeyByte(bytes[keyEnd]) { malformed = true }
            keyEnd += 1
        }
        line.key = low..<keyEnd
        if keyEnd - low == 7, matches(low, "COMMENT") {
            line.kind = .comment
            var textStart = keyEnd
            while textStart < high, KVNLexer.isBlank(bytes[textStart]) { textStart += 1 }
            line.value = textStart..<high
            return line
        }
        var cursor = keyEnd
        while cursor < high, KVNLexer.isBlank(bytes[cursor]) { cursor += 1 }
        if cursor == high {
            line.kind = malformed ? .raw : .delimiter
            if malformed { line.value = low..<high }
            return line
        }
        guard bytes[cursor] == UInt8(ascii: "=") else {
            line.kind = .raw
            line.value = low..<high
            return line
        }
        line.kind = .keyValue
        line.keyIsMalformed = malformed || keyEnd == low
        var valueStart = cursor + 1
        while valueStart < high, KVNLexer.isBlank(bytes[valueStart]) { valueStart += 1 }
        var valueEnd = high
        if valueEnd > valueStart, bytes[valueEnd - 1] == UInt8(ascii: "]") {
            var open = valueEnd - 1
            while open > valueStart, bytes[open] != UInt8(ascii: "[") { open -= 1 }
            if bytes[open] == UInt8(ascii: "[") {
                line.unit = (open + 1)..<(valueEnd - 1)
                valueEnd = open
                while valueEnd > valueStart, KVNLexer.isBlank(bytes[valueEnd - 1]) { valueEnd -= 1 }
            }
        }
        line.value = valueStart..<valueEnd
        return line
    }

    /// Whether the bytes at `offset` spell `word`.
    func matches(_ offset: Int, _ word: StaticString) -> Bool {
        let length = word.utf8CodeUnitCount
        guard offset + length <= bytes.count else { return false }
        let pointer = word.utf8Start
        for index in 0..<length where bytes[offset + index] != pointer[index] { return false }
        return true
    }

    /// The bytes of `range` as a string.
    func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// The bytes of `range`.
    func slice(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[range])
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
