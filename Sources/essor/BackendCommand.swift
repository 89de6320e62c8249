import ArgumentParser

/// `essor backend` (issue 12; being built).
struct BackendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "backend", abstract: "Run the reference backend (the backend protocol over mutual TLS).")

    func run() throws {
        throw ValidationError("essor backend is not built yet")
    }
}
