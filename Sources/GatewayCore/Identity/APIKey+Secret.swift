import Crypto
import Foundation

extension APIKey {
    /// The text every key begins with.
    public static let textPrefix = "essor_"
    /// Random bytes in a key's secret (256 bits).
    public static let secretByteCount = 32
    /// Random bytes in a key's id (64 bits, written as 16 hexadecimal digits).
    public static let idByteCount = 8

    /// Generates a new key for `userName`: random id and secret from `SystemRandomNumberGenerator` (the
    /// operating system's CSPRNG), the record holding only the secret's hash, and the text to show once.
    public static func generate(for userName: String, at created: Date = Date()) -> IssuedAPIKey {
        var generator = SystemRandomNumberGenerator()
        let idBytes = (0..<idByteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let secret = (0..<secretByteCount).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let id = idBytes.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
        let prefix = textPrefix + id
        let text = prefix + "_" + base64URL(secret)
        let key = APIKey(id: id, userName: userName, prefix: prefix, hash: hash(ofText: text), created: created)
        return IssuedAPIKey(key: key, text: text)
    }

    /// The SHA-256 of a key text, as stored in `hash`.
    public static func hash(ofText text: String) -> [UInt8] {
        Array(SHA256.hash(data: Array(text.utf8)))
    }

    /// The id written in a key text, or nil when the text does not have the `essor_<16 hex>_<secret>` shape.
    public static func id(inText text: String) -> String? {
        guard text.hasPrefix(textPrefix) else { return nil }
        let rest = text.utf8.dropFirst(textPrefix.utf8.count)
        let idLength = idByteCount * 2
        guard rest.count > idLength + 1 else { return nil }
        let id = rest.prefix(idLength)
        guard id.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }),
            rest.dropFirst(idLength).first == UInt8(ascii: "_")
        else { return nil }
        return String(decoding: id, as: UTF8.self)
    }

    /// Whether `text` is this key's text: compares SHA-256 digests in constant time.
    public func matches(text: String) -> Bool {
        let candidate = APIKey.hash(ofText: text)
        guard candidate.count == hash.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(candidate, hash) { difference |= a ^ b }
        return difference == 0
    }

    /// Unpadded base64url (RFC 4648 §5).
    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
