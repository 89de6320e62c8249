import ArgumentParser
import CCSDS

/// `essor validate FILE...`: exit 0 when every file is valid, 1 otherwise; problems on standard error.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check CCSDS OEM/OPM/OMM/CDM/TDM (KVN, XML, JSON) and TLE/3LE files against the standards.")

    @Flag(help: "Accept common real-world deviations (lower-case values, missing units, empty values) as warnings.")
    var lenient = false

    @Argument(help: "Files to check (`-` reads standard input).")
    var files: [String]

    func run() throws {
        var allValid = true
        let strictness: Strictness = lenient ? .lenient : .strict
        for path in files {
            let input: InputFile
            do {
                input = try InputFile(path: path)
            } catch {
                printError("\(error)")
                allValid = false
                continue
            }
            let loaded = ElementSets.load(input, strictness: strictness)
            for diagnostic in loaded.diagnostics { report(diagnostic, file: path) }
            let valid = !loaded.diagnostics.contains { $0.severity == .error } && loaded.summary != nil
            if valid, let summary = loaded.summary { print("\(path): valid \(summary)") }
            allValid = allValid && valid
        }
        if !allValid { throw ExitCode(1) }
    }
}
