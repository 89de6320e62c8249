import Foundation
import GatewayCore
import Storage
import Testing

/// Observation requests, their history, products and the backend outbox (issue 11): the same semantics on every
/// engine, quotas and idempotency exact under concurrency, every transition one history entry and one feed event.
@Suite struct ObservationRequestStoreConformanceTests {
    typealias F = Fixtures

    /// Creates `request`, expecting it stored.
    @discardableResult
    static func create(_ store: TestedStore, _ request: ObservationRequest, limits: RequestLimits = .none)
        async throws -> ObservationRequest
    {
        let creation = try await store.createObservationRequest(request, limits: limits, dayStart: F.time())
        guard case .created(let stored) = creation else {
            Issue.record("expected \(request.id) to be created, got \(creation)")
            return request
        }
        return stored
    }

    /// Moves request `suffix` to `state`.
    @discardableResult
    static func move(
        _ store: TestedStore, _ suffix: String, to state: RequestState, by actor: RequestActor = .backend,
        at time: Int, reason: String? = nil, schedule: [ScheduledPass]? = nil, proposedWindow: DateInterval? = nil
    ) async throws -> ObservationRequest {
        try await store.changeObservationRequest(
            RequestChange(
                id: F.requestID(suffix), to: state, actor: actor, user: actor == .backend ? "backend" : nil,
                reason: reason, time: F.time(time), schedule: schedule, proposedWindow: proposedWindow))
    }

    /// The refusal of a product for a request in `state`.
    static func productConflict(_ id: String, _ state: RequestState) -> StoreError {
        .conflict(
            entity: "observation request", key: id,
            reason: "a product cannot be linked to a \(state.rawValue) request (ACCEPTED, SCHEDULED, PARTIAL or "
                + "COLLECTED only)")
    }

    /// The events `request`'s history should have appended, in order.
    static func expectedEvents(_ request: ObservationRequest) -> [FeedEvent] {
        var previous: RequestState?
        var events: [FeedEvent] = []
        for entry in request.history {
            var event = FeedEvent(request: request, entry: entry, previous: previous)
            event.id = entry.eventID
            events.append(event)
            previous = entry.state
        }
        return events
    }

    /// The feed's events of requests.
    static func requestEvents(_ store: TestedStore) async throws -> [FeedEvent] {
        try await store.feedEvents(FeedFilter()).filter(\.isRequestEvent)
    }

    @Test(arguments: StoreEngine.all)
    func storesEveryFieldWithItsFirstEntryEventAndSubmitCommand(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await F.seedIdentities(store)
            var request = ObservationRequest(
                id: F.requestID("a1"), requester: "operator-a", organisation: "operator-a",
                target: RequestTarget(
                    noradID: nil,
                    orbit: InlineOrbit(
                        kind: .omm, text: "CCSDS_OMM_VERS = 3.0\n", objectName: "X", objectID: "2024-001A")),
                window: DateInterval(start: F.time(3_600), end: F.time(90_000)),
                measurements: [.radarDoppler, .opticalAngles], tracks: 3, priority: .urgent, sensor: "tarot-calern",
                purpose: "post-manoeuvre orbit update", marking: .partners(["operator-a", "operator-b"]),
                created: F.time(10), idempotencyKey: "key-1", bodyDigest: "sha256:abc")
            request.history = [RequestHistoryEntry(state: .submitted, time: F.time(10), actor: .admin, user: "admin")]
            let stored = try await Self.create(store, request)
            var expected = request
            expected.history[0].eventID = 1
            #expect(stored == expected)
            #expect(try await store.observationRequest(id: request.id) == expected)

            let events = try await store.feedEvents(FeedFilter())
            #expect(events.count == 1)
            #expect(events.first == FeedEvent(request: request, entry: expected.history[0], previous: nil).with(id: 1))
            #expect(events.first?.requester == "operator-a" && events.first?.detail("actor") == "admin")
            let commands = try await store.backendCommands(requestID: request.id)
            #expect(
                commands == [
                    BackendCommand(
                        id: commands.first?.id ?? 0, requestID: request.id, kind: .submit, created: F.time(10),
                        nextAttempt: F.time(10))
                ])

            // Without a history entry given, the first is SUBMITTED by the requester at creation.
            let plain = try await Self.create(store, F.request("a2", noradID: 90002, created: 20))
            #expect(
                plain.history == [
                    RequestHistoryEntry(
                        state: .submitted, time: F.time(20), actor: .requester, user: "operator-a", eventID: 2)
                ])
            #expect(plain.target == RequestTarget(noradID: 90002) && plain.productIDs == [] && plain.schedule == [])

            await #expect(throws: StoreError.notFound(entity: "user", key: "nobody")) {
                _ = try await store.createObservationRequest(
                    F.request("a3", requester: "nobody"), limits: .none, dayStart: F.time())
            }
            await #expect(throws: StoreError.notFound(entity: "observation request", key: F.requestID("ff"))) {
                _ = try await store.observationRequest(id: F.requestID("ff"))
            }
            var malformed = F.request("a4")
            malformed.id = "req_NOTHEX"
            await #expect(throws: StoreError.self) {
                _ = try await store.createObservationRequest(malformed, limits: .none, dayStart: F.time())
            }
            #expect(try await store.feedEvents(FeedFilter()).count == 2, "nothing written by refused creations")
        }
    }

    @Test(arguments: StoreEngine.all)
    func listsNewestFirstByRequesterStateObjectAndUpdateWithKeysetPages(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await F.seedIdentities(store)
            // Creation order differs from id order; b1 and b2 share their creation time (then by id, descending).
            try await Self.create(store, F.request("c3", created: 10))
            try await Self.create(store, F.request("c1", requester: "operator-b", noradID: 90002, created: 20))
            try await Self.create(store, F.request("b2", created: 30))
            try await Self.create(store, F.request("b1", requester: "operator-b", created: 30))
            try await Self.create(store, F.request("a9", noradID: nil, created: 40))
            try await Self.move(store, "c3", to: .accepted, at: 100)
            try await Self.move(store, "b1", to: .rejected, at: 110, reason: "no sensor")
            func ids(_ filter: RequestListFilter) async throws -> [String] {
                try await store.observationRequests(filter).map { String($0.id.suffix(2)) }
            }
            #expect(try await ids(RequestListFilter()) == ["a9", "b2", "b1", "c1", "c3"])
            #expect(try await ids(RequestListFilter(requester: "operator-a")) == ["a9", "b2", "c3"])
            #expect(try await ids(RequestListFilter(requester: "nobody")) == [])
            #expect(try await ids(RequestListFilter(states: [.accepted, .rejected])) == ["b1", "c3"])
            #expect(try await ids(RequestListFilter(states: [])) == [])
            #expect(try await ids(RequestListFilter(noradID: 90001)) == ["b2", "b1", "c3"])
            #expect(try await ids(RequestListFilter(updatedSince: F.time(40))) == ["a9", "b1", "c3"])
            #expect(try await ids(RequestListFilter(limit: 2)) == ["a9", "b2"])
            #expect(try await ids(RequestListFilter(afterID: F.requestID("b2"), limit: 2)) == ["b1", "c1"])
            #expect(try await ids(RequestListFilter(afterID: F.requestID("c1"))) == ["c3"])
            #expect(try await ids(RequestListFilter(requester: "operator-a", afterID: F.requestID("b1"))) == ["c3"])
            #expect(try await ids(RequestListFilter(limit: 0)) == [])

            let listed = try await store.observationRequests(RequestListFilter())
            for request in listed {
                #expect(try await store.observationRequest(id: request.id) == request, "listing reads the full model")
            }
            #expect(listed.first { $0.id == F.requestID("c3") }?.history.map(\.state) == [.submitted, .accepted])
        }
    }

    @Test(arguments: StoreEngine.all)
    func listsTheRequestsOfAnIDSetInOneCall(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await F.seedIdentities(store)
            try await Self.create(store, F.request("f1", created: 10))
            try await Self.create(store, F.request("f2", requester: "operator-b", created: 20))
            try await Self.create(store, F.request("f3", created: 30))
            try await Self.move(store, "f3", to: .accepted, at: 40)
            func ids(_ filter: RequestListFilter) async throws -> [String] {
                try await store.observationRequests(filter).map { String($0.id.suffix(2)) }
            }
            // An id that names no request matches nothing; the other conditions still apply.
            let wanted: Set = [F.requestID("f1"), F.requestID("f3"), F.requestID("ff")]
            #expect(try await ids(RequestListFilter(ids: wanted)) == ["f3", "f1"])
            #expect(try await ids(RequestListFilter(ids: [])) == [])
            #expect(try await ids(RequestListFilter(ids: wanted, states: [.submitted])) == ["f1"])
            #expect(
                try await ids(RequestListFilter(requester: "operator-b", ids: [F.requestID("f1"), F.requestID("f2")]))
                    == ["f2"])
            #expect(try await ids(RequestListFilter(ids: wanted, limit: 1)) == ["f3"])
            // A forwarder's batch of any size is one binding.
            let many = Set((0..<2_000).map { F.requestID("9" + String(format: "%04x", $0)) }).union(wanted)
            #expect(try await ids(RequestListFilter(ids: many)) == ["f3", "f1"])
            for request in try await store.observationRequests(RequestListFilter(ids: wanted)) {
                #expect(try await store.observationRequest(id: request.id) == request, "listing reads the full model")
            }
        }
    }

    @Test(arguments: StoreEngine.all)
    func theSameKeyReturnsTheStoredRequestAndWritesNothing(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await F.seedIdentities(store)
            let first = try await Self.create(store, F.request("d1", key: "k"))
            try await Self.move(store, "d1", to: .accepted, at: 50)
            let current = try await store.observationRequest(id: first.id)
            let events = try await store.feedEvents(FeedFilter()).count
            let again = try await store.createObservationRequest(
                F.request("d2", created: 60, key: "k"), limits: RequestLimits(openRequests: 0), dayStart: F.time())
            #expect(again == .existing(current), "the stored one as it now is, before any limit")
            #expect(try await store.feedEvents(FeedFilter()).count == events)
            await #expect(throws: StoreError.notFound(entity: "observation request", key: F.requestID("d2"))) {
                _ = try await store.observationRequest(id: F.requestID("d2"))
            }
            // Keys are per requester; no key never matches.
            try await Self.create(store, F.request("d3", requester: "operator-b", key: "k"))
            try await Self.create(store, F.request("d4"))
            try await Self.create(store, F.request("d5"))
        }
    }

    @Test(arguments: StoreEngine.all)
    func concurrentSubmissionsWithOneKeyAreOneRequest(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await F.seedIdentities(store)
            let creations = try await withThrowingTaskGroup(of: RequestCreation.self) { group in
                for index in 0..<10 {
                    group.addTask {
                        try await store.createObservationRequest(
                            F.request(String(format: "%02x", index + 1), key: "same"), limits: .none,
                            dayStart: F.time())
                    }
                }
                var all: [RequestCreation] = []
                for try await creation in group { all.append(creation) }
                return all
            }
            let created = creations.compactMap { creation -> ObservationRequest? in
                if case .created(let request) = creation { return request }
                return nil
            }
            #expect(created.count == 1)
            for creation in creations {
                if case .existing(let request) = creation { #expect(request.id == created.first?.id) }
            }
            #expect(try await store.observationRequests(RequestListFilter()).count == 1)
            #expect(try await Self.requestEvents(store).count == 1)
        }
    }

    @Test(arguments: StoreEngine.all)
    func quotasCountOpenRequestsAndTodaysRequestsAndTracks(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await F.seedIdentities(store)
            let day = F.time(1_000)
            func submit(_ suffix: String, created: Int, tracks: Int = 1, _ limits: RequestLimits) async throws
                -> RequestCreation
            {
                try await store.createObservationRequest(
                    F.request(suffix, created: created, tracks: tracks), limits: limits, dayStart: day)
            }
            // Yesterday's: one open, one final.
            try await Self.create(store, F.request("e1", created: 10, tracks: 5))
            try await Self.create(store, F.request("e2", created: 20, tracks: 5))
            try await Self.move(store, "e2", to: .rejected, at: 30)
            let open = RequestLimits(openRequests: 2)
            guard case .created = try await submit("e3", created: 1_000, open) else { throw Failure("e3") }
            #expect(
                try await submit("e4", created: 1_010, open)
                    == .overLimit(RequestLimitExceeded(limit: .openRequests, value: 2, used: 2)))
            #expect(
                try await submit("e4", created: 1_010, RequestLimits(requestsPerDay: 1))
                    == .overLimit(
                        RequestLimitExceeded(limit: .requestsPerDay, value: 1, used: 1)))
            #expect(
                try await submit("e4", created: 1_010, tracks: 3, RequestLimits(tracksPerDay: 3))
                    == .overLimit(
                        RequestLimitExceeded(limit: .tracksPerDay, value: 3, used: 1)))
            guard case .created = try await submit("e4", created: 1_010, tracks: 2, RequestLimits(tracksPerDay: 3))
            else { throw Failure("e4") }
            // Another requester's requests count for them only.
            guard
                case .created = try await store.createObservationRequest(
                    F.request("e5", requester: "operator-b", created: 1_020), limits: RequestLimits(openRequests: 1),
                    dayStart: day)
            else { throw Failure("e5") }
            // A final request frees its place.
            try await Self.move(store, "e1", to: .cancelled, by: .requester, at: 1_030)
            guard case .created = try await submit("e6", created: 1_040, RequestLimits(openRequests: 3))
            else { throw Failure("e6") }
            #expect(try await Self.requestEvents(store).count == 8, "refusals write nothing")
        }
    }

    @Test(arguments: StoreEngine.all)
    func quotasHoldUnderTwentyConcurrentSubmissions(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await F.seedIdentities(store)
            func race(_ prefix: String, tracks: Int, _ limits: RequestLimits) async throws -> Int {
                try await withThrowingTaskGroup(of: Bool.self) { group in
                    for index in 0..<20 {
                        group.addTask {
                            let creation = try await store.createObservationRequest(
                                F.request(prefix + String(format: "%02x", index), created: 100, tracks: tracks),
                                limits: limits, dayStart: F.time())
                            if case .created = creation { return true }
                            return false
                        }
                    }
                    var created = 0
                    for try await stored in group where stored { created += 1 }
                    return created
                }
            }
            #expect(try await race("a", tracks: 1, RequestLimits(openRequests: 7)) == 7)
            #expect(try await store.observationRequests(RequestListFilter()).count == 7)
            #expect(try await race("b", tracks: 3, RequestLimits(tracksPerDay: 7 + 3 * 4)) == 4)
            #expect(try await race("c", tracks: 1, RequestLimits(requestsPerDay: 15)) == 4)
            #expect(try await store.observationRequests(RequestListFilter()).count == 15)
            #expect(try await Self.requestEvents(store).count == 15)
        }
    }

    @Test(arguments: StoreEngine.all)
    func everyTransitionWritesOneEntryAndOneEventInOrder(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await F.seedIdentities(store)
            try await Self.create(store, F.request("f1"))
            let passes = [ScheduledPass(sensor: "tarot-calern", start: F.time(4_000), stop: F.time(4_300))]
            try await Self.move(store, "f1", to: .accepted, at: 10)
            let scheduled = try await Self.move(store, "f1", to: .scheduled, at: 20, schedule: passes)
            #expect(scheduled.schedule == passes && scheduled.state == .scheduled && scheduled.updated == F.time(20))
            try await Self.move(store, "f1", to: .partial, at: 30)
            try await Self.move(store, "f1", to: .partial, at: 40, reason: "second track")
            try await Self.move(store, "f1", to: .collected, at: 50)
            let delivered = try await Self.move(store, "f1", to: .delivered, at: 60)
            #expect(delivered.schedule == passes, "kept when a change gives none")
            #expect(
                delivered.history.map(\.state) == [
                    .submitted, .accepted, .scheduled, .partial, .partial, .collected, .delivered,
                ])
            #expect(delivered.history.map(\.time) == [0, 10, 20, 30, 40, 50, 60].map { F.time($0) })
            #expect(delivered.history.map(\.actor) == [.requester] + Array(repeating: .backend, count: 6))
            #expect(delivered.history.map(\.user) == ["operator-a"] + Array(repeating: "backend", count: 6))
            let events = try await store.feedEvents(FeedFilter())
            #expect(events.map(\.id) == delivered.history.map(\.eventID))
            #expect(events.map(\.id) == Array(1...7))
            #expect(events == Self.expectedEvents(delivered))
            #expect(events[4].type == "observation-request.partial" && events[4].detail("reason") == "second track")
            #expect(events[4].detail("previous") == "PARTIAL" && events[4].noradIDs == [90001])
            #expect(try await store.backendCommands(requestID: delivered.id).map(\.kind) == [.submit])
        }
    }

    @Test(arguments: StoreEngine.all)
    func anIllegalMoveIsAConflictAndWritesNothing(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await F.seedIdentities(store)
            let submitted = try await Self.create(store, F.request("c1"))
            let illegal = IllegalTransition(from: .submitted, to: .scheduled, actor: .backend)
            await #expect(
                throws: StoreError.conflict(
                    entity: "observation request", key: submitted.id, reason: illegal.description)
            ) {
                try await Self.move(store, "c1", to: .scheduled, at: 10)
            }
            await #expect(throws: StoreError.invalid("a request entering PROPOSED needs the proposed window")) {
                try await Self.move(store, "c1", to: .proposed, at: 10)
            }
            await #expect(throws: StoreError.notFound(entity: "observation request", key: submitted.id)) {
                _ = try await store.changeObservationRequest(
                    RequestChange(
                        id: submitted.id, to: .cancelled, actor: .requester, user: "operator-b", time: F.time(10),
                        requester: "operator-b"))
            }
            await #expect(throws: StoreError.notFound(entity: "observation request", key: F.requestID("ff"))) {
                try await Self.move(store, "ff", to: .accepted, at: 10)
            }
            try await Self.move(store, "c1", to: .cancelled, by: .requester, at: 20, reason: "changed my mind")
            let final = IllegalTransition(from: .cancelled, to: .cancelled, actor: .admin)
            await #expect(
                throws: StoreError.conflict(entity: "observation request", key: submitted.id, reason: final.description)
            ) {
                try await Self.move(store, "c1", to: .cancelled, by: .admin, at: 30)
            }
            let stored = try await store.observationRequest(id: submitted.id)
            #expect(stored.history.map(\.state) == [.submitted, .cancelled] && stored.updated == F.time(20))
            #expect(try await store.feedEvents(FeedFilter()).count == 2)
            #expect(try await store.backendCommands(requestID: submitted.id).map(\.kind) == [.submit, .cancel])
        }
    }

    @Test(arguments: StoreEngine.all)
    func acceptingAProposalTakesItsWindowAndQueuesItsCommand(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await F.seedIdentities(store)
            let original = try await Self.create(store, F.request("d1"))
            try await Self.create(store, F.request("d2"))
            let proposal = DateInterval(start: F.time(10_000), end: F.time(12_000))
            let proposed = try await Self.move(store, "d1", to: .proposed, at: 10, proposedWindow: proposal)
            #expect(proposed.proposedWindow == proposal && proposed.window == original.window)
            let accepted = try await store.changeObservationRequest(
                RequestChange(
                    id: original.id, to: .accepted, actor: .requester, user: "operator-a", time: F.time(20),
                    requester: "operator-a"))
            #expect(accepted.window == proposal && accepted.proposedWindow == proposal && accepted.state == .accepted)
            #expect(try await store.observationRequest(id: original.id) == accepted)
            let commands = try await store.backendCommands(requestID: original.id)
            #expect(commands.map(\.kind) == [.submit, .acceptProposal])
            #expect(commands.last?.created == F.time(20) && commands.last?.nextAttempt == F.time(20))

            // Declining (cancelling) a proposal sends a cancel; the backend's own moves send nothing.
            try await Self.move(store, "d2", to: .proposed, at: 30, proposedWindow: proposal)
            let declined = try await Self.move(store, "d2", to: .cancelled, by: .requester, at: 40)
            #expect(declined.window == original.window, "only an accepted proposal replaces the window")
            #expect(try await store.backendCommands(requestID: declined.id).map(\.kind) == [.submit, .cancel])
        }
    }

    @Test(arguments: StoreEngine.all)
    func claimsOneCommandPerRequestInOrderUnderLease(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await F.seedIdentities(store)
            try await Self.create(store, F.request("e1", created: 10))
            try await Self.create(store, F.request("e2", created: 5))
            try await Self.move(store, "e1", to: .cancelled, by: .requester, at: 12)
            #expect(
                try await store.backendOutboxStatistics()
                    == BackendOutboxStatistics(pending: 3, oldestPending: F.time(5)))
            #expect(try await store.claimBackendCommands(dueAt: F.time(4), limit: 10, leaseUntil: F.time(100)) == [])
            let first = try await store.claimBackendCommands(dueAt: F.time(20), limit: 10, leaseUntil: F.time(100))
            #expect(first.map(\.requestID) == [F.requestID("e2"), F.requestID("e1")], "by due time")
            #expect(first.map(\.kind) == [.submit, .submit], "e1's cancel waits for its submit")
            #expect(first.allSatisfy { $0.nextAttempt == F.time(100) && $0.attempts == 0 })
            #expect(try await store.claimBackendCommands(dueAt: F.time(99), limit: 10, leaseUntil: F.time(200)) == [])
            // An expired lease hands the command out again; the cancel still waits.
            // (Both due at 100 now: by id, e1's submit was queued first.)
            let e1 = first[1]
            let again = try await store.claimBackendCommands(dueAt: F.time(100), limit: 1, leaseUntil: F.time(200))
            #expect(again.map(\.id) == [e1.id])

            try await store.recordBackendCommands([
                BackendCommandOutcome(
                    commandID: e1.id, result: .retry(at: F.time(150), error: "503 Service Unavailable")),
                BackendCommandOutcome(commandID: 987_654, result: .done(F.time(101))),
            ])
            let e2 = try await store.claimBackendCommands(dueAt: F.time(149), limit: 10, leaseUntil: F.time(300))
            #expect(e2.map(\.id) == [first[0].id], "e1's submit is due again at 150, its cancel still waits")
            try await store.recordBackendCommands([BackendCommandOutcome(commandID: e1.id, result: .done(F.time(160)))])
            let cancel = try await store.claimBackendCommands(dueAt: F.time(160), limit: 10, leaseUntil: F.time(300))
            #expect(cancel.map(\.kind) == [.cancel] && cancel.first?.requestID == F.requestID("e1"))
            let commands = try await store.backendCommands(requestID: F.requestID("e1"))
            #expect(
                commands[0]
                    == BackendCommand(
                        id: e1.id, requestID: e1.requestID, kind: .submit, state: .done, attempts: 2,
                        created: F.time(10), nextAttempt: F.time(150), completed: F.time(160),
                        lastError: "503 Service Unavailable"))
            #expect(commands[1].nextAttempt == F.time(300) && commands[1].state == .pending)
            #expect(
                try await store.backendOutboxStatistics()
                    == BackendOutboxStatistics(pending: 2, oldestPending: F.time(5)))
            try await store.recordBackendCommands([])
        }
    }

    @Test(arguments: StoreEngine.all)
    func concurrentClaimsNeverHandOutACommandTwice(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await F.seedIdentities(store)
            for index in 0..<60 {
                try await Self.create(store, F.request(String(format: "%02x", index), created: index))
            }
            let claims = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        var mine: [Int64] = []
                        while true {
                            let claimed = try await store.claimBackendCommands(
                                dueAt: F.time(100), limit: 5, leaseUntil: F.time(1_000))
                            if claimed.isEmpty { return mine }
                            mine += claimed.map(\.id)
                        }
                    }
                }
                var all: [Int64] = []
                for try await ids in group { all += ids }
                return all
            }
            #expect(claims.count == 60)
            #expect(Set(claims).count == 60)
        }
    }

    @Test(arguments: StoreEngine.all)
    func aRefusedCommandFailsTheOpenRequest(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await F.seedIdentities(store)
            try await Self.create(store, F.request("f1"))
            try await Self.create(store, F.request("f2"))
            try await Self.move(store, "f2", to: .cancelled, by: .requester, at: 5)
            let claimed = try await store.claimBackendCommands(dueAt: F.time(10), limit: 10, leaseUntil: F.time(60))
            #expect(claimed.map(\.kind) == [.submit, .submit])
            let events = try await store.feedEvents(FeedFilter()).count
            try await store.recordBackendCommands(
                claimed.map {
                    BackendCommandOutcome(commandID: $0.id, result: .refused(error: "422 bad target", at: F.time(20)))
                })
            let failed = try await store.observationRequest(id: F.requestID("f1"))
            #expect(failed.state == .failed && failed.updated == F.time(20))
            #expect(
                failed.history.last
                    == RequestHistoryEntry(
                        state: .failed, time: F.time(20), actor: .gateway, reason: "422 bad target",
                        eventID: Int64(events + 1)))
            #expect(try await store.observationRequest(id: F.requestID("f2")).state == .cancelled, "final stays")
            let appended = try await store.feedEvents(FeedFilter(afterID: Int64(events)))
            #expect(appended.map(\.type) == ["observation-request.failed"])
            #expect(appended.first?.detail("actor") == "gateway" && appended.first?.detail("previous") == "SUBMITTED")
            let commands = try await store.backendCommands(requestID: F.requestID("f1"))
            #expect(commands.map(\.state) == [.refused] && commands[0].lastError == "422 bad target")
            #expect(commands[0].attempts == 1, "a gateway failure queues no cancel")
            #expect(try await store.backendCommands(requestID: F.requestID("f2")).map(\.state) == [.refused, .pending])
        }
    }

    @Test(arguments: StoreEngine.all)
    func requestProductsLinkAndMoveAScheduledRequestOnce(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await F.seedIdentities(store)
            let message = try F.fixtureMessage(F.tdmFixture)
            try await Self.create(store, F.request("b1"))
            let id = F.requestID("b1")
            func product(_ tag: String) -> Product {
                F.synthetic(tag, message: message, noradIDs: [90001], received: 500)
            }

            await #expect(throws: Self.productConflict(id, .submitted)) {
                _ = try await store.storeRequestProduct(product("p0"), requestID: id, at: F.time(50))
            }
            await #expect(throws: StoreError.notFound(entity: "observation request", key: F.requestID("ff"))) {
                _ = try await store.storeRequestProduct(product("p0"), requestID: F.requestID("ff"), at: F.time(50))
            }
            #expect(try await store.products(ProductFilter()).isEmpty, "nothing stored")
            #expect(try await store.feedEvents(FeedFilter()).count == 1)

            try await Self.move(store, "b1", to: .accepted, at: 10)
            let (early, accepted) = try await store.storeRequestProduct(product("p1"), requestID: id, at: F.time(20))
            #expect(early.created && accepted.state == .accepted && accepted.productIDs == [early.product.id])
            try await Self.move(store, "b1", to: .scheduled, at: 30)
            let before = try await store.feedEvents(FeedFilter()).count
            let (second, partial) = try await store.storeRequestProduct(product("p2"), requestID: id, at: F.time(40))
            #expect(partial.state == .partial && partial.updated == F.time(40))
            #expect(partial.productIDs == [early.product.id, second.product.id])
            #expect(
                partial.history.last
                    == RequestHistoryEntry(
                        state: .partial, time: F.time(40), actor: .gateway, eventID: Int64(before + 2)))
            let events = try await store.feedEvents(FeedFilter(afterID: Int64(before)))
            #expect(events.map(\.type) == [FeedEvent.productStored, "observation-request.partial"])
            #expect(events.first?.productID == second.product.id)

            let (third, still) = try await store.storeRequestProduct(product("p3"), requestID: id, at: F.time(50))
            #expect(still.state == .partial && still.history.count == partial.history.count, "PARTIAL once")
            #expect(still.productIDs == [early.product.id, second.product.id, third.product.id])
            // The same bytes again are the same product (as storeProduct), linked once, with no new event.
            let count = try await store.feedEvents(FeedFilter()).count
            let (repeated, same) = try await store.storeRequestProduct(product("p2"), requestID: id, at: F.time(60))
            #expect(
                !repeated.created && repeated.product.id == second.product.id && same.productIDs == still.productIDs)
            #expect(try await store.feedEvents(FeedFilter()).count == count)

            try await Self.move(store, "b1", to: .collected, at: 70)
            _ = try await store.storeRequestProduct(product("p4"), requestID: id, at: F.time(80))
            try await Self.move(store, "b1", to: .delivered, at: 90)
            let products = try await store.products(ProductFilter()).count
            await #expect(throws: Self.productConflict(id, .delivered)) {
                _ = try await store.storeRequestProduct(product("p5"), requestID: id, at: F.time(95))
            }
            #expect(try await store.products(ProductFilter()).count == products)
        }
    }

    @Test(arguments: StoreEngine.all)
    func deletingTheRequesterDeletesTheirRequests(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await F.seedIdentities(store)
            try await Self.create(store, F.request("a1", key: "x"))
            try await Self.create(store, F.request("a2", requester: "operator-b"))
            try await Self.move(store, "a1", to: .accepted, at: 10)
            try await Self.move(store, "a1", to: .scheduled, at: 20)
            let message = try F.fixtureMessage(F.tdmFixture)
            _ = try await store.storeRequestProduct(
                F.synthetic("a1", message: message), requestID: F.requestID("a1"), at: F.time(30))
            try await store.deleteUser(named: "operator-a")
            #expect(try await store.observationRequests(RequestListFilter()).map(\.id) == [F.requestID("a2")])
            await #expect(throws: StoreError.notFound(entity: "observation request", key: F.requestID("a1"))) {
                _ = try await store.observationRequest(id: F.requestID("a1"))
            }
            #expect(try await store.backendCommands(requestID: F.requestID("a1")) == [])
            #expect(try await store.products(ProductFilter()).count == 1, "products stay")
            #expect(try await store.backendOutboxStatistics().pending == 1)
        }
    }

    @Test(arguments: StoreEngine.all)
    func signalsFeedAndBackendChanges(_ engine: StoreEngine) async throws {
        try await engine.withStore { store in
            try await F.seedIdentities(store)
            var feed = store.feedChanges.generation
            var backend = store.backendChanges.generation
            try await Self.create(store, F.request("ab"))
            #expect(await store.feedChanges.wait(after: feed, timeout: .seconds(5)))
            #expect(await store.backendChanges.wait(after: backend, timeout: .seconds(5)))
            feed = store.feedChanges.generation
            backend = store.backendChanges.generation
            try await Self.move(store, "ab", to: .cancelled, by: .requester, at: 10)
            #expect(await store.feedChanges.wait(after: feed, timeout: .seconds(5)))
            #expect(await store.backendChanges.wait(after: backend, timeout: .seconds(5)))
        }
    }

    /// Another gateway on the same database hears queued commands through `LISTEN/NOTIFY`.
    @Test func postgresStoresHearEachOthersCommands() async throws {
        try await PostgresTestServer.withSchema { url, schema in
            let writer = try await PostgresStore(
                url: url, schema: schema, logger: PostgresTestServer.logger, listensForChanges: false)
            try await F.seedIdentities(writer)
            let reader = try await PostgresStore(url: url, schema: schema, logger: PostgresTestServer.logger)
            var heard = false
            for index in 0..<20 where !heard {
                let generation = reader.backendChanges.generation
                try await Self.create(writer, F.request(String(format: "%02x", index)))
                heard = await reader.backendChanges.wait(after: generation, timeout: .milliseconds(500))
            }
            #expect(heard)
            await writer.shutdown()
            await reader.shutdown()
        }
    }
}

/// A test step that did not come out as expected.
struct Failure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) { self.description = description }
}

extension FeedEvent {
    /// The event with `id`.
    func with(id: Int64) -> FeedEvent {
        var event = self
        event.id = id
        return event
    }
}
