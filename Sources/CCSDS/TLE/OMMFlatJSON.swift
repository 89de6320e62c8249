/// The flat OMM JSON that CelesTrak and Space-Track serve (`FORMAT=json`): an array of objects keyed by the GP
/// CSV column names, one per element set. (The project's own JSON encoding of a message is `--to json`.)
public enum OMMFlatJSON {
    /// Writes the element sets; values are the CSV cells, as numbers where they are numbers.
    public static func write(_ messages: [Message]) throws(CCSDS.ValidationError) -> [UInt8] {
        let written = OMMCSV.write(messages)
        if !written.diagnostics.isEmpty { throw CCSDS.ValidationError(written.diagnostics) }
        let rows = written.text.split(whereSeparator: \.isNewline)
        guard let header = rows.first else { return Array("[]\n".utf8) }
        let columns = header.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var out = "["
        for (index, row) in rows.dropFirst().enumerated() {
            out += index == 0 ? "\n  {" : ",\n  {"
            let cells = splitCSV(String(row))
            for (column, cell) in zip(columns, cells) where !cell.isEmpty {
                out += (out.hasSuffix("{") ? "" : ", ") + "\"\(column)\": "
                out += isNumber(cell) && !textColumns.contains(column) ? cell : quoted(cell)
            }
            out += "}"
        }
        out += "\n]\n"
        return Array(out.utf8)
    }

    /// Columns that are text even when they look like numbers.
    private static let textColumns: Set = ["OBJECT_NAME", "OBJECT_ID", "EPOCH", "CLASSIFICATION_TYPE"]

    private static func isNumber(_ text: String) -> Bool {
        guard let first = text.first, first.isNumber || first == "-" else { return false }
        return Double(text) != nil && !text.hasPrefix("-.") && !text.hasPrefix(".")
    }

    private static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += "\\u" + String(format4(scalar.value))
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private static func format4(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 4 - hex.count) + hex
    }

    /// Splits one CSV row (RFC 4180 quoting).
    private static func splitCSV(_ row: String) -> [String] {
        var cells: [String] = []
        var cell = ""
        var quotedCell = false
        var iterator = Array(row).makeIterator()
        var previousQuote = false
        while let character = iterator.next() {
            if quotedCell {
                if character == "\"" {
                    quotedCell = false
                    previousQuote = true
                } else {
                    cell.append(character)
                }
            } else if character == "\"" {
                if previousQuote { cell.append("\"") }
                quotedCell = true
                previousQuote = false
            } else if character == "," {
                cells.append(cell)
                cell = ""
                previousQuote = false
            } else if character != "\r" {
                cell.append(character)
                previousQuote = false
            }
        }
        cells.append(cell)
        return cells
    }
}
