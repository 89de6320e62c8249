/// Writes a message in any of the three encodings.
///
/// The writers walk the message's `MessageSpec`: keywords come out in the standard's order whatever the order of
/// `Block.fields`, nested blocks in the order of the specification (instances of a repeated block in model order).
/// Before writing, the message is checked against the target version: a keyword that the version does not have, a
/// keyword or block the specification does not know, or a number that is not finite cannot be written, and the
/// writer throws a `ValidationError` naming every such problem. Required keywords are not checked: writing a message
/// that lacks one produces a message that the readers reject (validate first when in doubt).
public enum MessageWriter {
    /// Encodes `message` as `encoding`, in format `version` (default: the current version of the message type,
    /// `MessageSpec.of(message.type).currentVersion`, whatever version the message was read in).
    ///
    /// `version` must be one of the versions of the message type (`MessageSpec.versions`). Older versions may lack
    /// keywords (ODM 2.0 has no `CLASSIFICATION`, `MESSAGE_ID`, `BTERM`, `AGOM`; TDM 1.0 has no `MESSAGE_ID`,
    /// `DATA_TYPES`, phase counts …): a message using one throws a `.notRepresentable` diagnostic that names it.
    /// NDM/XML is written for the current versions, for ODM 2.0 (OEM, OPM, OMM; NDM/XML 2.0.0 schemas) and for
    /// TDM 1.0 (NDM/XML 1.0 schemas); other versions are written in KVN and JSON only.
    ///
    /// JSON output carries the target version in the message it encodes.
    public static func write(
        _ message: Message, as encoding: Encoding, version: String? = nil
    ) throws(ValidationError) -> [UInt8] {
        let plan = try WritePlan(message, version: version, encoding: encoding)
        switch encoding {
        case .kvn:
            return try KVNWriter.write(message, plan: plan)
        case .xml:
            return try XMLWriter.write(message, plan: plan)
        case .json:
            var copy = message
            copy.version = plan.version
            return JSONMessageWriter.write(copy)
        }
    }
}

/// What a writer writes: the target specification and version, checked against the message.
struct WritePlan {
    /// The message type's specification.
    let spec: MessageSpec
    /// The version written (`"3.0"` …).
    let version: String
    /// The version as a number, for `KeywordSpec.exists(in:)`.
    let versionNumber: Double

    /// The NDM/XML schema set a version is written against.
    enum XMLSchemaSet {
        /// NDM/XML 4.0.0 (CCSDS 505.0-B-3): ODM 3.0, CDM 1.0, TDM 2.0.
        case v4
        /// NDM/XML 2.0.0: ODM 2.0.
        case v2
        /// NDM/XML 1.0: TDM 1.0.
        case v1
    }

    /// The NDM/XML schema set for this type and version, nil when Essor cannot write the version in XML.
    var xmlSchemaSet: XMLSchemaSet? {
        if version == spec.currentVersion { return .v4 }
        switch (spec.type, version) {
        case (.oem, "2.0"), (.opm, "2.0"), (.omm, "2.0"): return .v2
        case (.tdm, "1.0"): return .v1
        default: return nil
        }
    }

    /// The older version written in XML, as text to append to the current one.
    private static func olderXMLVersion(_ type: MessageType) -> String {
        switch type {
        case .oem, .opm, .omm: " and 2.0"
        case .tdm: " and 1.0"
        case .cdm: ""
        }
    }

    /// Checks `message` against the target version; throws every problem that prevents writing it.
    init(_ message: Message, version requested: String?, encoding: Encoding) throws(ValidationError) {
        spec = MessageSpec.of(message.type)
        version = requested ?? spec.currentVersion
        versionNumber = Double(version) ?? 0
        let name = "\(spec.type.rawValue) \(version)"
        guard spec.versions.contains(version) else {
            throw ValidationError([
                Diagnostic(
                    .error, .unsupportedMessage,
                    "\(spec.type.rawValue) version \(version) cannot be written; the versions are "
                        + spec.versions.joined(separator: ", "), keyword: spec.type.versionKeyword)
            ])
        }
        if encoding == .xml, xmlSchemaSet == nil {
            throw ValidationError([
                Diagnostic(
                    .error, .notRepresentable,
                    "\(name) cannot be written in XML: Essor writes NDM/XML for \(spec.type.rawValue) "
                        + "\(spec.currentVersion)\(Self.olderXMLVersion(spec.type))",
                    keyword: spec.type.versionKeyword)
            ])
        }
        var checker = WriteChecker(versionNumber: versionNumber, messageName: name)
        checker.check(message.header, spec.header)
        if let relative = message.relativeMetadata {
            if let relativeSpec = spec.relativeMetadata {
                checker.check(relative, relativeSpec)
            } else {
                checker.fail(.structure, "a \(spec.type.rawValue) has no relative metadata; it cannot be written", nil)
            }
        }
        for segment in message.segments {
            checker.check(segment.metadata, spec.metadata)
            checker.check(segment.data, spec.data)
            if !segment.ephemeris.isEmpty {
                if spec.bulk == .ephemeris {
                    if !segment.ephemeris.components.allSatisfy(\.isFinite) {
                        checker.fail(.notRepresentable, "an ephemeris line holds a number that is not finite", "EPOCH")
                    }
                } else {
                    checker.fail(
                        .structure, "a \(spec.type.rawValue) has no ephemeris lines; they cannot be written", nil)
                }
            }
            if !segment.observations.isEmpty {
                if spec.bulk == .observations {
                    checker.checkObservations(segment.observations)
                } else {
                    checker.fail(.structure, "a \(spec.type.rawValue) has no tracking data; it cannot be written", nil)
                }
            }
        }
        if encoding == .xml, xmlSchemaSet == .v2 {
            checker.checkODM2XMLRequirements(message)
        }
        if !checker.diagnostics.isEmpty { throw ValidationError(checker.diagnostics) }
    }
}

/// The checks made before writing.
private struct WriteChecker {
    let versionNumber: Double
    let messageName: String
    var diagnostics: [Diagnostic] = []
    /// TDM data keywords already reported (each is reported once per message).
    private var reported: Set<String> = []

    init(versionNumber: Double, messageName: String) {
        self.versionNumber = versionNumber
        self.messageName = messageName
    }

    mutating func fail(_ code: Diagnostic.Code, _ message: String, _ keyword: String?) {
        diagnostics.append(Diagnostic(.error, code, message, keyword: keyword))
    }

    /// Every field of `block` (and of its nested blocks) must be a keyword of `spec` that exists in the target
    /// version, given once, with a writable value; every nested block must be one `spec` allows, no more often than
    /// allowed.
    mutating func check(_ block: Block, _ spec: BlockSpec) {
        if !block.comments.isEmpty, !spec.allowsComments {
            fail(.notRepresentable, "\(spec.name) cannot carry COMMENT lines", "COMMENT")
        }
        for (index, field) in block.fields.enumerated() {
            let keyword = field.keyword
            if let keywordSpec = spec.keyword(keyword) {
                if !keywordSpec.exists(in: versionNumber) {
                    fail(
                        .notRepresentable,
                        "\(keyword) is not part of \(messageName); it cannot be written in that version", keyword)
                }
            } else if let prefix = spec.userDefinedPrefix, keyword.hasPrefix(prefix),
                keyword.utf8.count > prefix.utf8.count,
                isKeyword(keyword)
            {
                // A user-defined parameter.
            } else {
                fail(
                    .unknownKeyword,
                    "\(keyword) is not a keyword of the \(messageName) \(spec.name); it cannot be written", keyword)
                continue
            }
            if !field.value.isWritable {
                fail(.notRepresentable, "\(keyword) is not a finite number; it cannot be written", keyword)
            }
            if block.fields[..<index].contains(where: { $0.keyword == keyword }) {
                fail(.duplicateKeyword, "\(keyword) is given twice in \(spec.name)", keyword)
            }
        }
        var counts: [String: Int] = [:]
        for child in block.children {
            guard let (childSpec, max) = Self.member(child.name, of: spec) else {
                fail(
                    .structure,
                    "a \(child.name) block is not part of the \(messageName) \(spec.name); it cannot be written", nil)
                continue
            }
            counts[child.name, default: 0] += 1
            if let max, counts[child.name]! == max + 1 {
                fail(.structure, "\(spec.name) holds at most \(max) \(child.name) block\(max == 1 ? "" : "s")", nil)
            }
            check(child, childSpec)
        }
    }

    /// TDM observations: data keywords of the target version with writable values.
    mutating func checkObservations(_ observations: [Observation]) {
        for observation in observations {
            let keyword = observation.keyword
            guard !reported.contains(keyword) else { continue }
            guard let definition = MessageSpec.tdmDataKeywords[keyword] else {
                reported.insert(keyword)
                fail(.unknownKeyword, "\(keyword) is not a TDM data keyword; it cannot be written", keyword)
                continue
            }
            if !definition.exists(in: versionNumber) {
                reported.insert(keyword)
                fail(
                    .notRepresentable, "\(keyword) is not part of \(messageName); it cannot be written in that version",
                    keyword)
            }
            if !observation.value.isWritable {
                reported.insert(keyword)
                fail(
                    .notRepresentable, "a \(keyword) measurement is not a finite number; it cannot be written", keyword)
            }
        }
    }

    /// NDM/XML 2.0.0 makes mandatory what ODM 3.0 made optional: all spacecraft parameters (OPM, OMM), the TLE
    /// identification and the three TLE drag terms (OMM); and a maneuver must lose mass (`deltamassType`: < 0).
    mutating func checkODM2XMLRequirements(_ message: Message) {
        let spacecraft = ["MASS", "SOLAR_RAD_AREA", "SOLAR_RAD_COEFF", "DRAG_AREA", "DRAG_COEFF"]
        let tle = ["NORAD_CAT_ID", "ELEMENT_SET_NO", "REV_AT_EPOCH", "BSTAR", "MEAN_MOTION_DOT", "MEAN_MOTION_DDOT"]
        for segment in message.segments {
            for child in segment.data.children {
                let required: [String]
                switch child.name {
                case "spacecraftParameters": required = spacecraft
                case "tleParameters": required = tle
                case "maneuverParameters":
                    if let mass = child["MAN_DELTA_MASS"]?.double, mass >= 0 {
                        fail(
                            .notRepresentable, "MAN_DELTA_MASS must be negative in \(messageName) XML (found \(mass))",
                            "MAN_DELTA_MASS")
                    }
                    continue
                default: continue
                }
                for keyword in required where child[keyword] == nil {
                    fail(.notRepresentable, "\(messageName) XML requires \(keyword) in \(child.name)", keyword)
                }
            }
        }
    }

    /// The nested block named `name` among the members of `spec`, with its maximum count.
    static func member(_ name: String, of spec: BlockSpec) -> (BlockSpec, Int?)? {
        for case .block(let child, _, let max) in spec.members where child.name == name { return (child, max) }
        return nil
    }

    /// Whether `text` is a KVN keyword: A–Z, 0–9, `_`.
    private func isKeyword(_ text: String) -> Bool {
        text.utf8.allSatisfy { ($0 &- 65 < 26) || ($0 &- 48 < 10) || $0 == 95 }
    }
}

extension BlockSpec {
    /// The KVN keyword width of a block: the longest keyword among its fields and those of its nested blocks.
    static func keywordWidth(of block: Block) -> Int {
        var width = 0
        for field in block.fields { width = max(width, field.keyword.utf8.count) }
        for child in block.children { width = max(width, keywordWidth(of: child)) }
        return width
    }
}
