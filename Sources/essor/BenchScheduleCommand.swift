import ArgumentParser

/// `essor bench schedule` (issue 12; being built).
struct BenchSchedule: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "schedule", abstract: "Measure the reference backend's night planning.")

    func run() throws {
        throw ValidationError("essor bench schedule is not built yet")
    }
}
