/// A small RFC 4180 reader that remembers where each cell starts (for `FILE:LINE:COL` problems).
enum CSVRows {
    /// One cell: its text (quotes removed) and where it starts (1-based, columns in characters).
    struct Cell {
        var text: String
        var line: Int
        var column: Int
    }

    /// One record.
    struct Row {
        var cells: [Cell]
        var line: Int
    }

    /// A malformed place.
    struct Problem {
        var line: Int
        var column: Int
        var message: String
    }

    /// The non-blank records of `text` (a quoted cell may span lines).
    static func parse(_ text: String) -> (rows: [Row], problems: [Problem]) {
        var rows: [Row] = []
        var problems: [Problem] = []
        var cells: [Cell] = []
        var current = Cell(text: "", line: 1, column: 1)
        var quoted = false
        var afterQuote = false
        var line = 1
        var column = 0
        var rowLine = 1
        var characters = Array(text)
        if characters.last != "\n" { characters.append("\n") }
        var position = 0
        func endRow() {
            cells.append(current)
            if !(cells.count == 1 && cells[0].text.allSatisfy(\.isWhitespace)) {
                rows.append(Row(cells: cells, line: rowLine))
            }
            cells = []
        }
        while position < characters.count {
            let character = characters[position]
            position += 1
            column += 1
            if quoted {
                if character == "\"" {
                    if position < characters.count, characters[position] == "\"" {
                        current.text.append("\"")
                        position += 1
                        column += 1
                    } else {
                        quoted = false
                        afterQuote = true
                    }
                } else {
                    current.text.append(character)
                    if character == "\n" || character == "\r\n" {
                        line += 1
                        column = 0
                    }
                }
                continue
            }
            switch character {
            case ",":
                cells.append(current)
                current = Cell(text: "", line: line, column: column + 1)
                afterQuote = false
            case "\n", "\r\n", "\r":
                endRow()
                line += 1
                column = 0
                rowLine = line
                current = Cell(text: "", line: line, column: 1)
                afterQuote = false
            case "\"" where current.text.allSatisfy(\.isWhitespace) && !afterQuote:
                current.text = ""
                quoted = true
            default:
                if afterQuote {
                    problems.append(Problem(line: line, column: column, message: "text after a closing quote"))
                    afterQuote = false
                }
                current.text.append(character)
            }
        }
        if quoted {
            problems.append(Problem(line: current.line, column: current.column, message: "unterminated quoted field"))
        }
        return (rows, problems)
    }
}
