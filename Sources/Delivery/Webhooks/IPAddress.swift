#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An IPv4 or IPv6 address as its network-order bytes (4 or 16).
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address bytes, most significant first: 4 for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    /// An address from its bytes; nil unless there are 4 or 16.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// Parses the textual forms `inet_pton(3)` accepts (dotted quad; RFC 4291 §2.2 for IPv6, brackets allowed).
    /// Shorthand such as `127.1` is not an address literal: it is left to the resolver, which the guard runs too.
    public init?(_ text: String) {
        var text = Substring(text)
        if text.hasPrefix("[") && text.hasSuffix("]") { text = text.dropFirst().dropLast() }
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, String(text), &v4) == 1 {
            self.bytes = withUnsafeBytes(of: &v4) { Array($0) }
        } else if inet_pton(AF_INET6, String(text), &v6) == 1 {
            self.bytes = withUnsafeBytes(of: &v6) { Array($0) }
        } else {
            return nil
        }
    }

    /// Whether it is an IPv4 address.
    public var isIPv4: Bool { bytes.count == 4 }

    /// The canonical text (`inet_ntop(3)`; RFC 5952 for IPv6), without brackets.
    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = isIPv4 ? AF_INET : AF_INET6
        let text = bytes.withUnsafeBytes { raw in
            buffer.withUnsafeMutableBufferPointer { out in
                inet_ntop(family, raw.baseAddress, out.baseAddress, socklen_t(out.count))
            }
        }
        guard text != nil else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The form a URL or `HTTPClient` host takes: IPv6 in brackets.
    public var hostLiteral: String { isIPv4 ? description : "[\(description)]" }
}

/// A block of addresses, `address/prefix` (RFC 4632 for IPv4, RFC 4291 §2.3 for IPv6).
public struct CIDR: Sendable, Hashable, CustomStringConvertible {
    /// The first address of the block (host bits cleared).
    public let network: IPAddress
    /// The number of leading bits that are fixed.
    public let prefixLength: Int

    /// A block from its parts; host bits of `network` are cleared. Nil when the prefix is out of range.
    public init?(network: IPAddress, prefixLength: Int) {
        guard prefixLength >= 0, prefixLength <= network.bytes.count * 8 else { return nil }
        self.prefixLength = prefixLength
        self.network = IPAddress(bytes: CIDR.mask(network.bytes, prefixLength))!
    }

    /// Parses `10.0.0.0/8`, `fd00::/8`, or a bare address (a block of one).
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2, let address = IPAddress(String(parts[0])) else { return nil }
        if parts.count == 1 {
            self.init(network: address, prefixLength: address.bytes.count * 8)
        } else {
            guard let length = Int(parts[1]), parts[1].allSatisfy(\.isASCII) else { return nil }
            self.init(network: address, prefixLength: length)
        }
    }

    /// Whether `address` is inside the block (an IPv4 block never contains an IPv6 address, and conversely).
    public func contains(_ address: IPAddress) -> Bool {
        address.bytes.count == network.bytes.count && CIDR.mask(address.bytes, prefixLength) == network.bytes
    }

    /// `address/prefix`.
    public var description: String { "\(network)/\(prefixLength)" }

    private static func mask(_ bytes: [UInt8], _ length: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let kept = min(max(length - index * 8, 0), 8)
            return kept == 8 ? byte : byte & ~(UInt8.max >> kept)
        }
    }
}
