import GatewayCore
import PostgresNIO

/// The `WHERE` clause of a listing, built from only the conditions its filter sets, each with its own bindings.
///
/// One query text with `($1 IS NULL OR …)` for every optional condition plans once for all cases, so the planner
/// walks the table by id and tests each branch row by row; appending only what is present lets it pick the index
/// the present conditions can use (STYLE: no `IS NULL OR`, no string per nil/non-nil case).
struct PostgresConditions {
    /// The bindings, `$1` first.
    private(set) var binds = PostgresBindings()
    private var conditions: [String] = []

    /// Binds `value` and returns its placeholder (`$3`).
    mutating func bind(_ value: some PostgresDynamicTypeEncodable) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    /// Adds a condition every selected row meets.
    mutating func require(_ condition: String) {
        conditions.append(condition)
    }

    /// `WHERE a AND b …`, or nothing when no condition was added.
    var whereClause: String {
        conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
    }

    /// `LIMIT $n`, or nothing for no limit.
    mutating func limit(_ limit: Int?) -> String {
        limit.map { "LIMIT \(bind(Int64($0)))" } ?? ""
    }

    /// `sql` (which holds `whereClause` and `limit(_:)`) with these bindings.
    func query(_ sql: String) -> PostgresQuery {
        PostgresQuery(unsafeSQL: sql, binds: binds)
    }

    /// Adds `scope`'s rule (`ProductScope.includes`) for the rows of `table` aliased `alias`, whose scope index is
    /// `index` keyed by `key`. The rule becomes a set of candidate ids the indexes serve: the index rows of the
    /// organisation in the scope's roles, united with the ids of the admitted marking kinds; only the parts the
    /// scope enables are written. `after` (keyset paging) also narrows the candidates.
    mutating func requireScope(
        _ scope: ProductScope, table: String, alias: String, index: String, key: String, after: Int64?
    ) {
        let roles = ScopedOrganisation.roles(scope)
        let markings = ScopedOrganisation.markingKinds(scope)
        let afterKey = after.map { " AND \(key) > \(bind($0))" } ?? ""
        switch (roles.isEmpty, markings.isEmpty) {
        case (true, true):
            require("FALSE")
        case (true, false):
            require("\(alias).marking_kind = ANY(\(bind(markings))::text[])")
        case (false, true):
            require(
                """
                \(alias).id IN (SELECT \(key) FROM \(index)
                    WHERE organisation = \(bind(scope.organisation)) AND role = ANY(\(bind(roles))::text[])\(afterKey))
                """)
        case (false, false):
            let afterID = after.map { " AND id > \(bind($0))" } ?? ""
            require(
                """
                \(alias).id IN (SELECT \(key) FROM \(index)
                    WHERE organisation = \(bind(scope.organisation)) AND role = ANY(\(bind(roles))::text[])\(afterKey)
                    UNION SELECT id FROM \(table) WHERE marking_kind = ANY(\(bind(markings))::text[])\(afterID))
                """)
        }
    }
}
