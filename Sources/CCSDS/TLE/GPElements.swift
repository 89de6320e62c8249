/// The values a TLE-based OMM carries — the "general perturbations" (GP) element set of Space-Track and CelesTrak
/// — as one flat record: the hub between `TLE`, the OMM `Message` and the GP CSV format.
///
/// OMM side: CCSDS 502.0-B-3 §4.2.4.6 (a TLE-based OMM has CENTER_NAME = EARTH, REF_FRAME = TEME,
/// TIME_SYSTEM = UTC, MEAN_MOTION rather than SEMI_MAJOR_AXIS), §4.2.4.7 (EPHEMERIS_TYPE, CLASSIFICATION_TYPE and
/// the ÷2, ÷6 derivatives) and Table 4-3; block and element names and their order follow the NDM/XML 4.0.0 XSD
/// `ndmxml-4.0.0-omm-3.0.xsd` (`meanElementsType`, `tleParametersType`).
struct GPElements: Sendable, Equatable {
    var objectName: String
    var objectID: String
    var meanElementTheory: String
    var epoch: CCSDSEpoch
    var meanMotion: Double
    var eccentricity: Double
    var inclination: Double
    var rightAscension: Double
    var argumentOfPericenter: Double
    var meanAnomaly: Double
    var ephemerisType: Int
    var classification: String
    var noradCatalogueID: Int
    var elementSetNumber: Int
    var revolutionAtEpoch: Int
    var bstar: Double
    var meanMotionDot: Double
    var meanMotionDdot: Double

    /// OBJECT_NAME (and OBJECT_ID) written when a TLE has no name (no designator).
    static let unknown = "UNKNOWN"

    /// MEAN_ELEMENT_THEORY values a TLE can carry: SGP4, SGP4-XP (ephemeris type 4), and `SGP/SGP4`, which the
    /// examples of CCSDS 502.0-B-3 Annex G use for a TLE-based OMM.
    static let theories = ["SGP4", "SGP4-XP", "SGP/SGP4"]

    /// The metadata keywords, in XSD `ommMetadata` order.
    static let metadataKeywords = [
        "OBJECT_NAME", "OBJECT_ID", "CENTER_NAME", "REF_FRAME", "TIME_SYSTEM", "MEAN_ELEMENT_THEORY",
    ]
    /// The `meanElements` keywords used, in XSD `meanElementsType` order.
    static let meanElementsKeywords = [
        "EPOCH", "MEAN_MOTION", "ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE", "ARG_OF_PERICENTER", "MEAN_ANOMALY",
    ]
    /// The `tleParameters` keywords used, in XSD `tleParametersType` order.
    static let tleParametersKeywords = [
        "EPHEMERIS_TYPE", "CLASSIFICATION_TYPE", "NORAD_CAT_ID", "ELEMENT_SET_NO", "REV_AT_EPOCH", "BSTAR",
        "MEAN_MOTION_DOT", "MEAN_MOTION_DDOT",
    ]

    /// The OMM: header (CREATION_DATE, ORIGINATOR), metadata, data with `meanElements` and `tleParameters`.
    func message(creationDate: CCSDSEpoch, originator: String, version: String) -> Message {
        let header = Block(
            name: "header",
            fields: [Field("CREATION_DATE", .epoch(creationDate)), Field("ORIGINATOR", .text(originator))])
        let metadata = Block(
            name: "metadata",
            fields: [
                Field("OBJECT_NAME", .text(objectName)),
                Field("OBJECT_ID", .text(objectID)),
                Field("CENTER_NAME", .text("EARTH")),
                Field("REF_FRAME", .text("TEME")),
                Field("TIME_SYSTEM", .text("UTC")),
                Field("MEAN_ELEMENT_THEORY", .text(meanElementTheory)),
            ])
        let meanElements = Block(
            name: "meanElements",
            fields: [
                Field("EPOCH", .epoch(epoch)),
                Field("MEAN_MOTION", .real(meanMotion)),
                Field("ECCENTRICITY", .real(eccentricity)),
                Field("INCLINATION", .real(inclination)),
                Field("RA_OF_ASC_NODE", .real(rightAscension)),
                Field("ARG_OF_PERICENTER", .real(argumentOfPericenter)),
                Field("MEAN_ANOMALY", .real(meanAnomaly)),
            ])
        let tleParameters = Block(
            name: "tleParameters",
            fields: [
                Field("EPHEMERIS_TYPE", .integer(ephemerisType)),
                Field("CLASSIFICATION_TYPE", .text(classification)),
                Field("NORAD_CAT_ID", .integer(noradCatalogueID)),
                Field("ELEMENT_SET_NO", .integer(elementSetNumber)),
                Field("REV_AT_EPOCH", .integer(revolutionAtEpoch)),
                Field("BSTAR", .real(bstar)),
                Field("MEAN_MOTION_DOT", .real(meanMotionDot)),
                Field("MEAN_MOTION_DDOT", .real(meanMotionDdot)),
            ])
        return Message(
            type: .omm, version: version, header: header,
            segments: [
                Segment(metadata: metadata, data: Block(name: "data", children: [meanElements, tleParameters]))
            ])
    }

    /// Reads the GP values of an OMM, checking that it is TLE-based. Errors (code `notRepresentable`,
    /// `missingKeyword`, `invalidValue` or `unsupportedMessage`) mean the values cannot be carried; warnings
    /// name content that is dropped (comments, covariance, spacecraft and user-defined parameters, GM other than
    /// SGP4's WGS-72 value) or defaults that were applied.
    static func extract(from message: Message) -> (elements: GPElements?, diagnostics: [Diagnostic]) {
        var reader = GPBlockReader()
        guard message.type == .omm else {
            reader.error(.unsupportedMessage, "the message is an \(message.type.rawValue), not an OMM", nil)
            return (nil, reader.diagnostics)
        }
        guard message.segments.count == 1 else {
            reader.error(.structure, "an OMM has exactly one segment; this one has \(message.segments.count)", nil)
            return (nil, reader.diagnostics)
        }
        let segment = message.segments[0]
        let metadata = segment.metadata
        let data = segment.data
        let meanElements = data.child("meanElements") ?? data
        let tleParameters = data.child("tleParameters") ?? data

        // Metadata: CCSDS 502.0-B-3 §4.2.4.6.
        let objectName = reader.text(metadata, "OBJECT_NAME") ?? unknown
        let objectID = reader.text(metadata, "OBJECT_ID") ?? unknown
        reader.require(metadata, "CENTER_NAME", equals: ["EARTH"], why: "a TLE describes an Earth orbit")
        reader.require(metadata, "REF_FRAME", equals: ["TEME"], why: "TLE elements are in TEME of date")
        reader.require(metadata, "TIME_SYSTEM", equals: ["UTC"], why: "a TLE epoch is UTC")
        let theory = reader.require(
            metadata, "MEAN_ELEMENT_THEORY", equals: theories, why: "a TLE holds SGP4 mean elements")
        if metadata["REF_FRAME_EPOCH"] != nil {
            reader.warning("REF_FRAME_EPOCH is not carried by a TLE (TEME of date is implied)", "REF_FRAME_EPOCH")
        }

        // Mean elements.
        if meanElements["SEMI_MAJOR_AXIS"] != nil {
            reader.error(
                .notRepresentable,
                "SEMI_MAJOR_AXIS cannot be carried: a TLE holds the SGP4 (Kozai) MEAN_MOTION in rev/day",
                "SEMI_MAJOR_AXIS")
        }
        let epoch = reader.epoch(meanElements, "EPOCH")
        let meanMotion = reader.real(meanElements, "MEAN_MOTION", required: meanElements["SEMI_MAJOR_AXIS"] == nil)
        let eccentricity = reader.real(meanElements, "ECCENTRICITY")
        let inclination = reader.real(meanElements, "INCLINATION")
        let rightAscension = reader.real(meanElements, "RA_OF_ASC_NODE")
        let argument = reader.real(meanElements, "ARG_OF_PERICENTER")
        let anomaly = reader.real(meanElements, "MEAN_ANOMALY")
        if let gm = meanElements["GM"]?.double, gm != 398_600.8 {
            reader.warning(
                "GM = \(gm) km**3/s**2 is not carried: SGP4 uses the WGS-72 value 398600.8", "GM")
        }

        // TLE parameters: defaults of CCSDS 502.0-B-3 Table 4-3.
        if tleParameters["BTERM"] != nil || tleParameters["AGOM"] != nil {
            let keyword = tleParameters["BTERM"] != nil ? "BTERM" : "AGOM"
            reader.error(
                .notRepresentable,
                "\(keyword) cannot be carried: the TLE fields hold BSTAR and MEAN_MOTION_DDOT", keyword)
        }
        let writtenType = reader.integer(tleParameters, "EPHEMERIS_TYPE", required: false)
        let ephemerisType: Int? =
            tleParameters["EPHEMERIS_TYPE"] == nil ? (theory == "SGP4-XP" ? 4 : 0) : writtenType
        if theory == "SGP4-XP", let writtenType, writtenType != 4 {
            reader.warning(
                "MEAN_ELEMENT_THEORY is SGP4-XP but EPHEMERIS_TYPE is \(writtenType); SGP4-XP sets have type 4",
                "EPHEMERIS_TYPE")
        }
        let classification = reader.text(tleParameters, "CLASSIFICATION_TYPE", required: false) ?? "U"
        let norad = reader.integer(tleParameters, "NORAD_CAT_ID")
        var elementSet = reader.integer(tleParameters, "ELEMENT_SET_NO", required: false)
        if elementSet == nil, tleParameters["ELEMENT_SET_NO"] == nil {
            reader.warning("ELEMENT_SET_NO is absent; 999 is used", "ELEMENT_SET_NO")
            elementSet = 999
        }
        var revolution = reader.integer(tleParameters, "REV_AT_EPOCH", required: false)
        if revolution == nil, tleParameters["REV_AT_EPOCH"] == nil {
            reader.warning("REV_AT_EPOCH is absent; 0 is used", "REV_AT_EPOCH")
            revolution = 0
        }
        let bstar = reader.real(tleParameters, "BSTAR", required: tleParameters["BTERM"] == nil)
        let dot = reader.real(tleParameters, "MEAN_MOTION_DOT")
        let ddot = reader.real(tleParameters, "MEAN_MOTION_DDOT", required: tleParameters["AGOM"] == nil)

        // Content with no place in a TLE or the GP CSV.
        for child in data.children where child.name != "meanElements" && child.name != "tleParameters" {
            reader.warning("the \(child.name) block is not carried (a TLE has no place for it)", nil)
        }
        let commented =
            !metadata.comments.isEmpty || !data.comments.isEmpty || data.children.contains { !$0.comments.isEmpty }
        if commented { reader.warning("COMMENT lines are not carried", "COMMENT") }

        guard !reader.failed, let epoch, let meanMotion, let eccentricity, let inclination, let rightAscension,
            let argument, let anomaly, let ephemerisType, let norad, let elementSet, let revolution, let bstar,
            let dot, let ddot, let theory
        else { return (nil, reader.diagnostics) }
        return (
            GPElements(
                objectName: objectName, objectID: objectID, meanElementTheory: theory, epoch: epoch,
                meanMotion: meanMotion, eccentricity: eccentricity, inclination: inclination,
                rightAscension: rightAscension, argumentOfPericenter: argument, meanAnomaly: anomaly,
                ephemerisType: ephemerisType, classification: classification, noradCatalogueID: norad,
                elementSetNumber: elementSet, revolutionAtEpoch: revolution, bstar: bstar, meanMotionDot: dot,
                meanMotionDdot: ddot),
            reader.diagnostics
        )
    }
}

/// Typed reading of keywords from a `Block` built in memory, with diagnostics (no source location).
struct GPBlockReader {
    /// Problems found.
    var diagnostics: [Diagnostic] = []
    /// Whether an error was found.
    var failed = false

    /// Records an error.
    mutating func error(_ code: Diagnostic.Code, _ message: String, _ keyword: String?) {
        failed = true
        diagnostics.append(Diagnostic(.error, code, message, keyword: keyword))
    }

    /// Records a warning (code `notRepresentable`: something is dropped or defaulted).
    mutating func warning(_ message: String, _ keyword: String?) {
        diagnostics.append(Diagnostic(.warning, .notRepresentable, message, keyword: keyword))
    }

    /// Reports a missing keyword when `required`; returns the value.
    private mutating func value(_ block: Block, _ keyword: String, required: Bool) -> Value? {
        if let value = block[keyword] { return value }
        if required { error(.missingKeyword, "\(keyword) is absent; a TLE needs it", keyword) }
        return nil
    }

    /// A text value (numbers and epochs are accepted as their text).
    mutating func text(_ block: Block, _ keyword: String, required: Bool = true) -> String? {
        guard let value = value(block, keyword, required: required) else { return nil }
        switch value {
        case .text(let text): return text
        case .integer(let number): return String(number)
        case .real(let number): return String(number)
        case .epoch(let epoch): return epoch.description
        case .vector:
            error(.invalidValue, "\(keyword) holds several numbers; expected text", keyword)
            return nil
        }
    }

    /// A text value that must be one of `allowed` (compared in upper case); returns the upper-case value.
    @discardableResult
    mutating func require(_ block: Block, _ keyword: String, equals allowed: [String], why: String) -> String? {
        guard let text = text(block, keyword) else { return nil }
        let upper = text.uppercased()
        guard allowed.contains(upper) else {
            let expected = allowed.count == 1 ? allowed[0] : allowed.joined(separator: ", ")
            error(.notRepresentable, "\(keyword) is \(text); expected \(expected) (\(why))", keyword)
            return nil
        }
        return upper
    }

    /// A number (`real`, `integer`, or text that reads as a number).
    mutating func real(_ block: Block, _ keyword: String, required: Bool = true) -> Double? {
        guard let value = value(block, keyword, required: required) else { return nil }
        switch value {
        case .real(let number) where number.isFinite: return number
        case .integer(let number): return Double(number)
        case .text(var text):
            if let number = text.withUTF8({ NumberScanner.double($0) }) { return number }
        default: break
        }
        error(.invalidValue, "\(keyword) is not a finite number", keyword)
        return nil
    }

    /// A whole number (`integer`, a `real` with no fraction, or text that reads as an integer).
    mutating func integer(_ block: Block, _ keyword: String, required: Bool = true) -> Int? {
        guard let value = value(block, keyword, required: required) else { return nil }
        switch value {
        case .integer(let number): return number
        case .real(let number) where number.rounded() == number && abs(number) < 1e15: return Int(number)
        case .text(var text):
            if let number = text.withUTF8({ NumberScanner.integer($0) }) { return number }
        default: break
        }
        error(.invalidValue, "\(keyword) is not a whole number", keyword)
        return nil
    }

    /// An epoch (`epoch`, or text that reads as a CCSDS epoch).
    mutating func epoch(_ block: Block, _ keyword: String) -> CCSDSEpoch? {
        guard let value = value(block, keyword, required: true) else { return nil }
        switch value {
        case .epoch(let epoch): return epoch
        case .text(let text):
            if let epoch = CCSDSEpoch(text) { return epoch }
        default: break
        }
        error(.invalidValue, "\(keyword) is not a CCSDS epoch", keyword)
        return nil
    }
}
