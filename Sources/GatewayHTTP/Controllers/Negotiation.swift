import CCSDS
import GatewayCore
import Hummingbird

/// Chooses a representation from the `format` query parameter, or else from the `Accept` header (issue 4 §7).
enum Negotiation {
    /// The media types an `Accept` header asks for, in the client's order, without parameters; those with
    /// `q=0` dropped. An absent header asks for anything.
    static func acceptedTypes(_ accept: String?) -> [String] {
        guard let accept, !accept.isEmpty else { return ["*/*"] }
        return accept.split(separator: ",").compactMap { item in
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let type = parts.first, !type.isEmpty else { return nil }
            if parts.dropFirst().contains(where: { $0 == "q=0" || $0 == "q=0.0" || $0 == "q=0.00" || $0 == "q=0.000" })
            {
                return nil
            }
            return type
        }
    }

    /// The first of `offers` (media type → choice) the header accepts, in the client's order; `*/*`, `type/*`
    /// take the first offer of that kind. `406` when none.
    static func choose<Choice>(_ offers: [(String, Choice)], accept: String?) throws(Problem) -> Choice {
        for wanted in acceptedTypes(accept) {
            if wanted == "*/*", let first = offers.first { return first.1 }
            if wanted.hasSuffix("/*") {
                let kind = wanted.dropLast(1)
                if let offer = offers.first(where: { $0.0.hasPrefix(kind) }) { return offer.1 }
            }
            if let offer = offers.first(where: { $0.0 == wanted }) { return offer.1 }
        }
        throw Problem(
            .notAcceptable,
            "none of the accepted media types is served here; use one of "
                + offers.map(\.0).joined(separator: ", ") + " or the format parameter",
            parameter: "Accept")
    }

    /// The element-set format: `format=` when given, else by `Accept` (JSON first; `text/plain` is `plainText`).
    static func elementSetFormat(_ request: Request, plainText: ElementSetFormat) throws(Problem) -> ElementSetFormat {
        if let text = request.uri.queryParameters.get("format") {
            guard let format = ElementSetFormat(rawValue: text) else {
                throw Problem(
                    .badParameter,
                    "format '\(text)' is not one of "
                        + ElementSetFormat.allCases.map(\.rawValue).joined(separator: ", "),
                    parameter: "format")
            }
            return format
        }
        return try choose(
            [
                ("application/json", ElementSetFormat.ommJSON), ("application/xml", .ommXML), ("text/xml", .ommXML),
                ("text/csv", .ommCSV), ("text/plain", plainText),
            ], accept: request.headers[.accept])
    }

    /// The encoding of a computed `prefix` message (`oem`, `opm`): `format=PREFIX-kvn|xml|json`, else by
    /// `Accept` (KVN first).
    static func orbitEncoding(_ request: Request, prefix: String) throws(Problem) -> Encoding {
        if let text = request.uri.queryParameters.get("format") {
            guard let encoding = Encoding(formatParameter: text, prefix: prefix) else {
                throw Problem(
                    .badParameter, "format '\(text)' is not one of \(prefix)-kvn, \(prefix)-xml, \(prefix)-json",
                    parameter: "format")
            }
            return encoding
        }
        return try choose(
            [
                ("text/plain", Encoding.kvn), ("application/xml", .xml), ("text/xml", .xml),
                ("application/json", .json),
            ], accept: request.headers[.accept])
    }
}
