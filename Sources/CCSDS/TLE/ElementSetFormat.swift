/// The encodings an element set (or a catalogue of them) is served in: the NORAD two- and three-line forms and
/// the OMM in KVN, NDM/XML, CelesTrak/Space-Track flat JSON and GP CSV.
public enum ElementSetFormat: String, Sendable, CaseIterable {
    /// Two-line element sets, no name line.
    case tle
    /// Three-line element sets: a name line before each pair.
    case threeLine = "3le"
    /// OMM in KVN, messages concatenated.
    case ommKVN = "omm-kvn"
    /// OMM in NDM/XML; several messages in one `<ndm>` container (CCSDS 505.0-B-3 §4.3).
    case ommXML = "omm-xml"
    /// The flat OMM JSON array of CelesTrak and Space-Track (`FORMAT=json`).
    case ommJSON = "omm-json"
    /// GP CSV: one header row, one row per element set.
    case ommCSV = "omm-csv"

    /// The media type of the written bytes.
    public var mediaType: String {
        switch self {
        case .tle, .threeLine, .ommKVN: "text/plain; charset=utf-8"
        case .ommXML: "application/xml"
        case .ommJSON: "application/json"
        case .ommCSV: "text/csv; charset=utf-8"
        }
    }
}

/// Writes element sets held as OMM messages in any ``ElementSetFormat``.
public enum ElementSetWriter {
    /// The bytes of `messages` (OMMs) in `format`. TLE and 3LE need every set to fit the TLE fields (NORAD ids up
    /// to 339999, values within the columns); a set that does not throws, naming it.
    public static func write(
        _ messages: [Message], as format: ElementSetFormat, version: String? = nil
    ) throws(ValidationError) -> [UInt8] {
        switch format {
        case .tle, .threeLine:
            let sets = try messages.map { message throws(ValidationError) in try TLE(omm: message) }
            return try tleText(sets, withNames: format == .threeLine)
        case .ommKVN:
            var out: [UInt8] = []
            for message in messages { out += try MessageWriter.write(message, as: .kvn, version: version) }
            return out
        case .ommXML:
            if messages.count == 1 { return try MessageWriter.write(messages[0], as: .xml, version: version) }
            return try CombinedNDM.write(messages, version: version)
        case .ommJSON:
            return try OMMFlatJSON.write(messages)
        case .ommCSV:
            let written = OMMCSV.write(messages)
            if !written.diagnostics.isEmpty { throw ValidationError(written.diagnostics) }
            return Array(written.text.utf8)
        }
    }

    /// TLE or 3LE text (3LE name lines as written by CelesTrak: the name alone); throws when a set cannot be
    /// written.
    public static func tleText(_ sets: [TLE], withNames: Bool) throws(ValidationError) -> [UInt8] {
        let named =
            withNames
            ? sets
            : sets.map { set in
                var copy = set
                copy.name = nil
                return copy
            }
        let written = TLECatalogue.write(named)
        if !written.diagnostics.isEmpty { throw ValidationError(written.diagnostics) }
        return written.bytes
    }
}
