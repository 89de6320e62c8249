/// A JSON value (RFC 8259) with the line and column where it starts, for error messages that point at the input.
///
/// A small recursive-descent reader for request files (kilobytes); the CCSDS target's streaming `JSONScanner` is
/// internal to it and built for messages, not for a tree.
struct LocatedJSON {
    /// The value.
    enum Value {
        case object([(key: String, value: LocatedJSON)])
        case array([LocatedJSON])
        case string(String)
        case number(Double)
        case boolean(Bool)
        case null
    }

    /// The value.
    var value: Value
    /// Where it starts, 1-based.
    var line: Int
    /// Where it starts, 1-based (bytes).
    var column: Int

    /// The text is not well-formed JSON.
    struct SyntaxError: Error {
        var message: String
        var line: Int
        var column: Int
    }

    /// Reads `bytes` (UTF-8) as one JSON value.
    static func parse(_ bytes: [UInt8]) throws(SyntaxError) -> LocatedJSON {
        var reader = Reader(bytes: bytes)
        reader.skipSpace()
        let value = try reader.value(depth: 0)
        reader.skipSpace()
        guard reader.offset == bytes.count else { throw reader.error("text after the JSON value") }
        return value
    }

    /// The member `key` of an object, nil otherwise.
    subscript(key: String) -> LocatedJSON? {
        guard case .object(let members) = value else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// "an object", "a string", … for messages.
    var kind: String {
        switch value {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .boolean: "a boolean"
        case .null: "null"
        }
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0
        var line = 1
        var lineStart = 0

        func error(_ message: String) -> SyntaxError {
            SyntaxError(message: message, line: line, column: offset - lineStart + 1)
        }

        mutating func skipSpace() {
            while offset < bytes.count {
                switch bytes[offset] {
                case UInt8(ascii: "\n"):
                    line += 1
                    lineStart = offset + 1
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): break
                default: return
                }
                offset += 1
            }
        }

        mutating func value(depth: Int) throws(SyntaxError) -> LocatedJSON {
            guard depth < 64 else { throw error("nested too deeply") }
            guard offset < bytes.count else { throw error("unexpected end of the file: a value was expected") }
            let (startLine, startColumn) = (line, offset - lineStart + 1)
            let value: Value
            switch bytes[offset] {
            case UInt8(ascii: "{"): value = try object(depth: depth)
            case UInt8(ascii: "["): value = try array(depth: depth)
            case UInt8(ascii: "\""): value = .string(try string())
            case UInt8(ascii: "t"): value = try literal("true", .boolean(true))
            case UInt8(ascii: "f"): value = try literal("false", .boolean(false))
            case UInt8(ascii: "n"): value = try literal("null", .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): value = try number()
            default:
                throw error("unexpected character '\(Character(Unicode.Scalar(bytes[offset])))': a value was expected")
            }
            return LocatedJSON(value: value, line: startLine, column: startColumn)
        }

        mutating func object(depth: Int) throws(SyntaxError) -> Value {
            offset += 1
            var members: [(key: String, value: LocatedJSON)] = []
            skipSpace()
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "}") {
                offset += 1
                return .object(members)
            }
            while true {
                skipSpace()
                guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") else {
                    throw error("a member name in double quotes was expected")
                }
                let key = try string()
                skipSpace()
                guard offset < bytes.count, bytes[offset] == UInt8(ascii: ":") else {
                    throw error("':' was expected after the member name \"\(key)\"")
                }
                offset += 1
                skipSpace()
                members.append((key, try value(depth: depth + 1)))
                skipSpace()
                guard offset < bytes.count else { throw error("unexpected end of the file: '}' was expected") }
                if bytes[offset] == UInt8(ascii: ",") {
                    offset += 1
                    continue
                }
                guard bytes[offset] == UInt8(ascii: "}") else { throw error("',' or '}' was expected") }
                offset += 1
                return .object(members)
            }
        }

        mutating func array(depth: Int) throws(SyntaxError) -> Value {
            offset += 1
            var elements: [LocatedJSON] = []
            skipSpace()
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "]") {
                offset += 1
                return .array(elements)
            }
            while true {
                skipSpace()
                elements.append(try value(depth: depth + 1))
                skipSpace()
                guard offset < bytes.count else { throw error("unexpected end of the file: ']' was expected") }
                if bytes[offset] == UInt8(ascii: ",") {
                    offset += 1
                    continue
                }
                guard bytes[offset] == UInt8(ascii: "]") else { throw error("',' or ']' was expected") }
                offset += 1
                return .array(elements)
            }
        }

        mutating func literal(_ word: String, _ value: Value) throws(SyntaxError) -> Value {
            let expected = Array(word.utf8)
            guard offset + expected.count <= bytes.count, Array(bytes[offset..<offset + expected.count]) == expected
            else { throw error("unexpected word: true, false or null was expected") }
            offset += expected.count
            return value
        }

        mutating func number() throws(SyntaxError) -> Value {
            let start = offset
            while offset < bytes.count, "+-0123456789.eE".utf8.contains(bytes[offset]) { offset += 1 }
            let text = String(decoding: bytes[start..<offset], as: UTF8.self)
            guard let number = Double(text), number.isFinite, !text.hasPrefix("+"), !text.hasPrefix(".") else {
                offset = start
                throw error("\"\(text)\" is not a JSON number")
            }
            return .number(number)
        }

        mutating func string() throws(SyntaxError) -> String {
            offset += 1
            var scalars = String.UnicodeScalarView()
            var run: [UInt8] = []
            func flush() {
                scalars.append(contentsOf: String(decoding: run, as: UTF8.self).unicodeScalars)
                run.removeAll(keepingCapacity: true)
            }
            while offset < bytes.count {
                let byte = bytes[offset]
                switch byte {
                case UInt8(ascii: "\""):
                    offset += 1
                    flush()
                    return String(scalars)
                case UInt8(ascii: "\\"):
                    flush()
                    offset += 1
                    guard offset < bytes.count else { break }
                    let escape = bytes[offset]
                    offset += 1
                    switch escape {
                    case UInt8(ascii: "\""): scalars.append("\"")
                    case UInt8(ascii: "\\"): scalars.append("\\")
                    case UInt8(ascii: "/"): scalars.append("/")
                    case UInt8(ascii: "b"): scalars.append("\u{08}")
                    case UInt8(ascii: "f"): scalars.append("\u{0C}")
                    case UInt8(ascii: "n"): scalars.append("\n")
                    case UInt8(ascii: "r"): scalars.append("\r")
                    case UInt8(ascii: "t"): scalars.append("\t")
                    case UInt8(ascii: "u"):
                        var code = try hex4()
                        if (0xD800..<0xDC00).contains(code), offset + 1 < bytes.count,
                            bytes[offset] == UInt8(ascii: "\\"),
                            bytes[offset + 1] == UInt8(ascii: "u")
                        {
                            offset += 2
                            let low = try hex4()
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        }
                        guard let scalar = Unicode.Scalar(code) else { throw error("\\u escape is not a character") }
                        scalars.append(scalar)
                    default:
                        offset -= 1
                        throw error("unknown escape in a string")
                    }
                case 0..<0x20:
                    throw error("a control character (a line break?) inside a string")
                default:
                    run.append(byte)
                    offset += 1
                }
            }
            throw error("unterminated string")
        }

        mutating func hex4() throws(SyntaxError) -> UInt32 {
            guard offset + 4 <= bytes.count,
                let code = UInt32(String(decoding: bytes[offset..<offset + 4], as: UTF8.self), radix: 16)
            else { throw error("\\u must be followed by four hexadecimal digits") }
            offset += 4
            return code
        }
    }
}
