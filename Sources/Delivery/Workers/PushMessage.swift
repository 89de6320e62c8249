import CCSDS
import Foundation
import GatewayCore
import Policy

/// One message as a subscription receives it (issue 10 §2–4): the webhook body and the file of SFTP and drop
/// channels, rendered once per (event, format, withheld fields) and shared by every subscription that gets it.
public struct PushMessage: Sendable {
    /// The event type as receivers see it: `cdm.stored`, `tdm.stored` … (`<kind>.stored`), `test.ping`, or an
    /// observation request's own type.
    public var type: String
    /// The webhook body: `{"type", "timestamp", "data": {…summary, "content"?}}`.
    public var webhookBody: [UInt8]
    /// The file name of SFTP and drop channels: `<kind>_<product id>_<creation time>.<ext>`.
    public var fileName: String
    /// The file's content: the message in the subscription's format (the webhook body for events without one).
    public var fileBytes: [UInt8]

    /// Renders the `product.stored` event of `product` (full, with its bytes) in `format`, withholding `hidden`.
    /// Throws when the message cannot be written in that format (a CCSDS version without XML, say).
    public static func product(
        _ product: Product, format: DeliveryFormat, hidden: Set<HiddenField>, at time: Date, inlineLimitBytes: Int
    ) throws -> PushMessage {
        let encoding = Encoding(rawValue: format.rawValue) ?? .kvn
        let content: [UInt8]
        if encoding.rawValue == product.encoding && hidden.isEmpty {
            content = product.bytes
        } else {
            content = try MessageWriter.write(ProductRedaction.redact(product.message, hiding: hidden), as: encoding)
        }
        var data = try JSONSerialization.jsonObject(
            with: try JSONEncoder().encode(ProductRepresentation(product: product))) as? [String: Any] ?? [:]
        data["content_format"] = format.rawValue
        var inline: [UInt8]?
        if content.count <= inlineLimitBytes {
            inline = format == .json ? content : Self.jsonString(content)
        } else {
            data["content_omitted"] = "the message is \(content.count) bytes, over the \(inlineLimitBytes)-byte inline limit: GET href"
        }
        let type = "\(product.kind.rawValue).stored"
        let body = try Self.envelope(type: type, time: time, data: data, rawContent: inline)
        let stamp = Self.compactTime(product.created ?? product.received)
        let name = "\(product.kind.rawValue)_\(product.id ?? 0)_\(stamp).\(format.rawValue)"
        return PushMessage(type: type, webhookBody: body, fileName: name, fileBytes: content)
    }

    /// Renders an event that is not a product's arrival (`test.ping`, an observation request's state change):
    /// `data` holds the event's id, time, objects and its details.
    public static func event(_ event: FeedEvent, at time: Date) throws -> PushMessage {
        var data: [String: Any] = [
            "event_id": String(event.id), "time": Timestamps.text(event.time), "norad_ids": event.noradIDs,
        ]
        if let details = event.details, let object = try? JSONSerialization.jsonObject(with: Data(details.utf8)) {
            data["details"] = object
        }
        let body = try Self.envelope(type: event.type, time: time, data: data, rawContent: nil)
        let name = "\(event.type.replacingOccurrences(of: ".", with: "-"))_\(event.id)_\(Self.compactTime(event.time)).json"
        return PushMessage(type: event.type, webhookBody: body, fileName: name, fileBytes: body)
    }

    /// `{"type": …, "timestamp": …, "data": {…, "content": RAW}}` with sorted keys; `rawContent` is spliced in as
    /// JSON text (a string literal, or the message's own JSON).
    private static func envelope(type: String, time: Date, data: [String: Any], rawContent: [UInt8]?) throws
        -> [UInt8]
    {
        var dataText = Array(try JSONSerialization.data(withJSONObject: data, options: [.sortedKeys, .withoutEscapingSlashes]))
        if let rawContent {
            dataText.removeLast()  // the closing brace
            if dataText.count > 1 { dataText.append(UInt8(ascii: ",")) }
            dataText += Array("\"content\":".utf8) + rawContent + [UInt8(ascii: "}")]
        }
        let head = try JSONSerialization.data(
            withJSONObject: ["type": type, "timestamp": Timestamps.text(time)], options: [.sortedKeys])
        var body = Array(head)
        body.removeLast()
        body += Array(",\"data\":".utf8) + dataText + [UInt8(ascii: "}")]
        return body
    }

    /// `bytes` (UTF-8 text) as a JSON string literal.
    static func jsonString(_ bytes: [UInt8]) -> [UInt8] {
        let text = String(decoding: bytes, as: UTF8.self)
        let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
        return Array(data.dropFirst().dropLast())
    }

    /// `20261207T180000Z`: a file-name-safe UTC time to the second.
    static func compactTime(_ date: Date) -> String {
        let text = Timestamps.text(date)  // 2026-12-07T18:00:00.000Z
        return String(text.prefix(19)).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
            + "Z"
    }
}
