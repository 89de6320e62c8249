import CCSDS

/// How a computed orbit message (OEM or OPM) is encoded: KVN, NDM/XML or the project's JSON.
public enum OrbitMessageEncoding: String, Sendable, CaseIterable {
    /// Keyword = value notation.
    case kvn
    /// NDM/XML.
    case xml
    /// The project's JSON encoding of the message model.
    case json

    /// The CCSDS library's encoding.
    public var encoding: Encoding {
        switch self {
        case .kvn: .kvn
        case .xml: .xml
        case .json: .json
        }
    }

    /// The media type of the written bytes.
    public var mediaType: String {
        switch self {
        case .kvn: "text/plain; charset=utf-8"
        case .xml: "application/xml"
        case .json: "application/json"
        }
    }

    /// Reads `oem-kvn`, `opm-xml` …: `prefix` followed by `-` and an encoding; nil otherwise.
    public init?(formatParameter text: String, prefix: String) {
        guard text.hasPrefix(prefix + "-"),
            let encoding = OrbitMessageEncoding(rawValue: String(text.dropFirst(prefix.count + 1)))
        else { return nil }
        self = encoding
    }
}
