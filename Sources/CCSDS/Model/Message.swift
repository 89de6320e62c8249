/// The five CCSDS navigation message types Essor reads and writes.
public enum MessageType: String, Sendable, CaseIterable, Codable {
    /// Orbit Ephemeris Message (CCSDS 502.0-B-3 §5).
    case oem = "OEM"
    /// Orbit Parameter Message (CCSDS 502.0-B-3 §3).
    case opm = "OPM"
    /// Orbit Mean-Elements Message (CCSDS 502.0-B-3 §4).
    case omm = "OMM"
    /// Conjunction Data Message (CCSDS 508.0-B-1).
    case cdm = "CDM"
    /// Tracking Data Message (CCSDS 503.0-B-2).
    case tdm = "TDM"

    /// The KVN version keyword and XML `id` attribute (`CCSDS_OEM_VERS` …).
    public var versionKeyword: String { "CCSDS_\(rawValue)_VERS" }
    /// The XML root element name (`oem`, `opm` …).
    public var xmlRootName: String { rawValue.lowercased() }
}

/// One CCSDS navigation message: a header, optional CDM relative metadata, and segments.
///
/// KVN, XML and the project's JSON are three encodings of this one model. Two messages are the same message iff
/// they are equal (and so iff their JSON encodings are equal).
public struct Message: Sendable, Equatable {
    /// The message type.
    public var type: MessageType
    /// The format version as written (`"3.0"`, `"2.0"`, `"1.0"`).
    public var version: String
    /// The header (comments, `CREATION_DATE`, `ORIGINATOR`, `MESSAGE_ID` …).
    public var header: Block
    /// CDM only: the relative metadata and data shared by both objects.
    public var relativeMetadata: Block?
    /// The segments: one for OPM and OMM, two for CDM (OBJECT1 then OBJECT2), one or more for OEM and TDM.
    public var segments: [Segment]

    /// Creates a message.
    public init(type: MessageType, version: String, header: Block, relativeMetadata: Block? = nil, segments: [Segment]) {
        self.type = type
        self.version = version
        self.header = header
        self.relativeMetadata = relativeMetadata
        self.segments = segments
    }
}

/// A metadata section and the data that it describes.
public struct Segment: Sendable, Equatable {
    /// The metadata block.
    public var metadata: Block
    /// The data block: its keywords and nested blocks (OPM state vector, maneuvers, CDM covariance …).
    public var data: Block
    /// OEM only: the ephemeris lines, stored densely.
    public var ephemeris: Ephemeris
    /// TDM only: the tracking observations, in order.
    public var observations: [Observation]

    /// Creates a segment.
    public init(metadata: Block, data: Block, ephemeris: Ephemeris = Ephemeris(), observations: [Observation] = []) {
        self.metadata = metadata
        self.data = data
        self.ephemeris = ephemeris
        self.observations = observations
    }
}
