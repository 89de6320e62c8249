/// A pull parser for JSON text (RFC 8259) over bytes: the reader asks for the next member or element and the
/// scanner checks the syntax as it goes.
///
/// Nothing is materialised: strings and numbers come back as byte ranges of the input (strings are unescaped only
/// on demand), member order is kept, and every token knows its line and column. Line breaks can only occur between
/// tokens in JSON, so the line count is kept while skipping whitespace.
struct JSONScanner {
    /// What a value is, judged by its first byte.
    enum Kind: Equatable {
        /// `{ … }`.
        case object
        /// `[ … ]`.
        case array
        /// `"…"`.
        case string
        /// `-12.5e3`.
        case number
        /// `true` or `false`.
        case boolean
        /// `null`.
        case null

        /// The kind's name with its article, for messages.
        var described: String {
            switch self {
            case .object: "an object"
            case .array: "an array"
            case .string: "a string"
            case .number: "a number"
            case .boolean: "a boolean"
            case .null: "null"
            }
        }
    }

    /// A string or number token: where its bytes are and where it starts.
    struct Token {
        /// The bytes between the quotes of a string (still escaped when `escaped`), or the bytes of a number.
        var range: Range<Int>
        /// Whether a string holds backslash escapes (its bytes must be unescaped before use).
        var escaped: Bool
        /// Where the token starts (the opening quote of a string).
        var location: SourceLocation
    }

    /// Iteration state of one object or array.
    struct Container {
        fileprivate var first = true
    }

    /// The bytes are not well-formed JSON.
    struct SyntaxError: Error {
        /// What is wrong and what was expected.
        var message: String
        /// Where.
        var location: SourceLocation
    }

    /// The input.
    let bytes: UnsafeBufferPointer<UInt8>
    /// The next byte to read.
    private(set) var offset = 0
    private var line = 1
    private var lineStart = 0
    /// Where the last object or array ended (its closing bracket).
    private(set) var closeLocation = SourceLocation(line: 1, column: 1)

    /// Starts at the first byte, after a UTF-8 byte order mark if there is one.
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            offset = 3
            lineStart = 3
        }
    }

    /// Where the next byte is.
    var location: SourceLocation { SourceLocation(line: line, column: offset - lineStart + 1) }

    /// Whether only whitespace is left.
    mutating func atEnd() -> Bool {
        skipWhitespace()
        return offset >= bytes.count
    }

    // MARK: - Structure

    /// The kind of the next value, which is not consumed.
    mutating func peek() throws(SyntaxError) -> Kind {
        skipWhitespace()
        guard offset < bytes.count else { throw SyntaxError(message: "the file ends where a value is expected", location: location) }
        switch bytes[offset] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .boolean
        case UInt8(ascii: "n"): return .null
        default:
            throw SyntaxError(message: "unexpected \(describeByte(at: offset)) where a JSON value is expected", location: location)
        }
    }

    /// Consumes the `{` of an object.
    mutating func enterObject() throws(SyntaxError) {
        try expect(UInt8(ascii: "{"), "'{'")
    }

    /// Consumes the `[` of an array.
    mutating func enterArray() throws(SyntaxError) {
        try expect(UInt8(ascii: "["), "'['")
    }

    /// The next member name of the object being read, its `:` consumed; nil (with the `}` consumed) at the end.
    mutating func nextKey(_ container: inout Container) throws(SyntaxError) -> Token? {
        skipWhitespace()
        if container.first {
            container.first = false
        } else if offset < bytes.count, bytes[offset] == UInt8(ascii: ",") {
            offset += 1
            skipWhitespace()
            guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else {
                throw SyntaxError(message: "expected a member name in double quotes after ','", location: location)
            }
        } else if offset >= bytes.count || bytes[offset] != UInt8(ascii: "}") {
            throw SyntaxError(message: "expected ',' or '}' after an object member, found \(describeByte(at: offset))", location: location)
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "}") {
            closeLocation = location
            offset += 1
            return nil
        }
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else {
            throw SyntaxError(message: "expected a member name in double quotes, found \(describeByte(at: offset))", location: location)
        }
        let key = try readString()
        skipWhitespace()
        guard offset < bytes.count, bytes[offset] == UInt8(ascii: ":") else {
            throw SyntaxError(message: "expected ':' after the member name, found \(describeByte(at: offset))", location: location)
        }
        offset += 1
        return key
    }

    /// Whether the array being read has another element (the separating `,` consumed); false, with the `]`
    /// consumed, at the end.
    mutating func nextElement(_ container: inout Container) throws(SyntaxError) -> Bool {
        skipWhitespace()
        if container.first {
            container.first = false
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "]") {
                closeLocation = location
                offset += 1
                return false
            }
            return true
        }
        guard offset < bytes.count else {
            throw SyntaxError(message: "the file ends inside an array; expected ',' or ']'", location: location)
        }
        switch bytes[offset] {
        case UInt8(ascii: ","):
            offset += 1
            return true
        case UInt8(ascii: "]"):
            closeLocation = location
            offset += 1
            return false
        default:
            throw SyntaxError(message: "expected ',' or ']' after an array element, found \(describeByte(at: offset))", location: location)
        }
    }

    /// Skips one value of any kind, checking its syntax (iteratively: nesting depth costs no stack).
    mutating func skipValue() throws(SyntaxError) {
        var open: [(isObject: Bool, container: Container)] = []
        repeat {
            if let last = open.indices.last {
                if open[last].isObject {
                    guard try nextKey(&open[last].container) != nil else {
                        open.removeLast()
                        continue
                    }
                } else {
                    guard try nextElement(&open[last].container) else {
                        open.removeLast()
                        continue
                    }
                }
            }
            switch try peek() {
            case .object:
                try enterObject()
                open.append((true, Container()))
            case .array:
                try enterArray()
                open.append((false, Container()))
            case .string: _ = try readString()
            case .number: _ = try readNumber()
            case .boolean, .null: _ = try readLiteral()
            }
        } while !open.isEmpty
    }

    // MARK: - Scalars

    /// Reads a string (the scanner must be at its opening quote).
    mutating func readString() throws(SyntaxError) -> Token {
        skipWhitespace()
        let start = location
        try expect(UInt8(ascii: "\""), "a string")
        let first = offset
        var escaped = false
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                offset += 1
                return Token(range: first..<(offset - 1), escaped: escaped, location: start)
            }
            if byte == 0x0A || byte == 0x0D {
                throw SyntaxError(
                    message: "this string is not closed before the end of the line (a line break inside a string is "
                        + "written \\n)", location: start)
            }
            if byte < 0x20 {
                throw SyntaxError(
                    message: "a control character (0x\(String(byte, radix: 16))) cannot appear in a string; write it as an escape "
                        + "such as \\n or \\u00\(byte < 16 ? "0" : "")\(String(byte, radix: 16))", location: location)
            }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                let escapeLocation = location
                offset += 1
                guard offset < bytes.count else { break }
                switch bytes[offset] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    offset += 1
                case UInt8(ascii: "u"):
                    guard offset + 4 < bytes.count, (1...4).allSatisfy({ Self.hexValue(bytes[offset + $0]) != nil }) else {
                        throw SyntaxError(message: "\\u must be followed by four hexadecimal digits", location: escapeLocation)
                    }
                    offset += 5
                default:
                    throw SyntaxError(
                        message: "\\\(describeByte(at: offset)) is not a JSON escape; use \\\", \\\\, \\/, \\b, \\f, \\n, \\r, \\t or \\uXXXX",
                        location: escapeLocation)
                }
                continue
            }
            offset += 1
        }
        throw SyntaxError(message: "this string is not closed: the file ends before its closing '\"'", location: start)
    }

    /// Reads a number, checking RFC 8259's grammar (`-? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?`).
    mutating func readNumber() throws(SyntaxError) -> Token {
        skipWhitespace()
        let start = location
        let first = offset
        func digits(_ scanner: inout JSONScanner) -> Int {
            let from = scanner.offset
            while scanner.offset < scanner.bytes.count, scanner.bytes[scanner.offset] &- 48 < 10 { scanner.offset += 1 }
            return scanner.offset - from
        }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: "-") { offset += 1 }
        let integerStart = offset
        let integerDigits = digits(&self)
        guard integerDigits > 0 else { throw numberError(first, start) }
        if integerDigits > 1, bytes[integerStart] == UInt8(ascii: "0") { throw numberError(first, start) }
        if offset < bytes.count, bytes[offset] == UInt8(ascii: ".") {
            offset += 1
            guard digits(&self) > 0 else { throw numberError(first, start) }
        }
        if offset < bytes.count, bytes[offset] | 0x20 == UInt8(ascii: "e") {
            offset += 1
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") { offset += 1 }
            guard digits(&self) > 0 else { throw numberError(first, start) }
        }
        if offset < bytes.count, Self.isWordByte(bytes[offset]) { throw numberError(first, start) }
        return Token(range: first..<offset, escaped: false, location: start)
    }

    /// Reads `true`, `false` or `null`: the boolean, or nil for `null`.
    mutating func readLiteral() throws(SyntaxError) -> Bool? {
        skipWhitespace()
        let start = location
        for (word, value) in [("true", true as Bool?), ("false", false), ("null", nil)] where matches(word) {
            offset += word.utf8.count
            return value
        }
        var end = offset
        while end < bytes.count, Self.isWordByte(bytes[end]) { end += 1 }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[offset..<max(end, offset + 1)]), as: UTF8.self)
        throw SyntaxError(message: "'\(text)' is not a JSON value; strings are written in double quotes", location: start)
    }

    /// Checks that nothing but whitespace follows the message.
    mutating func expectEnd() throws(SyntaxError) {
        skipWhitespace()
        if offset < bytes.count {
            throw SyntaxError(message: "unexpected \(describeByte(at: offset)) after the end of the JSON message", location: location)
        }
    }

    // MARK: - Token contents

    /// The token's bytes, unescaped.
    func unescaped(_ token: Token) -> [UInt8] {
        guard token.escaped else { return Array(bytes[token.range]) }
        var out: [UInt8] = []
        out.reserveCapacity(token.range.count)
        var index = token.range.lowerBound
        let end = token.range.upperBound
        func hex4(_ at: Int) -> UInt32 {
            var value: UInt32 = 0
            for offset in 0..<4 { value = value << 4 | UInt32(Self.hexValue(bytes[at + offset]) ?? 0) }
            return value
        }
        while index < end {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                index += 1
                continue
            }
            let code = bytes[index + 1]
            index += 2
            switch code {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(index)
                index += 4
                if (0xD800..<0xDC00).contains(scalar), index + 6 <= end, bytes[index] == UInt8(ascii: "\\"),
                    bytes[index + 1] == UInt8(ascii: "u")
                {
                    let low = hex4(index + 2)
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        index += 6
                    }
                }
                // A lone surrogate names no character: it becomes U+FFFD, as in any UTF-8 decoder.
                let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: String(Character(character)).utf8)
            default: out.append(code)  // \" \\ \/
            }
        }
        return out
    }

    /// Calls `body` with the token's bytes, unescaped (without copying when there is nothing to unescape).
    func withBytes<R>(_ token: Token, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if !token.escaped { return body(UnsafeBufferPointer(rebasing: bytes[token.range])) }
        return unescaped(token).withUnsafeBufferPointer(body)
    }

    /// The token's text.
    func string(_ token: Token) -> String {
        withBytes(token) { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether the token's text is `text`, compared byte by byte.
    func equals(_ token: Token, _ text: StaticString) -> Bool {
        let expected = UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
        if token.escaped { return unescaped(token).elementsEqual(expected) }
        return bytes[token.range].elementsEqual(expected)
    }

    // MARK: - Bytes

    private mutating func skipWhitespace() {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x09:
                offset += 1
            case 0x0A:
                offset += 1
                line += 1
                lineStart = offset
            case 0x0D:
                offset += 1
                if offset < bytes.count, bytes[offset] == 0x0A { continue }
                line += 1
                lineStart = offset
            default:
                return
            }
        }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(SyntaxError) {
        skipWhitespace()
        guard offset < bytes.count, bytes[offset] == byte else {
            throw SyntaxError(message: "expected \(what), found \(describeByte(at: offset))", location: location)
        }
        offset += 1
    }

    private func matches(_ word: String) -> Bool {
        let utf8 = word.utf8
        guard offset + utf8.count <= bytes.count else { return false }
        guard bytes[offset..<(offset + utf8.count)].elementsEqual(utf8) else { return false }
        return offset + utf8.count == bytes.count || !Self.isWordByte(bytes[offset + utf8.count])
    }

    private func numberError(_ first: Int, _ start: SourceLocation) -> SyntaxError {
        var end = first
        while end < bytes.count, Self.isWordByte(bytes[end]) || bytes[end] == UInt8(ascii: "-") { end += 1 }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[first..<max(end, first)]), as: UTF8.self)
        return SyntaxError(
            message: "'\(text)' is not a JSON number (no leading '+' or zeros, digits on both sides of '.', no NaN or Infinity)",
            location: start)
    }

    /// A byte that may continue a word or number (letters, digits, `.`, `+`, `_`).
    private static func isWordByte(_ byte: UInt8) -> Bool {
        byte &- 48 < 10 || (byte | 0x20) &- 97 < 26 || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "+")
            || byte == UInt8(ascii: "_")
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - 48
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - 87
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - 55
        default: nil
        }
    }

    /// The byte at `index` for a message: `'x'`, a hexadecimal code, or "the end of the file".
    private func describeByte(at index: Int) -> String {
        guard index < bytes.count else { return "the end of the file" }
        let byte = bytes[index]
        if byte >= 0x21, byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }
}
