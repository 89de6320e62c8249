/// Writes a message in NDM/XML (CCSDS 505.0-B-3), unqualified form, valid against the official schemas: NDM/XML
/// 4.0.0 for the current versions (ODM 3.0, CDM 1.0, TDM 2.0), NDM/XML 2.0.0 for ODM 2.0, NDM/XML 1.0 for TDM 1.0.
///
/// Layout: `<header>`, then `<body>` with (CDM) `<relativeMetadataData>` and one `<segment>` per segment, each
/// `<metadata>` and `<data>`; comments are `<COMMENT>` elements at the start of their block; keywords are elements in
/// the standard's order; OEM states are `<stateVector>` elements, TDM observations `<observation>` elements with
/// their `<EPOCH>` and one measurement; user-defined parameters are `<USER_DEFINED parameter="X">`. A `units`
/// attribute carrying the canonical unit is written wherever the schema defines one: every ODM and CDM keyword with a
/// unit; in the TDM only `ANGLE_1`, `ANGLE_2` and `RHUMIDITY` (TDM 1.0: the angles only).
enum XMLWriter {
    /// Writes `message` as `plan` says (the plan has checked the message against the target version).
    static func write(_ message: Message, plan: WritePlan) throws(ValidationError) -> [UInt8] {
        guard let schemaSet = plan.xmlSchemaSet else {
            throw ValidationError([
                Diagnostic(
                    .error, .notRepresentable, "\(plan.spec.type.rawValue) \(plan.version) cannot be written in XML")
            ])
        }
        var writer = XMLEmitter(spec: plan.spec, schemaSet: schemaSet, capacity: estimatedSize(of: message))
        try writer.write(message, version: plan.version, schemaLocation: schemaLocation(schemaSet))
        return writer.sink.bytes
    }

    /// The `xsi:noNamespaceSchemaLocation` of a schema set (the SANA registry's unqualified master schemas).
    static func schemaLocation(_ set: WritePlan.XMLSchemaSet) -> StaticString {
        switch set {
        case .v4: "https://sanaregistry.org/r/ndmxml_unqualified/ndmxml-4.0.0-master-4.0.xsd"
        case .v2: "https://sanaregistry.org/r/ndmxml_unqualified/ndmxml-2.0.0-master-2.0.xsd"
        case .v1: "https://sanaregistry.org/r/ndmxml_unqualified/ndmxml-1.0-master.xsd"
        }
    }

    /// A generous guess of the output size.
    static func estimatedSize(of message: Message) -> Int {
        var size = 8_192
        for segment in message.segments {
            size += segment.ephemeris.count * (100 + segment.ephemeris.stride * 48)
            size += segment.observations.count * 120
            size += segment.data.children.count * 2_048
        }
        return size
    }
}

/// The XML writer's state.
private struct XMLEmitter {
    let spec: MessageSpec
    /// The schema set written against.
    let schemaSet: WritePlan.XMLSchemaSet
    /// Whether keywords with units get a `units` attribute (ODM, CDM: yes; TDM: only three data keywords).
    let writesUnits: Bool
    var sink: ByteSink
    /// Problems found while writing (text that XML cannot carry).
    var diagnostics: [Diagnostic] = []

    init(spec: MessageSpec, schemaSet: WritePlan.XMLSchemaSet, capacity: Int) {
        self.spec = spec
        self.schemaSet = schemaSet
        self.writesUnits = spec.type != .tdm
        self.sink = ByteSink(capacity: capacity)
    }

    mutating func write(_ message: Message, version: String, schemaLocation: StaticString) throws(ValidationError) {
        let root = spec.type.xmlRootName
        sink.ascii("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<")
        sink.text(root)
        sink.ascii(" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:noNamespaceSchemaLocation=\"")
        sink.ascii(schemaLocation)
        sink.ascii("\" id=\"")
        sink.text(spec.type.versionKeyword)
        sink.ascii("\" version=\"")
        escaped(version)
        sink.ascii("\">\n")
        block(message.header, spec.header, depth: 1)
        open("body", depth: 1)
        if let relative = message.relativeMetadata, let relativeSpec = spec.relativeMetadata {
            block(relative, relativeSpec, depth: 2)
        }
        for segment in message.segments {
            open("segment", depth: 2)
            block(segment.metadata, spec.metadata, depth: 3)
            switch spec.bulk {
            case .none:
                block(segment.data, spec.data, depth: 3)
            case .ephemeris:
                open("data", depth: 3)
                comments(segment.data.comments, depth: 4)
                ephemeris(segment.ephemeris, depth: 4)
                members(segment.data, spec.data, depth: 4)
                close("data", depth: 3)
            case .observations:
                open("data", depth: 3)
                comments(segment.data.comments, depth: 4)
                observations(segment.observations, depth: 4)
                close("data", depth: 3)
            }
            close("segment", depth: 2)
        }
        close("body", depth: 1)
        sink.ascii("</")
        sink.text(root)
        sink.ascii(">\n")
        if !diagnostics.isEmpty { throw ValidationError(diagnostics) }
    }

    // MARK: - Blocks

    /// `<name>`, comments, members, `</name>`.
    private mutating func block(_ block: Block, _ blockSpec: BlockSpec, depth: Int) {
        open(blockSpec.name, depth: depth)
        comments(block.comments, depth: depth + 1)
        members(block, blockSpec, depth: depth + 1)
        close(blockSpec.name, depth: depth)
    }

    /// The keywords and nested blocks of a block in the specification's order, then its user-defined parameters.
    private mutating func members(_ block: Block, _ blockSpec: BlockSpec, depth: Int) {
        for member in blockSpec.members {
            switch member {
            case .keyword(let keywordSpec):
                guard let value = block[keywordSpec.name] else { continue }
                element(keywordSpec.name, value, unit: writesUnits ? keywordSpec.units.first : nil, depth: depth)
            case .block(let childSpec, _, _):
                for child in block.children where child.name == childSpec.name {
                    self.block(child, childSpec, depth: depth)
                }
            }
        }
        if let prefix = blockSpec.userDefinedPrefix {
            for field in block.fields where field.keyword.hasPrefix(prefix) && blockSpec.keyword(field.keyword) == nil {
                indent(depth)
                sink.ascii("<USER_DEFINED parameter=\"")
                escaped(String(field.keyword.dropFirst(prefix.count)))
                sink.ascii("\">")
                value(field.value, keyword: field.keyword)
                sink.ascii("</USER_DEFINED>\n")
            }
        }
    }

    /// OEM states: `<stateVector>` with `EPOCH`, `X` … `Z_DOT` and, when present, `X_DDOT` … `Z_DDOT`
    /// (the hot path).
    private mutating func ephemeris(_ ephemeris: Ephemeris, depth: Int) {
        let stride = ephemeris.stride
        let openTags = XMLEmitter.stateOpenTags
        let closeTags = XMLEmitter.stateCloseTags
        ephemeris.components.withUnsafeBufferPointer { components in
            var base = 0
            for epoch in ephemeris.epochs {
                indent(depth)
                sink.ascii("<stateVector>\n")
                indent(depth + 1)
                sink.ascii("<EPOCH>")
                sink.epoch(epoch)
                sink.ascii("</EPOCH>\n")
                for index in 0..<stride {
                    indent(depth + 1)
                    sink.bytes.append(contentsOf: openTags[index])
                    sink.real(components[base + index])
                    sink.bytes.append(contentsOf: closeTags[index])
                }
                indent(depth)
                sink.ascii("</stateVector>\n")
                base += stride
            }
        }
    }

    /// `<X units="km">` … `<Z_DDOT units="km/s**2">`.
    static let stateOpenTags: [[UInt8]] = {
        let names = ["X", "Y", "Z", "X_DOT", "Y_DOT", "Z_DOT", "X_DDOT", "Y_DDOT", "Z_DDOT"]
        let units = ["km", "km", "km", "km/s", "km/s", "km/s", "km/s**2", "km/s**2", "km/s**2"]
        return zip(names, units).map { Array("<\($0) units=\"\($1)\">".utf8) }
    }()

    /// `</X>\n` … `</Z_DDOT>\n`.
    static let stateCloseTags: [[UInt8]] = ["X", "Y", "Z", "X_DOT", "Y_DOT", "Z_DOT", "X_DDOT", "Y_DDOT", "Z_DDOT"].map
    {
        Array("</\($0)>\n".utf8)
    }

    /// TDM observations: `<observation><EPOCH>…</EPOCH><KEYWORD>value</KEYWORD></observation>`.
    private mutating func observations(_ observations: [Observation], depth: Int) {
        var lastKeyword = ""
        var unit: String?
        for observation in observations {
            if observation.keyword != lastKeyword {
                lastKeyword = observation.keyword
                let definition = MessageSpec.tdmDataKeywords[lastKeyword]
                unit = definition.flatMap { $0.xmlUnitsAttribute ? $0.units.first : nil }
                // NDM/XML 1.0 gives RHUMIDITY no units attribute (`percentType`); 2.0.0 and 4.0.0 do.
                if schemaSet == .v1, lastKeyword == "RHUMIDITY" { unit = nil }
            }
            indent(depth)
            sink.ascii("<observation>\n")
            indent(depth + 1)
            sink.ascii("<EPOCH>")
            sink.epoch(observation.epoch)
            sink.ascii("</EPOCH>\n")
            element(observation.keyword, observation.value, unit: unit, depth: depth + 1)
            indent(depth)
            sink.ascii("</observation>\n")
        }
    }

    // MARK: - Elements

    private mutating func comments(_ comments: [String], depth: Int) {
        for comment in comments {
            indent(depth)
            sink.ascii("<COMMENT>")
            escaped(comment, keyword: "COMMENT")
            sink.ascii("</COMMENT>\n")
        }
    }

    /// `<KEYWORD units="unit">value</KEYWORD>`.
    private mutating func element(_ name: String, _ value: Value, unit: String?, depth: Int) {
        indent(depth)
        sink.byte(UInt8(ascii: "<"))
        sink.text(name)
        if let unit {
            sink.ascii(" units=\"")
            escaped(unit)
            sink.byte(UInt8(ascii: "\""))
        }
        sink.byte(UInt8(ascii: ">"))
        self.value(value, keyword: name)
        sink.ascii("</")
        sink.text(name)
        sink.ascii(">\n")
    }

    private mutating func value(_ value: Value, keyword: String) {
        switch value {
        case .text(let text): escaped(text, keyword: keyword)
        case .real(let number): sink.real(number)
        case .integer(let number): sink.integer(number)
        case .epoch(let epoch): sink.epoch(epoch)
        case .vector(let numbers): sink.vector(numbers)
        }
    }

    private mutating func open(_ name: String, depth: Int) {
        indent(depth)
        sink.byte(UInt8(ascii: "<"))
        sink.text(name)
        sink.ascii(">\n")
    }

    private mutating func close(_ name: String, depth: Int) {
        indent(depth)
        sink.ascii("</")
        sink.text(name)
        sink.ascii(">\n")
    }

    @inline(__always) private mutating func indent(_ depth: Int) {
        sink.spaces(2 * depth)
    }

    /// Text with `&`, `<`, `>`, `"` and `'` escaped. Control characters other than tab, line feed and carriage
    /// return cannot appear in XML 1.0: they are reported.
    private mutating func escaped(_ text: String, keyword: String? = nil) {
        let needsWork = text.utf8.contains { byte in
            byte < 0x20 || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
                || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
        }
        guard needsWork else {
            sink.text(text)
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): sink.ascii("&amp;")
            case UInt8(ascii: "<"): sink.ascii("&lt;")
            case UInt8(ascii: ">"): sink.ascii("&gt;")
            case UInt8(ascii: "\""): sink.ascii("&quot;")
            case UInt8(ascii: "'"): sink.ascii("&apos;")
            case 0x09: sink.ascii("&#9;")
            case 0x0A: sink.ascii("&#10;")
            case 0x0D: sink.ascii("&#13;")
            case ..<0x20:
                sink.byte(0x20)
                diagnostics.append(
                    Diagnostic(
                        .error, .notRepresentable,
                        "\(keyword ?? "a value") holds control character "
                            + "U+\(String(byte, radix: 16, uppercase: true)), which XML 1.0 cannot carry",
                        keyword: keyword))
            default: sink.byte(byte)
            }
        }
    }
}
