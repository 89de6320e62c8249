import CCSDS
import Foundation
import GatewayCore
import Policy

/// What `essor import` read from its files, checked, before anything is written.
struct ImportBatch {
    /// An element set with what is needed to create its object.
    struct ElementSet {
        var record: ElementSetRecord
        var objectName: String?
        var objectID: String?
    }

    /// An object record from a CSV file, with where it was read.
    struct ObjectRecord {
        var record: SatcatCSV.Record
        var file: String
    }

    /// Object records from CSV files, in file order.
    var objectRecords: [ObjectRecord] = []
    /// Element sets, in file order.
    var elementSets: [ElementSet] = []

    /// Reads one file, reporting every problem as `FILE:LINE:COL: error: …`; false when it has any error.
    mutating func read(_ path: String, owner: String?, marking: Marking, source: String?, now: Date) -> Bool {
        let input: InputFile
        do {
            input = try InputFile(path: path)
        } catch {
            printError("\(path):1:1: error: cannot read the file")
            return false
        }
        if SatcatCSV.isObjectRecords(input.bytes) {
            let read = SatcatCSV.read(input.bytes, owner: owner, marking: marking, updated: now)
            for problem in read.problems {
                printError("\(path):\(problem.line):\(problem.column): error: \(problem.message)")
            }
            objectRecords += read.records.map { ObjectRecord(record: $0, file: path) }
            return read.problems.isEmpty
        }
        let loaded = ElementSets.load(input, strictness: .strict)
        for diagnostic in loaded.diagnostics { report(diagnostic, file: path) }
        guard !loaded.diagnostics.contains(where: { $0.severity == .error }) else { return false }
        let provenance = source ?? "import:" + URL(fileURLWithPath: path).lastPathComponent
        var valid = true
        for message in ElementSets.ommMessages(loaded) {
            guard message.type == .omm else {
                printError("\(path):1:1: error: a \(message.type.rawValue) is not an element set (TLE, 3LE or OMM)")
                valid = false
                continue
            }
            do {
                let record = try ElementSetRecord(omm: message, received: now, source: provenance)
                let metadata = message.segments.first?.metadata
                elementSets.append(
                    ElementSet(
                        record: record, objectName: metadata?.find("OBJECT_NAME")?.text,
                        objectID: metadata?.find("OBJECT_ID")?.text))
            } catch {
                printError("\(path):1:1: error: \(error)")
                valid = false
            }
        }
        if loaded.messages.isEmpty && loaded.tles.isEmpty {
            printError("\(path):1:1: error: no element set in the file")
            valid = false
        }
        return valid
    }

    /// Checks that every owner named (CSV `OWNER` cells and `--owner`) is an organisation of the store; reports
    /// each unknown one where it was written.
    func checkOwners(in store: some IdentityStore, defaultOwner: String?) async throws -> Bool {
        var named = Set(objectRecords.compactMap(\.record.object.owner))
        if let defaultOwner { named.insert(defaultOwner) }
        var missing: Set<String> = []
        for name in named.sorted() {
            if try await !store.hasOrganisation(named: name) { missing.insert(name) }
        }
        if let defaultOwner, missing.contains(defaultOwner) {
            printError("error: --owner: organisation '\(defaultOwner)' does not exist")
        }
        for entry in objectRecords {
            guard let owner = entry.record.object.owner, owner != defaultOwner, missing.contains(owner) else {
                continue
            }
            let place = entry.record.ownerLocation
            printError("\(entry.file):\(place.line):\(place.column): error: organisation '\(owner)' does not exist")
        }
        return missing.isEmpty
    }

    /// The objects to upsert: the CSV records, then one new object for each set whose object is neither stored nor
    /// in a CSV (from the set's OBJECT_NAME and OBJECT_ID).
    func objects(in store: some CatalogueStore, owner: String?, marking: Marking, now: Date) async throws
        -> [CatalogueObject]
    {
        var objects = objectRecords.map(\.record.object)
        var covered = Set(objects.map(\.noradID))
        let wanted = Set(elementSets.map(\.record.noradID)).subtracting(covered)
        if !wanted.isEmpty {
            covered.formUnion(try await store.objects(CatalogueObjectFilter(noradIDs: wanted)).map(\.noradID))
        }
        for set in elementSets where !covered.contains(set.record.noradID) {
            let id = set.record.noradID
            let name = set.objectName.flatMap { $0.isEmpty || $0 == "UNKNOWN" ? nil : $0 } ?? "NORAD \(id)"
            let cospar = set.objectID.flatMap { $0.isEmpty || $0 == "UNKNOWN" ? nil : $0 }
            objects.append(
                CatalogueObject(noradID: id, cosparID: cospar, name: name, owner: owner, marking: marking, updated: now)
            )
            covered.insert(id)
        }
        return objects
    }
}
