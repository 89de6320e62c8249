import Foundation

/// `POST /v1/requests`: what the gateway forwards (docs/observation-requests.md, "Essor → backend"). Unknown keys are
/// ignored (the gateway may add some); the ones the backend needs are checked.
public struct Submission: Codable, Sendable, Equatable {
    public struct Target: Codable, Sendable, Equatable {
        public var noradID: Int?
        enum CodingKeys: String, CodingKey { case noradID = "norad_id" }
    }
    public struct Callbacks: Codable, Sendable, Equatable {
        public var status: String
        public var products: String
    }
    public var id: String
    public var requester: String
    public var target: Target
    public var window: TimeWindow
    public var measurements: [String]
    public var tracks: Int
    public var priority: String
    public var sensor: String?
    public var marking: String?
    public var callbacks: Callbacks?
}

/// `POST /v1/requests/{id}/accept`.
public struct Acceptance: Codable, Sendable {
    public var window: TimeWindow
}

/// `POST {gateway}/internal/v1/observation-requests/{id}/status`.
public struct StatusReport: Codable, Sendable, Equatable {
    public struct ScheduleEntry: Codable, Sendable, Equatable {
        public var sensor: String
        public var start: Date
        public var stop: Date
    }
    public var state: String
    public var reason: String?
    public var schedule: [ScheduleEntry]?
    public var proposedWindow: TimeWindow?

    enum CodingKeys: String, CodingKey {
        case state, reason, schedule
        case proposedWindow = "proposed_window"
    }

    public init(state: String, reason: String? = nil, schedule: [ScheduleEntry]? = nil, proposedWindow: TimeWindow? = nil) {
        self.state = state
        self.reason = reason
        self.schedule = schedule
        self.proposedWindow = proposedWindow
    }
}

/// The protocol's JSON: UTC ISO 8601 times with milliseconds, both ways.
public enum ProtocolJSON {
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = parse(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "'\(text)' is not a UTC ISO 8601 time")
            }
            return date
        }
        return decoder
    }

    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(text(date))
        }
        return encoder
    }

    /// `2026-12-08T20:00:00.000Z`.
    public static func text(_ date: Date) -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
    }

    /// Parses ISO 8601 with or without fractional seconds; a time without a zone is read as UTC.
    public static func parse(_ text: String) -> Date? {
        let zoned = text.hasSuffix("Z") || text.contains("+") || text.dropFirst(10).contains("-") ? text : text + "Z"
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        if let date = try? fractional.parse(zoned) { return date }
        return try? Date.ISO8601FormatStyle().parse(zoned)
    }
}
