import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The SSRF guard for webhook URLs (issue 10 §2): a receiver may only be a global address, or one inside a range the
/// operator allows (`--webhook-allow 10.1.0.0/16`). The check is made on every attempt, on the addresses the host
/// resolves to now, and the caller connects to the address it returns, so a name that re-resolves between check
/// and connect (DNS rebinding) cannot reach anything else.
public struct AddressGuard: Sendable {
    /// The ranges allowed whatever their class.
    public var allowed: [CIDR]
    /// Resolves a host name to its addresses; `getaddrinfo(3)` on a dispatch queue unless a test replaces it.
    public var resolve: @Sendable (String) async throws(AddressRefusal) -> [IPAddress]

    /// Creates a guard allowing `allowed` besides global addresses.
    public init(
        allowed: [CIDR] = [],
        resolve: @escaping @Sendable (String) async throws(AddressRefusal) -> [IPAddress] = AddressGuard.systemResolve
    ) {
        self.allowed = allowed
        self.resolve = resolve
    }

    /// Creates a guard from `--webhook-allow` texts (`10.0.0.0/8`, `fd00::/8`, a bare address).
    /// - Throws: ``AddressRefusal`` of class `bad-url` naming the first text that is not a CIDR.
    public init(allowing texts: [String]) throws(AddressRefusal) {
        var blocks: [CIDR] = []
        for text in texts {
            guard let block = CIDR(text.trimmingCharacters(in: .whitespaces)) else {
                throw AddressRefusal(.badURL, "'\(text)' is not a CIDR block such as 10.0.0.0/8 or fd00::/8")
            }
            blocks.append(block)
        }
        self.init(allowed: blocks)
    }

    /// Whether an operator range allows `address` (or the IPv4 address it carries).
    public func isAllowed(_ address: IPAddress) -> Bool {
        allowed.contains { block in
            block.contains(address) || address.embeddedIPv4.map { block.contains($0) } == true
        }
    }

    /// Why `address` is refused, or nil when a receiver may have it.
    public func refusal(of address: IPAddress) -> AddressClass? {
        if isAllowed(address) { return nil }
        let addressClass = address.addressClass
        return addressClass == .global ? nil : addressClass
    }

    /// Parses `url`, resolves its host and judges every address it resolves to.
    ///
    /// `https` is required, unless every address is inside an allowed range (then `http` is accepted too); a URL
    /// with user information or without a host is refused. One refused address refuses the URL: a name must not
    /// pick between an internal and an external address at connect time.
    /// - Returns: the target, with the address to connect to (the first the resolver gave).
    public func check(url text: String) async throws(AddressRefusal) -> CheckedTarget {
        let parsed = try WebhookURL(text)
        let addresses: [IPAddress]
        if let literal = IPAddress(parsed.host) {
            addresses = [literal]
        } else {
            addresses = try await resolve(parsed.host)
            guard !addresses.isEmpty else { throw AddressRefusal(.dns, "\(parsed.host) has no address") }
        }
        for address in addresses {
            if let refused = refusal(of: address) {
                let named = address.description == parsed.host ? "\(address)" : "\(parsed.host) resolves to \(address)"
                throw AddressRefusal(
                    .addressRefused,
                    "\(named), \(refused.phrase); webhooks may only reach global addresses or a range allowed with "
                        + "--webhook-allow"
                )
            }
        }
        if parsed.scheme == "http" && !addresses.allSatisfy(isAllowed) {
            throw AddressRefusal(
                .badURL, "\(text): http is only allowed to a range allowed with --webhook-allow; use https"
            )
        }
        return CheckedTarget(
            url: text, scheme: parsed.scheme, host: parsed.host, port: parsed.port, address: addresses[0],
            addresses: addresses
        )
    }
}

/// A webhook URL the guard has accepted, with the address to connect to.
public struct CheckedTarget: Sendable, Hashable {
    /// The URL as given.
    public var url: String
    /// `https` or `http`.
    public var scheme: String
    /// The host as in the URL (without IPv6 brackets): what the certificate must name and what SNI carries.
    public var host: String
    /// The port (443 or 80 unless given).
    public var port: Int
    /// The address to connect to.
    public var address: IPAddress
    /// Every address the host resolved to (all of them passed).
    public var addresses: [IPAddress]

    /// Whether the host is an address literal (no resolution was made).
    public var hostIsAddress: Bool { IPAddress(host) != nil }
}

/// A webhook URL the guard refuses, or whose host does not resolve.
public struct AddressRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// The refusal's class, as deliveries record it.
    public enum Kind: String, Sendable {
        /// A resolved address is not one a webhook may reach.
        case addressRefused = "address-refused"
        /// The host did not resolve.
        case dns
        /// The URL cannot be used (not http(s), no host, user information, http outside an allowed range).
        case badURL = "bad-url"
    }

    /// The class.
    public var kind: Kind
    /// What was refused and why, naming the host and the address.
    public var message: String

    /// Creates a refusal.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The class string: `address-refused`, `dns`, `bad-url`.
    public var errorClass: String { kind.rawValue }

    /// `class: message`.
    public var description: String { "\(kind.rawValue): \(message)" }
}

/// The parts of a webhook URL the guard needs, read as `AsyncHTTPClient` reads them (Foundation's `URL`, host
/// without IPv6 brackets) so that the guard and the client cannot disagree on the host.
struct WebhookURL {
    var scheme: String
    var host: String
    var port: Int

    init(_ text: String) throws(AddressRefusal) {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased() else {
            throw AddressRefusal(.badURL, "'\(text)' is not an absolute URL")
        }
        guard scheme == "https" || scheme == "http" else {
            throw AddressRefusal(.badURL, "\(text): the scheme must be https (not \(scheme))")
        }
        guard url.user == nil, url.password == nil else {
            throw AddressRefusal(.badURL, "a webhook URL may not carry user information (user:password@)")
        }
        guard var host = url.host, !host.isEmpty else {
            throw AddressRefusal(.badURL, "\(text) has no host")
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.scheme = scheme
        self.host = host
        self.port = url.port ?? (scheme == "https" ? 443 : 80)
    }
}

extension AddressGuard {
    /// A dedicated queue for `getaddrinfo(3)`, which blocks: never on Swift's cooperative pool.
    private static let resolverQueue = DispatchQueue(label: "essor.delivery.dns", attributes: .concurrent)

    /// Resolves `host` with `getaddrinfo(3)` (TCP addresses, IPv4 and IPv6, in the resolver's order).
    public static let systemResolve: @Sendable (String) async throws(AddressRefusal) -> [IPAddress] = { host in
        let result: Result<[IPAddress], AddressRefusal> = await withCheckedContinuation { continuation in
            resolverQueue.async { continuation.resume(returning: getAddresses(host)) }
        }
        return try result.get()
    }

    private static func getAddresses(_ host: String) -> Result<[IPAddress], AddressRefusal> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
            hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let code = getaddrinfo(host, nil, &hints, &list)
        guard code == 0, let first = list else {
            let reason = String(cString: gai_strerror(code))
            return .failure(AddressRefusal(.dns, "\(host) does not resolve: \(reason)"))
        }
        defer { freeaddrinfo(first) }
        var addresses: [IPAddress] = []
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            if let sockaddr = current.pointee.ai_addr {
                let address: IPAddress?
                switch current.pointee.ai_family {
                case AF_INET:
                    address = sockaddr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                        var raw = pointer.pointee.sin_addr
                        return IPAddress(bytes: withUnsafeBytes(of: &raw) { Array($0) })
                    }
                case AF_INET6:
                    address = sockaddr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                        var raw = pointer.pointee.sin6_addr
                        return IPAddress(bytes: withUnsafeBytes(of: &raw) { Array($0) })
                    }
                default:
                    address = nil
                }
                if let address, !addresses.contains(address) { addresses.append(address) }
            }
            entry = current.pointee.ai_next
        }
        return .success(addresses)
    }
}
