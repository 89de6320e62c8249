import Foundation
import GatewayCore
import Hummingbird
import Policy
import Tasking

/// The backend's status callback (issue 11 §3): `POST /internal/v1/observation-requests/{id}/status` with
/// `{"state", "reason", "schedule": [{sensor, start, stop}], "proposed_window": {start, stop}}`. Decided by
/// `ingest` (the backend user); the move is checked by the state machine like any other (`409` when illegal).
struct BackendStatusController: Sendable {
    let store: any GatewayStore
    let gatekeeper: Gatekeeper

    static let keys: Set<String> = ["state", "reason", "schedule", "proposed_window"]

    func addRoutes(internal group: RouterGroup<GatewayRequestContext>) {
        group.post("observation-requests/:id/status", use: status)
    }

    @Sendable func status(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let id = context.parameters.get("id") ?? ""
        let decision = try await gatekeeper.decide(
            principal, .ingest, on: Resource(kind: .observationRequest, identifier: id), context: context,
            route: context.endpointPath ?? request.uri.path)
        guard decision.isAllowed else { throw Problem(.forbidden, "only the backend reports request status") }
        guard ObservationRequest.isID(id) else { throw Problem(.notFound, "no observation request '\(id)'") }
        let bytes = try await ObservationRequestsController.readBody(request)
        let change = try Self.change(bytes, id: id, user: principal.userName)
        let moved = try await ObservationRequestsController.apply(change, store: store)
        context.logger.info(
            "observation request status from the backend",
            metadata: ["observation_request.id": "\(id)", "state": "\(moved.state.rawValue)"])
        return try JSONResponse.make(ObservationRequestRepresentation(request: moved))
    }

    /// The change a status body asks for; `400` naming the field at fault.
    static func change(_ bytes: [UInt8], id: String, user: String, now: Date = Timestamps.now()) throws(Problem) -> RequestChange {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)), let json = object as? [String: Any]
        else { throw Problem(.badParameter, "the body must be one JSON object", parameter: "body") }
        if let unknown = json.keys.sorted().first(where: { !keys.contains($0) }) {
            throw Problem(
                .badParameter, "\(unknown) is not a known key; known: " + keys.sorted().joined(separator: ", "),
                parameter: unknown)
        }
        guard let text = json["state"] as? String, let state = RequestState(rawValue: text) else {
            throw Problem(
                .badParameter, "state must be one of " + RequestState.allCases.map(\.rawValue).joined(separator: ", "),
                parameter: "state")
        }
        var change = RequestChange(id: id, to: state, actor: .backend, user: user, time: now)
        if let value = json["reason"], !(value is NSNull) {
            guard let reason = value as? String, reason.count <= 1000 else {
                throw Problem(.badParameter, "reason must be a string of at most 1000 characters", parameter: "reason")
            }
            change.reason = reason
        }
        if let value = json["schedule"], !(value is NSNull) {
            guard let list = value as? [Any], list.count <= 1000 else {
                throw Problem(.badParameter, "schedule must be a list of at most 1000 passes", parameter: "schedule")
            }
            var passes: [ScheduledPass] = []
            for (index, item) in list.enumerated() {
                let field = "schedule[\(index)]"
                guard let pass = item as? [String: Any], let sensor = pass["sensor"] as? String, !sensor.isEmpty,
                    sensor.count <= 64
                else { throw Problem(.badParameter, "\(field).sensor must name a sensor", parameter: field) }
                let window = try interval(pass, field: field)
                passes.append(ScheduledPass(sensor: sensor, start: window.start, stop: window.end))
            }
            change.schedule = passes
        }
        if let value = json["proposed_window"], !(value is NSNull) {
            guard let window = value as? [String: Any] else {
                throw Problem(.badParameter, "proposed_window must be {\"start\", \"stop\"}", parameter: "proposed_window")
            }
            change.proposedWindow = try interval(window, field: "proposed_window")
        }
        if state == .proposed && change.proposedWindow == nil {
            throw Problem(.badParameter, "proposed_window is required with PROPOSED", parameter: "proposed_window")
        }
        return change
    }

    private static func interval(_ json: [String: Any], field: String) throws(Problem) -> DateInterval {
        guard let startText = json["start"] as? String, let start = RequestSubmission.parseInstant(startText) else {
            throw Problem(.badParameter, "\(field).start must be an ISO 8601 time", parameter: "\(field).start")
        }
        guard let stopText = json["stop"] as? String, let stop = RequestSubmission.parseInstant(stopText), stop > start
        else {
            throw Problem(
                .badParameter, "\(field).stop must be an ISO 8601 time after \(field).start", parameter: "\(field).stop")
        }
        return DateInterval(start: start, end: stop)
    }
}
