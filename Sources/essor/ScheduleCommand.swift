import ArgumentParser

/// `essor schedule` (issue 12; being built).
struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "schedule", abstract: "Build a night's observation plan for the sensor network.")

    func run() throws {
        throw ValidationError("essor schedule is not built yet")
    }
}
