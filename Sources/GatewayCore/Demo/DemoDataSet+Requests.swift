import Foundation

extension DemoDataSet {
    /// Seeds the demo observation requests (issue 11 §6): the `requester` user's requests on public objects, one in
    /// each of the states SUBMITTED, ACCEPTED, PROPOSED, SCHEDULED, PARTIAL (with a TDM from the backend linked),
    /// DELIVERED (with its TDM) and CANCELLED, each reached through the state machine with its history and feed
    /// events. Only the SUBMITTED one is left in the backend outbox (a backend connected later receives it); the
    /// others' commands are marked sent, as if the backend had handled them.
    public static func seedRequests(into store: some GatewayStore, now: Date) async throws(StoreError) {
        // Whole milliseconds, as the API stamps requests: a time read back from the API selects what it shows.
        let now = Date(timeIntervalSince1970: (now.timeIntervalSince1970 * 1000).rounded(.down) / 1000)
        let hour: TimeInterval = 3600
        let organisation = "requester"
        func window(_ startHours: Double, _ hours: Double) -> DateInterval {
            DateInterval(start: now.addingTimeInterval(startHours * hour), duration: hours * hour)
        }
        func backend(_ id: String, _ state: RequestState, _ reason: String?, at time: Date,
            schedule: [ScheduledPass]? = nil, proposed: DateInterval? = nil) async throws(StoreError)
        {
            _ = try await store.changeObservationRequest(
                RequestChange(
                    id: id, to: state, actor: .backend, user: "backend", reason: reason, time: time,
                    schedule: schedule, proposedWindow: proposed))
        }
        func product(_ id: String, object: Int, at time: Date, serial: Int) async throws(StoreError) {
            let text = tdm(partner: "backend", object: object, start: time, created: time, kind: "ANGLES", serial: serial)
            guard let parsed = try? ProductSubmission.parse(Array(text.utf8)) else {
                throw .invalid("the demo request product does not validate")
            }
            let submission = ProductSubmission(
                submitter: "backend", provider: "backend", marking: .partners([organisation]), received: time)
            _ = try await store.storeRequestProduct(
                submission.product(parsed, ownerOrganisations: []), requestID: id, at: time)
        }

        let plans: [(object: Int, state: RequestState, window: DateInterval, purpose: String)] = [
            (90501, .accepted, window(26, 10), "Orbit refinement before a screening campaign"),
            (90502, .proposed, window(2, 3), "Short-notice characterisation"),
            (90503, .scheduled, window(8, 6), "Confirm a suspected breakup fragment"),
            (90504, .partial, window(-2, 12), "Catalogue maintenance of a faint object"),
            (90505, .delivered, window(-30, 6), "Post-manoeuvre orbit update"),
            (90506, .cancelled, window(40, 6), "Superseded by a partner's measurements"),
            // Last: its submit command stays in the outbox (the loop below only ever sees one request's commands).
            (90500, .submitted, window(20, 8), "Routine follow-up of a debris fragment"),
        ]
        var serial = 9000
        for (index, plan) in plans.enumerated() {
            let created = now.addingTimeInterval(-Double(48 - index * 6) * hour)
            // Submitted in the past for the demo: the window rule (future start) applies to the API, not here.
            let request = ObservationRequest(
                requester: "requester", organisation: organisation, target: RequestTarget(noradID: plan.object),
                window: plan.window, measurements: [.opticalAngles], tracks: 2, priority: .routine,
                purpose: plan.purpose, marking: .partners([organisation]), created: created,
                history: [RequestHistoryEntry(state: .submitted, time: created, actor: .requester, user: "requester")])
            guard case .created(let stored) = try await store.createObservationRequest(
                request, limits: .none, dayStart: created)
            else { continue }
            let id = stored.id
            var time = created.addingTimeInterval(600)
            func next() -> Date {
                time = time.addingTimeInterval(900)
                return time
            }
            let pass = [
                ScheduledPass(
                    sensor: "tarot-calern", start: plan.window.start.addingTimeInterval(hour),
                    stop: plan.window.start.addingTimeInterval(hour + 600))
            ]
            switch plan.state {
            case .submitted:
                continue
            case .accepted:
                try await backend(id, .accepted, "visible from Calern and La Silla", at: next())
            case .proposed:
                try await backend(
                    id, .proposed, "no dark window in the asked interval; the next one is offered", at: next(),
                    proposed: window(14, 4))
            case .scheduled:
                try await backend(id, .accepted, nil, at: next())
                try await backend(id, .scheduled, "one pass booked", at: next(), schedule: pass)
            case .partial:
                try await backend(id, .accepted, nil, at: next())
                try await backend(id, .scheduled, "two passes booked", at: next(), schedule: pass)
                serial += 1
                try await product(id, object: plan.object, at: next(), serial: serial)
            case .delivered:
                try await backend(id, .accepted, nil, at: next())
                try await backend(id, .scheduled, "one pass booked", at: next(), schedule: pass)
                serial += 1
                try await product(id, object: plan.object, at: next(), serial: serial)
                try await backend(id, .collected, "both tracks collected", at: next())
                try await backend(id, .delivered, "measurements delivered", at: next())
            case .cancelled:
                _ = try await store.changeObservationRequest(
                    RequestChange(
                        id: id, to: .cancelled, actor: .requester, user: "requester", reason: "no longer needed",
                        time: next(), requester: "requester"))
            default:
                continue
            }
            // As if the backend had received what concerns this request (the only one with pending commands).
            while true {
                let claimed = try await store.claimBackendCommands(dueAt: .distantFuture, limit: 100, leaseUntil: time)
                if claimed.isEmpty { break }
                try await store.recordBackendCommands(
                    claimed.map { BackendCommandOutcome(commandID: $0.id, result: .done(time)) })
            }
        }
    }
}
