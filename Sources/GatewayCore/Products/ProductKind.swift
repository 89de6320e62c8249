import CCSDS

/// The CCSDS message types a product can be (DESIGN §1 flow 2); raw values are the lowercase message names used in
/// routes and in the store.
public enum ProductKind: String, Sendable, CaseIterable {
    /// A Conjunction Data Message (CCSDS 508.0-B-1).
    case cdm
    /// A Tracking Data Message (CCSDS 503.0-B-2).
    case tdm
    /// An Orbit Ephemeris Message (CCSDS 502.0-B-3 §5).
    case oem
    /// An Orbit Parameter Message (CCSDS 502.0-B-3 §3).
    case opm
    /// An Orbit Mean-Elements Message (CCSDS 502.0-B-3 §4).
    case omm

    /// The kind of a message of `type`.
    public init(_ type: MessageType) {
        switch type {
        case .cdm: self = .cdm
        case .tdm: self = .tdm
        case .oem: self = .oem
        case .opm: self = .opm
        case .omm: self = .omm
        }
    }

    /// The CCSDS message type of the kind.
    public var messageType: MessageType {
        switch self {
        case .cdm: .cdm
        case .tdm: .tdm
        case .oem: .oem
        case .opm: .opm
        case .omm: .omm
        }
    }
}

/// What the data in a product is for, as the submitter states it; raw values are the upper-case spellings used in
/// requests and in the store.
public enum DataMode: String, Sendable, CaseIterable {
    /// Operational data about real objects.
    case real = "REAL"
    /// Test data (interfaces, formats): not to be acted upon.
    case test = "TEST"
    /// Simulated data (synthetic objects or observations).
    case simulated = "SIMULATED"
    /// Data of an exercise scenario.
    case exercise = "EXERCISE"
}
