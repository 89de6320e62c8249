import CCSDS
import Foundation
import GatewayCore

/// The bodies the gateway sends the backend (`openapi-backend.yaml`), as JSON.
public enum BackendMessage {
    /// `POST /v1/requests`: the request, the target's latest orbit as OMM JSON (the project's JSON encoding of the
    /// OMM) when it is a catalogue object, the inline orbit otherwise, and where to call back.
    public static func submission(_ request: ObservationRequest, latestOMM: Message?, gatewayURL: String) -> [UInt8] {
        var target: [String: Any] = ["norad_id": request.target.noradID as Any? ?? NSNull(), "omm": NSNull(), "orbit": NSNull()]
        if let latestOMM,
            let omm = try? JSONSerialization.jsonObject(with: Data(JSONMessageWriter.write(latestOMM)))
        {
            target["omm"] = omm
        }
        if let orbit = request.target.orbit {
            target["orbit"] = [
                "kind": orbit.kind.rawValue, "text": orbit.text, "object_name": orbit.objectName as Any? ?? NSNull(),
                "object_id": orbit.objectID as Any? ?? NSNull(),
            ]
        }
        let body: [String: Any] = [
            "id": request.id, "requester": request.requester, "organisation": request.organisation,
            "target": target, "window": window(request.window),
            "measurements": request.measurements.map(\.rawValue), "tracks": request.tracks,
            "priority": request.priority.rawValue, "sensor": request.sensor as Any? ?? NSNull(),
            "purpose": request.purpose as Any? ?? NSNull(), "marking": request.marking.description,
            "created": Timestamps.text(request.created),
            "callbacks": [
                "status": "\(gatewayURL)/internal/v1/observation-requests/\(request.id)/status",
                "products": "\(gatewayURL)/internal/v1/products?request=\(request.id)",
            ],
        ]
        return encode(body)
    }

    /// `POST /v1/requests/{id}/accept`: the window the requester accepted.
    public static func acceptance(_ request: ObservationRequest) -> [UInt8] {
        encode(["window": window(request.window)])
    }

    /// `{"start", "stop"}` in UTC with milliseconds.
    public static func window(_ interval: DateInterval) -> [String: String] {
        ["start": Timestamps.text(interval.start), "stop": Timestamps.text(interval.end)]
    }

    private static func encode(_ object: [String: Any]) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data())
    }
}
