/// Reads the project's JSON encoding (see the README, "JSON encoding") into the model.
///
/// Syntax errors stop reading (the message is nil). Otherwise each block is checked by the same `BlockBuilder`
/// and `ValueReader` as KVN and XML (order, duplicates, required keywords, values), and the message by the same
/// consistency rules; every problem carries the line and column of the JSON member concerned.
enum JSONMessageReader {
    /// Reads `bytes` as a JSON message.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>, strictness: Strictness) -> ReadResult {
        var reader = JSONModelReader(bytes, strictness: strictness)
        do throws(JSONScanner.SyntaxError) {
            return try reader.read()
        } catch {
            return ReadResult(message: nil, diagnostics: [Diagnostic(.error, .syntax, error.message, at: error.location)])
        }
    }
}

/// Walks the JSON document along the message's `MessageSpec`, building the model.
struct JSONModelReader {
    typealias SyntaxError = JSONScanner.SyntaxError

    /// The document being read.
    var scanner: JSONScanner
    /// Strict or lenient.
    let strictness: Strictness
    /// Problems found so far (the builders' are added when each section is finished).
    var diagnostics: [Diagnostic] = []
    /// The message type's specification, once `"type"` is read.
    var spec: MessageSpec = .opm
    /// The message version as written.
    var version = ""
    /// The message version as a number, for `KeywordSpec.exists(in:)`.
    var versionNumber = 0.0
    /// Comments of nested blocks that hold nothing else, which `BlockBuilder` cannot attach (it gives comments to the
    /// next keyword's block): child-index path from the section → comments, set after the section is built.
    var commentFixups: [(path: [Int], comments: [String])] = []
    /// The OEM ephemeris of the segment being read.
    var ephemeris = Ephemeris()
    /// The TDM observations of the segment being read.
    var observations: [Observation] = []
    /// `START_TIME` and `STOP_TIME` of the segment being read, for checking the bulk's epochs.
    var segmentBounds: (start: CCSDSEpoch?, stop: CCSDSEpoch?) = (nil, nil)

    /// Starts reading `bytes`.
    init(_ bytes: UnsafeBufferPointer<UInt8>, strictness: Strictness) {
        self.scanner = JSONScanner(bytes)
        self.strictness = strictness
    }

    /// Problems a lenient reader accepts: errors when strict, warnings when lenient.
    var deviation: Diagnostic.Severity { strictness == .lenient ? .warning : .error }

    /// `OEM 3.0`, for messages.
    var messageName: String { "\(spec.type.rawValue) \(version)" }

    // MARK: - Message

    /// Reads the whole document.
    mutating func read() throws(SyntaxError) -> ReadResult {
        if scanner.atEnd() {
            return ReadResult(message: nil, diagnostics: [Diagnostic(.error, .syntax, "the file is empty", at: scanner.location)])
        }
        guard try scanner.peek() == .object else {
            throw SyntaxError(message: "a JSON message is an object: { \"type\": …, \"version\": …, … }", location: scanner.location)
        }
        try scanner.enterObject()
        var top = JSONScanner.Container()
        guard let type = try readType(&top), let version = try readVersion(&top, type: type) else {
            return ReadResult(message: nil, diagnostics: diagnostics)
        }
        spec = MessageSpec.of(type)
        self.version = version
        versionNumber = Double(version) ?? 0

        let expected = ["header"] + (spec.relativeMetadata == nil ? [] : ["relativeMetadataData"]) + ["segments"]
        var next = 0
        var header: Block?
        var relative: Block?
        var segments: [Segment]?
        var segmentsLocation: SourceLocation?
        var headerLocations: [String: SourceLocation] = [:]
        var segmentLocations: [[String: SourceLocation]] = []
        while let key = try scanner.nextKey(&top) {
            let name = scanner.string(key)
            guard let index = expected.firstIndex(of: name) else {
                let members = (["type", "version"] + expected).map { "\"\($0)\"" }.joined(separator: ", ")
                add(.unknownKeyword, "\"\(name)\" is not a member of a JSON \(spec.type.rawValue) message; expected \(members)",
                    key.location, keyword: name)
                try scanner.skipValue()
                continue
            }
            if (name == "header" && header != nil) || (name == "relativeMetadataData" && relative != nil)
                || (name == "segments" && segments != nil)
            {
                add(.duplicateKeyword, "\"\(name)\" is given twice", key.location, keyword: name)
                try scanner.skipValue()
                continue
            }
            if index < next {
                add(.keywordOrder, "\"\(name)\" is out of order: members come in the order \(expected.joined(separator: ", "))",
                    key.location, keyword: name)
            }
            next = max(next, index + 1)
            switch name {
            case "header":
                header = try readSection(spec.header, named: name, locations: &headerLocations)
            case "relativeMetadataData":
                relative = try readSection(spec.relativeMetadata!, named: name, locations: &headerLocations)
            default:
                segmentsLocation = key.location
                segments = try readSegments(locations: &segmentLocations)
            }
        }
        let end = scanner.closeLocation
        try scanner.expectEnd()
        for (name, missing) in [("header", header == nil), ("segments", segments == nil)] where missing {
            add(.missingKeyword, "the message has no \"\(name)\" member", end, keyword: name)
        }
        if spec.relativeMetadata != nil, relative == nil {
            add(.missingKeyword, "a CDM has a \"relativeMetadataData\" object after its header", end,
                keyword: "relativeMetadataData")
        }
        let message = Message(
            type: type, version: version, header: header ?? Block(name: spec.header.name),
            relativeMetadata: relative ?? spec.relativeMetadata.map { Block(name: $0.name) }, segments: segments ?? [])
        if segments != nil, !spec.segmentCount.contains(message.segments.count) {
            let count =
                spec.segmentCount.upperBound == Int.max
                ? "at least \(spec.segmentCount.lowerBound)" : "\(spec.segmentCount.lowerBound)"
            let article = "AEIOU".contains(type.rawValue.first!) ? "an" : "a"
            add(.structure, "\(article) \(type.rawValue) has \(count) segment(s), found \(message.segments.count)",
                segmentsLocation ?? end, keyword: "segments")
        }
        return Consistency.finish(
            message, spec: spec, header: headerLocations, segments: segmentLocations, diagnostics: diagnostics)
    }

    /// `"type": "OEM"`, the first member; nil (with the problem recorded) when absent or unknown.
    private mutating func readType(_ top: inout JSONScanner.Container) throws(SyntaxError) -> MessageType? {
        let types = MessageType.allCases.map(\.rawValue).joined(separator: ", ")
        let key = try scanner.nextKey(&top)
        guard let key, scanner.equals(key, "type") else {
            add(.unsupportedMessage, "a JSON message starts with \"type\": one of \(types)",
                key?.location ?? scanner.closeLocation, keyword: "type")
            return nil
        }
        guard try scanner.peek() == .string else {
            add(.unsupportedMessage, "\"type\" is a string: one of \(types)", scanner.location, keyword: "type")
            return nil
        }
        let token = try scanner.readString()
        let text = scanner.string(token)
        guard let type = MessageType(rawValue: text) else {
            add(.unsupportedMessage, "\"\(text)\" is not a message type this library reads; expected one of \(types)",
                token.location, keyword: "type")
            return nil
        }
        return type
    }

    /// `"version": "3.0"`, right after the type; nil (with the problem recorded) when absent or not supported.
    private mutating func readVersion(_ top: inout JSONScanner.Container, type: MessageType) throws(SyntaxError) -> String? {
        let versions = MessageSpec.of(type).versions
        let expected = versions.map { "\"\($0)\"" }.joined(separator: ", ")
        let key = try scanner.nextKey(&top)
        guard let key, scanner.equals(key, "version") else {
            add(.unsupportedMessage, "\"version\" follows \"type\": one of \(expected)",
                key?.location ?? scanner.closeLocation, keyword: "version")
            return nil
        }
        guard try scanner.peek() == .string else {
            add(.unsupportedMessage, "\"version\" is a string: one of \(expected)", scanner.location, keyword: "version")
            return nil
        }
        let token = try scanner.readString()
        let text = scanner.string(token)
        guard versions.contains(text) else {
            add(.unsupportedMessage, "\(type.rawValue) version \(text) is not supported; expected one of "
                + versions.joined(separator: ", "), token.location, keyword: "version")
            return nil
        }
        return text
    }

    // MARK: - Segments and sections

    private mutating func readSegments(locations: inout [[String: SourceLocation]]) throws(SyntaxError) -> [Segment] {
        guard try scanner.peek() == .array else {
            add(.invalidValue, "\"segments\" is an array of {\"metadata\": …, \"data\": …} objects", scanner.location,
                keyword: "segments")
            try scanner.skipValue()
            return []
        }
        try scanner.enterArray()
        var segments: [Segment] = []
        var container = JSONScanner.Container()
        while try scanner.nextElement(&container) {
            guard try scanner.peek() == .object else {
                add(.invalidValue, "a segment is an object {\"metadata\": …, \"data\": …}", scanner.location)
                try scanner.skipValue()
                continue
            }
            var places: [String: SourceLocation] = [:]
            segments.append(try readSegment(locations: &places))
            locations.append(places)
        }
        return segments
    }

    private mutating func readSegment(locations: inout [String: SourceLocation]) throws(SyntaxError) -> Segment {
        try scanner.enterObject()
        ephemeris = Ephemeris()
        observations = []
        segmentBounds = (nil, nil)
        var metadata: Block?
        var data: Block?
        var container = JSONScanner.Container()
        while let key = try scanner.nextKey(&container) {
            let name = scanner.string(key)
            switch name {
            case "metadata" where metadata == nil:
                if data != nil {
                    add(.keywordOrder, "\"metadata\" comes before \"data\" in a segment", key.location, keyword: name)
                }
                let block = try readSection(spec.metadata, named: name, locations: &locations)
                segmentBounds = (block["START_TIME"]?.epoch, block["STOP_TIME"]?.epoch)
                metadata = block
            case "data" where data == nil:
                data = try readSection(spec.data, named: name, locations: &locations, bulk: spec.bulk)
            case "metadata", "data":
                add(.duplicateKeyword, "\"\(name)\" is given twice in this segment", key.location, keyword: name)
                try scanner.skipValue()
            default:
                add(.unknownKeyword, "\"\(name)\" is not a member of a segment; expected \"metadata\" and \"data\"",
                    key.location, keyword: name)
                try scanner.skipValue()
            }
        }
        for (name, missing) in [("metadata", metadata == nil), ("data", data == nil)] where missing {
            add(.missingKeyword, "this segment has no \"\(name)\" object", scanner.closeLocation, keyword: name)
        }
        return Segment(
            metadata: metadata ?? Block(name: spec.metadata.name), data: data ?? Block(name: spec.data.name),
            ephemeris: ephemeris, observations: observations)
    }

    /// Reads one section (header, relative metadata, metadata, data) with a fresh `BlockBuilder`.
    private mutating func readSection(
        _ block: BlockSpec, named name: String, locations: inout [String: SourceLocation],
        bulk: MessageSpec.Bulk = .none
    ) throws(SyntaxError) -> Block {
        let kind = try scanner.peek()
        guard kind == .object else {
            add(.invalidValue, "\"\(name)\" is an object, not \(kind.described)", scanner.location, keyword: name)
            try scanner.skipValue()
            return Block(name: block.name)
        }
        var builder = BlockBuilder(block, version: versionNumber, messageName: messageName, strictness: strictness)
        commentFixups = []
        try readBlock(block, into: &builder, path: [], bulk: bulk)
        var section = builder.finish(at: scanner.closeLocation)
        for fixup in commentFixups { Self.setComments(fixup.comments, at: fixup.path[...], in: &section) }
        diagnostics.append(contentsOf: builder.diagnostics)
        locations.merge(builder.locations) { _, new in new }
        return section
    }

    /// Appends `comments` to the block at `path` (child indices) inside `block`.
    private static func setComments(_ comments: [String], at path: ArraySlice<Int>, in block: inout Block) {
        guard let index = path.first else {
            block.comments.append(contentsOf: comments)
            return
        }
        guard index < block.children.count else { return }
        setComments(comments, at: path.dropFirst(), in: &block.children[index])
    }

    // MARK: - Schema look-ups

    /// The sections of the message, for hints about misplaced members.
    var sectionSpecs: [BlockSpec] {
        [spec.header] + (spec.relativeMetadata.map { [$0] } ?? []) + [spec.metadata, spec.data]
    }

    /// The nested block named `name` directly in `spec`, with its maximum count.
    static func childBlock(_ name: String, of spec: BlockSpec) -> (BlockSpec, Int?)? {
        for case .block(let child, _, let max) in spec.members where child.name == name { return (child, max) }
        return nil
    }

    /// The name of the block that has `name` as a keyword or nested block, searching `blocks` depth first.
    static func home(of name: String, in blocks: [BlockSpec]) -> String? {
        for block in blocks {
            if block.keyword(name) != nil || childBlock(name, of: block) != nil { return block.name }
            let nested = block.members.compactMap { member -> BlockSpec? in
                if case .block(let child, _, _) = member { child } else { nil }
            }
            if let found = home(of: name, in: nested) { return found }
        }
        return nil
    }

    mutating func add(
        _ code: Diagnostic.Code, _ message: String, _ location: SourceLocation, keyword: String? = nil,
        severity: Diagnostic.Severity = .error
    ) {
        diagnostics.append(Diagnostic(severity, code, message, at: location, keyword: keyword))
    }
}
