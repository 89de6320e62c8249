/// Typed reading of one row of the GP CSV (`OMMCSV`): cells by column name, problems located at the cell.
struct GPCSVRowReader {
    /// The CSV being read.
    let records: GPCSVRecords
    /// The row's cells.
    let fields: [GPCSVRecords.FieldRange]
    /// Column name → position, from the header.
    let index: [String: Int]
    /// Strict or lenient reading.
    let strictness: Strictness
    /// Problems found in the row.
    var diagnostics: [Diagnostic] = []
    /// Whether the row has an error.
    var failed = false

    /// Prepares to read one row.
    init(records: GPCSVRecords, fields: [GPCSVRecords.FieldRange], index: [String: Int], strictness: Strictness) {
        self.records = records
        self.fields = fields
        self.index = index
        self.strictness = strictness
    }

    /// `text` without surrounding blanks.
    static func trim(_ text: String) -> String {
        var slice = Substring(text)
        while slice.first == " " || slice.first == "\t" { slice.removeFirst() }
        while slice.last == " " || slice.last == "\t" { slice.removeLast() }
        return String(slice)
    }

    /// Records an error at a cell.
    mutating func error(
        _ field: GPCSVRecords.FieldRange, _ code: Diagnostic.Code, _ message: String, _ keyword: String?
    ) {
        failed = true
        diagnostics.append(
            Diagnostic(
                .error, code, message, at: SourceLocation(line: field.line, column: field.column),
                keyword: keyword))
    }

    /// Records a warning at a cell.
    mutating func warning(_ field: GPCSVRecords.FieldRange, _ code: Diagnostic.Code, _ message: String) {
        diagnostics.append(
            Diagnostic(.warning, code, message, at: SourceLocation(line: field.line, column: field.column)))
    }

    /// The cell of `column`, nil when the column is absent from the header or the row is short.
    private mutating func cell(_ column: String) -> GPCSVRecords.FieldRange? {
        guard let position = index[column] else { return nil }
        guard position < fields.count else {
            if !failed, let last = fields.last {
                error(last, .missingKeyword, "the row ends before column \(column)", column)
            }
            return nil
        }
        return fields[position]
    }

    /// The bytes of a required, non-empty cell.
    private mutating func filled(_ column: String) -> (GPCSVRecords.FieldRange, UnsafeBufferPointer<UInt8>)? {
        guard let field = cell(column) else { return nil }
        let bytes = records.trimmed(field)
        if bytes.isEmpty {
            error(field, .missingKeyword, "\(column) is empty; a GP CSV row needs it", column)
            return nil
        }
        return (field, bytes)
    }

    /// A text cell (nil when the column is absent; empty cells are errors when `required`).
    mutating func text(_ column: String, required: Bool = true) -> String? {
        guard let field = cell(column) else { return nil }
        let text = GPCSVRowReader.trim(records.text(field))
        if text.isEmpty, required {
            error(field, .missingKeyword, "\(column) is empty; a GP CSV row needs it", column)
            return nil
        }
        return text
    }

    /// A real cell.
    mutating func real(_ column: String) -> Double? {
        guard let (field, bytes) = filled(column) else { return nil }
        guard let value = NumberScanner.double(bytes) else {
            error(
                field, .invalidValue,
                "\(column) is '\(String(decoding: bytes, as: UTF8.self))'; expected a number such as 15.72125391",
                column)
            return nil
        }
        return value
    }

    /// An integer cell.
    mutating func integer(_ column: String) -> Int? {
        guard let (field, bytes) = filled(column) else { return nil }
        guard let value = NumberScanner.integer(bytes) else {
            error(
                field, .invalidValue,
                "\(column) is '\(String(decoding: bytes, as: UTF8.self))'; expected a whole number", column)
            return nil
        }
        return value
    }

    /// An epoch cell.
    mutating func epoch(_ column: String, required: Bool = true) -> CCSDSEpoch? {
        guard index[column] != nil || required else { return nil }
        guard let (field, bytes) = filled(column) else { return nil }
        switch NumberScanner.epoch(bytes) {
        case .success(let epoch): return epoch
        case .failure(let problem):
            let detail: String
            switch problem {
            case .malformed: detail = "expected YYYY-MM-DDThh:mm:ss.ffffff"
            case .outOfRange(let part): detail = "its \(part) is out of range"
            }
            error(
                field, .invalidValue, "\(column) is '\(String(decoding: bytes, as: UTF8.self))'; \(detail)", column)
            return nil
        }
    }

    /// Checks an optional column that must hold `expected` when present.
    private mutating func check(_ column: String, _ expected: String) {
        guard index[column] != nil, let value = text(column, required: false), !value.isEmpty else { return }
        if value.uppercased() != expected, let field = cell(column) {
            error(
                field, .consistency,
                "\(column) is \(value); a GP CSV row describes a TLE-based OMM with \(column) = \(expected)", column)
        }
    }

    /// The OMM of the row, or nil when it has an error.
    mutating func message(creationDate: CCSDSEpoch, originator: String, version: String) -> Message? {
        let objectName = text("OBJECT_NAME")
        var objectID = text("OBJECT_ID", required: false)
        if objectID?.isEmpty ?? false { objectID = GPElements.unknown }  // see appendRow
        let epoch = epoch("EPOCH")
        let meanMotion = real("MEAN_MOTION")
        let eccentricity = real("ECCENTRICITY")
        let inclination = real("INCLINATION")
        let rightAscension = real("RA_OF_ASC_NODE")
        let argument = real("ARG_OF_PERICENTER")
        let anomaly = real("MEAN_ANOMALY")
        let ephemerisType = integer("EPHEMERIS_TYPE")
        let classification = text("CLASSIFICATION_TYPE")
        let norad = integer("NORAD_CAT_ID")
        let elementSet = integer("ELEMENT_SET_NO")
        let revolution = integer("REV_AT_EPOCH")
        let bstar = real("BSTAR")
        let dot = real("MEAN_MOTION_DOT")
        let ddot = real("MEAN_MOTION_DDOT")
        check("CENTER_NAME", "EARTH")
        check("REF_FRAME", "TEME")
        check("TIME_SYSTEM", "UTC")
        var theory = ephemerisType == 4 ? "SGP4-XP" : "SGP4"
        if let written = text("MEAN_ELEMENT_THEORY", required: false), !written.isEmpty {
            if GPElements.theories.contains(written.uppercased()) {
                theory = written.uppercased()
            } else if let field = cell("MEAN_ELEMENT_THEORY") {
                error(
                    field, .consistency,
                    "MEAN_ELEMENT_THEORY is \(written); a GP CSV row holds SGP4 or SGP4-XP mean elements",
                    "MEAN_ELEMENT_THEORY")
            }
        }
        let created = self.epoch("CREATION_DATE", required: false) ?? creationDate
        var origin = originator
        if let written = text("ORIGINATOR", required: false), !written.isEmpty { origin = written }
        var messageVersion = version
        if let written = text("CCSDS_OMM_VERS", required: false), !written.isEmpty { messageVersion = written }

        guard !failed, let objectName, let objectID, let epoch, let meanMotion, let eccentricity, let inclination,
            let rightAscension, let argument, let anomaly, let ephemerisType, let classification, let norad,
            let elementSet, let revolution, let bstar, let dot, let ddot
        else { return nil }
        let elements = GPElements(
            objectName: objectName, objectID: objectID, meanElementTheory: theory, epoch: epoch,
            meanMotion: meanMotion, eccentricity: eccentricity, inclination: inclination,
            rightAscension: rightAscension, argumentOfPericenter: argument, meanAnomaly: anomaly,
            ephemerisType: ephemerisType, classification: classification, noradCatalogueID: norad,
            elementSetNumber: elementSet, revolutionAtEpoch: revolution, bstar: bstar, meanMotionDot: dot,
            meanMotionDdot: ddot)
        return elements.message(creationDate: created, originator: origin, version: messageVersion)
    }
}
