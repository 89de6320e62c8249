import Foundation
import GatewayCore
import PostgresNIO

extension PostgresStore: ObservationRequestStore {
    /// Creates a request in one transaction, exact across gateways: the requester's row is locked first
    /// (`FOR NO KEY UPDATE`: foreign keys to it still check), so the idempotency lookup, the quota counts and the
    /// insert of one requester run one at a time; other requesters do not wait. Should two identical submissions
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
                guard
                    try await !db.rows(
                        "SELECT 1 FROM users WHERE name = \(r.requester) FOR NO KEY UPDATE", self.logger
                    ).isEmpty
                else { throw StoreError.notFound(entity: "user", key: r.requester) }
                if let key = r.idempotencyKey,
                    let found = try await db.rows(
                        """
                        SELECT id FROM observation_requests
                        WHERE requester = \(r.requester) AND idempotency_key = \(key)
                        """, self.logger
                    ).first
                {
                    return .existing(try await Self.observationRequest(db, id: found.decode(String.self), self.logger))
                }
                let counts = try await db.rows(
                    """
                    SELECT (SELECT count(*) FROM observation_requests
                            WHERE requester = \(r.requester)
                              AND state NOT IN (\(unescaped: RequestWriting.terminalStates))),
                           (SELECT count(*) FROM observation_requests
                            WHERE requester = \(r.requester) AND created_us >= \(since)),
                           (SELECT coalesce(sum(tracks), 0)::bigint FROM observation_requests
                            WHERE requester = \(r.requester) AND created_us >= \(since))
                    """, self.logger)
                let (open, requestsToday, tracksToday) = try counts[0].decode((Int, Int, Int).self)
                if let exceeded = RequestWriting.exceeded(
                    limits, open: open, requestsToday: requestsToday, tracksToday: tracksToday, tracks: r.tracks)
                {
                    return .overLimit(exceeded)
                }
                _ = try await db.rows(
                    """
                    INSERT INTO observation_requests (\(unescaped: ObservationRequestRecord.columns))
                    VALUES (\(r.id), \(r.requester), \(r.organisation), \(r.state), \(r.noradID), \(r.orbitKind),
                            \(r.orbitText), \(r.orbitObjectName), \(r.orbitObjectID), \(r.windowStartUS),
                            \(r.windowStopUS), \(r.measurements), \(r.tracks), \(r.priority), \(r.sensor),
                            \(r.purpose), \(r.marking), \(r.createdUS), \(r.updatedUS), \(r.idempotencyKey),
                            \(r.bodyDigest), \(r.proposedStartUS), \(r.proposedStopUS), \(r.schedule))
                    """, self.logger)
                try await Self.queueCommand(db, .submit, requestID: r.id, at: r.createdUS, self.logger)
                var stored = request
                stored.history = []
                try await Self.recordTransition(db, stored, entry, previous: nil, self.logger)
                return .created(try await Self.observationRequest(db, id: r.id, self.logger))
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
    /// one for their history, one for their products.
    public func observationRequests(_ filter: RequestListFilter) async throws(StoreError) -> [ObservationRequest] {
        var sql = PostgresConditions()
        sql.require(filter)
        let query = sql.query(
            columns: Self.requestColumns("r"), table: "observation_requests", alias: "r",
            limit: filter.limit.map { max($0, 0) }, order: "r.created_us DESC, r.id DESC")
        return try await snapshot { db in try await Self.observationRequests(db, query, self.logger) }
    }

    /// Moves a request in one transaction: its row is locked (`FOR NO KEY UPDATE`) before it is read, so two moves
    /// of one request run one after the other, each checked against the state the other left. Signals
    /// `feedChanges` (and `backendChanges` when the move queued a command).
    public func changeObservationRequest(_ change: RequestChange) async throws(StoreError) -> ObservationRequest {
        let (changed, queued) = try await transaction { db -> (ObservationRequest, Bool) in
            let stored = try await Self.lockedRequest(db, id: change.id, self.logger)
            if let requester = change.requester, requester != stored.requester {
                throw StoreError.notFound(entity: "observation request", key: change.id)
            }
            let queued = try await Self.transition(db, stored, change, self.logger)
            return (try await Self.observationRequest(db, id: change.id, self.logger), queued)
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
            guard RequestWriting.productStates.contains(current.state) else {
                throw RequestWriting.productConflict(requestID, current.state)
            }
            let stored = try await Self.insertProduct(db, product, record, self.logger)
            _ = try await db.rows(
                """
                INSERT INTO observation_request_products (request_id, product_id)
                VALUES (\(requestID), \(stored.product.id))
                ON CONFLICT (request_id, product_id) DO NOTHING
                """, self.logger)
            let moves = current.state == .scheduled
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

extension PostgresStore {
    /// The request with `id`, its row locked (`FOR NO KEY UPDATE`) until the transaction ends.
    static func lockedRequest(_ db: PostgresConnection, id: String, _ logger: Logger) async throws
        -> ObservationRequest
    {
        guard
            try await !db.rows("SELECT 1 FROM observation_requests WHERE id = \(id) FOR NO KEY UPDATE", logger)
                .isEmpty
        else { throw StoreError.notFound(entity: "observation request", key: id) }
        return try await observationRequest(db, id: id, logger)
    }

    /// Applies `change` to `stored` (whose row the caller locked) inside the caller's transaction: the row, the
    /// command the move implies, then the feed event and the history entry; true when it queued a command.
    static func transition(
        _ db: PostgresConnection, _ stored: ObservationRequest, _ change: RequestChange, _ logger: Logger
    ) async throws -> Bool {
        let changed = try RequestWriting.apply(change, to: stored)
        let proposedStart = changed.proposedWindow.map { StoreTime.microseconds($0.start) }
        let proposedStop = changed.proposedWindow.map { StoreTime.microseconds($0.end) }
        _ = try await db.rows(
            """
            UPDATE observation_requests SET state = \(changed.state.rawValue),
                updated_us = \(StoreTime.microseconds(changed.updated)),
                window_start_us = \(StoreTime.microseconds(changed.window.start)),
                window_stop_us = \(StoreTime.microseconds(changed.window.end)),
                proposed_start_us = \(proposedStart), proposed_stop_us = \(proposedStop),
                schedule = \(ObservationRequestRecord.schedule(changed.schedule))
            WHERE id = \(changed.id)
            """, logger)
        let command = BackendCommandKind.implied(from: stored.state, to: changed.state, by: change.actor)
        if let command {
            try await queueCommand(db, command, requestID: changed.id, at: StoreTime.microseconds(change.time), logger)
        }
        let entry = RequestHistoryEntry(
            state: changed.state, time: change.time, actor: change.actor, user: change.user, reason: change.reason)
        try await recordTransition(db, changed, entry, previous: stored.state, logger)
        return command != nil
    }

    /// Appends `entry`'s feed event (`FeedEvent(request:entry:previous:)`), then its history row numbered after the
    /// request's last one. The history row needs the event's id, so it is the one write after the feed's lock is
    /// taken: it waits on no other transaction (the request's row is the caller's), so the lock is still held only
    /// briefly and never while waiting.
    static func recordTransition(
        _ db: PostgresConnection, _ request: ObservationRequest, _ entry: RequestHistoryEntry,
        previous: RequestState?, _ logger: Logger
    ) async throws {
        let event = try FeedRecord(FeedEvent(request: request, entry: entry, previous: previous))
        let eventID = try await appendEvent(db, event, logger)
        _ = try await db.rows(
            """
            INSERT INTO observation_request_history (request_id, seq, state, time_us, actor, user_name, reason,
                                                     event_id)
            SELECT \(request.id), coalesce(max(seq), 0) + 1, \(entry.state.rawValue),
                   \(StoreTime.microseconds(entry.time)), \(entry.actor.rawValue), \(entry.user), \(entry.reason),
                   \(eventID)
            FROM observation_request_history WHERE request_id = \(request.id)
            """, logger)
    }

    /// Queues a pending command due at `dueUS` and notifies `backendChannel` (delivered at commit).
    static func queueCommand(
        _ db: PostgresConnection, _ kind: BackendCommandKind, requestID: String, at dueUS: Int64, _ logger: Logger
    ) async throws {
        _ = try await db.rows(
            """
            WITH queued AS (
                INSERT INTO backend_commands (request_id, kind, state, attempts, created_us, next_attempt_us)
                VALUES (\(requestID), \(kind.rawValue), 'pending', 0, \(dueUS), \(dueUS))
                RETURNING id
            )
            SELECT pg_notify(\(backendChannel), current_schema()) FROM queued
            """, logger)
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

    /// The requests `query` selects (`requestColumns`), in its order, with their history and products: three
    /// queries whatever the count.
    static func observationRequests(_ db: PostgresConnection, _ query: PostgresQuery, _ logger: Logger) async throws
        -> [ObservationRequest]
    {
        let records = try await db.rows(query, logger).map(Self.requestRecord)
        guard !records.isEmpty else { return [] }
        let ids = records.map(\.id)
        var history: [String: [RequestHistoryEntry]] = [:]
        for row in try await db.rows(
            """
            SELECT \(unescaped: RequestHistoryRecord.columns) FROM observation_request_history
            WHERE request_id = ANY(\(ids)::text[]) ORDER BY request_id, seq
            """, logger)
        {
            let (requestID, state, time, actor, user, reason, eventID) = try row.decode(
                (String, String, Int64, String, String?, String?, Int64).self)
            history[requestID, default: []].append(
                try RequestHistoryRecord.entry(
                    requestID: requestID, state: state, timeUS: time, actor: actor, user: user, reason: reason,
                    eventID: eventID))
        }
        var products: [String: [Int64]] = [:]
        for row in try await db.rows(
            """
            SELECT request_id, product_id FROM observation_request_products
            WHERE request_id = ANY(\(ids)::text[]) ORDER BY request_id, product_id
            """, logger)
        {
            let (requestID, productID) = try row.decode((String, Int64).self)
            products[requestID, default: []].append(productID)
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
