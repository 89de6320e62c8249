import Crypto
import Foundation
import GatewayCore

/// Makes the ed25519 key pair an SFTP subscription logs in with, in the forms OpenSSH and libcurl read: the private
/// key as an unencrypted `openssh-key-v1` file (OpenSSH PROTOCOL.key) and the public key as an `authorized_keys`
/// line (RFC 4253 §6.6 wire blob, RFC 8709 for ed25519). ed25519 and not RSA: libssh2 1.10 signs RSA with SHA-1,
/// which OpenSSH 9 refuses.
public enum SSHKeyGenerator {
    /// The key type name (RFC 8709 §4).
    static let keyType = "ssh-ed25519"

    /// A new key pair whose public line ends with `essor-<comment>` (the subscription id).
    public static func generate(comment: String) -> SSHKeyPair {
        keyPair(Curve25519.Signing.PrivateKey(), comment: comment, checkInt: UInt32.random(in: .min ... .max))
    }

    /// The key pair of a given private key; `checkInt` is the random word OpenSSH writes twice to detect a wrong
    /// passphrase (meaningless without encryption, but part of the format).
    static func keyPair(_ key: Curve25519.Signing.PrivateKey, comment: String, checkInt: UInt32) -> SSHKeyPair {
        let publicBytes = Array(key.publicKey.rawRepresentation)
        let publicBlob = publicKeyBlob(publicBytes)
        let fullComment = "essor-\(comment)"

        // PROTOCOL.key: the private section, padded with 1, 2, 3 … to the cipher block size (8 for "none").
        var section = SSHWire()
        section.uint32(checkInt)
        section.uint32(checkInt)
        section.string(Array(keyType.utf8))
        section.string(publicBytes)
        section.string(Array(key.rawRepresentation) + publicBytes)  // seed ‖ public key, as OpenSSH stores it
        section.string(Array(fullComment.utf8))
        var padding: UInt8 = 1
        while section.bytes.count % 8 != 0 {
            section.bytes.append(padding)
            padding += 1
        }

        var file = SSHWire()
        file.bytes.append(contentsOf: Array("openssh-key-v1".utf8) + [0])
        file.string(Array("none".utf8))  // cipher
        file.string(Array("none".utf8))  // KDF
        file.string([])  // KDF options
        file.uint32(1)  // one key
        file.string(publicBlob)
        file.string(section.bytes)

        let base64 = Data(file.bytes).base64EncodedString()
        var lines = ["-----BEGIN OPENSSH PRIVATE KEY-----"]
        var start = base64.startIndex
        while start < base64.endIndex {
            let end = base64.index(start, offsetBy: 70, limitedBy: base64.endIndex) ?? base64.endIndex
            lines.append(String(base64[start..<end]))
            start = end
        }
        lines.append("-----END OPENSSH PRIVATE KEY-----")
        return SSHKeyPair(
            privateKeyOpenSSH: lines.joined(separator: "\n") + "\n",
            publicKeyAuthorized: "\(keyType) \(Data(publicBlob).base64EncodedString()) \(fullComment)"
        )
    }

    /// The public key's wire blob: string "ssh-ed25519", string key (RFC 8709 §4).
    static func publicKeyBlob(_ publicKey: [UInt8]) -> [UInt8] {
        var blob = SSHWire()
        blob.string(Array(keyType.utf8))
        blob.string(publicKey)
        return blob.bytes
    }

    /// The SHA-256 fingerprint of an `authorized_keys` (or `.pub`) line, base64 without padding and without the
    /// `SHA256:` prefix: what `ssh-keygen -l -E sha256` prints and what `CURLOPT_SSH_HOST_PUBLIC_KEY_SHA256` takes.
    /// Nil when the line has no base64 key blob.
    public static func fingerprintSHA256(publicKeyLine: String) -> String? {
        let fields = publicKeyLine.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 2, let blob = Data(base64Encoded: String(fields[1])) else { return nil }
        var text = Data(SHA256.hash(data: blob)).base64EncodedString()
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }
}

/// SSH wire encoding (RFC 4251 §5): big-endian uint32, length-prefixed strings.
struct SSHWire {
    var bytes: [UInt8] = []

    mutating func uint32(_ value: UInt32) {
        bytes.append(contentsOf: [
            UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF),
        ])
    }

    mutating func string(_ value: [UInt8]) {
        uint32(UInt32(value.count))
        bytes.append(contentsOf: value)
    }
}
