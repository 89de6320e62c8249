import Foundation
import GatewayCore
import Policy

/// SATCAT-like object records in CSV, for `essor import`.
///
/// The first non-blank line is the header; columns are found by name (any order, case-insensitive) and columns
/// other than these are ignored, so a Space-Track SATCAT export with extra columns reads as it is:
///
/// | column | required | value |
/// |---|---|---|
/// | `NORAD_CAT_ID` | yes | a positive integer |
/// | `OBJECT_NAME` | yes | non-empty |
/// | `OBJECT_ID` | no | the COSPAR id, `YYYY-NNNP{PP}`; empty or `UNKNOWN` for none |
/// | `OBJECT_TYPE` | no | `PAYLOAD`, `ROCKET BODY`, `DEBRIS`, `UNKNOWN` (or `TBA`); empty → `UNKNOWN` |
/// | `OWNER` | no | a gateway organisation (it must exist); empty → `--owner`, else none |
/// | `MARKING` | no | `public`, `operators`, `partners:<orgs>`, `restricted`; empty → `--marking`, else `public` |
/// | `LAUNCH_DATE`, `DECAY_DATE` | no | `YYYY-MM-DD` or empty |
///
/// Fields follow RFC 4180 (double quotes around fields holding commas, `""` for a quote). Every problem is reported
/// with its line and column; a file with any problem gives no record.
enum SatcatCSV {
    /// One object read from a row, with where its `OWNER` was written (to report an unknown organisation).
    struct Record {
        var object: CatalogueObject
        var ownerLocation: (line: Int, column: Int)
    }

    /// One problem: where and what.
    struct Problem {
        var line: Int
        var column: Int
        var message: String
    }

    /// True when the first non-blank line is a header naming `NORAD_CAT_ID` and `OBJECT_NAME` but no element-set
    /// column (`EPOCH`, `MEAN_MOTION`): then the file holds object records, not OMM CSV element sets.
    static func isObjectRecords(_ bytes: [UInt8]) -> Bool {
        let head = String(decoding: bytes.prefix(4096), as: UTF8.self)
        guard let header = head.split(whereSeparator: \.isNewline).first(where: { !$0.allSatisfy(\.isWhitespace) })
        else { return false }
        let names = Set(header.uppercased().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        return names.contains("NORAD_CAT_ID") && names.contains("OBJECT_NAME") && !names.contains("EPOCH")
            && !names.contains("MEAN_MOTION")
    }

    /// Reads the records; `owner` and `marking` fill empty cells, `updated` is every record's update time.
    static func read(_ bytes: [UInt8], owner: String?, marking: Marking, updated: Date)
        -> (records: [Record], problems: [Problem])
    {
        var rows = CSVRows.parse(String(decoding: bytes, as: UTF8.self))
        var problems = rows.problems.map { Problem(line: $0.line, column: $0.column, message: $0.message) }
        guard !rows.rows.isEmpty else { return ([], problems + [Problem(line: 1, column: 1, message: "empty file")]) }
        let header = rows.rows.removeFirst()
        var index: [String: Int] = [:]
        for (position, cell) in header.cells.enumerated() {
            index[cell.text.trimmingCharacters(in: .whitespaces).uppercased()] = position
        }
        for required in ["NORAD_CAT_ID", "OBJECT_NAME"] where index[required] == nil {
            problems.append(Problem(line: header.line, column: 1, message: "the header has no \(required) column"))
        }
        guard problems.isEmpty else { return ([], problems) }
        var records: [Record] = []
        for row in rows.rows {
            var reader = RowReader(row: row, index: index)
            let record = reader.record(owner: owner, marking: marking, updated: updated)
            problems += reader.problems
            if let record { records.append(record) }
        }
        return (problems.isEmpty ? records : [], problems)
    }
}
