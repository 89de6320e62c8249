#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A pull tokenizer for the XML subset NDM/XML uses: elements, attributes, text, character and entity references,
/// CDATA, comments and processing instructions. Document type declarations are refused (no entity expansion).
///
/// Works on bytes and tracks line and column for every token; names are byte ranges, not strings.
struct XMLLexer {
    /// One token.
    enum Token {
        /// `<name attr="v" …>` or `<name …/>`.
        case start(name: Range<Int>, attributes: [XMLAttribute], selfClosing: Bool, location: SourceLocation)
        /// `</name>`.
        case end(name: Range<Int>, location: SourceLocation)
        /// Character data between tags (raw bytes; may hold references; `cdata` when from a CDATA section).
        case text(Range<Int>, location: SourceLocation, cdata: Bool)
        /// The end of the input.
        case endOfInput
    }

    /// A lexical error with its place.
    struct SyntaxError: Error {
        /// What is wrong.
        var message: String
        /// Where.
        var location: SourceLocation
    }

    /// The input.
    let bytes: UnsafeBufferPointer<UInt8>
    private var offset = 0
    private var line = 1
    private var lineStart = 0

    /// Creates a tokenizer over `bytes`.
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { offset = 3 }
    }

    /// The location of the next unread byte.
    var location: SourceLocation { SourceLocation(line: line, column: offset - lineStart + 1) }

    /// The next token.
    mutating func next() throws(SyntaxError) -> Token {
        while true {
            guard offset < bytes.count else { return .endOfInput }
            if bytes[offset] != UInt8(ascii: "<") {
                let start = offset
                let here = location
                advance(to: find(UInt8(ascii: "<"), from: offset) ?? bytes.count)
                return .text(start..<offset, location: here, cdata: false)
            }
            let here = location
            if startsWith("<!--") {
                guard let end = find("-->", from: offset + 4) else { throw SyntaxError(message: "unterminated comment", location: here) }
                advance(to: end + 3)
                continue
            }
            if startsWith("<![CDATA[") {
                guard let end = find("]]>", from: offset + 9) else { throw SyntaxError(message: "unterminated CDATA section", location: here) }
                let range = (offset + 9)..<end
                advance(to: end + 3)
                return .text(range, location: here, cdata: true)
            }
            if startsWith("<?") {
                guard let end = find("?>", from: offset + 2) else {
                    throw SyntaxError(message: "unterminated processing instruction", location: here)
                }
                advance(to: end + 2)
                continue
            }
            if startsWith("<!") {
                throw SyntaxError(message: "document type declarations are not accepted in NDM/XML", location: here)
            }
            if startsWith("</") {
                advance(to: offset + 2)
                let name = try readName()
                skipBlanks()
                guard offset < bytes.count, bytes[offset] == UInt8(ascii: ">") else {
                    throw SyntaxError(message: "expected '>' to close the end tag", location: location)
                }
                advance(to: offset + 1)
                return .end(name: name, location: here)
            }
            advance(to: offset + 1)
            let name = try readName()
            var attributes: [XMLAttribute] = []
            while true {
                skipBlanks()
                guard offset < bytes.count else { throw SyntaxError(message: "unterminated start tag", location: here) }
                if bytes[offset] == UInt8(ascii: ">") {
                    advance(to: offset + 1)
                    return .start(name: name, attributes: attributes, selfClosing: false, location: here)
                }
                if bytes[offset] == UInt8(ascii: "/") {
                    guard offset + 1 < bytes.count, bytes[offset + 1] == UInt8(ascii: ">") else {
                        throw SyntaxError(message: "expected '/>'", location: location)
                    }
                    advance(to: offset + 2)
                    return .start(name: name, attributes: attributes, selfClosing: true, location: here)
                }
                let attributeName = try readName()
                skipBlanks()
                guard offset < bytes.count, bytes[offset] == UInt8(ascii: "=") else {
                    throw SyntaxError(message: "expected '=' after attribute name", location: location)
                }
                advance(to: offset + 1)
                skipBlanks()
                guard offset < bytes.count, bytes[offset] == UInt8(ascii: "\"") || bytes[offset] == UInt8(ascii: "'")
                else { throw SyntaxError(message: "expected a quoted attribute value", location: location) }
                let quote = bytes[offset]
                let valueStart = offset + 1
                guard let valueEnd = find(quote, from: valueStart) else {
                    throw SyntaxError(message: "unterminated attribute value", location: location)
                }
                advance(to: valueEnd + 1)
                attributes.append(XMLAttribute(name: attributeName, value: valueStart..<valueEnd))
            }
        }
    }

    /// A name: letters, digits, `_`, `-`, `.`, `:` (and any non-ASCII byte).
    private mutating func readName() throws(SyntaxError) -> Range<Int> {
        let start = offset
        while offset < bytes.count {
            let byte = bytes[offset]
            let isNameByte =
                (byte | 0x20) &- 97 < 26 || byte &- 48 < 10 || byte == 95 || byte == 45 || byte == 46 || byte == 58
                || byte >= 0x80
            if !isNameByte { break }
            offset += 1
        }
        guard offset > start else { throw SyntaxError(message: "expected a name", location: location) }
        return start..<offset
    }

    private mutating func skipBlanks() {
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == 0x0A {
                line += 1
                lineStart = offset + 1
            } else if byte != 0x20, byte != 0x09, byte != 0x0D {
                return
            }
            offset += 1
        }
    }

    /// Moves to `target`, counting the line breaks passed.
    private mutating func advance(to target: Int) {
        guard let base = bytes.baseAddress else {
            offset = target
            return
        }
        var cursor = offset
        while cursor < target, let found = memchr(base + cursor, 0x0A, target - cursor) {
            let index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            line += 1
            lineStart = index + 1
            cursor = index + 1
        }
        offset = target
    }

    private func startsWith(_ text: StaticString) -> Bool {
        let length = text.utf8CodeUnitCount
        guard offset + length <= bytes.count else { return false }
        for index in 0..<length where bytes[offset + index] != text.utf8Start[index] { return false }
        return true
    }

    private func find(_ byte: UInt8, from start: Int) -> Int? {
        guard start < bytes.count, let base = bytes.baseAddress, let found = memchr(base + start, Int32(byte), bytes.count - start)
        else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    private func find(_ text: StaticString, from start: Int) -> Int? {
        let length = text.utf8CodeUnitCount
        var cursor = start
        while let index = find(text.utf8Start[0], from: cursor) {
            guard index + length <= bytes.count else { return nil }
            var matches = true
            for step in 1..<length where bytes[index + step] != text.utf8Start[step] {
                matches = false
                break
            }
            if matches { return index }
            cursor = index + 1
        }
        return nil
    }

    /// Whether the bytes of `range` spell `name`, ignoring a namespace prefix (`ndm:segment` matches `segment`).
    func name(_ range: Range<Int>, is name: String) -> Bool {
        localName(range).elementsEqual(name.utf8)
    }

    /// The name without its namespace prefix.
    func localName(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        var start = range.lowerBound
        for index in range where bytes[index] == UInt8(ascii: ":") { start = index + 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<range.upperBound])
    }

    /// The local name as a string.
    func string(name range: Range<Int>) -> String {
        String(decoding: localName(range), as: UTF8.self)
    }

    /// Character data with references replaced (`&lt;`, `&#65;` …); nil when a reference is malformed.
    func decoded(_ range: Range<Int>) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = bytes[index]
            if byte != UInt8(ascii: "&") {
                out.append(byte)
                index += 1
                continue
            }
            guard let semicolon = (index..<range.upperBound).first(where: { bytes[$0] == UInt8(ascii: ";") }) else {
                return nil
            }
            let entity = String(decoding: UnsafeBufferPointer(rebasing: bytes[(index + 1)..<semicolon]), as: UTF8.self)
            switch entity {
            case "lt": out.append(UInt8(ascii: "<"))
            case "gt": out.append(UInt8(ascii: ">"))
            case "amp": out.append(UInt8(ascii: "&"))
            case "quot": out.append(UInt8(ascii: "\""))
            case "apos": out.append(UInt8(ascii: "'"))
            default:
                guard entity.hasPrefix("#") else { return nil }
                let digits = entity.dropFirst()
                let scalarValue: UInt32? =
                    digits.hasPrefix("x") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
                guard let scalarValue, let scalar = Unicode.Scalar(scalarValue) else { return nil }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            }
            index = semicolon + 1
        }
        return out
    }
}

/// An attribute of a start tag: byte ranges of its name and (undecoded) value.
struct XMLAttribute {
    /// The name.
    var name: Range<Int>
    /// The value between the quotes.
    var value: Range<Int>
}
