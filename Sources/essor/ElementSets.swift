import ArgumentParser
import Astrodynamics
import CCSDS
import Foundation

/// What an input file held once read: CCSDS messages or TLE sets, with every problem found.
struct LoadedInput {
    /// CCSDS messages (one per file, or one per CSV row for OMM CSV).
    var messages: [Message] = []
    /// TLE sets (TLE/3LE input).
    var tles: [TLE] = []
    /// Problems, in file order.
    var diagnostics: [Diagnostic] = []
    /// Records read (states, observations, element sets …), for figures.
    var records = 0
    /// A one-line description when the input could be read.
    var summary: String?
}

/// Reads any input the CLI accepts.
enum ElementSets {
    /// Reads `input` with `strictness`.
    static func load(_ input: InputFile, strictness: Strictness) -> LoadedInput {
        var loaded = LoadedInput()
        switch input.content {
        case .message(let encoding) where encoding == .xml && CombinedNDM.isCombined(input.bytes):
            for fragment in CombinedNDM.split(input.bytes) {
                let result = MessageReader.read(fragment, encoding: .xml, strictness: strictness)
                loaded.diagnostics += result.diagnostics
                if let message = result.message {
                    loaded.messages.append(message)
                    loaded.records += recordCount(message)
                }
            }
            loaded.summary = "NDM (XML), \(loaded.messages.count) message(s)"
        case .message(let encoding):
            let result = MessageReader.read(input.bytes, encoding: encoding, strictness: strictness)
            loaded.diagnostics = result.diagnostics
            if let message = result.message {
                loaded.messages = [message]
                loaded.records = recordCount(message)
                loaded.summary = "\(message.type.rawValue) \(message.version) (\(encoding.rawValue.uppercased())), "
                    + "\(message.segments.count) segment(s), \(loaded.records) record(s)"
            }
        case .tle:
            let result = TLECatalogue.parse(input.bytes, strictness: strictness)
            loaded.tles = result.sets
            loaded.diagnostics = result.diagnostics
            loaded.records = result.sets.count
            loaded.summary = "TLE, \(result.sets.count) element set(s)"
        case .ommCSV:
            let result = OMMCSV.read(
                input.bytes, creationDate: ElementSets.now, originator: ElementSets.originator, strictness: strictness)
            loaded.messages = result.messages
            loaded.diagnostics = result.diagnostics
            loaded.records = result.messages.count
            loaded.summary = "OMM CSV, \(result.messages.count) element set(s)"
        }
        return loaded
    }

    /// Reads FILE for a command that needs it valid: reports every diagnostic (`FILE:LINE:COL: …`) and exits with
    /// status 1 when there is an error.
    static func loadValid(_ path: String, strictness: Strictness = .strict) throws -> LoadedInput {
        let loaded = load(try InputFile(path: path), strictness: strictness)
        for diagnostic in loaded.diagnostics { report(diagnostic, file: path) }
        guard !loaded.diagnostics.contains(where: { $0.severity == .error }) else { throw ExitCode(1) }
        return loaded
    }

    /// The element sets of a valid FILE as TLEs (OMMs converted); reports why a set cannot be one and exits 1.
    static func validTLEs(_ path: String) throws -> [TLE] {
        let loaded = try loadValid(path)
        do { return try tles(loaded) } catch {
            for diagnostic in error.diagnostics { report(diagnostic, file: path) }
            throw ExitCode(1)
        }
    }

    /// The originator written in OMM headers that Essor creates.
    static let originator = "ESSOR"

    /// The current UTC time as a CCSDS epoch (whole seconds), for `CREATION_DATE`.
    static var now: CCSDSEpoch { Epoch.now().ccsdsEpoch(in: .utc, fractionDigits: 0) }

    /// Element sets as OMM messages (TLE input converted; OMM input as read).
    static func ommMessages(_ loaded: LoadedInput) -> [Message] {
        loaded.tles.isEmpty ? loaded.messages : loaded.tles.map { $0.ommMessage(creationDate: now, originator: originator) }
    }

    /// Element sets as TLEs (OMM input converted), or the reasons they cannot be.
    static func tles(_ loaded: LoadedInput) throws(CCSDS.ValidationError) -> [TLE] {
        guard loaded.tles.isEmpty else { return loaded.tles }
        return try loaded.messages.map { message throws(CCSDS.ValidationError) in try TLE(omm: message) }
    }

    /// TLE or 3LE text; throws when a set cannot be written.
    static func tleText(_ sets: [TLE], withNames: Bool) throws(CCSDS.ValidationError) -> [UInt8] {
        try ElementSetWriter.tleText(sets, withNames: withNames)
    }

    /// States for an OEM, observations for a TDM, otherwise segments.
    static func recordCount(_ message: Message) -> Int {
        switch message.type {
        case .oem: message.segments.reduce(0) { $0 + $1.ephemeris.count }
        case .tdm: message.segments.reduce(0) { $0 + $1.observations.count }
        default: message.segments.count
        }
    }
}
