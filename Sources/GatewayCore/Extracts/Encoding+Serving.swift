import CCSDS

extension Encoding {
    /// The media type of a message written in this encoding.
    public var mediaType: String {
        switch self {
        case .kvn: "text/plain; charset=utf-8"
        case .xml: "application/xml"
        case .json: "application/json"
        }
    }

    /// Reads `oem-kvn`, `opm-xml` …: `prefix` followed by `-` and an encoding; nil otherwise.
    public init?(formatParameter text: String, prefix: String) {
        guard text.hasPrefix(prefix + "-"), let encoding = Encoding(rawValue: String(text.dropFirst(prefix.count + 1)))
        else { return nil }
        self = encoding
    }
}
