import Foundation

extension FeedEvent {
    /// The event of a request's transition: `observation-request.<state>`, about the request's object, with no
    /// owner, provider or marking (so no product rule ever shows it) and the details the requester needs. Only the
    /// requester and administrators see it (`FeedEvent.isVisible(toRequester:)`). Both engines build it here.
    public init(request: ObservationRequest, entry: RequestHistoryEntry, previous: RequestState?) {
        var details: [String: String] = [
            "request": request.id, "requester": request.requester, "state": entry.state.rawValue,
            "actor": entry.actor.rawValue,
        ]
        if let previous { details["previous"] = previous.rawValue }
        if let reason = entry.reason { details["reason"] = reason }
        let data = (try? JSONSerialization.data(withJSONObject: details, options: [.sortedKeys])) ?? Data("{}".utf8)
        self.init(
            type: entry.state.eventType, noradIDs: request.noradIDs, time: entry.time,
            details: String(decoding: data, as: UTF8.self))
    }

    /// Whether this is an observation request's event (`observation-request.*`).
    public var isRequestEvent: Bool { type.hasPrefix(SubscriptionTopic.observationRequestEventPrefix) }

    /// The request an `observation-request.*` event is about (`details.request`).
    public var requestID: String? { detail("request") }

    /// The user whose request an `observation-request.*` event is about (`details.requester`): with
    /// administrators, the only one who sees it.
    public var requester: String? { isRequestEvent ? detail("requester") : nil }

    /// One string of the event's details.
    public func detail(_ key: String) -> String? {
        guard let details,
            let object = try? JSONSerialization.jsonObject(with: Data(details.utf8)) as? [String: Any]
        else { return nil }
        return object[key] as? String
    }
}
