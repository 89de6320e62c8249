import Foundation
import GatewayCore

/// An observation request as the API shows it (docs/observation-requests.md): the request, its history, its
/// schedule and its products.
struct ObservationRequestRepresentation: Encodable {
    let request: ObservationRequest

    enum CodingKeys: String, CodingKey {
        case id, href, state, requester, target, window, measurements, tracks, priority, sensor, purpose, marking
        case created, updated, schedule, history, products
        case proposedWindow = "proposed_window"
    }
    enum TargetKeys: String, CodingKey {
        case noradID = "norad_id"
        case orbit
    }
    enum OrbitKeys: String, CodingKey {
        case kind
        case objectName = "object_name"
        case objectID = "object_id"
    }
    enum WindowKeys: String, CodingKey { case start, stop }
    enum PassKeys: String, CodingKey { case sensor, start, stop }
    enum EntryKeys: String, CodingKey { case state, time, actor, user, reason }
    enum ProductKeys: String, CodingKey { case id, href }

    /// `/api/v1/observation-requests/ID`.
    static func path(_ id: String) -> String { "/api/v1/observation-requests/\(id)" }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(request.id, forKey: .id)
        try container.encode(Self.path(request.id), forKey: .href)
        try container.encode(request.state.rawValue, forKey: .state)
        try container.encode(request.requester, forKey: .requester)
        var target = container.nestedContainer(keyedBy: TargetKeys.self, forKey: .target)
        try target.encode(request.target.noradID, forKey: .noradID)
        if let orbit = request.target.orbit {
            var inline = target.nestedContainer(keyedBy: OrbitKeys.self, forKey: .orbit)
            try inline.encode(orbit.kind.rawValue, forKey: .kind)
            try inline.encode(orbit.objectName, forKey: .objectName)
            try inline.encode(orbit.objectID, forKey: .objectID)
        } else {
            try target.encodeNil(forKey: .orbit)
        }
        try Self.encode(request.window, in: &container, forKey: .window)
        if let proposed = request.proposedWindow {
            try Self.encode(proposed, in: &container, forKey: .proposedWindow)
        } else {
            try container.encodeNil(forKey: .proposedWindow)
        }
        try container.encode(request.measurements.map(\.rawValue), forKey: .measurements)
        try container.encode(request.tracks, forKey: .tracks)
        try container.encode(request.priority.rawValue, forKey: .priority)
        try container.encode(request.sensor, forKey: .sensor)
        try container.encode(request.purpose, forKey: .purpose)
        try container.encode(request.marking.description, forKey: .marking)
        try container.encode(Timestamps.text(request.created), forKey: .created)
        try container.encode(Timestamps.text(request.updated), forKey: .updated)
        var schedule = container.nestedUnkeyedContainer(forKey: .schedule)
        for pass in request.schedule {
            var item = schedule.nestedContainer(keyedBy: PassKeys.self)
            try item.encode(pass.sensor, forKey: .sensor)
            try item.encode(Timestamps.text(pass.start), forKey: .start)
            try item.encode(Timestamps.text(pass.stop), forKey: .stop)
        }
        var history = container.nestedUnkeyedContainer(forKey: .history)
        for entry in request.history {
            var item = history.nestedContainer(keyedBy: EntryKeys.self)
            try item.encode(entry.state.rawValue, forKey: .state)
            try item.encode(Timestamps.text(entry.time), forKey: .time)
            try item.encode(entry.actor.rawValue, forKey: .actor)
            try item.encode(entry.user, forKey: .user)
            try item.encode(entry.reason, forKey: .reason)
        }
        var products = container.nestedUnkeyedContainer(forKey: .products)
        for id in request.productIDs {
            var item = products.nestedContainer(keyedBy: ProductKeys.self)
            try item.encode(String(id), forKey: .id)
            try item.encode(Self.path(request.id) + "/products/\(id)", forKey: .href)
        }
    }

    private static func encode(
        _ window: DateInterval, in container: inout KeyedEncodingContainer<CodingKeys>, forKey key: CodingKeys
    ) throws {
        var nested = container.nestedContainer(keyedBy: WindowKeys.self, forKey: key)
        try nested.encode(Timestamps.text(window.start), forKey: .start)
        try nested.encode(Timestamps.text(window.end), forKey: .stop)
    }
}
