import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOSSL
import X509

/// The request context of the backend's routes: Hummingbird's storage and the connection (for the client
/// certificate).
public struct BackendRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// The connection that carries TLS (an HTTP/2 stream's parent).
    var tlsChannels: [any Channel] { [channel] + (channel.parent.map { [$0] } ?? []) }
}

/// Lets only the gateway in: the TLS handshake already required a client certificate of the trusted CA; this
/// checks that it names the gateway (SAN URI `urn:essor:user:<gateway identity>`).
struct GatewayOnlyMiddleware: RouterMiddleware {
    typealias Context = BackendRequestContext
    let identity: String

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var names: [String] = []
        for channel in context.tlsChannels {
            guard let certificate = try? await channel.nioSSL_peerCertificate().get(),
                let der = try? certificate.toDERBytes(), let parsed = try? Certificate(derEncoded: der)
            else { continue }
            let alternatives = (try? parsed.extensions.subjectAlternativeNames).map(Array.init) ?? []
            names = alternatives.compactMap {
                if case .uniformResourceIdentifier(let uri) = $0 { return uri }
                return nil
            }
            break
        }
        guard names.contains("urn:essor:user:\(identity)") else {
            return BackendProblem.response(
                .forbidden, "forbidden",
                "only the gateway (a client certificate naming urn:essor:user:\(identity)) may call the backend")
        }
        return try await next(request, context)
    }
}

/// RFC 9457 problem+json answers.
enum BackendProblem {
    static func response(_ status: HTTPResponse.Status, _ type: String, _ detail: String) -> Response {
        let body: [String: Any] = [
            "type": "https://essor.dev/problems/backend/\(type)", "title": status.reasonPhrase, "status": status.code,
            "detail": detail,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
        return Response(
            status: status, headers: [.contentType: "application/problem+json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func json(_ status: HTTPResponse.Status, _ data: Data) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// The backend protocol's routes (docs/observation-requests.md, "Essor → backend").
struct BackendRoutes {
    let store: any BackendStore
    let clock: BackendClock
    let wake: @Sendable () -> Void
    let maximumBodyBytes = 4 << 20

    func register(on router: Router<BackendRequestContext>) {
        router.get("/v1/health") { _, _ in
            BackendProblem.json(.ok, Data(#"{"status":"ok"}"#.utf8))
        }
        router.post("/v1/requests") { request, context in try await submit(request, context) }
        router.post("/v1/requests/:id/accept") { request, context in try await accept(request, context) }
        router.delete("/v1/requests/:id") { _, context in try await cancel(context) }
        router.get("/v1/requests/:id") { _, context in try await show(context) }
    }

    private func body(_ request: Request) async throws -> Data {
        var request = request
        let buffer = try await request.collectBody(upTo: maximumBodyBytes)
        return Data(buffer: buffer)
    }

    private func submit(_ request: Request, _ context: BackendRequestContext) async throws -> Response {
        let submission: Submission
        do {
            submission = try ProtocolJSON.decoder().decode(Submission.self, from: try await body(request))
        } catch {
            return BackendProblem.response(.badRequest, "invalid-body", "not a backend-protocol submission: \(error)")
        }
        if let problem = Self.problem(in: submission) {
            return BackendProblem.response(.badRequest, "invalid-body", problem)
        }
        let inserted = try await store.insert(BackendTask(submission: submission, received: Date()))
        wake()
        let answer = Data(#"{"id":"\#(submission.id)"}"#.utf8)
        return BackendProblem.json(inserted ? .created : .conflict, answer)
    }

    /// What makes a submission unusable, if anything.
    static func problem(in submission: Submission) -> String? {
        if submission.id.isEmpty || submission.id.count > 128 { return "id must be 1–128 characters" }
        if submission.window.stop <= submission.window.start { return "window.stop must be after window.start" }
        if submission.tracks < 1 || submission.tracks > 100 { return "tracks must be 1..100" }
        if submission.measurements.isEmpty { return "measurements must not be empty" }
        let known: Set = ["optical-angles", "radar-range", "radar-doppler"]
        if let unknown = submission.measurements.first(where: { !known.contains($0) }) {
            return "unknown measurement '\(unknown)'"
        }
        if !["routine", "urgent", "emergency"].contains(submission.priority) {
            return "priority must be routine, urgent or emergency"
        }
        return nil
    }

    private func accept(_ request: Request, _ context: BackendRequestContext) async throws -> Response {
        let id = context.parameters.get("id") ?? ""
        let acceptance: Acceptance
        do {
            acceptance = try ProtocolJSON.decoder().decode(Acceptance.self, from: try await body(request))
        } catch {
            return BackendProblem.response(.badRequest, "invalid-body", "expected {\"window\": {\"start\", \"stop\"}}: \(error)")
        }
        guard var task = try await store.task(id: id) else {
            return BackendProblem.response(.notFound, "not-found", "no request \(id)")
        }
        switch task.state {
        case .proposed:
            task.window = acceptance.window
            task.proposedWindow = nil
            task.state = .replan
            task.reason = nil
            task.clockBase = Date()
            try await store.save(task, enqueue: [])
            wake()
        case .replan, .scheduled, .collected:
            break  // already accepted (a repeated command)
        case .received, .finished:
            return BackendProblem.response(.conflict, "not-proposed", "request \(id) has no proposal to accept")
        }
        return BackendProblem.json(.ok, Data(#"{"id":"\#(id)"}"#.utf8))
    }

    private func cancel(_ context: BackendRequestContext) async throws -> Response {
        let id = context.parameters.get("id") ?? ""
        guard var task = try await store.task(id: id) else {
            return BackendProblem.response(.notFound, "not-found", "no request \(id)")
        }
        if task.state != .finished {
            task.state = .finished
            task.reason = "withdrawn by the gateway"
            task.slots.removeAll { $0.outcome == .planned }
            try await store.save(task, enqueue: [])
            wake()
        }
        return Response(status: .noContent)
    }

    private func show(_ context: BackendRequestContext) async throws -> Response {
        let id = context.parameters.get("id") ?? ""
        guard let task = try await store.task(id: id) else {
            return BackendProblem.response(.notFound, "not-found", "no request \(id)")
        }
        return BackendProblem.json(.ok, try ProtocolJSON.encoder().encode(task))
    }
}
