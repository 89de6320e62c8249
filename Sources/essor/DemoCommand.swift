import ArgumentParser
import Foundation
import GatewayCore

/// `essor demo seed --database URL --keys-out FILE` (DESIGN §6): seeds the demo data set and writes the users'
/// fresh API keys as `{"<user>": "<api key>", ...}` (mode 0600).
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "The demo data set.", subcommands: [DemoSeed.self])
}

/// `essor demo seed`.
struct DemoSeed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Seed the demo organisations, users and synthetic catalogue; write each user's new API key.")

    @OptionGroup var database: DatabaseOption

    @Option(help: "Where to write the API keys as JSON (created with mode 0600).")
    var keysOut: String

    func run() async throws {
        let now = Date()
        let keys = try await database.withStore { opened in
            if try await DemoDataSet.isSeeded(in: opened.store) {
                throw ValidationFailure("\(database.database) already holds the demo data set (use a fresh database)")
            }
            return try await DemoDataSet.seed(into: opened.store, now: now)
        }
        try writeSecretJSON(keys, to: keysOut)
        let data = DemoDataSet(now: now)
        print(
            "seeded \(database.database): \(data.organisations.count) organisations, \(data.users.count) users, "
                + "\(data.objects.count) objects (NORAD \(DemoDataSet.noradIDs.lowerBound)–"
                + "\(DemoDataSet.noradIDs.upperBound)), \(data.elementSets.count) element sets")
        print("API keys for \(keys.keys.sorted().joined(separator: ", ")) written to \(keysOut)")
    }
}

/// Writes `values` as a JSON object (keys sorted) to a file only its owner may read: the file is created with mode
/// 0600 before anything is written to it (an existing file is truncated and its mode set to 0600).
func writeSecretJSON(_ values: [String: String], to path: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = try encoder.encode(values) + Data("\n".utf8)
    let manager = FileManager.default
    if manager.fileExists(atPath: path) {
        try manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    } else {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        guard manager.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw ValidationFailure("\(path): cannot create the file")
        }
    }
    guard let handle = FileHandle(forWritingAtPath: path) else { throw ValidationFailure("\(path): cannot write") }
    defer { try? handle.close() }
    try handle.truncate(atOffset: 0)
    try handle.write(contentsOf: data)
}
