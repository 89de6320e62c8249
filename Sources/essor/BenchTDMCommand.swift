import ArgumentParser

/// `essor bench tdm` (issue 12; being built).
struct BenchTDM: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tdm", abstract: "Measure simulated TDM generation.")

    func run() throws {
        throw ValidationError("essor bench tdm is not built yet")
    }
}
