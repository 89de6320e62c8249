import ArgumentParser

/// `essor bench visibility` (issue 12; being built).
struct BenchVisibility: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "visibility", abstract: "Measure visibility computation for the reference backend.")

    func run() throws {
        throw ValidationError("essor bench visibility is not built yet")
    }
}
