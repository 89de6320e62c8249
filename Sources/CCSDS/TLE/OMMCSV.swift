/// The OMM "GP" CSV of Space-Track and CelesTrak: a header row naming the OMM keywords, then one TLE-based OMM
/// per row (CelesTrak, "A New Way to Obtain GP Data", https://celestrak.org/NORAD/documentation/gp-data-formats.php).
///
/// Written columns, in order: OBJECT_NAME, OBJECT_ID, EPOCH, MEAN_MOTION, ECCENTRICITY, INCLINATION,
/// RA_OF_ASC_NODE, ARG_OF_PERICENTER, MEAN_ANOMALY, EPHEMERIS_TYPE, CLASSIFICATION_TYPE, NORAD_CAT_ID,
/// ELEMENT_SET_NO, REV_AT_EPOCH, BSTAR, MEAN_MOTION_DOT, MEAN_MOTION_DDOT. Records end with CRLF (RFC 4180);
/// fields are quoted only when needed. OBJECT_ID `UNKNOWN` (a TLE with a blank designator) is written as an empty
/// cell, and an empty OBJECT_ID cell is read as `UNKNOWN`.
///
/// Compatibility with python-sgp4 (`sgp4.omm.parse_csv` + `sgp4.omm.initialize`, version 2.27): it reads rows with
/// `csv.DictReader`, so any RFC 4180 quoting works; it converts numbers with Python's `float` / `int` (so every
/// cell is filled: integers are written without a fraction, reals in Swift's shortest round-trip form, e.g.
/// `-1.1606e-05`), and it parses EPOCH with `strptime('%Y-%m-%dT%H:%M:%S.%f')` — calendar form, one to six fraction
/// digits, no `Z`. The writer therefore writes EPOCH in calendar form with exactly six fraction digits (rounded to
/// the microsecond, with a warning, when the epoch has more digits).
///
/// Reading accepts the columns in any order and ignores columns it does not use (Space-Track's full GP CSV adds
/// SEMIMAJOR_AXIS, PERIOD, TLE_LINE1 …; one warning lists them). CREATION_DATE, ORIGINATOR, CCSDS_OMM_VERS and
/// MEAN_ELEMENT_THEORY columns are used when present; CENTER_NAME, REF_FRAME and TIME_SYSTEM columns, when present,
/// must say EARTH, TEME and UTC, the values every row of a GP CSV implies.
public enum OMMCSV {
    /// The columns written, in order (the CelesTrak / Space-Track GP CSV header).
    public static let columns = [
        "OBJECT_NAME", "OBJECT_ID", "EPOCH", "MEAN_MOTION", "ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE",
        "ARG_OF_PERICENTER", "MEAN_ANOMALY", "EPHEMERIS_TYPE", "CLASSIFICATION_TYPE", "NORAD_CAT_ID",
        "ELEMENT_SET_NO", "REV_AT_EPOCH", "BSTAR", "MEAN_MOTION_DOT", "MEAN_MOTION_DDOT",
    ]

    /// Columns read when present, in addition to `columns`.
    static let optionalColumns = [
        "CCSDS_OMM_VERS", "CREATION_DATE", "ORIGINATOR", "CENTER_NAME", "REF_FRAME", "TIME_SYSTEM",
        "MEAN_ELEMENT_THEORY",
    ]

    // MARK: Writing

    /// Writes TLE-based OMMs as GP CSV. Messages that are not TLE-based OMMs (see `TLE.fromOMM`) are left out and
    /// reported; warnings name dropped content (comments, covariance …) and rounded epochs.
    public static func write(_ messages: [Message]) -> (text: String, diagnostics: [Diagnostic]) {
        var output = headerBytes()
        var diagnostics: [Diagnostic] = []
        for (index, message) in messages.enumerated() {
            let (elements, problems) = GPElements.extract(from: message)
            var all = problems
            if let elements {
                let (epoch, exact) = pythonEpoch(elements.epoch)
                if !exact {
                    all.append(
                        Diagnostic(
                            .warning, .notRepresentable,
                            "EPOCH \(elements.epoch) has more than six fraction digits; written as \(epoch) "
                                + "(python-sgp4 reads at most microseconds)",
                            keyword: "EPOCH"))
                }
                appendRow(elements, epoch: epoch, to: &output)
            }
            for var problem in all {
                problem.message = "message \(index + 1): " + problem.message
                diagnostics.append(problem)
            }
        }
        return (String(decoding: output, as: UTF8.self), diagnostics)
    }

    /// Writes element sets as GP CSV (exact: the epoch has microseconds, numbers their shortest round-trip form).
    public static func write(_ sets: [TLE]) -> String {
        var output = headerBytes()
        output.reserveCapacity(sets.count * 180 + output.count)
        for tle in sets {
            let elements = tle.gpElements
            appendRow(elements, epoch: elements.epoch, to: &output)
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The header row.
    private static func headerBytes() -> [UInt8] {
        var output = Array(columns.joined(separator: ",").utf8)
        output.append(13)
        output.append(10)
        return output
    }

    /// One row.
    private static func appendRow(_ elements: GPElements, epoch: CCSDSEpoch, to output: inout [UInt8]) {
        func separator() { output.append(UInt8(ascii: ",")) }
        func real(_ value: Double) {
            separator()
            output.append(contentsOf: String(value).utf8)
        }
        func integer(_ value: Int) {
            separator()
            output.append(contentsOf: String(value).utf8)
        }
        GPCSVRecords.appendField(elements.objectName, to: &output)
        separator()
        // A blank designator is OBJECT_ID UNKNOWN in the OMM but an empty cell here: python-sgp4 takes
        // OBJECT_ID[2:] as the TLE designator, and an empty cell gives the blank designator back.
        if elements.objectID != GPElements.unknown { GPCSVRecords.appendField(elements.objectID, to: &output) }
        separator()
        epoch.append(to: &output)
        real(elements.meanMotion)
        real(elements.eccentricity)
        real(elements.inclination)
        real(elements.rightAscension)
        real(elements.argumentOfPericenter)
        real(elements.meanAnomaly)
        integer(elements.ephemerisType)
        separator()
        GPCSVRecords.appendField(elements.classification, to: &output)
        integer(elements.noradCatalogueID)
        integer(elements.elementSetNumber)
        integer(elements.revolutionAtEpoch)
        real(elements.bstar)
        real(elements.meanMotionDot)
        real(elements.meanMotionDdot)
        output.append(13)
        output.append(10)
    }

    /// The epoch as python-sgp4 reads it: calendar form, six fraction digits, no `Z`, hour 24 moved to the next
    /// day; `exact` is false when digits beyond the microsecond were rounded away.
    static func pythonEpoch(_ epoch: CCSDSEpoch) -> (epoch: CCSDSEpoch, exact: Bool) {
        var digits = Array(epoch.fractionDigits.utf8)
        var exact = true
        var carry = false
        if digits.count > 6 {
            exact = digits[6...].allSatisfy { $0 == 48 }
            carry = digits[6] >= 53
            digits.removeSubrange(6...)
            var index = 5
            while carry, index >= 0 {
                if digits[index] == 57 {
                    digits[index] = 48
                    index -= 1
                } else {
                    digits[index] += 1
                    carry = false
                }
            }
        }
        while digits.count < 6 { digits.append(48) }
        var year = Int(epoch.year)
        var dayOfYear = epoch.dayOfYear
        var hour = Int(epoch.hour)
        var minute = Int(epoch.minute)
        var second = Int(epoch.second)
        if carry { second += 1 }
        if second >= 60, epoch.second < 60 || second > 60 {
            second -= 60
            minute += 1
        }
        if minute >= 60 {
            minute -= 60
            hour += 1
        }
        if hour >= 24 {
            hour -= 24
            dayOfYear += 1
            if dayOfYear > (CCSDSEpoch.isLeap(year) ? 366 : 365) {
                dayOfYear = 1
                year += 1
            }
        }
        let (month, day) = CCSDSEpoch.monthAndDay(year: year, dayOfYear: dayOfYear)
        let result = CCSDSEpoch(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second,
            fractionDigits: String(decoding: digits, as: UTF8.self), form: .calendar)
        return (result, exact)
    }

    // MARK: Reading

    /// Reads GP CSV into TLE-based OMMs, one per row. CSV has no header block: `creationDate` and `originator`
    /// fill CREATION_DATE and ORIGINATOR unless the CSV has those columns; `version` is the OMM version unless a
    /// CCSDS_OMM_VERS column gives it. Rows with errors are left out and reported with their line and column.
    ///
    /// In lenient mode, header names are matched without regard to case and blanks around them, and a row with
    /// more cells than the header is accepted (with a warning) when the extra cells are empty.
    public static func read(
        _ bytes: UnsafeBufferPointer<UInt8>, creationDate: CCSDSEpoch, originator: String, version: String = "3.0",
        strictness: Strictness = .strict
    ) -> (messages: [Message], diagnostics: [Diagnostic]) {
        var records = GPCSVRecords(bytes)
        var diagnostics: [Diagnostic] = []
        var messages: [Message] = []

        // Header.
        var header: [GPCSVRecords.FieldRange] = []
        while let (fields, _) = records.next() {
            if fields.isEmpty || (fields.count == 1 && records.trimmed(fields[0]).isEmpty) { continue }
            header = fields
            break
        }
        guard !header.isEmpty else {
            diagnostics.append(
                Diagnostic(
                    .error, .structure, "the CSV is empty; expected a header row naming the OMM keywords",
                    at: SourceLocation(line: 1, column: 1)))
            return ([], diagnostics)
        }
        var index: [String: Int] = [:]
        var ignored: [String] = []
        for (position, field) in header.enumerated() {
            var name = records.text(field)
            if strictness == .lenient { name = GPCSVRowReader.trim(name).uppercased() }
            if columns.contains(name) || optionalColumns.contains(name) {
                if index[name] != nil {
                    diagnostics.append(
                        Diagnostic(
                            .error, .duplicateKeyword, "column \(name) appears twice in the header",
                            at: SourceLocation(line: field.line, column: field.column), keyword: name))
                }
                index[name] = position
            } else {
                ignored.append(name)
            }
        }
        let missing = columns.filter { index[$0] == nil }
        if !missing.isEmpty {
            diagnostics.append(
                Diagnostic(
                    .error, .missingKeyword,
                    "the header lacks column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", ")); a GP "
                        + "CSV row needs all of \(columns.joined(separator: ","))",
                    at: SourceLocation(line: header[0].line, column: 1)))
        }
        if diagnostics.contains(where: { $0.severity == .error }) { return ([], diagnostics) }
        if !ignored.isEmpty {
            diagnostics.append(
                Diagnostic(
                    .warning, .unknownKeyword,
                    "columns not carried by an OMM are ignored: "
                        + ignored.joined(separator: ", "),
                    at: SourceLocation(line: header[0].line, column: 1)))
        }

        // Rows.
        while let (fields, unterminated) = records.next() {
            if fields.isEmpty || fields.allSatisfy({ records.trimmed($0).isEmpty }) { continue }
            var row = GPCSVRowReader(records: records, fields: fields, index: index, strictness: strictness)
            if unterminated, let last = fields.last {
                row.error(last, .syntax, "a quoted cell is not closed before the end of the input", nil)
            }
            if fields.count != header.count {
                let extraEmpty =
                    fields.count > header.count && fields[header.count...].allSatisfy { records.trimmed($0).isEmpty }
                let message =
                    "the row has \(fields.count) cells but the header names \(header.count) columns"
                if extraEmpty, strictness == .lenient {
                    row.warning(fields[header.count], .structure, message)
                } else {
                    row.error(fields[min(fields.count, header.count) - 1], .structure, message, nil)
                }
            }
            if let message = row.message(
                creationDate: creationDate, originator: originator, version: version)
            {
                messages.append(message)
            }
            diagnostics.append(contentsOf: row.diagnostics)
        }
        return (messages, diagnostics)
    }

    /// Reads GP CSV (see `read(_:creationDate:originator:version:strictness:)` on a buffer).
    public static func read(
        _ bytes: [UInt8], creationDate: CCSDSEpoch, originator: String, version: String = "3.0",
        strictness: Strictness = .strict
    ) -> (messages: [Message], diagnostics: [Diagnostic]) {
        bytes.withUnsafeBufferPointer {
            read($0, creationDate: creationDate, originator: originator, version: version, strictness: strictness)
        }
    }

    /// Reads GP CSV text.
    public static func read(
        _ text: String, creationDate: CCSDSEpoch, originator: String, version: String = "3.0",
        strictness: Strictness = .strict
    ) -> (messages: [Message], diagnostics: [Diagnostic]) {
        var text = text
        return text.withUTF8 {
            read($0, creationDate: creationDate, originator: originator, version: version, strictness: strictness)
        }
    }
}
