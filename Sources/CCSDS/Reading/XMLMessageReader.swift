/// Reads an NDM/XML message (CCSDS 505.0-B-3) into the model, with the same checks as the KVN reader.
struct XMLMessageReader {
    private var lexer: XMLLexer
    private let strictness: Strictness
    private var diagnostics: [Diagnostic] = []
    private var spec: MessageSpec = .opm
    private var version = "3.0"
    private var versionNumber = 3.0
    private var lookahead: XMLLexer.Token?
    private var headerLocations: [String: SourceLocation] = [:]
    private var segmentLocations: [[String: SourceLocation]] = []
    private var locations: [String: SourceLocation] = [:]

    init(_ bytes: UnsafeBufferPointer<UInt8>, strictness: Strictness) {
        self.lexer = XMLLexer(bytes)
        self.strictness = strictness
    }

    /// Reads the whole document.
    mutating func read() -> ReadResult {
        do {
            let message = try readDocument()
            return Consistency.finish(
                message, spec: spec, header: headerLocations, segments: segmentLocations, diagnostics: diagnostics)
        } catch let error as XMLLexer.SyntaxError {
            diagnostics.append(Diagnostic(.error, .syntax, "XML is not well-formed: \(error.message)", at: error.location))
            return ReadResult(message: nil, diagnostics: diagnostics)
        } catch {
            diagnostics.append(Diagnostic(.error, .syntax, "XML could not be read: \(error)", at: lexer.location))
            return ReadResult(message: nil, diagnostics: diagnostics)
        }
    }

    private mutating func readDocument() throws -> Message? {
        guard case .start(let rootName, let attributes, let selfClosing, let rootLocation) = try nextElementToken() else {
            add(.syntax, "the document has no root element", lexer.location)
            return nil
        }
        let root = lexer.string(name: rootName)
        guard let type = MessageType.allCases.first(where: { $0.xmlRootName == root }) else {
            add(.unsupportedMessage, "<\(root)> is not a supported message; expected <oem>, <opm>, <omm>, <cdm> or <tdm>",
                rootLocation)
            return nil
        }
        spec = MessageSpec.of(type)
        let id = attribute("id", in: attributes)
        version = attribute("version", in: attributes) ?? ""
        if id != type.versionKeyword {
            add(.structure, "<\(root)> needs id=\"\(type.versionKeyword)\"", rootLocation, keyword: type.versionKeyword)
        }
        guard spec.versions.contains(version) else {
            add(.unsupportedMessage, "\(type.rawValue) version '\(version)' is not supported; expected one of "
                + spec.versions.joined(separator: ", "), rootLocation, keyword: type.versionKeyword)
            return nil
        }
        versionNumber = Double(version) ?? 0
        var message = Message(type: type, version: version, header: Block(name: "header"), segments: [])
        if selfClosing {
            add(.missingKeyword, "<\(root)> needs a header and a body", rootLocation)
            return message
        }
        var sawHeader = false
        var sawBody = false
        try readChildren(of: root) { reader, name, attributes, location in
            switch name {
            case "header" where !sawHeader && !sawBody:
                sawHeader = true
                message.header = try reader.readSection(reader.spec.header, name: "header", at: location)
                reader.headerLocations.merge(reader.locations) { $1 }
            case "body" where sawHeader && !sawBody:
                sawBody = true
                try reader.readBody(into: &message)
            default:
                reader.add(.structure, "<\(name)> is not expected here; <\(root)> holds <header> then <body>", location)
                try reader.skipElement(name)
            }
        }
        if !sawHeader { add(.missingKeyword, "<header> is missing", rootLocation) }
        if !sawBody { add(.missingKeyword, "<body> is missing", rootLocation) }
        if case .start(_, _, _, let location) = try nextElementToken() {
            add(.syntax, "content after the root element", location)
        }
        if sawBody, !spec.segmentCount.contains(message.segments.count) {
            add(.structure, "a \(type.rawValue) has \(spec.segmentCount.upperBound == Int.max ? "at least " : "")"
                + "\(spec.segmentCount.lowerBound) segment(s), found \(message.segments.count)", rootLocation)
        }
        return message
    }

    private mutating func readBody(into message: inout Message) throws {
        try readChildren(of: "body") { reader, name, _, location in
            if name == "relativeMetadataData", let relative = reader.spec.relativeMetadata,
                message.relativeMetadata == nil, message.segments.isEmpty
            {
                message.relativeMetadata = try reader.readSection(relative, name: name, at: location)
                reader.headerLocations.merge(reader.locations) { $1 }
            } else if name == "segment" {
                if reader.spec.relativeMetadata != nil, message.relativeMetadata == nil {
                    reader.add(.missingKeyword, "<relativeMetadataData> is required before the first <segment>", location)
                }
                message.segments.append(try reader.readSegment(at: location))
            } else {
                reader.add(.structure, "<\(name)> is not expected in <body>", location)
                try reader.skipElement(name)
            }
        }
    }

    private mutating func readSegment(at location: SourceLocation) throws -> Segment {
        locations = [:]
        var segment = Segment(metadata: Block(name: "metadata"), data: Block(name: "data"))
        var sawMetadata = false
        var sawData = false
        try readChildren(of: "segment") { reader, name, _, location in
            if name == "metadata", !sawMetadata, !sawData {
                sawMetadata = true
                segment.metadata = try reader.readSection(reader.spec.metadata, name: name, at: location)
            } else if name == "data", sawMetadata, !sawData {
                sawData = true
                segment.data = try reader.readSection(reader.spec.data, name: name, at: location, segment: &segment)
            } else {
                reader.add(.structure, "<\(name)> is not expected here; <segment> holds <metadata> then <data>", location)
                try reader.skipElement(name)
            }
        }
        if !sawMetadata { add(.missingKeyword, "<metadata> is missing in <segment>", location) }
        if !sawData { add(.missingKeyword, "<data> is missing in <segment>", location) }
        segmentLocations.append(locations)
        return segment
    }

    private mutating func readSection(_ block: BlockSpec, name: String, at location: SourceLocation)
        throws -> Block
    {
        var unused = Segment(metadata: Block(name: "metadata"), data: Block(name: "data"))
        return try readSection(block, name: name, at: location, segment: &unused)
    }

    /// Reads a section element with a `BlockBuilder`; OEM states and TDM observations go to `segment`.
    private mutating func readSection(
        _ block: BlockSpec, name: String, at location: SourceLocation, segment: inout Segment
    ) throws -> Block {
        var builder = BlockBuilder(
            block, version: versionNumber, messageName: "\(spec.type.rawValue) \(version)", strictness: strictness)
        var end = location
        try readBlockContent(of: name, builder: &builder, segment: &segment, end: &end)
        let result = builder.finish(at: end)
        diagnostics.append(contentsOf: builder.diagnostics)
        locations.merge(builder.locations) { $1 }
        return result
    }

    private mutating func readBlockContent(
        of parent: String, builder: inout BlockBuilder, segment: inout Segment, end: inout SourceLocation
    ) throws {
        while true {
            let token = try nextToken()
            switch token {
            case .endOfInput:
                throw XMLLexer.SyntaxError(message: "<\(parent)> is not closed", location: lexer.location)
            case .text(let range, let location, _):
                if !isBlank(range) { add(.syntax, "unexpected text in <\(parent)>", location) }
            case .end(let name, let location):
                try checkEnd(name, parent, location)
                end = location
                return
            case .start(let nameRange, let attributes, let selfClosing, let location):
                let name = lexer.string(name: nameRange)
                if name == "COMMENT" {
                    let text = try readText(of: name, selfClosing: selfClosing)
                    builder.comment(String(decoding: trimmed(text.bytes), as: UTF8.self), at: location)
                } else if name == "stateVector", spec.bulk == .ephemeris, parent == "data" {
                    try readState(selfClosing: selfClosing, at: location, into: &segment.ephemeris)
                } else if name == "observation", spec.bulk == .observations, parent == "data" {
                    try readObservation(selfClosing: selfClosing, at: location, into: &segment.observations)
                } else if !selfClosing, builder.open(name, at: location) {
                    var childEnd = location
                    try readBlockContent(of: name, builder: &builder, segment: &segment, end: &childEnd)
                    builder.close(at: childEnd)
                } else {
                    var keyword = name
                    if name == "USER_DEFINED", let parameter = attribute("parameter", in: attributes) {
                        keyword = "USER_DEFINED_" + parameter
                    }
                    let text = try readText(of: name, selfClosing: selfClosing)
                    let unit = attributeRange("units", in: attributes)
                    let value = trimmed(text.bytes)
                    let placed = value.withUnsafeBufferPointer { valueBytes in
                        unitBytes(unit).withUnsafeBufferPointer { unitBuffer in
                            builder.placeDirect(
                                keyword,
                                ValueReader.RawValue(
                                    bytes: valueBytes, unit: unit == nil ? nil : unitBuffer, location: text.location),
                                line: location)
                        }
                    }
                    if !placed {
                        builder.reportMisplaced(keyword, at: location, knownElsewhere: nil)
                    }
                }
            }
        }
    }

    /// `<stateVector><EPOCH/><X/>…<Z_DOT/>[<X_DDOT/>…]</stateVector>` (XSD `stateVectorAccType`).
    private mutating func readState(selfClosing: Bool, at location: SourceLocation, into ephemeris: inout Ephemeris)
        throws
    {
        var epoch: CCSDSEpoch?
        var numbers: [Double] = []
        var valid = true
        if !selfClosing {
            try readChildren(of: "stateVector") { reader, name, _, childLocation in
                let text = try reader.readText(of: name, selfClosing: false)
                let value = reader.trimmed(text.bytes)
                if epoch == nil {
                    guard name == "EPOCH" else {
                        reader.add(.keywordOrder, "<stateVector> starts with <EPOCH>, not <\(name)>", childLocation, keyword: name)
                        valid = false
                        return
                    }
                    switch value.withUnsafeBufferPointer({ NumberScanner.epoch($0) }) {
                    case .success(let parsed): epoch = parsed
                    case .failure:
                        reader.add(.invalidValue, "EPOCH '\(String(decoding: value, as: UTF8.self))' is not a CCSDS epoch",
                            text.location, keyword: "EPOCH")
                        valid = false
                    }
                    return
                }
                let expected = numbers.count < 9 ? KVNReader.stateKeywords[numbers.count] : "</stateVector>"
                guard name == expected else {
                    reader.add(.keywordOrder, "<\(name)> is out of place in <stateVector>; expected <\(expected)>",
                        childLocation, keyword: name)
                    valid = false
                    return
                }
                guard let number = value.withUnsafeBufferPointer({ NumberScanner.double($0) }) else {
                    reader.add(.invalidValue, "\(name) = '\(String(decoding: value, as: UTF8.self))' is not a number",
                        text.location, keyword: name)
                    valid = false
                    return
                }
                numbers.append(number)
            }
        }
        guard valid, let epoch else {
            if valid { add(.missingKeyword, "<stateVector> needs EPOCH", location, keyword: "EPOCH") }
            return
        }
        guard numbers.count == 6 || numbers.count == 9 else {
            add(.missingKeyword, "<stateVector> needs X … Z_DOT and optionally X_DDOT … Z_DDOT; it has \(numbers.count) values",
                location, keyword: KVNReader.stateKeywords[min(numbers.count, 8)])
            return
        }
        if !ephemeris.isEmpty, numbers.count != ephemeris.stride {
            add(.structure, "every <stateVector> of a segment has the same components", location)
            return
        }
        if let last = ephemeris.epochs.last, epoch <= last {
            add(.consistency, "ephemeris epoch \(epoch) is not after the previous one (\(last))", location, keyword: "EPOCH")
        }
        ephemeris.append(epoch: epoch, components: numbers)
    }

    /// `<observation><EPOCH/><KEYWORD/></observation>` (CCSDS 505.0-B-3, TDM).
    private mutating func readObservation(
        selfClosing: Bool, at location: SourceLocation, into observations: inout [Observation]
    ) throws {
        var epoch: CCSDSEpoch?
        var result: Observation?
        var valid = true
        if !selfClosing {
            try readChildren(of: "observation") { reader, name, _, childLocation in
                let text = try reader.readText(of: name, selfClosing: false)
                let value = reader.trimmed(text.bytes)
                if epoch == nil {
                    guard name == "EPOCH",
                        case .success(let parsed) = value.withUnsafeBufferPointer({ NumberScanner.epoch($0) })
                    else {
                        reader.add(.invalidValue, "<observation> starts with a valid <EPOCH>", childLocation, keyword: name)
                        valid = false
                        return
                    }
                    epoch = parsed
                    return
                }
                guard result == nil, let definition = MessageSpec.tdmDataKeyword(Substring(name)) else {
                    reader.add(result == nil ? .unknownKeyword : .structure,
                        result == nil ? "\(name) is not a TDM data keyword" : "<observation> holds one measurement",
                        childLocation, keyword: name)
                    valid = false
                    return
                }
                guard let number = value.withUnsafeBufferPointer({ NumberScanner.double($0) }) else {
                    reader.add(.invalidValue, "\(name) measurement '\(String(decoding: value, as: UTF8.self))' is not a number",
                        text.location, keyword: name)
                    valid = false
                    return
                }
                let stored: Value = definition.isText ? .text(String(decoding: value, as: UTF8.self)) : .real(number)
                result = Observation(keyword: name, epoch: epoch!, value: stored)
            }
        }
        guard valid else { return }
        guard let result else {
            add(.missingKeyword, "<observation> needs EPOCH and one measurement", location)
            return
        }
        observations.append(result)
    }

    // MARK: - Tokens

    private mutating func nextToken() throws -> XMLLexer.Token {
        if let token = lookahead {
            lookahead = nil
            return token
        }
        return try lexer.next()
    }

    /// The next start tag or the end of input, skipping blank text.
    private mutating func nextElementToken() throws -> XMLLexer.Token {
        while true {
            let token = try nextToken()
            switch token {
            case .text(let range, let location, _):
                if !isBlank(range) { add(.syntax, "text outside any element", location) }
            case .end(let name, let location):
                throw XMLLexer.SyntaxError(message: "unexpected </\(lexer.string(name: name))>", location: location)
            default:
                return token
            }
        }
    }

    /// Calls `body` for each child element of `parent` until its end tag; `body` must consume the child.
    private mutating func readChildren(
        of parent: String,
        _ body: (inout XMLMessageReader, String, [XMLAttribute], SourceLocation) throws -> Void
    ) throws {
        while true {
            let token = try nextToken()
            switch token {
            case .endOfInput:
                throw XMLLexer.SyntaxError(message: "<\(parent)> is not closed", location: lexer.location)
            case .text(let range, let location, _):
                if !isBlank(range) { add(.syntax, "unexpected text in <\(parent)>", location) }
            case .end(let name, let location):
                try checkEnd(name, parent, location)
                return
            case .start(let name, let attributes, let selfClosing, let location):
                let local = lexer.string(name: name)
                if selfClosing {
                    lookahead = .end(name: name, location: location)
                    pendingSelfClosing = true
                }
                try body(&self, local, attributes, location)
            }
        }
    }

    /// Set when the current element was `<x/>`: its synthetic end tag is in `lookahead`.
    private var pendingSelfClosing = false

    /// The text content of a leaf element, up to its end tag.
    private mutating func readText(of name: String, selfClosing: Bool) throws
        -> (bytes: [UInt8], location: SourceLocation)
    {
        var content: [UInt8] = []
        var location = lexer.location
        var first = true
        if selfClosing || pendingSelfClosing {
            if pendingSelfClosing, case .end = lookahead {
                lookahead = nil
            }
            pendingSelfClosing = false
            return ([], location)
        }
        while true {
            let token = try nextToken()
            switch token {
            case .text(let range, let textLocation, let cdata):
                if first { location = textLocation }
                first = false
                if cdata {
                    content.append(contentsOf: UnsafeBufferPointer(rebasing: lexer.bytes[range]))
                } else if let decoded = lexer.decoded(range) {
                    content.append(contentsOf: decoded)
                } else {
                    add(.syntax, "malformed character or entity reference in <\(name)>", textLocation, keyword: name)
                }
            case .end(let endName, let endLocation):
                try checkEnd(endName, name, endLocation)
                return (content, location)
            case .start(let child, _, let childSelfClosing, let childLocation):
                let childName = lexer.string(name: child)
                add(.structure, "<\(childName)> is not allowed inside <\(name)>", childLocation, keyword: name)
                if !childSelfClosing { try skipElement(childName) }
            case .endOfInput:
                throw XMLLexer.SyntaxError(message: "<\(name)> is not closed", location: lexer.location)
            }
        }
    }

    /// Skips an element whose start tag was just read.
    private mutating func skipElement(_ name: String) throws {
        if pendingSelfClosing {
            pendingSelfClosing = false
            lookahead = nil
            return
        }
        var depth = 1
        while depth > 0 {
            switch try nextToken() {
            case .start(_, _, let selfClosing, _): if !selfClosing { depth += 1 }
            case .end: depth -= 1
            case .text: continue
            case .endOfInput: throw XMLLexer.SyntaxError(message: "<\(name)> is not closed", location: lexer.location)
            }
        }
    }

    private mutating func checkEnd(_ name: Range<Int>, _ expected: String, _ location: SourceLocation)
        throws
    {
        pendingSelfClosing = false
        guard lexer.name(name, is: expected) else {
            throw XMLLexer.SyntaxError(
                message: "</\(lexer.string(name: name))> closes <\(expected)>", location: location)
        }
    }

    // MARK: - Helpers

    private func attribute(_ name: String, in attributes: [XMLAttribute]) -> String? {
        guard let range = attributeRange(name, in: attributes) else { return nil }
        return String(decoding: lexer.decoded(range) ?? [], as: UTF8.self)
    }

    private func attributeRange(_ name: String, in attributes: [XMLAttribute]) -> Range<Int>? {
        attributes.first { lexer.name($0.name, is: name) }?.value
    }

    private func unitBytes(_ range: Range<Int>?) -> [UInt8] {
        guard let range else { return [] }
        return Array(trimmed(lexer.decoded(range) ?? []))
    }

    private func isBlank(_ range: Range<Int>) -> Bool {
        range.allSatisfy { lexer.bytes[$0] == 0x20 || lexer.bytes[$0] == 0x09 || lexer.bytes[$0] == 0x0A || lexer.bytes[$0] == 0x0D }
    }

    private func trimmed(_ bytes: [UInt8]) -> [UInt8] {
        var low = 0
        var high = bytes.count
        func blank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        while low < high, blank(bytes[low]) { low += 1 }
        while high > low, blank(bytes[high - 1]) { high -= 1 }
        return Array(bytes[low..<high])
    }

    private mutating func add(
        _ code: Diagnostic.Code, _ message: String, _ location: SourceLocation, keyword: String? = nil
    ) {
        diagnostics.append(Diagnostic(.error, code, message, at: location, keyword: keyword))
    }
}
