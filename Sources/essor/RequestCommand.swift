import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// `essor request submit|list|show|cancel` (issue 11 §5): observation requests against a running gateway, over
/// HTTPS with an API key or a client certificate.
struct RequestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request",
        abstract: "Submit, list, show, cancel observation requests on a running gateway, and answer proposals.",
        subcommands: [Submit.self, List.self, Show.self, Cancel.self, Accept.self, Decline.self])

    /// How to reach the gateway and who the caller is.
    struct Connection: ParsableArguments {
        @Option(help: "The gateway's base URL (ESSOR_URL; https://localhost:8443).")
        var url: String?
        @Option(help: "An API key (ESSOR_API_KEY), sent as a bearer token.")
        var key: String?
        @Option(help: "A client certificate (PEM) for mutual TLS, instead of a key.")
        var cert: String?
        @Option(name: .customLong("key-file"), help: "The client certificate's private key (PEM).")
        var keyFile: String?
        @Option(help: "The CA (PEM) the gateway's certificate must chain to (ESSOR_CACERT; certs/ca.pem when present).")
        var cacert: String?
        @Flag(help: "Print the gateway's JSON instead of the summary.")
        var json = false

        var baseURL: String {
            let text = url ?? ProcessInfo.processInfo.environment["ESSOR_URL"] ?? "https://localhost:8443"
            return text.hasSuffix("/") ? String(text.dropLast()) : text
        }

        func validate() throws {
            if (cert == nil) != (keyFile == nil) { throw ValidationError("give --cert and --key-file together") }
            if cert == nil && apiKey == nil {
                throw ValidationError("give --key (or ESSOR_API_KEY), or --cert and --key-file")
            }
        }

        var apiKey: String? { key ?? ProcessInfo.processInfo.environment["ESSOR_API_KEY"] }
    }

    struct Submit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Submit an observation request; prints it.")
        @OptionGroup var connection: Connection
        @Option(help: "The object's NORAD catalogue number.")
        var norad: Int?
        @Option(help: "A file holding a CCSDS OMM, OEM or OPM of an object the catalogue does not hold.")
        var orbit: String?
        @Option(help: "Window start, ISO 8601 UTC (2026-12-08T20:00:00Z).")
        var start: String
        @Option(help: "Window stop, ISO 8601 UTC.")
        var stop: String
        @Option(
            help: "Measurements, comma-separated: optical-angles, radar-range, radar-doppler (default optical-angles).")
        var measurements = "optical-angles"
        @Option(help: "Tracks wanted (1–100).")
        var tracks = 1
        @Option(help: "routine, urgent or emergency.")
        var priority = "routine"
        @Option(help: "A sensor or site preference.")
        var sensor: String?
        @Option(help: "Why the observation is wanted.")
        var purpose: String?
        @Option(help: "The products' marking (default partners:<your organisation>).")
        var marking: String?
        @Option(name: .customLong("idempotency-key"), help: "Sent as Idempotency-Key: a retry with it is safe.")
        var idempotencyKey: String?

        func validate() throws {
            if (norad == nil) == (orbit == nil) { throw ValidationError("give --norad or --orbit (one of them)") }
        }

        func run() async throws {
            var target: [String: Any] = [:]
            if let norad { target["norad_id"] = norad }
            if let orbit {
                guard let text = try? String(contentsOfFile: orbit, encoding: .utf8) else {
                    throw ValidationError("cannot read \(orbit)")
                }
                target["orbit"] = text
            }
            var body: [String: Any] = [
                "target": target, "window": ["start": start, "stop": stop],
                "measurements": measurements.split(separator: ",").map { String($0) }, "tracks": tracks,
                "priority": priority,
            ]
            if let sensor { body["sensor"] = sensor }
            if let purpose { body["purpose"] = purpose }
            if let marking { body["marking"] = marking }
            let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
            var headers = [("content-type", "application/json")]
            if let idempotencyKey { headers.append(("idempotency-key", idempotencyKey)) }
            let answer = try await GatewayCall.run(
                connection, method: .POST, path: "/api/v1/observation-requests", headers: headers, body: Array(data))
            try RequestPrinter.print(answer, json: connection.json)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List your observation requests, newest first.")
        @OptionGroup var connection: Connection
        @Option(help: "Only in these states (comma-separated: SUBMITTED,SCHEDULED …).")
        var state: String?
        @Option(help: "Only about this NORAD id.")
        var object: Int?
        @Option(help: "Only changed since this ISO 8601 time.")
        var since: String?
        @Option(help: "At most this many.")
        var limit = 100

        func run() async throws {
            var query = ["limit=\(limit)"]
            if let state { query.append("state=\(state)") }
            if let object { query.append("object=\(object)") }
            if let since { query.append("since=\(since)") }
            let answer = try await GatewayCall.run(
                connection, method: .GET, path: "/api/v1/observation-requests?" + query.joined(separator: "&"))
            try RequestPrinter.printList(answer, json: connection.json)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a request with its history and products.")
        @OptionGroup var connection: Connection
        @Argument(help: "The request id (req_…).")
        var id: String

        func run() async throws {
            let answer = try await GatewayCall.run(connection, method: .GET, path: "/api/v1/observation-requests/\(id)")
            try RequestPrinter.print(answer, json: connection.json)
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel an open request.")
        @OptionGroup var connection: Connection
        @Argument(help: "The request id (req_…).")
        var id: String
        @Option(help: "Why.")
        var reason: String?

        func run() async throws {
            var path = "/api/v1/observation-requests/\(id)"
            if let reason, let encoded = reason.addingPercentEncoding(withAllowedCharacters: .alphanumerics) {
                path += "?reason=\(encoded)"
            }
            let answer = try await GatewayCall.run(connection, method: .DELETE, path: path)
            try RequestPrinter.print(answer, json: connection.json)
        }
    }

    struct Accept: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Accept the window the backend proposed (the request becomes ACCEPTED with that window).")
        @OptionGroup var connection: Connection
        @Argument(help: "The request id (req_…).")
        var id: String
        @Option(help: "Why.")
        var reason: String?

        func run() async throws {
            try await Transition.run(connection, id: id, state: "ACCEPTED", reason: reason)
        }
    }

    struct Decline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Decline the window the backend proposed (the request is cancelled).")
        @OptionGroup var connection: Connection
        @Argument(help: "The request id (req_…).")
        var id: String
        @Option(help: "Why.")
        var reason: String?

        func run() async throws {
            try await Transition.run(connection, id: id, state: "CANCELLED", reason: reason)
        }
    }

    /// `POST /api/v1/observation-requests/{id}/transitions`.
    enum Transition {
        static func run(_ connection: Connection, id: String, state: String, reason: String?) async throws {
            var body: [String: Any] = ["state": state]
            if let reason { body["reason"] = reason }
            let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
            let answer = try await GatewayCall.run(
                connection, method: .POST, path: "/api/v1/observation-requests/\(id)/transitions",
                headers: [("content-type", "application/json")], body: Array(data))
            try RequestPrinter.print(answer, json: connection.json)
        }
    }
}

/// One HTTPS call to the gateway; a problem answer is printed (`essor request: 409 Illegal state transition: …`)
/// and exits 1.
enum GatewayCall {
    static func run(
        _ connection: RequestCommand.Connection, method: HTTPMethod, path: String, headers: [(String, String)] = [],
        body: [UInt8]? = nil
    ) async throws -> [UInt8] {
        var tls = TLSConfiguration.makeClientConfiguration()
        let ca = connection.cacert ?? ProcessInfo.processInfo.environment["ESSOR_CACERT"]
            ?? (FileManager.default.fileExists(atPath: "certs/ca.pem") ? "certs/ca.pem" : nil)
        if let ca { tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(ca)) }
        if let cert = connection.cert, let key = connection.keyFile {
            tls.certificateChain = try NIOSSLCertificate.fromPEMFile(cert).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
        }
        let client = HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup,
            configuration: HTTPClient.Configuration(tlsConfiguration: tls, redirectConfiguration: .disallow))
        var request = HTTPClientRequest(url: connection.baseURL + path)
        request.method = method
        if let key = connection.apiKey, connection.cert == nil {
            request.headers.add(name: "authorization", value: "Bearer \(key)")
        }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let status: Int
        let bytes: [UInt8]
        do {
            let response = try await client.execute(request, timeout: .seconds(30))
            status = Int(response.status.code)
            bytes = Array(try await response.body.collect(upTo: 16 << 20).readableBytesView)
        } catch {
            try? await client.shutdown()
            printError("essor request: cannot reach \(connection.baseURL): \(error)")
            throw ExitCode(1)
        }
        try? await client.shutdown()
        guard (200..<300).contains(status) else {
            let problem = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
            let title = problem?["title"] as? String ?? "error"
            let detail = problem?["detail"] as? String ?? String(decoding: bytes.prefix(500), as: UTF8.self)
            printError("essor request: \(status) \(title): \(detail)")
            throw ExitCode(1)
        }
        return bytes
    }
}

/// Prints requests for people: one line per request in a list; the request, its schedule, history and products
/// for one.
enum RequestPrinter {
    static func print(_ bytes: [UInt8], json: Bool) throws {
        if json { return Swift.print(String(decoding: bytes, as: UTF8.self)) }
        guard let request = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] else {
            return Swift.print(String(decoding: bytes, as: UTF8.self))
        }
        let target = request["target"] as? [String: Any]
        let window = request["window"] as? [String: Any]
        Swift.print("\(request["id"] ?? "")  \(request["state"] ?? "")")
        Swift.print("  object       \(target?["norad_id"].map { "\($0)" } ?? "(inline orbit)")")
        Swift.print("  window       \(window?["start"] ?? "") → \(window?["stop"] ?? "")")
        if let proposed = request["proposed_window"] as? [String: Any] {
            Swift.print("  proposed     \(proposed["start"] ?? "") → \(proposed["stop"] ?? "")")
        }
        let measurements = (request["measurements"] as? [String])?.joined(separator: ", ") ?? ""
        Swift.print("  measurements \(measurements); \(request["tracks"] ?? 1) track(s); \(request["priority"] ?? "")")
        if let sensor = request["sensor"] as? String { Swift.print("  sensor       \(sensor)") }
        if let purpose = request["purpose"] as? String { Swift.print("  purpose      \(purpose)") }
        Swift.print("  marking      \(request["marking"] ?? "")")
        for pass in request["schedule"] as? [[String: Any]] ?? [] {
            Swift.print("  scheduled    \(pass["sensor"] ?? "")  \(pass["start"] ?? "") → \(pass["stop"] ?? "")")
        }
        Swift.print("  history")
        for entry in request["history"] as? [[String: Any]] ?? [] {
            let who = (entry["user"] as? String).map { " (\($0))" } ?? ""
            let why = (entry["reason"] as? String).map { ": \($0)" } ?? ""
            Swift.print("    \(entry["time"] ?? "")  \(entry["state"] ?? "")  by \(entry["actor"] ?? "")\(who)\(why)")
        }
        for product in request["products"] as? [[String: Any]] ?? [] {
            Swift.print("  product      \(product["id"] ?? "")  \(product["href"] ?? "")")
        }
    }

    static func printList(_ bytes: [UInt8], json: Bool) throws {
        if json { return Swift.print(String(decoding: bytes, as: UTF8.self)) }
        let page = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
        let items = page?["items"] as? [[String: Any]] ?? []
        if items.isEmpty { return Swift.print("no observation requests") }
        for request in items {
            let target = request["target"] as? [String: Any]
            let window = request["window"] as? [String: Any]
            let object = target?["norad_id"].map { "\($0)" } ?? "inline"
            Swift.print(
                "\(request["id"] ?? "")  \(pad(request["state"] as? String ?? "", 10))  \(pad(object, 9))  "
                    + "\(window?["start"] ?? "") → \(window?["stop"] ?? "")  \(request["priority"] ?? "")")
        }
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}
