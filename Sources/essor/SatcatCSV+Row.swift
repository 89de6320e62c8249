import Foundation
import GatewayCore
import Policy

extension SatcatCSV {
    /// Reads the cells of one row by column name, collecting problems.
    struct RowReader {
        let row: CSVRows.Row
        let index: [String: Int]
        var problems: [Problem] = []

        /// The row's record, or nil with `problems` said.
        mutating func record(owner defaultOwner: String?, marking defaultMarking: Marking, updated: Date) -> Record? {
            let before = problems.count
            let idCell = cell("NORAD_CAT_ID")
            let noradID = Int(idCell.text)
            if noradID == nil || noradID! <= 0 {
                problem(idCell, "NORAD_CAT_ID '\(idCell.text)' is not a positive integer")
            }
            let nameCell = cell("OBJECT_NAME")
            if nameCell.text.isEmpty { problem(nameCell, "OBJECT_NAME is empty") }
            let cospar = cell("OBJECT_ID").text
            let typeCell = cell("OBJECT_TYPE")
            let type =
                typeCell.text.isEmpty || typeCell.text.uppercased() == "TBA"
                ? ObjectType.unknown : ObjectType(rawValue: typeCell.text.uppercased())
            if type == nil {
                problem(
                    typeCell,
                    "OBJECT_TYPE '\(typeCell.text)' is not one of \(ObjectType.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            let ownerCell = cell("OWNER")
            let markingCell = cell("MARKING")
            let marking = markingCell.text.isEmpty ? defaultMarking : Marking(markingCell.text)
            if marking == nil {
                problem(
                    markingCell, "MARKING '\(markingCell.text)' is not public, operators, partners:<orgs> or restricted"
                )
            }
            let launch = date("LAUNCH_DATE")
            let decay = date("DECAY_DATE")
            guard problems.count == before, let noradID, let type, let marking else { return nil }
            let object = CatalogueObject(
                noradID: noradID, cosparID: cospar.isEmpty || cospar.uppercased() == "UNKNOWN" ? nil : cospar,
                name: nameCell.text, type: type, owner: ownerCell.text.isEmpty ? defaultOwner : ownerCell.text,
                marking: marking, launchDate: launch, decayDate: decay, updated: updated)
            return Record(object: object, ownerLocation: (ownerCell.line, ownerCell.column))
        }

        /// The date in `column`, nil when empty or wrong (a problem then).
        mutating func date(_ column: String) -> CalendarDate? {
            let value = cell(column)
            if value.text.isEmpty { return nil }
            guard let date = CalendarDate(value.text) else {
                problem(value, "\(column) '\(value.text)' is not a date (YYYY-MM-DD)")
                return nil
            }
            return date
        }

        /// The trimmed cell of `column`; an empty cell at the row's end when the column or the cell is missing.
        func cell(_ column: String) -> CSVRows.Cell {
            guard let position = index[column], position < row.cells.count else {
                return CSVRows.Cell(text: "", line: row.line, column: 1)
            }
            var found = row.cells[position]
            found.text = found.text.trimmingCharacters(in: .whitespaces)
            return found
        }

        mutating func problem(_ cell: CSVRows.Cell, _ message: String) {
            problems.append(Problem(line: cell.line, column: cell.column, message: message))
        }
    }
}
