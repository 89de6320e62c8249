import CCSDS

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
            let result = OMMCSV.read(input.bytes, strictness: strictness)
            loaded.messages = result.messages
            loaded.diagnostics = result.diagnostics
            loaded.records = result.messages.count
            loaded.summary = "OMM CSV, \(result.messages.count) element set(s)"
        }
        return loaded
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
