/// What kind of address an IP address is, for the SSRF guard: anything but `.global` is refused unless the operator
/// allows its range (`--webhook-allow`). The ranges are the IANA special-purpose registries (RFC 6890 and its
/// updates: RFC 6598 shared space, RFC 8215 local-use NAT64, RFC 9637 IPv6 documentation).
public enum AddressClass: String, Sendable, CaseIterable {
    /// Globally routable unicast.
    case global
    /// RFC 1918 private IPv4, RFC 4193 unique local IPv6, deprecated site-local, local-use NAT64.
    case `private`
    /// 127.0.0.0/8, ::1.
    case loopback
    /// 169.254.0.0/16, fe80::/10.
    case linkLocal = "link-local"
    /// 224.0.0.0/4, ff00::/8.
    case multicast
    /// 0.0.0.0/8 ("this network"), ::.
    case unspecified
    /// 100.64.0.0/10, carrier-grade NAT (RFC 6598).
    case sharedAddressSpace = "shared-address-space"
    /// 192.0.0.0/24, IETF protocol assignments (RFC 6890 §2.2.2).
    case protocolAssignment = "protocol-assignment"
    /// 198.18.0.0/15 and 2001:2::/48 (RFC 2544, RFC 5180).
    case benchmarking
    /// 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 (RFC 5737), 2001:db8::/32 (RFC 3849), 3fff::/20 (RFC 9637).
    case documentation
    /// 240.0.0.0/4 (RFC 1112), 192.88.99.0/24 (RFC 7526), 100::/64 (RFC 6666), IPv6 outside 2000::/3.
    case reserved
    /// 255.255.255.255.
    case broadcast
    /// 2001::/32 Teredo (RFC 4380): the IPv4 address inside is obfuscated, so it cannot be judged.
    case teredo

    /// A phrase for messages: "a loopback address".
    public var phrase: String {
        switch self {
        case .global: "a global address"
        case .private: "a private address"
        case .loopback: "a loopback address"
        case .linkLocal: "a link-local address"
        case .multicast: "a multicast address"
        case .unspecified: "an unspecified address"
        case .sharedAddressSpace: "a carrier-grade NAT address (RFC 6598)"
        case .protocolAssignment: "an IETF protocol assignment address"
        case .benchmarking: "a benchmarking address"
        case .documentation: "a documentation address"
        case .reserved: "a reserved address"
        case .broadcast: "the broadcast address"
        case .teredo: "a Teredo address"
        }
    }
}

extension IPAddress {
    /// The IPv4 address an IPv6 address carries and that a connection would reach: IPv4-mapped `::ffff:a.b.c.d`
    /// (RFC 4291 §2.5.5.2), IPv4-compatible `::a.b.c.d` (deprecated, §2.5.5.1), NAT64 `64:ff9b::/96` (RFC 6052),
    /// 6to4 `2002:aabb:ccdd::/16` (RFC 3056). Nil for IPv4 and other IPv6 addresses.
    public var embeddedIPv4: IPAddress? {
        guard bytes.count == 16 else { return nil }
        let head = bytes[0..<12]
        if head.elementsEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF])
            || head.elementsEqual([0, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0])
        {
            return IPAddress(bytes: Array(bytes[12..<16]))
        }
        if head.allSatisfy({ $0 == 0 }) {
            // `::` and `::1` are the unspecified and loopback addresses, not compatible IPv4.
            return bytes[12..<15].allSatisfy { $0 == 0 } && bytes[15] <= 1
                ? nil : IPAddress(bytes: Array(bytes[12..<16]))
        }
        if bytes[0] == 0x20 && bytes[1] == 0x02 {
            return IPAddress(bytes: Array(bytes[2..<6]))
        }
        return nil
    }

    /// The class of the address itself; an IPv6 address carrying an IPv4 one is judged by the IPv4 one.
    public var addressClass: AddressClass {
        if let embedded = embeddedIPv4 { return embedded.addressClass }
        let ranges = isIPv4 ? SpecialPurposeRanges.ipv4 : SpecialPurposeRanges.ipv6
        if let match = ranges.first(where: { $0.block.contains(self) }) { return match.addressClass }
        // IPv6 global unicast is 2000::/3 (RFC 4291 §2.4); the rest is unassigned or special.
        if !isIPv4 && bytes[0] & 0xE0 != 0x20 { return .reserved }
        return .global
    }
}

/// The special-purpose blocks, most specific first.
enum SpecialPurposeRanges {
    struct Entry: Sendable {
        let block: CIDR
        let addressClass: AddressClass
    }

    static let ipv4: [Entry] = table([
        ("255.255.255.255/32", .broadcast), ("0.0.0.0/8", .unspecified), ("10.0.0.0/8", .private),
        ("100.64.0.0/10", .sharedAddressSpace), ("127.0.0.0/8", .loopback), ("169.254.0.0/16", .linkLocal),
        ("172.16.0.0/12", .private), ("192.0.0.0/24", .protocolAssignment), ("192.0.2.0/24", .documentation),
        ("192.88.99.0/24", .reserved), ("192.168.0.0/16", .private), ("198.18.0.0/15", .benchmarking),
        ("198.51.100.0/24", .documentation), ("203.0.113.0/24", .documentation), ("224.0.0.0/4", .multicast),
        ("240.0.0.0/4", .reserved),
    ])

    static let ipv6: [Entry] = table([
        ("::/128", .unspecified), ("::1/128", .loopback), ("64:ff9b:1::/48", .private), ("100::/64", .reserved),
        ("2001:2::/48", .benchmarking), ("2001:db8::/32", .documentation), ("2001::/32", .teredo),
        ("3fff::/20", .documentation), ("fc00::/7", .private), ("fe80::/10", .linkLocal), ("fec0::/10", .private),
        ("ff00::/8", .multicast),
    ])

    private static func table(_ rows: [(String, AddressClass)]) -> [Entry] {
        rows.map { Entry(block: CIDR($0.0)!, addressClass: $0.1) }
    }
}
