import Astrodynamics
import Backend
import DevPKI
import Foundation
import Logging
import Testing

@testable import BackendApp

@Suite("Backend service")
struct BackendServiceTests {
    static func date(_ text: String) -> Date { ProtocolJSON.parse(text)! }

    @Test("clock: real, accelerated per request, refused spellings")
    func clock() throws {
        #expect(BackendClock.parse("real") == .real)
        let fast = try #require(BackendClock.parse("accelerated:1000"))
        let received = Self.date("2026-12-08T10:00:00Z")
        #expect(fast.simulated(receivedAt: received, now: received.addingTimeInterval(36)) == Self.date("2026-12-08T20:00:00Z"))
        #expect(fast.real(receivedAt: received, simulated: Self.date("2026-12-08T20:00:00Z")) == received.addingTimeInterval(36))
        // Time never runs backwards for a request received "in the future" of the caller's clock.
        #expect(fast.simulated(receivedAt: received, now: received.addingTimeInterval(-5)) == received)
        for bad in ["accelerated:0", "accelerated:x", "fast", "accelerated:2000000"] {
            #expect(BackendClock.parse(bad) == nil, "\(bad)")
        }
    }

    @Test("protocol JSON: UTC with milliseconds and Z both ways; a zone-less time is UTC")
    func protocolTimes() throws {
        let date = Self.date("2026-12-08T20:00:00.125Z")
        #expect(ProtocolJSON.text(date) == "2026-12-08T20:00:00.125Z")
        #expect(ProtocolJSON.parse("2026-12-08T20:00:00.125") == date)
        #expect(ProtocolJSON.parse("2026-12-08T20:00:00Z") == Self.date("2026-12-08T20:00:00.000Z"))
        #expect(ProtocolJSON.parse("yesterday") == nil)
        let report = StatusReport(
            state: "PROPOSED", reason: "r",
            proposedWindow: TimeWindow(start: date, stop: date.addingTimeInterval(3600)))
        let text = String(decoding: try ProtocolJSON.encoder().encode(report), as: UTF8.self)
        #expect(
            text == #"{"proposed_window":{"start":"2026-12-08T20:00:00.125Z","stop":"2026-12-08T21:00:00.125Z"},"reason":"r","state":"PROPOSED"}"#)
    }

    @Test("a submission the backend cannot use is refused with the field named")
    func submissionChecks() throws {
        let body = #"""
            {"id": "req_1", "requester": "requester", "organisation": "requester-org",
             "target": {"norad_id": 90500, "omm": null, "orbit": null},
             "window": {"start": "2026-12-08T20:00:00.000Z", "stop": "2026-12-09T04:00:00.000Z"},
             "measurements": ["optical-angles"], "tracks": 3, "priority": "routine", "sensor": null,
             "purpose": null, "marking": "partners:requester-org", "created": "2026-12-08T10:00:00.000Z",
             "callbacks": {"status": "https://g/internal/v1/observation-requests/req_1/status",
                           "products": "https://g/internal/v1/products?request=req_1"}}
            """#
        var submission = try ProtocolJSON.decoder().decode(Submission.self, from: Data(body.utf8))
        #expect(submission.target.noradID == 90500 && submission.tracks == 3)
        #expect(BackendRoutes.problem(in: submission) == nil)
        submission.measurements = ["laser-ranging"]
        #expect(BackendRoutes.problem(in: submission) == "unknown measurement 'laser-ranging'")
        submission.measurements = ["radar-range"]
        submission.window.stop = submission.window.start
        #expect(BackendRoutes.problem(in: submission) == "window.stop must be after window.start")
    }

    // MARK: - Planning and observing

    static let cloudy = Sensor(
        name: "cloudy", type: .optical,
        site: GeodeticSite(latitudeDegrees: 45, longitudeDegrees: 0, heightMetres: 0), minElevationDegrees: 20,
        slewRateDegreesPerSecond: 3, settleSeconds: 10, pointsPerTrack: 5, cadenceSeconds: 30, cloudProbability: 1,
        optical: OpticalCharacteristics(
            fieldOfViewDegrees: 1, limitingMagnitude: 16, noiseArcseconds: 1, exposureSeconds: 10))

    static func task(_ id: String, sensor: String? = nil, norad: Int = 90500) -> BackendTask {
        BackendTask(
            submission: Submission(
                id: id, requester: "requester", target: .init(noradID: norad),
                window: TimeWindow(start: date("2026-12-20T18:00:00Z"), stop: date("2026-12-21T06:00:00Z")),
                measurements: ["optical-angles"], tracks: 1, priority: "routine", sensor: sensor, marking: nil,
                callbacks: nil),
            received: date("2026-12-19T00:00:00Z"))
    }

    @Test("a task the network cannot take is refused with a reason a requester reads")
    func refusals() throws {
        let planner = TaskPlanner(
            network: SensorNetwork(sensors: [Self.cloudy]), truth: TruthCatalogue(objects: []), seed: 1, weather: true)
        let now = Self.date("2026-12-19T00:00:00Z")
        #expect(planner.refusal(Self.task("req_1"), now: now) == "object 90500 is not in the reference backend's catalogue")
    }

    @Test("clouds take a slot: the task looks for others, and fails with the reason when it may not")
    func clouds() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("backend-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = try DevPKI.ensure(in: folder, users: ["backend"])
        let store = try SQLiteBackendStore(path: folder.appendingPathComponent("backend.sqlite").path)
        try await store.migrate()
        let network = SensorNetwork(sensors: [Self.cloudy])
        let link = try GatewayLink(
            baseURL: "https://127.0.0.1:1", certificate: files.clientCertificate(for: "backend").path,
            key: files.clientPrivateKey(for: "backend").path, trustedCA: files.caCertificate.path)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let worker = BackendWorker(
            store: store, link: link, clock: .real, network: network, truth: TruthCatalogue(objects: []), seed: 1,
            weather: true, retryMaxSeconds: 1, signal: WorkSignal(), logger: logger)
        let planner = TaskPlanner(network: network, truth: TruthCatalogue(objects: []), seed: 1, weather: true)
        let observer = TaskObserver(network: network, truth: TruthCatalogue(objects: []), seed: 1)

        var task = Self.task("req_cloud")
        task.state = .scheduled
        task.reported = "SCHEDULED"
        let midnight = Self.date("2026-12-21T00:00:00Z")
        task.slots = [TaskSlot(track: 1, sensor: "cloudy", noradID: 90500, start: midnight, end: midnight.addingTimeInterval(130))]
        #expect(planner.isClouded(task.slots[0]))
        #expect(try await store.insert(task))
        try await worker.observe(observer, planner: planner, now: midnight.addingTimeInterval(600))
        var stored = try #require(try await store.task(id: "req_cloud"))
        #expect(stored.state == .replan && stored.replans == 1)
        #expect(stored.slots.map(\.outcome) == [.clouded])
        #expect(try await store.pendingCount() == 0)

        // Out of replans: the task fails, and says why.
        stored.state = .scheduled
        stored.replans = TaskPlanner.maximumReplans
        stored.slots.append(
            TaskSlot(track: 1, sensor: "cloudy", noradID: 90500, start: midnight.addingTimeInterval(3600),
                     end: midnight.addingTimeInterval(3730)))
        try await store.save(stored, enqueue: [])
        try await worker.observe(observer, planner: planner, now: midnight.addingTimeInterval(7200))
        stored = try #require(try await store.task(id: "req_cloud"))
        #expect(stored.state == .finished && stored.reported == "FAILED")
        let messages = try await store.dueMessages(now: Date(), limit: 10)
        let report = try ProtocolJSON.decoder().decode(StatusReport.self, from: Data(try #require(messages.first).body))
        #expect(report.state == "FAILED")
        #expect(report.reason?.contains("clouds at cloudy") == true)
        try await store.close()
        await link.shutdown()
    }
}
