import ArgumentParser
import Foundation
import GatewayCore

/// `essor key create|list|revoke`: API keys (DESIGN §4: random, shown once, stored hashed, several per user).
struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "Create, list and revoke API keys.",
        subcommands: [KeyCreate.self, KeyList.self, KeyRevoke.self])
}

/// `essor key create USER`: prints the new key's text, once, and nothing else on standard output.
struct KeyCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create an API key and print its text (shown only this once).")

    @OptionGroup var database: DatabaseOption

    @Argument(help: "The user the key authenticates.")
    var user: String

    func run() async throws {
        try await database.withStore { opened in
            let issued = try await opened.store.issueAPIKey(for: user)
            print(issued.text)
            printError("created API key \(issued.key.id) for \(user): keep the text now, it cannot be shown again")
        }
    }
}

/// `essor key list USER`.
struct KeyList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List a user's keys: id, prefix, created, last used, revoked.")

    @OptionGroup var database: DatabaseOption

    @Argument(help: "The user.")
    var user: String

    func run() async throws {
        try await database.withStore { opened in
            print("id\tprefix\tcreated\tlast_used\trevoked")
            for key in try await opened.store.apiKeys(userName: user) {
                let times = [key.created, key.lastUsed, key.revoked].map { $0.map(isoText) ?? "-" }
                print(([key.id, key.prefix] + times).joined(separator: "\t"))
            }
        }
    }
}

/// `essor key revoke KEYID`.
struct KeyRevoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke", abstract: "Revoke a key (a running gateway stops accepting it within 30 s).")

    @OptionGroup var database: DatabaseOption

    @Argument(help: "The key id (16 hexadecimal digits), its prefix essor_<id>, or the key text.")
    var key: String

    func run() async throws {
        var id = key
        if key.hasPrefix(APIKey.textPrefix) {
            id = APIKey.id(inText: key) ?? String(key.dropFirst(APIKey.textPrefix.count))
        }
        try await database.withStore { opened in
            try await opened.store.revokeAPIKey(id: id, at: Date())
            print("revoked key \(id)")
        }
    }
}

/// A time as UTC ISO 8601 with seconds (`2026-01-01T12:00:00Z`).
func isoText(_ date: Date) -> String {
    ISO8601DateFormatter().string(from: date)
}
