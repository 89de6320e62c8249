import Foundation
import GatewayCore
import PostgresNIO

extension PostgresStore: ObservationRequestStore {
    /// Creates a request in one transaction, exact across gateways: when a limit is set, the requester's row is
    /// locked first (`FOR NO KEY UPDATE`: foreign keys to it still check), so one requester's submissions run one at
    /// a time; other requesters (and requesters without limits) do not wait. The lock is a statement of its own, so the next one's snapshot sees every
    /// submission that held it before. Under it, one statement (`submission`) looks the key up, counts what the set
    /// limits need and, within them, inserts the request and queues its `submit` command; one more appends the feed
    /// event with the history entry (the feed's lock last). Four round trips with the commit, where there were
    /// twelve; the request returned is built from the rows written, not read back. Should two identical submissions
    /// still meet at the unique index on (requester, idempotency key), the loser finds the winner's request.
    /// Signals `feedChanges` and `backendChanges` when it stored one (`pg_notify` tells the other gateways).
    public func createObservationRequest(_ request: ObservationRequest, limits: RequestLimits, dayStart: Date)
        async throws(StoreError) -> RequestCreation
    {
        let r = try ObservationRequestRecord(request)
        let entry = RequestWriting.firstEntry(request)
        let since = StoreTime.microseconds(dayStart)
        let creation: RequestCreation
        do {
            creation = try await transaction { db -> RequestCreation in
                // Without a count to keep exact (no limit set), the requester's submissions need not wait for
                // each other: the unique index still resolves two identical ones.
                let lookup: PostgresQuery =
                    limits == .none
                    ? "SELECT 1 FROM users WHERE name = \(r.requester)"
                    : "SELECT 1 FROM users WHERE name = \(r.requester) FOR NO KEY UPDATE"
                guard try await !db.rows(lookup, self.logger).isEmpty
                else { throw StoreError.notFound(entity: "user", key: r.requester) }
                let outcome = try await db.rows(Self.submission(r, limits: limits, since: since), self.logger)
                let (existing, open, requestsToday, tracksToday, inserted) = try outcome[0].decode(
                    (String?, Int, Int, Int, Bool).self)
                if let existing {
                    return .existing(try await Self.observationRequest(db, id: existing, self.logger))
                }
                guard inserted else {
                    guard
                        let exceeded = RequestWriting.exceeded(
                            limits, open: open, requestsToday: requestsToday, tracksToday: tracksToday,
                            tracks: r.tracks)
                    else { throw StoreError.schema("request \(r.id) was neither stored nor over a limit") }
                    return .overLimit(exceeded)
                }
                var stored = request
                stored.history = []
                let history = RequestHistoryRow(requestID: r.id, entry)
                let eventID = try await Self.appendEvent(
                    db, try FeedRecord(FeedEvent(request: stored, entry: entry, previous: nil)), history: history,
                    self.logger)
                return .created(try r.request(history: [try history.entry(eventID: eventID)], productIDs: []))
            }
        } catch .conflict(let entity, let key, let reason) {
            guard let idempotencyKey = r.idempotencyKey,
                let existing = try await observationRequests(requester: r.requester, idempotencyKey: idempotencyKey)
            else { throw .conflict(entity: entity, key: key, reason: reason) }
            return .existing(existing)
        }
        if case .created = creation {
            feedChanges.signal()
            backendChanges.signal()
        }
        return creation
    }

    /// The request with `id`, read in one snapshot.
    public func observationRequest(id: String) async throws(StoreError) -> ObservationRequest {
        try await snapshot { db in try await Self.observationRequest(db, id: id, self.logger) }
    }

    /// The requests `filter` selects, newest first, in one snapshot (`REPEATABLE READ`): one query for the requests,
    /// one for their history and products.
    public func observationRequests(_ filter: RequestListFilter) async throws(StoreError) -> [ObservationRequest] {
        var sql = PostgresConditions()
        sql.require(filter)
        let query = sql.query(
            columns: Self.requestColumns("r"), table: "observation_requests", alias: "r",
            limit: filter.limit.map { max($0, 0) }, order: "r.created_us DESC, r.id DESC")
        return try await snapshot { db in try await Self.observationRequests(db, query, self.logger) }
    }

    /// Moves a request in one transaction: its row is locked (`FOR NO KEY UPDATE`) as it is read, so two moves
    /// of one request run one after the other, each checked against the state the other left. Signals
    /// `feedChanges` (and `backendChanges` when the move queued a command).
    public func changeObservationRequest(_ change: RequestChange) async throws(StoreError) -> ObservationRequest {
        let (changed, queued) = try await transaction { db -> (ObservationRequest, Bool) in
            let stored = try await Self.lockedRequest(db, id: change.id, self.logger)
            if let requester = change.requester, requester != stored.request.requester {
                throw StoreError.notFound(entity: "observation request", key: change.id)
            }
            let (changed, queued) = try await Self.transition(db, stored, change, self.logger)
            return (changed.request, queued)
        }
        feedChanges.signal()
        if queued { backendChanges.signal() }
        return changed
    }

    /// Stores the product as `storeProduct(_:)` does, links it and moves a `SCHEDULED` request to `PARTIAL`, in one
    /// transaction, the request's row locked first.
    public func storeRequestProduct(_ product: Product, requestID: String, at time: Date)
        async throws(StoreError) -> (StoredProduct, ObservationRequest)
    {
        let record = try ProductRecord(product)
        let (stored, request, moved) = try await transaction { db -> (StoredProduct, ObservationRequest, Bool) in
            let current = try await Self.lockedRequest(db, id: requestID, self.logger)
            guard RequestWriting.productStates.contains(current.request.state) else {
                throw RequestWriting.productConflict(requestID, current.request.state)
            }
            let stored = try await Self.insertProduct(db, product, record, self.logger)
            _ = try await db.rows(
                """
                INSERT INTO observation_request_products (request_id, product_id)
                VALUES (\(requestID), \(stored.product.id))
                ON CONFLICT (request_id, product_id) DO NOTHING
                """, self.logger)
            let moves = current.request.state == .scheduled
            if moves {
                _ = try await Self.transition(
                    db, current, RequestChange(id: requestID, to: .partial, actor: .gateway, time: time), self.logger)
            }
            return (stored, try await Self.observationRequest(db, id: requestID, self.logger), moves)
        }
        if stored.created || moved { feedChanges.signal() }
        return (stored, request)
    }

    /// The requester's request with `idempotencyKey`, if any.
    private func observationRequests(requester: String, idempotencyKey: String) async throws(StoreError)
        -> ObservationRequest?
    {
        try await snapshot { db in
            try await Self.observationRequests(
                db,
                """
                SELECT \(unescaped: Self.requestColumns("r")) FROM observation_requests r
                WHERE r.requester = \(requester) AND r.idempotency_key = \(idempotencyKey)
                """, self.logger
            ).first
        }
    }

    /// Runs `body` in a read-only `REPEATABLE READ` transaction: its queries see one snapshot.
    func snapshot<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws(StoreError) -> T {
        try await transaction { db in
            _ = try await db.rows("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", self.logger)
            return try await body(db)
        }
    }
}

// MARK: - Writing

/// A request's row as locked by its transaction, and the request it holds.
struct LockedRequest: Sendable {
    var record: ObservationRequestRecord
    var request: ObservationRequest
}

/// A history row, written in the statement that appends its event (`appendEvent(_:_:history:_:)`).
struct RequestHistoryRow: Sendable {
    var requestID: String
    var state: String
    var timeUS: Int64
    var actor: String
    var user: String?
    var reason: String?

    init(requestID: String, _ entry: RequestHistoryEntry) {
        self.requestID = requestID
        self.state = entry.state.rawValue
        self.timeUS = StoreTime.microseconds(entry.time)
        self.actor = entry.actor.rawValue
        self.user = entry.user
        self.reason = entry.reason
    }

    /// The entry as a read of the row gives it.
    func entry(eventID: Int64) throws(StoreError) -> RequestHistoryEntry {
        try RequestHistoryRecord.entry(
            requestID: requestID, state: state, timeUS: timeUS, actor: actor, user: user, reason: reason,
            eventID: eventID)
    }
}

extension PostgresStore {
    /// The one statement of a submission under the requester's lock: the request with the same key (if any), the
    /// counts the set limits need (a count whose limit is unset is not run: its `WHERE` starts false), and, when
    /// there is no such request and the limits admit it, the insert of the request and of its `submit` command
    /// (notifying `backendChannel`). Returns (existing id, open, requests today, tracks today, inserted). The limits
    /// are tested here with the same arithmetic as `RequestWriting.exceeded`, which then names the one exceeded.
    static func submission(_ r: ObservationRequestRecord, limits: RequestLimits, since: Int64) -> PostgresQuery {
        let countsOpen = limits.openRequests != nil
        let countsDay = limits.requestsPerDay != nil || limits.tracksPerDay != nil
        return """
            WITH existing AS (
                SELECT id FROM observation_requests
                WHERE requester = \(r.requester) AND idempotency_key = \(r.idempotencyKey)
            ), open AS (
                SELECT count(*) AS open FROM observation_requests
                WHERE \(countsOpen) AND requester = \(r.requester)
                  AND state NOT IN (\(unescaped: RequestWriting.terminalStates))
            ), today AS (
                SELECT count(*) AS requests, coalesce(sum(tracks), 0)::bigint AS tracks FROM observation_requests
                WHERE \(countsDay) AND requester = \(r.requester) AND created_us >= \(since)
            ), admitted AS (
                SELECT 1 FROM open, today
                WHERE NOT EXISTS (SELECT 1 FROM existing)
                  AND (\(limits.openRequests)::bigint IS NULL OR open.open < \(limits.openRequests))
                  AND (\(limits.requestsPerDay)::bigint IS NULL OR today.requests < \(limits.requestsPerDay))
                  AND (\(limits.tracksPerDay)::bigint IS NULL OR today.tracks + \(r.tracks) <= \(limits.tracksPerDay))
            ), request AS (
                INSERT INTO observation_requests (\(unescaped: ObservationRequestRecord.columns))
                SELECT \(r.id), \(r.requester), \(r.organisation), \(r.state), \(r.noradID), \(r.orbitKind),
                       \(r.orbitText), \(r.orbitObjectName), \(r.orbitObjectID), \(r.windowStartUS),
                       \(r.windowStopUS), \(r.measurements), \(r.tracks), \(r.priority), \(r.sensor),
                       \(r.purpose), \(r.marking), \(r.createdUS), \(r.updatedUS), \(r.idempotencyKey),
                       \(r.bodyDigest), \(r.proposedStartUS), \(r.proposedStopUS), \(r.schedule)
                FROM admitted
                RETURNING id
            ), command AS (
                INSERT INTO backend_commands (request_id, kind, state, attempts, created_us, next_attempt_us)
                SELECT id, \(BackendCommandKind.submit.rawValue), 'pending', 0, \(r.createdUS), \(r.createdUS)
                FROM request
                RETURNING id
            ), notified AS (
                SELECT pg_notify(\(backendChannel), current_schema()) FROM command
            )
            SELECT (SELECT id FROM existing), open.open, today.requests, today.tracks,
                   (SELECT count(*) FROM notified) = 1
            FROM open, today
            """
    }

    /// The request with `id`, its row locked (`FOR NO KEY UPDATE`) until the transaction ends, read as it locks it;
    /// its history and products are read by the next statement, whose snapshot sees every move made before the lock
    /// was granted.
    static func lockedRequest(_ db: PostgresConnection, id: String, _ logger: Logger) async throws -> LockedRequest {
        let rows = try await db.rows(
            """
            SELECT \(unescaped: requestColumns("r")) FROM observation_requests r WHERE r.id = \(id)
            FOR NO KEY UPDATE
            """, logger)
        guard let row = rows.first else { throw StoreError.notFound(entity: "observation request", key: id) }
        let record = try requestRecord(row)
        guard let request = try await completed(db, [record], logger).first else {
            throw StoreError.notFound(entity: "observation request", key: id)
        }
        return LockedRequest(record: record, request: request)
    }

    /// Applies `change` to `stored` (locked by the caller) inside the caller's transaction, in two statements: the
    /// row with the command the move implies, then the feed event with the history entry. Returns the request as it
    /// now is (built from what was written) and whether a command was queued.
    static func transition(
        _ db: PostgresConnection, _ stored: LockedRequest, _ change: RequestChange, _ logger: Logger
    ) async throws -> (LockedRequest, Bool) {
        let changed = try RequestWriting.apply(change, to: stored.request)
        var record = stored.record
        record.state = changed.state.rawValue
        record.updatedUS = StoreTime.microseconds(changed.updated)
        record.windowStartUS = StoreTime.microseconds(changed.window.start)
        record.windowStopUS = StoreTime.microseconds(changed.window.end)
        record.proposedStartUS = changed.proposedWindow.map { StoreTime.microseconds($0.start) }
        record.proposedStopUS = changed.proposedWindow.map { StoreTime.microseconds($0.end) }
        record.schedule = ObservationRequestRecord.schedule(changed.schedule)
        let command = BackendCommandKind.implied(from: stored.request.state, to: changed.state, by: change.actor)
        let dueUS = StoreTime.microseconds(change.time)
        _ = try await db.rows(
            """
            WITH moved AS (
                UPDATE observation_requests SET state = \(record.state), updated_us = \(record.updatedUS),
                    window_start_us = \(record.windowStartUS), window_stop_us = \(record.windowStopUS),
                    proposed_start_us = \(record.proposedStartUS), proposed_stop_us = \(record.proposedStopUS),
                    schedule = \(record.schedule)
                WHERE id = \(record.id)
                RETURNING id
            ), queued AS (
                INSERT INTO backend_commands (request_id, kind, state, attempts, created_us, next_attempt_us)
                SELECT id, \(command?.rawValue)::text, 'pending', 0, \(dueUS), \(dueUS) FROM moved
                WHERE \(command?.rawValue)::text IS NOT NULL
                RETURNING id
            )
            SELECT pg_notify(\(backendChannel), current_schema()) FROM queued
            """, logger)
        let entry = RequestHistoryEntry(
            state: changed.state, time: change.time, actor: change.actor, user: change.user, reason: change.reason)
        let history = RequestHistoryRow(requestID: changed.id, entry)
        let event = try FeedRecord(FeedEvent(request: changed, entry: entry, previous: stored.request.state))
        let eventID = try await appendEvent(db, event, history: history, logger)
        let now = try record.request(
            history: stored.request.history + [try history.entry(eventID: eventID)],
            productIDs: stored.request.productIDs)
        return (LockedRequest(record: record, request: now), command != nil)
    }
}

// MARK: - Rows

extension PostgresStore {
    /// `ObservationRequestRecord.columns`, each prefixed with `alias`.
    static func requestColumns(_ alias: String) -> String {
        ObservationRequestRecord.columns.split(separator: ", ").map { "\(alias).\($0)" }.joined(separator: ", ")
    }

    /// The request with `id` as the caller's transaction sees it; `notFound` when there is none.
    static func observationRequest(_ db: PostgresConnection, id: String, _ logger: Logger) async throws
        -> ObservationRequest
    {
        guard
            let request = try await observationRequests(
                db, "SELECT \(unescaped: requestColumns("r")) FROM observation_requests r WHERE r.id = \(id)", logger
            ).first
        else { throw StoreError.notFound(entity: "observation request", key: id) }
        return request
    }

    /// The requests `query` selects (`requestColumns`), in its order, with their history and products: two
    /// queries whatever the count.
    static func observationRequests(_ db: PostgresConnection, _ query: PostgresQuery, _ logger: Logger) async throws
        -> [ObservationRequest]
    {
        try await completed(db, try await db.rows(query, logger).map(Self.requestRecord), logger)
    }

    /// The requests `records` hold, with their history and products: one query whatever the count (history rows,
    /// then product rows, which have no `seq`).
    static func completed(_ db: PostgresConnection, _ records: [ObservationRequestRecord], _ logger: Logger)
        async throws -> [ObservationRequest]
    {
        guard !records.isEmpty else { return [] }
        let ids = records.map(\.id)
        var history: [String: [RequestHistoryEntry]] = [:]
        var products: [String: [Int64]] = [:]
        for row in try await db.rows(
            """
            SELECT request_id, seq, state, time_us, actor, user_name, reason, event_id, NULL::bigint AS product_id
            FROM observation_request_history WHERE request_id = ANY(\(ids)::text[])
            UNION ALL
            SELECT request_id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, product_id
            FROM observation_request_products WHERE request_id = ANY(\(ids)::text[])
            ORDER BY 1, 2, 9
            """, logger)
        {
            let (requestID, seq, state, time, actor, user, reason, eventID, productID) = try row.decode(
                (String, Int?, String?, Int64?, String?, String?, String?, Int64?, Int64?).self)
            if let productID {
                products[requestID, default: []].append(productID)
            } else if seq != nil, let state, let time, let actor, let eventID {
                history[requestID, default: []].append(
                    try RequestHistoryRecord.entry(
                        requestID: requestID, state: state, timeUS: time, actor: actor, user: user, reason: reason,
                        eventID: eventID))
            }
        }
        return try records.map { record in
            try record.request(history: history[record.id] ?? [], productIDs: products[record.id] ?? [])
        }
    }

    static func requestRecord(_ row: PostgresRow) throws -> ObservationRequestRecord {
        let cells = row.makeRandomAccess()
        return ObservationRequestRecord(
            id: try cells["id"].decode(String.self), requester: try cells["requester"].decode(String.self),
            organisation: try cells["organisation"].decode(String.self), state: try cells["state"].decode(String.self),
            noradID: try cells["norad_id"].decode(Int?.self), orbitKind: try cells["orbit_kind"].decode(String?.self),
            orbitText: try cells["orbit_text"].decode(String?.self),
            orbitObjectName: try cells["orbit_object_name"].decode(String?.self),
            orbitObjectID: try cells["orbit_object_id"].decode(String?.self),
            windowStartUS: try cells["window_start_us"].decode(Int64.self),
            windowStopUS: try cells["window_stop_us"].decode(Int64.self),
            measurements: try cells["measurements"].decode(String.self), tracks: try cells["tracks"].decode(Int.self),
            priority: try cells["priority"].decode(String.self), sensor: try cells["sensor"].decode(String?.self),
            purpose: try cells["purpose"].decode(String?.self), marking: try cells["marking"].decode(String.self),
            createdUS: try cells["created_us"].decode(Int64.self),
            updatedUS: try cells["updated_us"].decode(Int64.self),
            idempotencyKey: try cells["idempotency_key"].decode(String?.self),
            bodyDigest: try cells["body_digest"].decode(String?.self),
            proposedStartUS: try cells["proposed_start_us"].decode(Int64?.self),
            proposedStopUS: try cells["proposed_stop_us"].decode(Int64?.self),
            schedule: try cells["schedule"].decode(String.self))
    }
}
