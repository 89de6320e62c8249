import Foundation
import GRDB
import GatewayCore

extension SQLiteStore: ObservationRequestStore {
    /// Creates a request in one write transaction: SQLite's single writer makes the idempotency lookup, the quota
    /// counts and the insert atomic, per requester and across processes. Every statement is a cached one (compiling
    /// them was a fifth of a submission's CPU). Signals `feedChanges` and `backendChanges` when it stored one.
    public func createObservationRequest(_ request: ObservationRequest, limits: RequestLimits, dayStart: Date)
        async throws(StoreError) -> RequestCreation
    {
        let record = try ObservationRequestRecord(request)
        let entry = RequestWriting.firstEntry(request)
        let since = StoreTime.microseconds(dayStart)
        let creation = try await write { db -> RequestCreation in
            guard try Self.userExists(db, record.requester) else {
                throw StoreError.notFound(entity: "user", key: record.requester)
            }
            if let key = record.idempotencyKey,
                let id = try String.fetchOne(
                    db.cachedStatement(sql: RequestSQL.idempotent), arguments: [record.requester, key])
            {
                return .existing(try Self.observationRequest(db, id: id))
            }
            if let exceeded = try Self.exceeded(
                db, limits, requester: record.requester, since: since, tracks: record.tracks)
            {
                return .overLimit(exceeded)
            }
            try db.cachedStatement(sql: RequestSQL.insert).execute(arguments: Self.arguments(record))
            try Self.queueCommand(db, .submit, requestID: record.id, at: record.createdUS)
            var stored = request
            stored.history = []
            try Self.recordTransition(db, stored, entry, previous: nil)
            return .created(try Self.observationRequest(db, id: record.id))
        }
        if case .created = creation {
            feedChanges.signal()
            backendChanges.signal()
        }
        return creation
    }

    /// The request with `id`, read in one snapshot.
    public func observationRequest(id: String) async throws(StoreError) -> ObservationRequest {
        try await read { db in try Self.observationRequest(db, id: id) }
    }

    /// The requests `filter` selects, newest first, in one snapshot: one query for the requests, one for their
    /// history, one for their products.
    public func observationRequests(_ filter: RequestListFilter) async throws(StoreError) -> [ObservationRequest] {
        var sql = SQLiteConditions()
        sql.require(filter)
        let (text, arguments) = sql.query(
            columns: "r.*", table: "observation_requests", alias: "r", limit: filter.limit.map { max($0, 0) },
            order: "r.created_us DESC, r.id DESC")
        return try await read { db in
            try Self.observationRequests(db, db.makeStatement(sql: text), arguments: arguments)
        }
    }

    /// Moves a request in one write transaction, then signals `feedChanges` (and `backendChanges` when the move
    /// queued a command).
    public func changeObservationRequest(_ change: RequestChange) async throws(StoreError) -> ObservationRequest {
        let (changed, queued) = try await write { db -> (ObservationRequest, Bool) in
            let stored = try Self.observationRequest(db, id: change.id)
            if let requester = change.requester, requester != stored.requester {
                throw StoreError.notFound(entity: "observation request", key: change.id)
            }
            let queued = try Self.transition(db, stored, change)
            return (try Self.observationRequest(db, id: change.id), queued)
        }
        feedChanges.signal()
        if queued { backendChanges.signal() }
        return changed
    }

    /// Stores the product as `storeProduct(_:)` does, links it and moves a `SCHEDULED` request to `PARTIAL`, in one
    /// write transaction.
    public func storeRequestProduct(_ product: Product, requestID: String, at time: Date)
        async throws(StoreError) -> (StoredProduct, ObservationRequest)
    {
        let record = try ProductRecord(product)
        let (stored, request, moved) = try await write { db -> (StoredProduct, ObservationRequest, Bool) in
            let current = try Self.observationRequest(db, id: requestID)
            guard RequestWriting.productStates.contains(current.state) else {
                throw RequestWriting.productConflict(requestID, current.state)
            }
            let stored = try Self.insertProduct(db, product, record)
            try db.execute(
                sql: """
                    INSERT INTO observation_request_products (request_id, product_id) VALUES (?, ?)
                    ON CONFLICT (request_id, product_id) DO NOTHING
                    """, arguments: [requestID, stored.product.id])
            let moves = current.state == .scheduled
            if moves {
                _ = try Self.transition(
                    db, current, RequestChange(id: requestID, to: .partial, actor: .gateway, time: time))
            }
            return (stored, try Self.observationRequest(db, id: requestID), moves)
        }
        if stored.created || moved { feedChanges.signal() }
        return (stored, request)
    }
}

// MARK: - Writing

/// The fixed statements of the hot paths, compiled once per connection (`Database.cachedStatement(sql:)`).
enum RequestSQL {
    static let idempotent = "SELECT id FROM observation_requests WHERE requester = ? AND idempotency_key = ?"
    /// Index-only through the partial index `observation_requests_open`, named: left to itself SQLite takes
    /// `observation_requests_requester` and reads every request of the requester's (20 ms at 6,000 instead of 0.4).
    static let openCount = """
        SELECT count(*) FROM observation_requests INDEXED BY observation_requests_open
        WHERE requester = ? AND state NOT IN (\(RequestWriting.terminalStates))
        """
    /// Index-only through `observation_requests_requester` (requester, created_us, id, tracks).
    static let todayCounts = """
        SELECT count(*) AS requests, coalesce(sum(tracks), 0) AS tracks FROM observation_requests
        WHERE requester = ? AND created_us >= ?
        """
    static let insert = """
        INSERT INTO observation_requests (\(ObservationRequestRecord.columns))
        VALUES (:id, :requester, :organisation, :state, :norad, :orbitKind, :orbitText, :orbitName,
                :orbitID, :start, :stop, :measurements, :tracks, :priority, :sensor, :purpose, :marking,
                :created, :updated, :key, :digest, :proposedStart, :proposedStop, :schedule)
        """
    static let update = """
        UPDATE observation_requests SET state = ?, updated_us = ?, window_start_us = ?, window_stop_us = ?,
            proposed_start_us = ?, proposed_stop_us = ?, schedule = ?
        WHERE id = ?
        """
    static let history = """
        INSERT INTO observation_request_history (request_id, seq, state, time_us, actor, user_name, reason, event_id)
        SELECT ?, coalesce(max(seq), 0) + 1, ?, ?, ?, ?, ?, ? FROM observation_request_history
        WHERE request_id = ?
        """
    static let queue = """
        INSERT INTO backend_commands (request_id, kind, state, attempts, created_us, next_attempt_us)
        VALUES (?, ?, 'pending', 0, ?, ?)
        """
    static let byID = "SELECT * FROM observation_requests WHERE id = ?"
    static let historyOf = """
        SELECT \(RequestHistoryRecord.columns) FROM observation_request_history
        WHERE request_id IN (SELECT value FROM json_each(?)) ORDER BY request_id, seq
        """
    static let productsOf = """
        SELECT request_id, product_id FROM observation_request_products
        WHERE request_id IN (SELECT value FROM json_each(?)) ORDER BY request_id, product_id
        """
}

extension SQLiteStore {
    /// The limit a new request of `tracks` tracks would exceed, if any. Only the counts a set limit needs are read,
    /// each from an index alone: unlimited requesters cost nothing.
    static func exceeded(_ db: Database, _ limits: RequestLimits, requester: String, since: Int64, tracks: Int)
        throws -> RequestLimitExceeded?
    {
        var open = 0
        if limits.openRequests != nil {
            open = try Int.fetchOne(db.cachedStatement(sql: RequestSQL.openCount), arguments: [requester]) ?? 0
        }
        var today: Row?
        if limits.requestsPerDay != nil || limits.tracksPerDay != nil {
            today = try Row.fetchOne(db.cachedStatement(sql: RequestSQL.todayCounts), arguments: [requester, since])
        }
        return RequestWriting.exceeded(
            limits, open: open, requestsToday: today?["requests"] ?? 0, tracksToday: today?["tracks"] ?? 0,
            tracks: tracks)
    }

    /// Applies `change` to `stored` inside the caller's write transaction: the row, the history entry with its feed
    /// event, and the command the move implies; true when it queued one.
    static func transition(_ db: Database, _ stored: ObservationRequest, _ change: RequestChange) throws -> Bool {
        let changed = try RequestWriting.apply(change, to: stored)
        try db.cachedStatement(sql: RequestSQL.update).execute(
            arguments: [
                changed.state.rawValue, StoreTime.microseconds(changed.updated),
                StoreTime.microseconds(changed.window.start), StoreTime.microseconds(changed.window.end),
                changed.proposedWindow.map { StoreTime.microseconds($0.start) },
                changed.proposedWindow.map { StoreTime.microseconds($0.end) },
                ObservationRequestRecord.schedule(changed.schedule), changed.id,
            ])
        let command = BackendCommandKind.implied(from: stored.state, to: changed.state, by: change.actor)
        if let command {
            try queueCommand(db, command, requestID: changed.id, at: StoreTime.microseconds(change.time))
        }
        let entry = RequestHistoryEntry(
            state: changed.state, time: change.time, actor: change.actor, user: change.user, reason: change.reason)
        try recordTransition(db, changed, entry, previous: stored.state)
        return command != nil
    }

    /// Appends `entry`'s feed event (`FeedEvent(request:entry:previous:)`) and its history row, numbered after the
    /// request's last one.
    static func recordTransition(
        _ db: Database, _ request: ObservationRequest, _ entry: RequestHistoryEntry, previous: RequestState?
    ) throws {
        let eventID = try appendEvent(db, try FeedRecord(FeedEvent(request: request, entry: entry, previous: previous)))
        try db.cachedStatement(sql: RequestSQL.history).execute(
            arguments: [
                request.id, entry.state.rawValue, StoreTime.microseconds(entry.time), entry.actor.rawValue, entry.user,
                entry.reason, eventID, request.id,
            ])
    }

    /// Queues a pending command due at `dueUS`.
    static func queueCommand(_ db: Database, _ kind: BackendCommandKind, requestID: String, at dueUS: Int64) throws {
        try db.cachedStatement(sql: RequestSQL.queue).execute(arguments: [requestID, kind.rawValue, dueUS, dueUS])
    }
}

// MARK: - Rows

extension SQLiteStore {
    /// The request with `id` as the caller's transaction sees it; `notFound` when there is none.
    static func observationRequest(_ db: Database, id: String) throws -> ObservationRequest {
        guard
            let request = try observationRequests(db, db.cachedStatement(sql: RequestSQL.byID), arguments: [id]).first
        else { throw StoreError.notFound(entity: "observation request", key: id) }
        return request
    }

    /// The requests `statement` selects (all their columns), in its order, with their history and products: three
    /// queries whatever the count.
    static func observationRequests(_ db: Database, _ statement: Statement, arguments: StatementArguments) throws
        -> [ObservationRequest]
    {
        let records = try Row.fetchAll(statement, arguments: arguments).map(Self.requestRecord)
        guard !records.isEmpty else { return [] }
        let ids = JSONList.encode(records.map(\.id))
        var history: [String: [RequestHistoryEntry]] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: RequestSQL.historyOf), arguments: [ids]) {
            let requestID: String = row["request_id"]
            history[requestID, default: []].append(
                try RequestHistoryRecord.entry(
                    requestID: requestID, state: row["state"], timeUS: row["time_us"], actor: row["actor"],
                    user: row["user_name"], reason: row["reason"], eventID: row["event_id"]))
        }
        var products: [String: [Int64]] = [:]
        for row in try Row.fetchAll(db.cachedStatement(sql: RequestSQL.productsOf), arguments: [ids]) {
            products[row["request_id"], default: []].append(row["product_id"])
        }
        return try records.map { record in
            try record.request(history: history[record.id] ?? [], productIDs: products[record.id] ?? [])
        }
    }

    static func arguments(_ record: ObservationRequestRecord) -> StatementArguments {
        [
            "id": record.id, "requester": record.requester, "organisation": record.organisation,
            "state": record.state, "norad": record.noradID, "orbitKind": record.orbitKind,
            "orbitText": record.orbitText, "orbitName": record.orbitObjectName, "orbitID": record.orbitObjectID,
            "start": record.windowStartUS, "stop": record.windowStopUS, "measurements": record.measurements,
            "tracks": record.tracks, "priority": record.priority, "sensor": record.sensor, "purpose": record.purpose,
            "marking": record.marking, "created": record.createdUS, "updated": record.updatedUS,
            "key": record.idempotencyKey, "digest": record.bodyDigest, "proposedStart": record.proposedStartUS,
            "proposedStop": record.proposedStopUS, "schedule": record.schedule,
        ]
    }

    static func requestRecord(_ row: Row) -> ObservationRequestRecord {
        ObservationRequestRecord(
            id: row["id"], requester: row["requester"], organisation: row["organisation"], state: row["state"],
            noradID: row["norad_id"], orbitKind: row["orbit_kind"], orbitText: row["orbit_text"],
            orbitObjectName: row["orbit_object_name"], orbitObjectID: row["orbit_object_id"],
            windowStartUS: row["window_start_us"], windowStopUS: row["window_stop_us"],
            measurements: row["measurements"], tracks: row["tracks"], priority: row["priority"],
            sensor: row["sensor"], purpose: row["purpose"], marking: row["marking"], createdUS: row["created_us"],
            updatedUS: row["updated_us"], idempotencyKey: row["idempotency_key"], bodyDigest: row["body_digest"],
            proposedStartUS: row["proposed_start_us"], proposedStopUS: row["proposed_stop_us"],
            schedule: row["schedule"])
    }
}
