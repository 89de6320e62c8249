import ArgumentParser

/// The `essor` command line (contract: DESIGN.md §6). Thin: every behaviour lives in the libraries.
@main
struct Essor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "essor",
        abstract: "Essor: an SSA data-distribution gateway and CCSDS/TLE toolkit.",
        subcommands: [
            ServeCommand.self, ValidateCommand.self, ConvertCommand.self, PropagateCommand.self, PcCommand.self,
            PolicyCommand.self, CertsCommand.self, BenchCommand.self,
            DemoCommand.self, ImportCommand.self, UserCommand.self, KeyCommand.self, MigrateCommand.self,
            AuditCommand.self, DropsCommand.self, RequestCommand.self, PassesCommand.self, ScheduleCommand.self,
            SimulateCommand.self, BackendCommand.self,
        ])
}
