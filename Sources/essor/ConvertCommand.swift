import ArgumentParser
import CCSDS
import Foundation

/// `essor convert FILE --to F [-o OUT] [--version V]` (DESIGN.md §6).
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a CCSDS message between KVN, XML and JSON, or element sets between TLE, 3LE and OMM.")

    /// Output formats.
    enum Target: String, ExpressibleByArgument, CaseIterable {
        case kvn, xml, json, tle
        case threeLine = "3le"
        case ommKVN = "omm-kvn"
        case ommXML = "omm-xml"
        case ommJSON = "omm-json"
        case ommCSV = "omm-csv"
    }

    @Argument(help: "The input file (`-` reads standard input).")
    var file: String

    @Option(help: "Output format: kvn, xml, json; for element sets also tle, 3le, omm-kvn, omm-xml, omm-json, omm-csv.")
    var to: Target

    @Option(name: .shortAndLong, help: "Write here instead of standard output.")
    var output: String?

    @Option(help: "Message version to write (default: the current one; 2.0 for the previous ODM).")
    var version: String?

    @Flag(help: "Read the input in lenient mode (deviations become warnings).")
    var lenient = false

    func run() throws {
        let loaded = try ElementSets.loadValid(file, strictness: lenient ? .lenient : .strict)
        do {
            let bytes = try render(loaded)
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: Data(bytes)) else {
                    throw ValidationFailure("\(output): cannot write the file")
                }
            } else {
                FileHandle.standardOutput.write(Data(bytes))
            }
        } catch let error as CCSDS.ValidationError {
            for diagnostic in error.diagnostics { report(diagnostic, file: file) }
            throw ExitCode(1)
        }
    }

    private func render(_ loaded: LoadedInput) throws -> [UInt8] {
        switch to {
        case .kvn, .xml, .json:
            let encoding = Encoding(rawValue: to.rawValue)!
            let messages = ElementSets.ommMessages(loaded)
            var out: [UInt8] = []
            for (index, message) in messages.enumerated() {
                if index > 0, encoding != .kvn {
                    throw ValidationFailure("\(file): \(messages.count) element sets: use omm-xml or omm-json")
                }
                out += try MessageWriter.write(message, as: encoding, version: version)
            }
            return out
        case .tle, .threeLine:
            return try ElementSets.tleText(try ElementSets.tles(loaded), withNames: to == .threeLine)
        case .ommKVN, .ommXML, .ommJSON, .ommCSV:
            let messages = ElementSets.ommMessages(loaded)
            guard messages.allSatisfy({ $0.type == MessageType.omm }) else {
                throw ValidationFailure("\(file): only element sets (TLE, 3LE, OMM) convert to \(to.rawValue)")
            }
            return try ElementSetWriter.write(messages, as: ElementSetFormat(rawValue: to.rawValue)!, version: version)
        }
    }
}
