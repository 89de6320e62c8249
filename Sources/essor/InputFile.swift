import CCSDS
import Foundation

/// A file given on the command line, read whole, with the kind of content it holds.
struct InputFile {
    /// What a file holds.
    enum Content: Equatable {
        /// A CCSDS message in an encoding.
        case message(Encoding)
        /// TLE or 3LE element sets.
        case tle
        /// OMM CSV (Space-Track / CelesTrak GP CSV).
        case ommCSV
    }

    /// The path as given.
    let path: String
    /// The bytes.
    let bytes: [UInt8]
    /// What the bytes hold.
    let content: Content

    /// Reads `path` (`-` for standard input) and detects its content.
    init(path: String) throws {
        self.path = path
        if path == "-" {
            bytes = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
        } else {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ValidationFailure("\(path): cannot read the file")
            }
            bytes = [UInt8](data)
        }
        content = InputFile.detect(bytes)
    }

    /// TLE/3LE when a line starts with `1 ` and the next with `2 `; OMM CSV when the first line starts with
    /// `OBJECT_NAME,` or another GP CSV column; otherwise a CCSDS message in the detected encoding.
    static func detect(_ bytes: [UInt8]) -> Content {
        let encoding = Encoding.detect(bytes)
        guard encoding == .kvn else { return .message(encoding) }
        let head = String(decoding: bytes.prefix(2048), as: UTF8.self)
        let lines = head.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard let first = lines.first else { return .message(.kvn) }
        if first.hasPrefix("CCSDS_") { return .message(.kvn) }
        if first.contains(","), first.uppercased().contains("NORAD_CAT_ID") || first.uppercased().hasPrefix("OBJECT_NAME") {
            return .ommCSV
        }
        for (index, line) in lines.enumerated().dropLast() where line.hasPrefix("1 ") && lines[index + 1].hasPrefix("2 ") {
            return .tle
        }
        return .message(.kvn)
    }
}

/// A command-line failure with a message for standard error.
struct ValidationFailure: Error, CustomStringConvertible {
    /// The message.
    let description: String
    init(_ description: String) { self.description = description }
}

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// `FILE:LINE:COL: severity: MESSAGE` (DESIGN.md §6).
func report(_ diagnostic: Diagnostic, file: String) {
    let place = diagnostic.location.map { "\($0.line):\($0.column): " } ?? "1:1: "
    printError("\(file):\(place)\(diagnostic.severity.rawValue): \(diagnostic.message)")
}
