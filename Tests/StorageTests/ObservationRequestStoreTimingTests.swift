import Foundation
import GatewayCore
import Storage
import Testing

/// Timings of the observation-request hot paths (submission, move, claim and record, read), printed, not checked:
/// run with `ESSOR_STORAGE_TIMING=1` (a debug build: compare runs, not absolute numbers).
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["ESSOR_STORAGE_TIMING"] != nil))
struct ObservationRequestStoreTimingTests {
    typealias F = Fixtures

    /// Mean milliseconds per call of `body` over `count` calls.
    static func mean(_ count: Int, _ body: (Int) async throws -> Void) async throws -> Double {
        let start = ContinuousClock.now
        for index in 0..<count { try await body(index) }
        let elapsed = ContinuousClock.now - start
        return (Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) / 1e15)
            / Double(count)
    }

    @Test(arguments: StoreEngine.all)
    func printsTheHotPathTimings(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await F.seedIdentities(store)
            let stored = 2_000
            let limits = RequestLimits(openRequests: 1_000_000, requestsPerDay: 1_000_000, tracksPerDay: 1_000_000)
            for index in 0..<stored {
                try await ObservationRequestStoreConformanceTests.create(
                    store, F.request(String(format: "a%05x", index), created: index, key: "a\(index)"))
            }
            let limited = try await Self.mean(300) { index in
                _ = try await store.createObservationRequest(
                    F.request(String(format: "b%05x", index), created: stored + index, key: "b\(index)"),
                    limits: limits, dayStart: F.time())
            }
            let unlimited = try await Self.mean(300) { index in
                _ = try await store.createObservationRequest(
                    F.request(String(format: "c%05x", index), created: stored + 500 + index, key: "c\(index)"),
                    limits: .none, dayStart: F.time())
            }
            let concurrentStart = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<8 {
                    group.addTask {
                        for index in 0..<100 {
                            let suffix = String(format: "d%01x%04x", task, index)
                            _ = try await store.createObservationRequest(
                                F.request(
                                    suffix, requester: task % 2 == 0 ? "operator-a" : "operator-b",
                                    created: stored + 1_000 + index, key: suffix),
                                limits: limits, dayStart: F.time())
                        }
                    }
                }
                try await group.waitForAll()
            }
            let concurrent = ContinuousClock.now - concurrentStart
            let seconds = Double(concurrent.components.attoseconds) / 1e18 + Double(concurrent.components.seconds)
            let perSecond = 800 / seconds
            let change = try await Self.mean(300) { index in
                _ = try await store.changeObservationRequest(
                    RequestChange(
                        id: F.requestID(String(format: "b%05x", index)), to: .accepted, actor: .backend,
                        user: "backend", time: F.time(10_000 + index)))
            }
            let read = try await Self.mean(300) { index in
                _ = try await store.observationRequest(id: F.requestID(String(format: "a%05x", index)))
            }
            var claimed = 0
            var recording = Duration.zero
            let claim = try await Self.mean(50) { index in
                let commands = try await store.claimBackendCommands(
                    dueAt: F.time(1_000_000), limit: 20, leaseUntil: F.time(2_000_000 + index))
                claimed += commands.count
                let start = ContinuousClock.now
                try await store.recordBackendCommands(
                    commands.map { BackendCommandOutcome(commandID: $0.id, result: .done(F.time(1_000_000))) })
                recording += ContinuousClock.now - start
            }
            let record =
                (Double(recording.components.attoseconds) / 1e15 + Double(recording.components.seconds) * 1e3) / 50
            func ms(_ value: Double) -> String { String(format: "%.3f ms", value) }
            print(
                "timing \(engine.name): create with limits \(ms(limited)), without \(ms(unlimited)),"
                    + " 8 concurrent \(Int(perSecond))/s; change \(ms(change)); read \(ms(read));"
                    + " claim+record 20 \(ms(claim)) (record \(ms(record)), \(claimed) claimed)")
        }
    }
}
