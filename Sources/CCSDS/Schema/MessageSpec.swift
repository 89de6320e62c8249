/// The whole shape of one message type: header, metadata, data, and how segments repeat.
public struct MessageSpec: Sendable {
    /// Bulk content a segment's data holds besides its keyword blocks.
    public enum Bulk: Sendable {
        /// None: the data is keyword blocks only.
        case none
        /// OEM ephemeris lines (`<stateVector>` in XML), before any covariance block.
        case ephemeris
        /// TDM observations (`KEYWORD = epoch value`; `<observation>` in XML).
        case observations
    }

    /// The message type.
    public let type: MessageType
    /// The versions this library reads, newest first; the first is written by default.
    public let versions: [String]
    /// The header, without the version keyword (CCSDS 502.0-B-3 §7.4.3 order).
    public let header: BlockSpec
    /// CDM only: relative metadata and data (`relativeMetadataData`).
    public let relativeMetadata: BlockSpec?
    /// A segment's metadata.
    public let metadata: BlockSpec
    /// A segment's data.
    public let data: BlockSpec
    /// How many segments a message has.
    public let segmentCount: ClosedRange<Int>
    /// Whether KVN metadata sits between `META_START` and `META_STOP`.
    public let metadataDelimited: Bool
    /// Whether KVN data sits between `DATA_START` and `DATA_STOP` (TDM).
    public let dataDelimited: Bool
    /// Bulk content of the data section.
    public let bulk: Bulk

    /// Creates a message specification.
    public init(
        type: MessageType, versions: [String], header: BlockSpec, relativeMetadata: BlockSpec? = nil,
        metadata: BlockSpec, data: BlockSpec, segmentCount: ClosedRange<Int>, metadataDelimited: Bool,
        dataDelimited: Bool = false, bulk: Bulk = .none
    ) {
        self.type = type
        self.versions = versions
        self.header = header
        self.relativeMetadata = relativeMetadata
        self.metadata = metadata
        self.data = data
        self.segmentCount = segmentCount
        self.metadataDelimited = metadataDelimited
        self.dataDelimited = dataDelimited
        self.bulk = bulk
    }

    /// The specification of `type`.
    public static func of(_ type: MessageType) -> MessageSpec {
        switch type {
        case .oem: .oem
        case .opm: .opm
        case .omm: .omm
        case .cdm: .cdm
        case .tdm: .tdm
        }
    }

    /// The current version (written by default).
    public var currentVersion: String { versions[0] }
}

/// Values shared by several messages.
public enum CommonValues {
    /// The twelve `TIME_SYSTEM` values of CCSDS 502.0-B-3 Annex B, Table B-2 (and the SANA time-systems registry).
    public static let timeSystems = [
        "GMST", "GPS", "MET", "MRT", "SCLK", "TAI", "TCB", "TDB", "TCG", "TT", "UT1", "UTC",
    ]

    /// Celestial reference frames of CCSDS 502.0-B-3 Annex B, Table B-3, and the SANA celestial body reference
    /// frames registry. Other values are accepted with a warning: the registry grows.
    public static let referenceFrames = [
        "EME2000", "GCRF", "GRC", "ICRF", "ITRF2000", "ITRF-93", "ITRF-97", "ITRF2005", "ITRF2008", "ITRF2014",
        "ITRF2020", "ITRF", "MCI", "TDR", "TEME", "TOD", "MOD", "J2000", "GTOD", "CIRF", "TIRF", "ECLIPJ2000",
        "ICRF3", "ITRF1993", "ITRF1997", "EFG", "ECF", "ECI", "B1950", "RTN", "TNW", "RSW", "QSW", "LVLH",
    ]

    /// Local orbital frames allowed for covariance (`COV_REF_FRAME`) and maneuvers (`MAN_REF_FRAME`), in addition to
    /// the celestial frames (CCSDS 502.0-B-3 Annex B, Table B-4).
    public static let localFrames = ["RTN", "TNW", "RSW", "QSW", "LVLH", "NSW", "NTW", "EQW", "VNC", "PQW"]

    /// `YES`/`NO` values.
    public static let yesNo = ["YES", "NO"]
}

/// Blocks shared by the ODM messages.
extension BlockSpec {
    /// The ODM header (CCSDS 502.0-B-3 §3.2.2, §4.2.2, §5.2.2; XSD `odmHeader`).
    static let odmHeader = BlockSpec(
        "header",
        [
            .optional("CLASSIFICATION", since: 3.0),
            .required("CREATION_DATE", .epoch),
            .required("ORIGINATOR"),
            .optional("MESSAGE_ID", since: 3.0),
        ])

    /// Position and velocity (XSD `stateVectorType`).
    static let stateVector = BlockSpec(
        "stateVector",
        [
            .required("EPOCH", .epoch),
            .required("X", .real(), units: ["km"]),
            .required("Y", .real(), units: ["km"]),
            .required("Z", .real(), units: ["km"]),
            .required("X_DOT", .real(), units: ["km/s"]),
            .required("Y_DOT", .real(), units: ["km/s"]),
            .required("Z_DOT", .real(), units: ["km/s"]),
        ])

    /// The 21 keywords of a 6×6 position/velocity covariance lower triangle, row by row
    /// (CCSDS 502.0-B-3 §3.2.4.8: CX_X, CY_X, CY_Y, CZ_X …).
    static let covarianceKeywords: [MemberSpec] = {
        let axes = ["X", "Y", "Z", "X_DOT", "Y_DOT", "Z_DOT"]
        var members: [MemberSpec] = []
        for row in 0..<6 {
            for column in 0...row {
                let unit: String
                switch (row < 3, column < 3) {
                case (true, true): unit = "km**2"
                case (false, false): unit = "km**2/s**2"
                default: unit = "km**2/s"
                }
                members.append(.required("C\(axes[row])_\(axes[column])", .real(), units: [unit]))
            }
        }
        return members
    }()
}
