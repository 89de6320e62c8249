extension CertificateSubject {
    /// Attribute type names (upper case) and OIDs → the name swift-certificates prints: its short name for the nine
    /// types it knows, the dotted OID for the others.
    static let attributeTypes: [String: String] = {
        let names: [String: [String]] = [
            "CN": ["COMMONNAME", "2.5.4.3"],
            "C": ["COUNTRYNAME", "2.5.4.6"],
            "L": ["LOCALITYNAME", "2.5.4.7"],
            "ST": ["S", "STATEORPROVINCENAME", "2.5.4.8"],
            "O": ["ORGANIZATIONNAME", "2.5.4.10"],
            "OU": ["ORGANIZATIONALUNITNAME", "2.5.4.11"],
            "STREET": ["STREETADDRESS", "2.5.4.9"],
            "DC": ["DOMAINCOMPONENT", "0.9.2342.19200300.100.1.25"],
            "E": ["EMAIL", "EMAILADDRESS", "1.2.840.113549.1.9.1"],
            "2.5.4.4": ["SN", "SURNAME"],
            "2.5.4.5": ["SERIALNUMBER"],
            "2.5.4.12": ["TITLE"],
            "2.5.4.42": ["GN", "GIVENNAME"],
            "2.5.4.97": ["ORGANIZATIONIDENTIFIER"],
            "0.9.2342.19200300.100.1.1": ["UID", "USERID"],
        ]
        var table: [String: String] = [:]
        for (printed, aliases) in names {
            for alias in aliases + [printed] { table[alias] = printed }
        }
        return table
    }()

    /// The printed name of an attribute type: case-insensitive, aliases and `OID.` prefix accepted.
    static func canonicalType(_ bytes: ArraySlice<UInt8>) throws(CertificateSubjectError) -> String {
        var text = String(decoding: bytes, as: UTF8.self)
        while text.hasPrefix(" ") { text.removeFirst() }
        while text.hasSuffix(" ") { text.removeLast() }
        var name = text.uppercased()
        if name.hasPrefix("OID.") { name.removeFirst(4) }
        if let known = attributeTypes[name] { return known }
        let arcs = name.split(separator: ".", omittingEmptySubsequences: false)
        if arcs.count >= 2, arcs.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) && $0.count <= 19 }) {
            // Leading zeros dropped, as the OID's printed form has none.
            let oid = arcs.map { String(UInt64($0)!) }.joined(separator: ".")
            return attributeTypes[oid] ?? oid
        }
        throw CertificateSubjectError(
            "unknown attribute type '\(text)'; use CN, O, OU, C, L, ST, STREET, DC, E, UID, SERIALNUMBER or a dotted OID"
        )
    }

    /// A value's text: escapes decoded, unescaped spaces at either end dropped, special characters checked.
    static func unescaped(_ bytes: ArraySlice<UInt8>) throws(CertificateSubjectError) -> String {
        // RFC 4514 §3: the characters a `\` may escape; any byte may also be written as two hex digits.
        let escapable = Set(" \"#+,;<=>\\".utf8)
        var units: [(byte: UInt8, escaped: Bool)] = []
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            index += 1
            guard byte == UInt8(ascii: "\\") else {
                if Set("\";<>".utf8).contains(byte) {
                    let character = Character(Unicode.Scalar(byte))
                    throw CertificateSubjectError("'\(character)' must be escaped as '\\\(character)' in a value")
                }
                units.append((byte, false))
                continue
            }
            guard index < bytes.endIndex else { throw CertificateSubjectError("the subject ends with a lone '\\'") }
            if index + 1 < bytes.endIndex, let high = hexDigit(bytes[index]), let low = hexDigit(bytes[index + 1]) {
                units.append((high << 4 | low, true))
                index += 2
            } else if escapable.contains(bytes[index]) {
                units.append((bytes[index], true))
                index += 1
            } else {
                throw CertificateSubjectError(
                    "'\\\(Character(Unicode.Scalar(bytes[index])))' is not an escape; escape one of "
                        + "'\\ \"#+,;<=>' or write two hex digits")
            }
        }
        let first = units.firstIndex { $0.byte != UInt8(ascii: " ") || $0.escaped } ?? units.endIndex
        let last = units.lastIndex { $0.byte != UInt8(ascii: " ") || $0.escaped }.map { $0 + 1 } ?? first
        let kept = units[first..<max(first, last)]
        if let head = kept.first, head.byte == UInt8(ascii: "#"), !head.escaped {
            throw CertificateSubjectError("a value starting with '#' (hex-encoded BER) is not supported; write '\\#'")
        }
        guard let value = String(validating: kept.map(\.byte), as: UTF8.self) else {
            throw CertificateSubjectError("a value is not valid UTF-8")
        }
        return value
    }

    /// `value` escaped as swift-certificates 1.21 prints it (`RelativeDistinguishedName.Attribute.Value`): `,+"\<>;`
    /// anywhere, spaces and `#` at the start, spaces at the end.
    static func escaped(_ value: String) -> String {
        let bytes = Array(value.utf8)
        let special = Set(",+\"\\<>;".utf8)
        let leading = bytes.prefix { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "#") }.count
        let trailing = bytes.dropFirst(leading).reversed().prefix { $0 == UInt8(ascii: " ") }.count
        var out: [UInt8] = []
        for (index, byte) in bytes.enumerated() {
            if index < leading || index >= bytes.count - trailing || special.contains(byte) {
                out.append(UInt8(ascii: "\\"))
            }
            out.append(byte)
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
