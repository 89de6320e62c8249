import CCSDS
import Foundation
import GatewayCore
import Policy

/// An observation request's JSON body (`POST /api/v1/observation-requests`, issue 11 §1), read strictly: unknown
/// keys, wrong types and values out of range are refused naming the field (`window.start`, `target.orbit` …).
/// What needs the policy or the catalogue (may the caller task this object, at this priority, this long?) is
/// checked by the caller afterwards (`TaskingQuotas.check`).
public struct RequestSubmission: Sendable, Equatable {
    /// What to observe.
    public var target: RequestTarget
    /// When.
    public var window: DateInterval
    /// What to measure.
    public var measurements: [MeasurementType]
    /// How many tracks.
    public var tracks: Int
    /// How urgently.
    public var priority: ObservationPriority
    /// A sensor or site asked for.
    public var sensor: String?
    /// Why.
    public var purpose: String?
    /// The products' marking; nil leaves it to the gateway (`partners:<the requester's organisation>`).
    public var marking: Marking?
    /// The SHA-256 (hex) of the body as canonical JSON (sorted keys): what an idempotent retry must repeat.
    public var digest: String

    /// The keys of the body.
    public static let keys: Set<String> = [
        "target", "window", "measurements", "tracks", "priority", "sensor", "purpose", "marking",
    ]
    /// The most tracks one request may ask for.
    public static let mostTracks = 100
    /// How far in the past a window may start (clock skew, the time the request takes to arrive).
    public static let startGrace: TimeInterval = 60

    /// Reads `bytes` as of `now`.
    public init(_ bytes: [UInt8], now: Date = Date()) throws(RequestSubmissionError) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)), let json = object as? [String: Any]
        else { throw RequestSubmissionError("body", "must be one JSON object") }
        try Self.refuseUnknown(json, known: Self.keys, prefix: "")
        let canonical = (try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])) ?? Data(bytes)
        digest = Product.contentHash(of: Array(canonical))
        target = try Self.target(json["target"])
        window = try Self.window(json["window"], now: now)
        measurements = try Self.measurements(json["measurements"])
        tracks = 1
        if let value = json["tracks"], !(value is NSNull) {
            guard let number = value as? NSNumber, !number.isJSONBoolean, let count = Int(exactly: number.doubleValue),
                (1...Self.mostTracks).contains(count)
            else { throw RequestSubmissionError("tracks", "must be a whole number from 1 to \(Self.mostTracks)") }
            tracks = count
        }
        priority = .routine
        if let value = json["priority"], !(value is NSNull) {
            guard let text = value as? String, let level = ObservationPriority(rawValue: text) else {
                throw RequestSubmissionError("priority", "must be routine, urgent or emergency")
            }
            priority = level
        }
        sensor = try Self.text(json["sensor"], "sensor", longest: 64)
        if let sensor, !sensor.allSatisfy({ $0.isLetter || $0.isNumber || "-_. ".contains($0) }) {
            throw RequestSubmissionError("sensor", "may hold letters, digits, spaces and - _ . only")
        }
        purpose = try Self.text(json["purpose"], "purpose", longest: 1000)
        if let text = try Self.text(json["marking"], "marking", longest: 1000) {
            guard let value = Marking(text) else {
                throw RequestSubmissionError(
                    "marking", "must be public, operators, partners:<org>[,<org>…] or restricted, not '\(text)'")
            }
            marking = value
        }
    }

    private static func target(_ value: Any?) throws(RequestSubmissionError) -> RequestTarget {
        guard let value, !(value is NSNull) else {
            throw RequestSubmissionError("target", "is required: {\"norad_id\": N} or {\"orbit\": \"<OMM, OEM or OPM>\"}")
        }
        guard let json = value as? [String: Any] else { throw RequestSubmissionError("target", "must be a JSON object") }
        try refuseUnknown(json, known: ["norad_id", "orbit"], prefix: "target.")
        let norad = json["norad_id"].flatMap { $0 is NSNull ? nil : $0 }
        let orbit = json["orbit"].flatMap { $0 is NSNull ? nil : $0 }
        switch (norad, orbit) {
        case (nil, nil):
            throw RequestSubmissionError("target", "names no object: give norad_id or orbit")
        case (.some, .some):
            throw RequestSubmissionError("target", "gives both norad_id and orbit: give one")
        case (.some(let value), nil):
            guard let number = value as? NSNumber, !number.isJSONBoolean, let id = Int(exactly: number.doubleValue),
                (1...999_999_999).contains(id)
            else { throw RequestSubmissionError("target.norad_id", "must be a NORAD catalogue number (1 to 999999999)") }
            return RequestTarget(noradID: id)
        case (nil, .some(let value)):
            guard let text = value as? String, !text.isEmpty else {
                throw RequestSubmissionError("target.orbit", "must be the text of a CCSDS OMM, OEM or OPM (KVN or XML)")
            }
            let parsed: ParsedProduct
            do {
                parsed = try ProductSubmission.parse(Array(text.utf8), accepting: [.omm, .oem, .opm])
            } catch {
                throw RequestSubmissionError("target.orbit", "is not a valid orbit: \(error.description)", cause: error)
            }
            let metadata = parsed.message.segments.first?.metadata
            let orbit = InlineOrbit(
                kind: parsed.facts.kind, text: text, objectName: metadata?.find("OBJECT_NAME")?.text,
                objectID: metadata?.find("OBJECT_ID")?.text)
            return RequestTarget(noradID: parsed.facts.noradIDs.first, orbit: orbit)
        }
    }

    private static func window(_ value: Any?, now: Date) throws(RequestSubmissionError) -> DateInterval {
        guard let value, !(value is NSNull) else {
            throw RequestSubmissionError("window", "is required: {\"start\": \"…Z\", \"stop\": \"…Z\"}")
        }
        guard let json = value as? [String: Any] else { throw RequestSubmissionError("window", "must be a JSON object") }
        try refuseUnknown(json, known: ["start", "stop"], prefix: "window.")
        let start = try instant(json["start"], "window.start")
        let stop = try instant(json["stop"], "window.stop")
        guard start >= now.addingTimeInterval(-startGrace) else {
            throw RequestSubmissionError("window.start", "is in the past: a window must start in the future")
        }
        guard stop > start else { throw RequestSubmissionError("window.stop", "must be after window.start") }
        return DateInterval(start: start, end: stop)
    }

    private static func measurements(_ value: Any?) throws(RequestSubmissionError) -> [MeasurementType] {
        let names = MeasurementType.allCases.map(\.rawValue).joined(separator: ", ")
        guard let list = value as? [Any], !list.isEmpty else {
            throw RequestSubmissionError("measurements", "is required: a non-empty list of \(names)")
        }
        var result: [MeasurementType] = []
        for item in list {
            guard let text = item as? String, let type = MeasurementType(rawValue: text) else {
                throw RequestSubmissionError("measurements", "holds '\(item)': measurements are \(names)")
            }
            if !result.contains(type) { result.append(type) }
        }
        return result
    }

    /// An ISO 8601 UTC instant (`2026-12-08T20:00:00Z`, fractional seconds and offsets allowed).
    public static func instant(_ value: Any?, _ field: String) throws(RequestSubmissionError) -> Date {
        guard let text = value as? String else {
            throw RequestSubmissionError(field, "is required: an ISO 8601 time such as 2026-12-08T20:00:00Z")
        }
        if let date = parseInstant(text) { return date }
        throw RequestSubmissionError(field, "'\(text)' is not an ISO 8601 time with a zone such as 2026-12-08T20:00:00Z")
    }

    /// Parses an ISO 8601 instant with a zone; nil when it is not one.
    public static func parseInstant(_ text: String) -> Date? {
        let plain = Date.ISO8601FormatStyle()
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        return (try? plain.parse(text)) ?? (try? fractional.parse(text))
    }

    private static func text(_ value: Any?, _ field: String, longest: Int) throws(RequestSubmissionError) -> String? {
        guard let value, !(value is NSNull) else { return nil }
        guard let text = value as? String else { throw RequestSubmissionError(field, "must be a string") }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= longest else {
            throw RequestSubmissionError(field, "must hold 1 to \(longest) characters")
        }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" })
        else { throw RequestSubmissionError(field, "must not hold control characters") }
        return trimmed
    }

    static func refuseUnknown(_ json: [String: Any], known: Set<String>, prefix: String)
        throws(RequestSubmissionError)
    {
        if let unknown = json.keys.sorted().first(where: { !known.contains($0) }) {
            throw RequestSubmissionError(
                prefix + unknown, "is not a known key; known: " + known.sorted().map { prefix + $0 }.joined(separator: ", "))
        }
    }
}

/// A submission refused before anything was stored: the field at fault and why (a `400` problem naming it).
public struct RequestSubmissionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field, dotted (`window.start`).
    public var field: String
    /// What is wrong.
    public var message: String
    /// For an invalid inline orbit: the message's diagnostics.
    public var cause: ProductSubmissionError?

    /// Creates the refusal.
    public init(_ field: String, _ message: String, cause: ProductSubmissionError? = nil) {
        self.field = field
        self.message = message
        self.cause = cause
    }

    /// `window.start is in the past …`.
    public var description: String { "\(field) \(message)" }
}
