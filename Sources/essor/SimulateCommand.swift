import ArgumentParser

/// `essor simulate` (issue 12; being built).
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "simulate", abstract: "Simulate a sensor observing a truth orbit; write a TDM.")

    func run() throws {
        throw ValidationError("essor simulate is not built yet")
    }
}
