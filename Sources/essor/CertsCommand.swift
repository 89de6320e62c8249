import ArgumentParser
import DevPKI
import Foundation

/// `essor certs init|client` (DESIGN.md §6 "Dev PKI"): the development CA, server and client certificates.
struct CertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "certs", abstract: "Create the development PKI (never for production; see certs/README.md).",
        subcommands: [CertsInit.self, CertsClient.self])
}

/// Options shared by the certs subcommands.
struct CertsDirectoryOption: ParsableArguments {
    @Option(help: "The PKI folder.")
    var dir = "certs"

    @Flag(help: "Re-issue certificates that already exist (an existing, usable CA is always kept).")
    var force = false

    var url: URL { URL(fileURLWithPath: dir, isDirectory: true) }

    /// Runs `body`; a ``DevPKIError`` is printed as `essor: error: …` and the exit status is 1.
    func run(_ body: () throws -> DevPKIFiles) throws {
        let files: DevPKIFiles
        do {
            files = try body()
        } catch let error as DevPKIError {
            printError("essor: error: \(error)")
            throw ExitCode(1)
        }
        for url in files.written { print("wrote \(url.path)") }
        if files.written.isEmpty { print("\(dir): the dev PKI is complete; nothing to do") }
    }
}

/// `essor certs init [--dir certs] [--force]`: the CA, the server certificate and the demo users' certificates.
struct CertsInit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create what is missing of the dev PKI: CA, server (localhost) and demo-user client certificates.")

    @OptionGroup var options: CertsDirectoryOption

    func run() throws {
        try options.run { try DevPKI.ensure(in: options.url, force: options.force) }
    }
}

/// `essor certs client NAME [--dir certs] [--force]`: one client certificate (SAN URI `urn:essor:user:NAME`).
struct CertsClient: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "client", abstract: "Issue a client certificate for one user from the dev CA.")

    @Argument(help: "The user name (letters, digits, '.', '_', '-').")
    var name: String

    @OptionGroup var options: CertsDirectoryOption

    func run() throws {
        try options.run { try DevPKI.issueClientCertificate(for: name, in: options.url, force: options.force) }
    }
}
