import ArgumentParser
import Delivery
import Foundation

/// `essor drops`: the drop folders of push subscriptions (issue 10 §4), served by OpenSSH's `internal-sftp`.
struct DropsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drops", abstract: "Drop folders of push subscriptions (served by OpenSSH internal-sftp).",
        subcommands: [SSHDConfig.self])

    /// `essor drops sshd-config`: the sshd_config snippet that serves the drop folders read-only in a chroot.
    struct SSHDConfig: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "sshd-config",
            abstract: "Print the sshd_config lines that serve DROPS/<user> read-only in a chroot per user.")

        @Option(help: "The drop folders' root, as given to serve --drops (ESSOR_DROPS; default data/drops).")
        var drops: String?

        func run() throws {
            let root = drops ?? ProcessInfo.processInfo.environment["ESSOR_DROPS"] ?? "data/drops"
            let absolute = URL(fileURLWithPath: root).standardizedFileURL.path
            print(DropFolder.sshdConfig(root: absolute), terminator: "")
        }
    }
}
