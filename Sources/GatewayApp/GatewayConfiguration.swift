import Foundation

/// Everything `essor serve` is configured with (DESIGN §6). Each setting has a default, an `ESSOR_*` environment
/// variable that overrides it, and a command-line flag that overrides both (the command applies the flags).
public struct GatewayConfiguration: Sendable, Equatable {
    /// `ESSOR_DATABASE`: `sqlite:PATH` (embedded, the default) or `postgres://USER:PASSWORD@HOST:PORT/DB`.
    public var databaseURL = "sqlite:data/essor.sqlite"
    /// `ESSOR_HOST`: the address to listen on.
    public var host = "127.0.0.1"
    /// `ESSOR_PORT`: the port (0 picks a free one; the listening line says which).
    public var port = 8443
    /// `ESSOR_CERTS`: the dev PKI folder (created when the server certificate is taken from it and missing).
    public var certificatesDirectory = "certs"
    /// `ESSOR_TLS_CERT`: the server certificate chain (PEM); `<certs>/server.pem` when nil.
    public var tlsCertificate: String?
    /// `ESSOR_TLS_KEY`: the server private key (PEM); `<certs>/server-key.pem` when nil.
    public var tlsKey: String?
    /// `ESSOR_CLIENT_CA`: CA certificates (PEM) that client certificates are verified against; no mutual TLS when
    /// nil (API keys only).
    public var clientCA: String?
    /// `ESSOR_POLICIES`: the policy folder.
    public var policiesDirectory = "policies"
    /// `ESSOR_DEMO` (`1`/`true`): seed the demo data set when the store holds no organisation.
    public var demo = false
    /// `ESSOR_DEMO_KEYS_OUT`: where the demo users' API keys are written on seeding; `data/demo-keys.json` when
    /// nil.
    public var demoKeysFile: String?
    /// `ESSOR_MAX_BODY_BYTES`: the largest request body accepted (product uploads excepted).
    public var maximumBodyBytes = 1 << 20
    /// `ESSOR_MAX_UPLOAD_BYTES`: the largest product upload (`POST /internal/v1/products`, `POST /api/v1/tdms`).
    public var maximumUploadBytes = 50 << 20
    /// `ESSOR_WEBHOOK_ALLOW` (comma-separated; `--webhook-allow`, repeatable): address ranges (CIDR) webhook and SFTP
    /// deliveries may reach although the SSRF guard refuses them (private, loopback …); plain `http://` webhooks
    /// are accepted inside them only.
    public var webhookAllow: [String] = []
    /// `ESSOR_WEBHOOK_CA`: extra CA certificates (PEM) trusted for webhook receivers, beside the system's.
    public var webhookCA: String?
    /// `ESSOR_WEBHOOK_TIMEOUT_SECONDS`: how long a webhook receiver may take to answer.
    public var webhookTimeoutSeconds = 10.0
    /// `ESSOR_DROPS`: the drop folders' root (`<root>/<user>/<subscription id>/`).
    public var dropsDirectory = "data/drops"
    /// `ESSOR_DROP_RETENTION_DAYS`: dropped files older than this are pruned.
    public var dropRetentionDays = 30.0
    /// `ESSOR_DELIVERY_RETRY_SCALE`: multiplies the retry schedule's delays (tests speed the clock with 0.001).
    public var deliveryRetryScale = 1.0
    /// `ESSOR_DELIVERY_LEASE_SECONDS`: how long a claimed delivery is held before it may be attempted again after
    /// a crash.
    public var deliveryLeaseSeconds = 60.0
    /// `ESSOR_PUSH_WORKERS` (`1`/`0`): whether this instance runs the fan-out and delivery workers.
    public var pushWorkers = true
    /// `ESSOR_BACKEND_URL`: the collection / tasking backend (`https://host:port`); observation requests are
    /// stored but not forwarded when nil (issue 11 §3).
    public var backendURL: String?
    /// `ESSOR_BACKEND_CLIENT_CERT`: the gateway's client certificate (PEM) for the backend;
    /// `<certs>/clients/gateway.pem` (issued from the dev CA when missing) when nil.
    public var backendClientCertificate: String?
    /// `ESSOR_BACKEND_CLIENT_KEY`: its private key; `<certs>/clients/gateway-key.pem` when nil.
    public var backendClientKey: String?
    /// `ESSOR_BACKEND_CA`: the CA (PEM) the backend's certificate must chain to; `<certs>/ca.pem` when nil.
    public var backendCA: String?
    /// `ESSOR_BACKEND_RETRY_MAX_SECONDS`: the longest wait between two tries of a command the backend did not
    /// acknowledge (the waits double from 1 s up to it).
    public var backendRetryMaxSeconds = 60.0
    /// `ESSOR_PUBLIC_URL`: the gateway's base URL as the backend reaches it (its callbacks);
    /// `https://localhost:<port>` when nil.
    public var publicURL: String?

    /// The defaults.
    public init() {}

    /// The defaults overridden by the `ESSOR_*` variables of `environment`; a malformed number or flag throws.
    public init(environment: [String: String]) throws(ConfigurationError) {
        self.init()
        if let value = environment["ESSOR_DATABASE"] { databaseURL = value }
        if let value = environment["ESSOR_HOST"] { host = value }
        if let value = environment["ESSOR_PORT"] { port = try Self.number(value, key: "ESSOR_PORT", in: 0...65535) }
        if let value = environment["ESSOR_CERTS"] { certificatesDirectory = value }
        if let value = environment["ESSOR_TLS_CERT"] { tlsCertificate = value }
        if let value = environment["ESSOR_TLS_KEY"] { tlsKey = value }
        if let value = environment["ESSOR_CLIENT_CA"] { clientCA = value }
        if let value = environment["ESSOR_POLICIES"] { policiesDirectory = value }
        if let value = environment["ESSOR_DEMO"] {
            guard let flag = ["1": true, "true": true, "0": false, "false": false][value.lowercased()] else {
                throw ConfigurationError(key: "ESSOR_DEMO", message: "use 1, true, 0 or false, not '\(value)'")
            }
            demo = flag
        }
        if let value = environment["ESSOR_DEMO_KEYS_OUT"] { demoKeysFile = value }
        if let value = environment["ESSOR_MAX_BODY_BYTES"] {
            maximumBodyBytes = try Self.number(value, key: "ESSOR_MAX_BODY_BYTES", in: 1...(1 << 30))
        }
        if let value = environment["ESSOR_WEBHOOK_ALLOW"] {
            webhookAllow = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        if let value = environment["ESSOR_WEBHOOK_CA"] { webhookCA = value }
        if let value = environment["ESSOR_WEBHOOK_TIMEOUT_SECONDS"] {
            webhookTimeoutSeconds = try Self.decimal(value, key: "ESSOR_WEBHOOK_TIMEOUT_SECONDS", in: 0.1...300)
        }
        if let value = environment["ESSOR_DROPS"] { dropsDirectory = value }
        if let value = environment["ESSOR_DROP_RETENTION_DAYS"] {
            dropRetentionDays = try Self.decimal(value, key: "ESSOR_DROP_RETENTION_DAYS", in: 0.001...3650)
        }
        if let value = environment["ESSOR_DELIVERY_RETRY_SCALE"] {
            deliveryRetryScale = try Self.decimal(value, key: "ESSOR_DELIVERY_RETRY_SCALE", in: 0.00001...100)
        }
        if let value = environment["ESSOR_DELIVERY_LEASE_SECONDS"] {
            deliveryLeaseSeconds = try Self.decimal(value, key: "ESSOR_DELIVERY_LEASE_SECONDS", in: 0.5...86_400)
        }
        if let value = environment["ESSOR_PUSH_WORKERS"] {
            guard let flag = ["1": true, "true": true, "0": false, "false": false][value.lowercased()] else {
                throw ConfigurationError(key: "ESSOR_PUSH_WORKERS", message: "use 1, true, 0 or false, not '\(value)'")
            }
            pushWorkers = flag
        }
        if let value = environment["ESSOR_BACKEND_URL"], !value.isEmpty { backendURL = value }
        if let value = environment["ESSOR_BACKEND_CLIENT_CERT"] { backendClientCertificate = value }
        if let value = environment["ESSOR_BACKEND_CLIENT_KEY"] { backendClientKey = value }
        if let value = environment["ESSOR_BACKEND_CA"] { backendCA = value }
        if let value = environment["ESSOR_PUBLIC_URL"] { publicURL = value }
        if let value = environment["ESSOR_BACKEND_RETRY_MAX_SECONDS"] {
            backendRetryMaxSeconds = try Self.decimal(value, key: "ESSOR_BACKEND_RETRY_MAX_SECONDS", in: 0.01...86_400)
        }
        if let value = environment["ESSOR_MAX_UPLOAD_BYTES"] {
            maximumUploadBytes = try Self.number(value, key: "ESSOR_MAX_UPLOAD_BYTES", in: 1...(1 << 32))
        }
    }

    /// The server certificate file in use.
    public var certificateFile: String { tlsCertificate ?? certificatesDirectory + "/server.pem" }
    /// The server key file in use.
    public var keyFile: String { tlsKey ?? certificatesDirectory + "/server-key.pem" }
    /// The demo keys file in use.
    public var demoKeysPath: String { demoKeysFile ?? "data/demo-keys.json" }

    /// A decimal number in `range`, for the flag or variable `key`.
    public static func decimal(_ text: String, key: String, in range: ClosedRange<Double>) throws(ConfigurationError)
        -> Double
    {
        guard let value = Double(text), range.contains(value) else {
            throw ConfigurationError(key: key, message: "expected a number in \(range), not '\(text)'")
        }
        return value
    }

    private static func number(_ text: String, key: String, in range: ClosedRange<Int>) throws(ConfigurationError)
        -> Int
    {
        guard let value = Int(text), range.contains(value) else {
            throw ConfigurationError(key: key, message: "expected a whole number in \(range), not '\(text)'")
        }
        return value
    }
}

/// A setting that cannot be used, named by its key.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// The variable or flag.
    public var key: String
    /// What is wrong.
    public var message: String

    /// Creates the error.
    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }

    /// `KEY: message`.
    public var description: String { "\(key): \(message)" }
}
