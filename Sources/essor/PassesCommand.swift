import ArgumentParser

/// `essor passes` (issue 12; being built).
struct PassesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "passes", abstract: "List when each object is observable by each sensor (CSV).")

    func run() throws {
        throw ValidationError("essor passes is not built yet")
    }
}
