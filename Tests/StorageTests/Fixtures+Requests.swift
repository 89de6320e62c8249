import Foundation
import GatewayCore
import Policy

/// Observation requests for the request conformance suite.
extension Fixtures {
    /// `req_` and 16 hexadecimal digits ending in `suffix`.
    static func requestID(_ suffix: String) -> String {
        "req_" + String(repeating: "0", count: 16 - suffix.count) + suffix
    }

    /// A request of `requester` about `noradID`, created at `time(created)`, observing from `time(3_600)` for an
    /// hour.
    static func request(
        _ suffix: String, requester: String = "operator-a", noradID: Int? = 90001, created: Int = 0, tracks: Int = 1,
        key: String? = nil
    ) -> ObservationRequest {
        ObservationRequest(
            id: requestID(suffix), requester: requester, organisation: requester,
            target: RequestTarget(noradID: noradID),
            window: DateInterval(start: time(3_600), end: time(7_200)), measurements: [.opticalAngles], tracks: tracks,
            marking: .partners([requester]), created: time(created), idempotencyKey: key,
            bodyDigest: key.map { "sha256:\($0)" })
    }
}
