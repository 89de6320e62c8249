import Foundation
import GatewayCore
import Hummingbird

extension Request {
    /// The query parameter `name` as text, with form encoding's `+` read as a space (`type=ROCKET+BODY`; no value
    /// the gateway takes contains a literal `+`).
    func queryText(_ name: String) -> String? {
        uri.queryParameters.get(name).map { $0.replacingOccurrences(of: "+", with: " ") }
    }

    /// The query parameter `name` as a UTC ISO 8601 time; `400` naming it when malformed.
    func queryDate(_ name: String) throws(Problem) -> Date? {
        guard let text = uri.queryParameters.get(name) else { return nil }
        return try extract { try EphemerisQuery.epoch(text, parameter: name) }.date()
    }
}
