import ArgumentParser
import CCSDS
import Foundation
import GatewayCore
import Policy

/// `essor import FILE... [--database URL] [--owner ORG] [--marking M] [--source S]` (DESIGN §6): loads element sets
/// (TLE, 3LE, OMM in KVN/XML/JSON/CSV) and SATCAT-like object records (CSV, see `SatcatCSV`) into the catalogue.
///
/// Every file is read and checked in full first; any problem is reported as `FILE:LINE:COL: error: …` and nothing is
/// written (exit 1). Then one atomic `ingest` writes everything or nothing. An element set whose object is neither in
/// the store nor in a CSV of the same run creates the object from the set's `OBJECT_NAME` and `OBJECT_ID`, owned by
/// `--owner` with `--marking`; objects already stored keep their record. A CSV row replaces the object's record.
/// A set the store already has (same object, epoch and source) is skipped and counted.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load element sets (TLE/3LE/OMM) and SATCAT-like CSV object records into the catalogue, atomically.")

    @OptionGroup var database: DatabaseOption

    @Argument(help: "The files to import.")
    var files: [String]

    @Option(help: "The owning organisation of objects this import creates (and of CSV rows without OWNER).")
    var owner: String?

    @Option(help: "The marking of objects this import creates (and of CSV rows without MARKING); default public.")
    var marking: String?

    @Option(help: "The provenance recorded with each element set (default import:<file name>).")
    var source: String?

    func run() async throws {
        var sharing = Marking.public
        if let marking {
            guard let parsed = Marking(marking) else {
                throw ValidationFailure(
                    "--marking '\(marking)' is not public, operators, partners:<orgs> or restricted")
            }
            sharing = parsed
        }
        let now = Date()
        var batch = ImportBatch()
        var valid = true
        for path in files {
            valid = batch.read(path, owner: owner, marking: sharing, source: source, now: now) && valid
        }
        guard valid else { throw ExitCode(1) }
        let summary = try await database.withStore { opened in
            guard try await batch.checkOwners(in: opened.store, defaultOwner: owner) else { throw ExitCode(1) }
            let objects = try await batch.objects(in: opened.store, owner: owner, marking: sharing, now: now)
            return try await opened.store.ingest(objects: objects, elementSets: batch.elementSets.map(\.record))
        }
        print(
            "imported \(files.count) file(s) into \(database.database): objects created \(summary.objectsCreated), "
                + "updated \(summary.objectsUpdated); element sets added \(summary.elementSetsAdded), "
                + "skipped \(summary.elementSetsSkipped) (already stored)")
    }
}
