import Foundation
import GatewayCore
import Storage
import Testing

/// The state machine through a real store (SQLite): random sequences of moves by the requester, the backend, an
/// administrator and the gateway never reach an illegal state; every accepted move is exactly one history entry
/// and one feed event, in order, and a refused one writes nothing (issue 11, Truth 1).
@Suite struct RequestStorePropertyTests {
    @Test func randomMovesThroughTheStoreKeepHistoryAndFeedInStep() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("essor-tasking-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStore(path: folder.appendingPathComponent("essor.sqlite").path)
        try await store.createOrganisation(Organisation(name: "requester"))
        try await store.createUser(User(name: "requester", organisation: "requester", roles: [.requester]))
        var random = SplitMix64(seed: 0x0B5E_12FE)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        for run in 0..<120 {
            let created = start.addingTimeInterval(Double(run) * 60)
            let request = ObservationRequest(
                requester: "requester", organisation: "requester", target: RequestTarget(noradID: 90500),
                window: DateInterval(start: created.addingTimeInterval(3600), duration: 3600),
                measurements: [.opticalAngles], tracks: 1, marking: .partners(["requester"]), created: created,
                history: [RequestHistoryEntry(state: .submitted, time: created, actor: .requester, user: "requester")])
            guard case .created(let stored) = try await store.createObservationRequest(
                request, limits: .none, dayStart: created)
            else {
                Issue.record("not created")
                return
            }
            var expected = RequestState.submitted
            var expectedEvents = [RequestState.submitted.eventType]
            let before = try await store.latestFeedEventID() ?? 0
            var time = created
            for _ in 0..<12 {
                let actor = RequestActor.allCases[Int(random.next() % UInt64(RequestActor.allCases.count))]
                let target = RequestState.allCases[Int(random.next() % UInt64(RequestState.allCases.count))]
                time.addTimeInterval(1)
                let change = RequestChange(
                    id: stored.id, to: target, actor: actor, user: actor == .gateway ? nil : actor.rawValue,
                    reason: "step", time: time, requester: actor == .requester ? "requester" : nil,
                    proposedWindow: target == .proposed ? DateInterval(start: time.addingTimeInterval(7200), duration: 600)
                        : nil)
                let legal = RequestStateMachine.successors(of: expected, by: actor).contains(target)
                switch await Self.move(store, change) {
                case .success(let moved):
                    #expect(legal, "the store accepted \(actor) \(expected) → \(target)")
                    #expect(moved.state == target)
                    expected = target
                    expectedEvents.append(target.eventType)
                case .failure(let error):
                    #expect(!legal, "the store refused the legal \(actor) \(expected) → \(target): \(error)")
                    if case .conflict = error {} else { Issue.record("not a conflict: \(error)") }
                }
                if expected.isTerminal && random.next() % 2 == 0 { break }
            }
            let final = try await store.observationRequest(id: stored.id)
            #expect(final.state == expected)
            #expect(final.history.map(\.state.eventType) == expectedEvents)
            #expect(final.history.map(\.time) == final.history.map(\.time).sorted())
            // Exactly one event per accepted move, in order, with ids that follow the history's.
            let events = try await store.feedEvents(FeedFilter(afterID: stored.history[0].eventID - 1))
                .filter { $0.requestID == stored.id }
            #expect(events.map(\.type) == expectedEvents)
            #expect(events.map(\.id) == final.history.map(\.eventID))
            #expect(events.allSatisfy { $0.requester == "requester" })
            _ = before
        }
    }

    /// The change applied, or the store's refusal.
    static func move(_ store: SQLiteStore, _ change: RequestChange) async -> Result<ObservationRequest, StoreError> {
        do {
            return .success(try await store.changeObservationRequest(change))
        } catch {
            return .failure(error)
        }
    }
}
