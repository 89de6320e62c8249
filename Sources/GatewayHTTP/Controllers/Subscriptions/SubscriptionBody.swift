import Foundation
import GatewayCore

/// A subscription's JSON body (`POST` and `PATCH /api/v1/subscriptions`), read strictly: unknown keys, wrong types
/// and values out of range are `400` problems naming the field (`filter.min_pc`, `channel.url` …).
struct SubscriptionBody {
    var topic: SubscriptionTopic?
    var filter: SubscriptionFilter?
    var format: DeliveryFormat?
    var channel: DeliveryChannel?
    var state: SubscriptionState?
    var rotateSecret = false

    static let keys: Set<String> = ["topic", "filter", "format", "channel", "state", "rotate_secret"]
    static let filterKeys: Set<String> = ["objects", "min_pc", "max_miss_m", "provider", "participant", "kinds"]

    init(_ bytes: [UInt8]) throws(Problem) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)), let json = object as? [String: Any]
        else { throw Problem(.badParameter, "the body must be one JSON object", parameter: "body") }
        try Self.refuseUnknown(json, known: Self.keys, prefix: "")
        if let value = json["topic"] {
            guard let text = value as? String, let topic = SubscriptionTopic(rawValue: text) else {
                throw Self.bad("topic", "must be one of " + SubscriptionTopic.allCases.map(\.rawValue).joined(separator: ", "))
            }
            self.topic = topic
        }
        if let value = json["format"] {
            guard let text = value as? String, let format = DeliveryFormat(rawValue: text) else {
                throw Self.bad("format", "must be kvn, xml or json")
            }
            self.format = format
        }
        if let value = json["state"] {
            guard let text = value as? String, let state = SubscriptionState(rawValue: text), state != .disabled else {
                throw Self.bad("state", "must be active or paused (the gateway alone disables a subscription)")
            }
            self.state = state
        }
        if let value = json["rotate_secret"] {
            guard let flag = value as? Bool else { throw Self.bad("rotate_secret", "must be true or false") }
            rotateSecret = flag
        }
        if let value = json["filter"] { filter = try Self.filter(value) }
        if let value = json["channel"] { channel = try Self.channel(value) }
    }

    private static func filter(_ value: Any) throws(Problem) -> SubscriptionFilter {
        guard let json = value as? [String: Any] else { throw bad("filter", "must be a JSON object") }
        try refuseUnknown(json, known: filterKeys, prefix: "filter.")
        var filter = SubscriptionFilter()
        if let value = json["objects"], !(value is NSNull) {
            guard let list = value as? [Any], list.count <= 10_000 else {
                throw bad("filter.objects", "must be a list of at most 10000 NORAD ids")
            }
            var ids: [Int] = []
            for item in list {
                guard let number = item as? NSNumber, !number.isJSONBoolean, let id = Int(exactly: number.doubleValue),
                    (1...999_999_999).contains(id)
                else { throw bad("filter.objects", "holds '\(item)', which is not a NORAD id") }
                ids.append(id)
            }
            filter.objects = Array(Set(ids)).sorted()
        }
        filter.minimumCollisionProbability = try number(json["min_pc"], "filter.min_pc", 0...1)
        filter.maximumMissDistanceMetres = try number(json["max_miss_m"], "filter.max_miss_m", 0...1e9)
        filter.provider = try text(json["provider"], "filter.provider")
        filter.participant = try text(json["participant"], "filter.participant")
        if let value = json["kinds"], !(value is NSNull) {
            guard let list = value as? [Any] else { throw bad("filter.kinds", "must be a list of product kinds") }
            for item in list {
                guard let text = item as? String, let kind = ProductKind(rawValue: text) else {
                    throw bad(
                        "filter.kinds",
                        "holds '\(item)': kinds are " + ProductKind.allCases.map(\.rawValue).joined(separator: ", "))
                }
                filter.kinds.insert(kind)
            }
        }
        return filter
    }

    private static func channel(_ value: Any) throws(Problem) -> DeliveryChannel {
        guard let json = value as? [String: Any], let type = json["type"] as? String else {
            throw bad("channel.type", "the channel must be an object with a type: webhook, sftp or drop")
        }
        switch type {
        case "webhook":
            try refuseUnknown(json, known: ["type", "url"], prefix: "channel.")
            guard let url = json["url"] as? String, let parts = URLComponents(string: url),
                let scheme = parts.scheme?.lowercased(), ["https", "http"].contains(scheme), let host = parts.host,
                !host.isEmpty, url.utf8.count <= 2048
            else { throw bad("channel.url", "must be an absolute https:// URL (http:// only inside an allowed range)") }
            guard parts.user == nil, parts.password == nil else {
                throw bad("channel.url", "must not carry credentials: the signature authenticates the gateway")
            }
            return .webhook(url: url)
        case "sftp":
            try refuseUnknown(json, known: ["type", "url", "username", "host_key_sha256"], prefix: "channel.")
            guard let url = json["url"] as? String, let parts = URLComponents(string: url),
                parts.scheme?.lowercased() == "sftp", let host = parts.host, !host.isEmpty, parts.user == nil
            else { throw bad("channel.url", "must be sftp://HOST[:PORT]/DIRECTORY") }
            guard let username = json["username"] as? String, !username.isEmpty, username.utf8.count <= 64,
                !username.contains(where: { $0 == "/" || $0 == ":" || $0 == "@" || $0.isWhitespace })
            else { throw bad("channel.username", "must be the SFTP account name") }
            guard let fingerprint = json["host_key_sha256"] as? String, Self.isSHA256Fingerprint(fingerprint) else {
                throw bad(
                    "channel.host_key_sha256",
                    "must be the server host key's SHA-256 fingerprint in base64 (ssh-keygen -lf KEY.pub -E sha256, "
                        + "without 'SHA256:'): the host key is pinned, never accepted blindly")
            }
            return .sftp(url: url, username: username, hostKeySHA256: Self.strippedFingerprint(fingerprint))
        case "drop":
            try refuseUnknown(json, known: ["type"], prefix: "channel.")
            return .drop
        default:
            throw bad("channel.type", "must be webhook, sftp or drop, not '\(type)'")
        }
    }

    /// Whether `text` is a base64 SHA-256 digest (43 characters, or 44 with `=`), with or without `SHA256:`.
    static func isSHA256Fingerprint(_ text: String) -> Bool {
        let core = strippedFingerprint(text)
        var padded = core
        while padded.utf8.count % 4 != 0 { padded += "=" }
        return core.utf8.count == 43 && Data(base64Encoded: padded)?.count == 32
    }

    static func strippedFingerprint(_ text: String) -> String {
        var core = text.hasPrefix("SHA256:") ? String(text.dropFirst(7)) : text
        while core.hasSuffix("=") { core.removeLast() }
        return core
    }

    private static func refuseUnknown(_ json: [String: Any], known: Set<String>, prefix: String) throws(Problem) {
        if let unknown = json.keys.sorted().first(where: { !known.contains($0) }) {
            throw bad(prefix + unknown, "is not a field here; known: " + known.sorted().joined(separator: ", "))
        }
    }

    private static func number(_ value: Any?, _ name: String, _ range: ClosedRange<Double>) throws(Problem) -> Double? {
        guard let value, !(value is NSNull) else { return nil }
        guard let number = value as? NSNumber, !number.isJSONBoolean, range.contains(number.doubleValue) else {
            throw bad(name, "must be a number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number.doubleValue
    }

    private static func text(_ value: Any?, _ name: String) throws(Problem) -> String? {
        guard let value, !(value is NSNull) else { return nil }
        guard let text = value as? String, !text.isEmpty, text.utf8.count <= 200 else {
            throw bad(name, "must be a non-empty string")
        }
        return text
    }

    static func bad(_ field: String, _ message: String) -> Problem {
        Problem(.badParameter, "\(field) \(message)", parameter: field)
    }
}
