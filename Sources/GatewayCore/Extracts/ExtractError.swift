/// Why an extract cannot be produced from what the caller asked: each case names the request parameter at fault,
/// so the HTTP layer answers `400` naming it (or `422` when propagation fails).
public enum ExtractError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A parameter's value is malformed or out of range.
    case badParameter(name: String, reason: String)
    /// The requested ephemeris spans more than the caller's policy allows (`longest_ephemeris_span_seconds`).
    case spanTooLong(requestedSeconds: Double, limitSeconds: Int)
    /// More objects than the caller's policy allows in one bulk call (`most_objects_per_bulk_call`).
    case tooManyObjects(count: Int, limit: Int)
    /// The element set cannot be written in the asked format (e.g. a NORAD id above 339999 as TLE).
    case notRepresentable(format: String, reason: String)
    /// SGP4 failed (decay, eccentricity out of range …) at an epoch inside the asked window.
    case propagationFailed(reason: String)

    /// The query parameter at fault, when one is.
    public var parameter: String? {
        switch self {
        case .badParameter(let name, _): name
        case .spanTooLong: "stop"
        case .notRepresentable: "format"
        case .tooManyObjects, .propagationFailed: nil
        }
    }

    /// A sentence saying what is wrong and how to fix it.
    public var description: String {
        switch self {
        case .badParameter(let name, let reason): "parameter '\(name)': \(reason)"
        case .spanTooLong(let requested, let limit):
            "the ephemeris spans \(Int(requested.rounded(.up))) s; your policy allows at most \(limit) s: "
                + "ask for a shorter window"
        case .tooManyObjects(let count, let limit):
            "\(count) objects match but your policy allows at most \(limit) in one call: narrow the request "
                + "(objects=, since=)"
        case .notRepresentable(let format, let reason): "the element set cannot be written as \(format): \(reason)"
        case .propagationFailed(let reason): "SGP4 failed inside the requested window: \(reason)"
        }
    }
}
