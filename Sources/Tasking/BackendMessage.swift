import CCSDS
import Foundation
import GatewayCore

/// The bodies the gateway sends the backend (`openapi-backend.yaml`), as JSON.
public enum BackendMessage {
    /// `POST /v1/requests`: the request, the target's latest element set as flat OMM JSON (the CelesTrak /
    /// Space-Track form, one object: what `GET /api/v1/objects/{n}/elements?format=omm-json` lists) when it is a
    /// catalogue object, the inline orbit otherwise, and where to call back. Encoded in one pass: the OMM's bytes
    /// are written as the OMM writer makes them, never parsed back.
    public static func submission(_ request: ObservationRequest, latestOMM: Message?, gatewayURL: String) -> [UInt8] {
        let body = Submission(
            id: request.id, requester: request.requester, organisation: request.organisation,
            window: Window(request.window), measurements: request.measurements.map(\.rawValue), tracks: request.tracks,
            priority: request.priority.rawValue, sensor: request.sensor, purpose: request.purpose,
            marking: request.marking.description, created: Timestamps.text(request.created),
            callbacks: Callbacks(
                status: "\(gatewayURL)/internal/v1/observation-requests/\(request.id)/status",
                products: "\(gatewayURL)/internal/v1/products?request=\(request.id)"))
        var omm: [UInt8] = Array("null".utf8)
        if let latestOMM, let flat = try? OMMFlatJSON.write([latestOMM]), let object = Self.onlyElement(of: flat) {
            omm = object
        }
        let orbit = request.target.orbit.map {
            Orbit(kind: $0.kind.rawValue, text: $0.text, objectName: $0.objectName, objectID: $0.objectID)
        }
        // {"target": {"norad_id": …, "omm": <bytes>, "orbit": …}, <the rest>}
        var out = Array(#"{"target":{"norad_id":"#.utf8)
        out += Array((request.target.noradID.map(String.init) ?? "null").utf8)
        out += Array(#","omm":"#.utf8)
        out += omm
        out += Array(#","orbit":"#.utf8)
        out += orbit.flatMap { try? encode($0) } ?? Array("null".utf8)
        out += Array("},".utf8)
        let rest = (try? encode(body)) ?? Array("{}".utf8)
        out += rest.dropFirst()
        return out
    }

    /// `POST /v1/requests/{id}/accept`: the window the requester accepted.
    public static func acceptance(_ request: ObservationRequest) -> [UInt8] {
        (try? encode(["window": Window(request.window)])) ?? Array("{}".utf8)
    }

    /// The object of a one-element JSON array (`[ {…} ]`), without the brackets.
    static func onlyElement(of array: [UInt8]) -> [UInt8]? {
        guard let open = array.firstIndex(of: UInt8(ascii: "[")), let close = array.lastIndex(of: UInt8(ascii: "]")),
            open < close
        else { return nil }
        let inner = array[(open + 1)..<close]
        guard let first = inner.firstIndex(where: { $0 == UInt8(ascii: "{") }),
            let last = inner.lastIndex(where: { $0 == UInt8(ascii: "}") })
        else { return nil }
        return Array(inner[first...last])
    }

    private static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    /// `{"start", "stop"}` in UTC with milliseconds.
    struct Window: Encodable {
        let start: String
        let stop: String
        init(_ interval: DateInterval) {
            start = Timestamps.text(interval.start)
            stop = Timestamps.text(interval.end)
        }
    }

    struct Callbacks: Encodable {
        let status: String
        let products: String
    }

    struct Orbit: Encodable {
        let kind: String
        let text: String
        let objectName: String?
        let objectID: String?

        enum CodingKeys: String, CodingKey {
            case kind, text
            case objectName = "object_name"
            case objectID = "object_id"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(kind, forKey: .kind)
            try container.encode(text, forKey: .text)
            try container.encode(objectName, forKey: .objectName)
            try container.encode(objectID, forKey: .objectID)
        }
    }

    /// Everything but the target, keys sorted.
    struct Submission: Encodable {
        let id: String
        let requester: String
        let organisation: String
        let window: Window
        let measurements: [String]
        let tracks: Int
        let priority: String
        let sensor: String?
        let purpose: String?
        let marking: String
        let created: String
        let callbacks: Callbacks

        enum CodingKeys: String, CodingKey {
            case id, requester, organisation, window, measurements, tracks, priority, sensor, purpose, marking, created
            case callbacks
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(requester, forKey: .requester)
            try container.encode(organisation, forKey: .organisation)
            try container.encode(window, forKey: .window)
            try container.encode(measurements, forKey: .measurements)
            try container.encode(tracks, forKey: .tracks)
            try container.encode(priority, forKey: .priority)
            try container.encode(sensor, forKey: .sensor)
            try container.encode(purpose, forKey: .purpose)
            try container.encode(marking, forKey: .marking)
            try container.encode(created, forKey: .created)
            try container.encode(callbacks, forKey: .callbacks)
        }
    }
}
