/// The canonical text of a client certificate's subject distinguished name (DESIGN §4), used both when a user's
/// `certificateSubject` is stored and when a certificate's subject is matched against it.
///
/// The text is RFC 4514's string form as swift-certificates prints `DistinguishedName`: relative distinguished
/// names (RDNs) most specific first (`CN=alice,O=Operator A,C=GB`, the order of
/// `openssl x509 -noout -subject -nameopt RFC2253`), separated by `,`; the attributes of a multi-valued RDN
/// separated by `+`. Two texts name the same subject when their canonical forms are equal:
/// - the RDN sequence must match exactly (same RDNs, same order); the attributes inside one RDN form a set, so
///   their order does not matter;
/// - attribute types are case-insensitive and their aliases agree (`cn`, `commonName`, `2.5.4.3`, `OID.2.5.4.3`
///   are all `CN`); an unknown name is an error, any dotted OID is accepted;
/// - values are compared exactly, byte for byte after unescaping: case-sensitive, no Unicode normalisation;
/// - unescaped spaces around `=`, `,` and `+` and at either end are ignored; escaped ones (`\ `) are kept;
/// - escapes `\,` `\+` `\"` `\\` `\<` `\>` `\;` `\=` `\#` `\ ` and hex pairs (`\C3\A9`, UTF-8) are decoded, and
///   the canonical text re-escapes exactly as swift-certificates does, so a certificate's printed subject is
///   already canonical when its RDNs are single-valued.
///
/// Refused: an empty text, an empty RDN, an attribute without `=`, an unescaped `"` `;` `<` `>` in a value, a value
/// starting with an unescaped `#` (RFC 4514's hex-encoded BER form), invalid UTF-8, a text over
/// `maximumUTF8Length` bytes. Never compare subjects by common-name substring.
public enum CertificateSubject {
    /// The longest text accepted, in UTF-8 bytes (a unique index entry must fit in a PostgreSQL B-tree page).
    public static let maximumUTF8Length = 1024

    /// The canonical form of `text`; `CertificateSubjectError` says why it is not a distinguished name.
    public static func canonical(_ text: String) throws(CertificateSubjectError) -> String {
        let bytes = Array(text.utf8)
        guard bytes.count <= maximumUTF8Length else {
            throw CertificateSubjectError("the subject is longer than \(maximumUTF8Length) bytes")
        }
        var rdns: [String] = []
        for rdn in try split(bytes, at: UInt8(ascii: ",")) {
            var attributes: [String] = []
            for attribute in try split(rdn, at: UInt8(ascii: "+")) {
                attributes.append(try canonicalAttribute(attribute))
            }
            rdns.append(attributes.sorted().joined(separator: "+"))
        }
        return rdns.joined(separator: ",")
    }

    /// `bytes` cut at every unescaped `separator`; an empty (or blank) part is an error.
    static func split(_ bytes: [UInt8], at separator: UInt8) throws(CertificateSubjectError) -> [[UInt8]] {
        var parts: [[UInt8]] = [[]]
        var escaped = false
        for byte in bytes {
            if !escaped, byte == separator {
                parts.append([])
                continue
            }
            escaped = !escaped && byte == UInt8(ascii: "\\")
            parts[parts.count - 1].append(byte)
        }
        for part in parts where part.allSatisfy({ $0 == UInt8(ascii: " ") }) {
            let what = separator == UInt8(ascii: ",") ? "relative distinguished name" : "attribute"
            throw CertificateSubjectError(
                "the subject has an empty \(what) (write it as CN=alice,O=Example,C=GB, most specific first)")
        }
        return parts
    }

    /// `TYPE=value` in canonical form.
    static func canonicalAttribute(_ bytes: [UInt8]) throws(CertificateSubjectError) -> String {
        guard let equals = bytes.firstIndex(of: UInt8(ascii: "=")) else {
            throw CertificateSubjectError(
                "'\(String(decoding: bytes, as: UTF8.self))' has no '=' (attributes are written TYPE=value)")
        }
        let type = try canonicalType(bytes[..<equals])
        let value = try unescaped(bytes[(equals + 1)...])
        return "\(type)=\(escaped(value))"
    }

}

/// Why a text is not a distinguished name `CertificateSubject` accepts.
public struct CertificateSubjectError: Error, Hashable, CustomStringConvertible {
    /// What is wrong and how to write it instead.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
