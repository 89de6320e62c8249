import GatewayCore

/// How an engine writes a listing's conditions: placeholders for bound values and membership tests. The filters
/// (`ProductFilter`, `FeedFilter`) are turned into conditions once, here, for every engine; each engine only says how
/// to bind and how to test a list (`PostgresConditions`, `SQLiteConditions`).
///
/// Only the conditions a filter sets are written, each with its own bindings: one text with `(:x IS NULL OR …)`
/// for every optional condition plans once for all cases, so the planner walks the table by id testing each branch
/// (STYLE: no `IS NULL OR`, no string per nil/non-nil case).
protocol ListingConditions {
    /// Binds `value` and returns its placeholder.
    mutating func bind(_ value: Int64) -> String
    /// Binds `value` and returns its placeholder.
    mutating func bind(_ value: Double) -> String
    /// Binds `value` and returns its placeholder.
    mutating func bind(_ value: String) -> String
    /// `column` equals one of `values` (no value: nothing matches).
    mutating func isIn(_ column: String, texts values: [String]) -> String
    /// `column` equals one of `values`, however many (no value: nothing matches).
    mutating func isIn(_ column: String, integers values: [Int]) -> String
    /// `column` equals one of `values`, however many, in one binding (no value: nothing matches).
    mutating func isIn(_ column: String, keys values: [String]) -> String
    /// Adds a condition every selected row meets.
    mutating func require(_ condition: String)
    /// Adds alternatives of which a selected row meets one (none: no row is selected).
    mutating func requireAny(_ alternatives: [String])
}

extension ListingConditions {
    /// `scope`'s rule (`ProductScope.includes`) for rows aliased `alias` whose scope index is `index` keyed by
    /// `key`: the row's marking kind is admitted, or the index lists the row for the organisation in one of the
    /// scope's roles. Only the parts the scope enables are written; `after` (keyset paging) narrows the index part.
    mutating func requireScope(_ scope: ProductScope, alias: String, index: String, key: String, after: Int64?) {
        let roles = ScopedOrganisation.roles(scope)
        let markings = ScopedOrganisation.markingKinds(scope)
        var parts: [String] = []
        if !markings.isEmpty {
            parts.append(isIn("\(alias).marking_kind", texts: markings))
        }
        if !roles.isEmpty {
            let afterKey = after.map { " AND \(key) > \(bind($0))" } ?? ""
            let organisation = bind(scope.organisation)
            let role = isIn("role", texts: roles)
            parts.append(
                "\(alias).id IN (SELECT \(key) FROM \(index) WHERE organisation = \(organisation) AND \(role)\(afterKey))"
            )
        }
        requireAny(parts)
    }

    /// The conditions of `filter` on products aliased `p`. Object, participant and scope conditions are id sets
    /// read from their index tables.
    mutating func require(_ filter: ProductFilter) {
        if let kinds = filter.kinds {
            require(isIn("p.kind", texts: kinds.map(\.rawValue).sorted()))
        }
        if let ids = filter.noradIDs {
            require(
                "p.id IN (SELECT product_id FROM product_objects WHERE \(isIn("norad_id", integers: ids.sorted())))")
        }
        if let from = filter.timeFrom {
            require("coalesce(p.time_stop_us, p.time_start_us) >= \(bind(StoreTime.microseconds(from)))")
        }
        if let to = filter.timeTo {
            require("p.time_start_us <= \(bind(StoreTime.microseconds(to)))")
        }
        if let probability = filter.minimumCollisionProbability {
            require("p.collision_probability >= \(bind(probability))")
        }
        if let miss = filter.maximumMissDistanceMetres {
            require("p.miss_distance_m <= \(bind(miss))")
        }
        if let since = filter.receivedSince {
            require("p.received_us >= \(bind(StoreTime.microseconds(since)))")
        }
        if let provider = filter.provider {
            require("p.provider = \(bind(provider))")
        }
        if let participant = filter.participant {
            require("p.id IN (SELECT product_id FROM product_participants WHERE participant = \(bind(participant)))")
        }
        if let scope = filter.scope {
            requireScope(scope, alias: "p", index: "product_organisations", key: "product_id", after: filter.afterID)
        }
        if let after = filter.afterID {
            require("p.id > \(bind(after))")
        }
    }

    /// The conditions of `filter` on feed events aliased `e` (always after a cursor: 0 when none).
    mutating func require(_ filter: FeedFilter) {
        let after = filter.afterID ?? 0
        require("e.id > \(bind(after))")
        if let types = filter.types {
            require(isIn("e.type", texts: types.sorted()))
        }
        if let scope = filter.scope {
            requireScope(scope, alias: "e", index: "feed_event_organisations", key: "event_id", after: after)
        }
    }

    /// The conditions of `filter` on observation requests aliased `r`. `afterID` keeps the requests after that one
    /// newest first (by creation, then id; a request that does not exist continues nothing).
    mutating func require(_ filter: RequestListFilter) {
        if let requester = filter.requester {
            require("r.requester = \(bind(requester))")
        }
        if let ids = filter.ids {
            require(isIn("r.id", keys: ids.sorted()))
        }
        if let states = filter.states {
            require(isIn("r.state", texts: states.map(\.rawValue).sorted()))
        }
        if let noradID = filter.noradID {
            require("r.norad_id = \(bind(Int64(noradID)))")
        }
        if let since = filter.updatedSince {
            require("r.updated_us >= \(bind(StoreTime.microseconds(since)))")
        }
        if let after = filter.afterID {
            require(
                "(r.created_us, r.id) < (SELECT created_us, id FROM observation_requests WHERE id = \(bind(after)))")
        }
    }
}
