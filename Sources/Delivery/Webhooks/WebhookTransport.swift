import AsyncHTTPClient
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// Sends webhook `POST`s (issue 10 §2) safely and fast.
///
/// Every attempt runs the ``AddressGuard`` and then connects to the address it checked, never to a fresh
/// resolution: `HTTPClient.Configuration.dnsOverride` maps the host to that address, while SNI and certificate
/// verification stay on the host name. `dnsOverride` is per client, so the transport keeps a small cache of clients
/// keyed by (host, address), each pooling HTTP/1.1 keep-alive connections; a client is shut down when evicted (once
/// idle) and by ``shutdown()``. Redirects are never followed (a 3xx fails the attempt as `redirect`), and at most
/// ``WebhookTransportConfiguration/maximumResponseBytes`` of a response are read.
public final class WebhookTransport: Sendable {
    /// The configuration.
    public let configuration: WebhookTransportConfiguration
    private let tls: TLSConfiguration
    private let clients = Mutex(ClientCache())

    /// Creates a transport.
    /// - Throws: when the trusted CA file cannot be read as PEM certificates.
    public init(configuration: WebhookTransportConfiguration) throws {
        self.configuration = configuration
        var tls = TLSConfiguration.makeClientConfiguration()
        if let file = configuration.trustedCAFile {
            tls.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMFile(file))]
        }
        self.tls = tls
    }

    /// Posts `body` with `headers` to `url` (one attempt; the caller schedules retries).
    public func post(url: String, headers: [(String, String)], body: [UInt8]) async -> WebhookOutcome {
        let start = ContinuousClock.now
        var outcome = await attempt(url: url, headers: headers, body: body)
        outcome.seconds = (ContinuousClock.now - start).secondsDouble
        return outcome
    }

    private func attempt(url: String, headers: [(String, String)], body: [UInt8]) async -> WebhookOutcome {
        let target: CheckedTarget
        do {
            target = try await configuration.addressGuard.check(url: url)
        } catch {
            return WebhookOutcome(errorClass: error.errorClass, message: error.message)
        }
        let key = ClientKey(host: target.host, address: target.address)
        guard let client = acquire(key) else {
            return WebhookOutcome(errorClass: "io", message: "the webhook transport is shut down")
        }
        defer { release(key) }

        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "user-agent", value: configuration.userAgent)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let deadline = NIODeadline.now() + TimeAmount(configuration.responseTimeout)
            let response = try await client.execute(request, deadline: deadline)
            let status = Int(response.status.code)
            var received: [UInt8] = []
            var truncated = false
            let limit = configuration.maximumResponseBytes
            for try await chunk in response.body {
                let taken = chunk.readableBytesView.prefix(limit - received.count)
                received.append(contentsOf: taken)
                if taken.count < chunk.readableBytes {
                    truncated = true
                    break  // dropping the iterator cancels the rest; the connection is closed, not reused
                }
            }
            switch status {
            case 200..<300:
                return WebhookOutcome(status: status, responseBody: received, responseTruncated: truncated)
            case 300..<400:
                let location = response.headers.first(name: "location").map { " to \($0)" } ?? ""
                return WebhookOutcome(
                    status: status, errorClass: "redirect",
                    message: "the receiver redirected (\(status))\(location); webhooks do not follow redirects",
                    responseBody: received, responseTruncated: truncated)
            default:
                return WebhookOutcome(
                    status: status, errorClass: "http-status", message: "the receiver answered \(status)",
                    responseBody: received, responseTruncated: truncated)
            }
        } catch {
            let (errorClass, message) = WebhookTransport.classify(error, target: target)
            return WebhookOutcome(errorClass: errorClass, message: message)
        }
    }

    /// Closes every client and refuses further posts.
    public func shutdown() async {
        let closing = clients.withLock { cache in
            cache.closed = true
            defer { cache.entries.removeAll() }
            return cache.entries.values.map(\.client)
        }
        for client in closing { try? await client.shutdown() }
    }

    /// The number of cached clients (for tests and metrics).
    public var cachedClientCount: Int { clients.withLock { $0.entries.count } }

    private func acquire(_ key: ClientKey) -> HTTPClient? {
        let (client, evicted) = clients.withLock { cache -> (HTTPClient?, [HTTPClient]) in
            guard !cache.closed else { return (nil, []) }
            cache.tick += 1
            if var entry = cache.entries[key] {
                entry.inFlight += 1
                entry.lastUsed = cache.tick
                cache.entries[key] = entry
                return (entry.client, [])
            }
            let client = HTTPClient(
                eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: clientConfiguration(key))
            cache.entries[key] = ClientCache.Entry(client: client, inFlight: 1, lastUsed: cache.tick)
            return (client, cache.evictIdle(beyond: configuration.maximumClients))
        }
        if !evicted.isEmpty {
            Task { for client in evicted { try? await client.shutdown() } }
        }
        return client
    }

    private func release(_ key: ClientKey) {
        clients.withLock { cache in cache.entries[key]?.inFlight -= 1 }
    }

    private func clientConfiguration(_ key: ClientKey) -> HTTPClient.Configuration {
        var settings = HTTPClient.Configuration(
            tlsConfiguration: tls, redirectConfiguration: .disallow,
            timeout: .init(
                connect: TimeAmount(configuration.connectTimeout), read: TimeAmount(configuration.responseTimeout)))
        if IPAddress(key.host) == nil { settings.dnsOverride = [key.host: key.address.description] }
        settings.httpVersion = .http1Only
        settings.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = configuration.connectionsPerClient
        // One attempt is one connection try: the retry schedule, not the pool, decides when to try again.
        settings.connectionPool.retryConnectionEstablishment = false
        settings.decompression = .disabled
        return settings
    }
}

/// A client per checked (host, address).
struct ClientKey: Hashable {
    var host: String
    var address: IPAddress
}

/// The clients kept, least recently used evicted first once idle.
struct ClientCache: ~Copyable {
    struct Entry {
        var client: HTTPClient
        var inFlight: Int
        var lastUsed: UInt64
    }

    var entries: [ClientKey: Entry] = [:]
    var tick: UInt64 = 0
    var closed = false

    /// Removes idle clients, oldest first, until at most `limit` remain (busy ones are kept over the limit).
    mutating func evictIdle(beyond limit: Int) -> [HTTPClient] {
        guard entries.count > limit else { return [] }
        let idle = entries.filter { $0.value.inFlight == 0 }.sorted { $0.value.lastUsed < $1.value.lastUsed }
        var evicted: [HTTPClient] = []
        for (key, entry) in idle.prefix(entries.count - limit) {
            entries[key] = nil
            evicted.append(entry.client)
        }
        return evicted
    }
}

extension Duration {
    var secondsDouble: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
