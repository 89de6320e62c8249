import GatewayCore
import PostgresNIO

/// A listing's query, built from only the conditions its filter sets, each with its own bindings.
///
/// One query text with `($1 IS NULL OR …)` for every optional condition plans once for all cases, so the planner
/// walks the table by id and tests each branch row by row; appending only what is present lets it pick the index
/// the present conditions can use (STYLE: no `IS NULL OR`, no string per nil/non-nil case).
struct PostgresConditions {
    /// The bindings, `$1` first.
    private(set) var binds = PostgresBindings()
    private var conditions: [String] = []
    private var alternatives: [String]?

    /// Binds `value` and returns its placeholder (`$3`).
    mutating func bind(_ value: some PostgresDynamicTypeEncodable) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    /// Adds a condition every selected row meets.
    mutating func require(_ condition: String) {
        conditions.append(condition)
    }

    /// Adds `scope`'s rule (`ProductScope.includes`) for rows aliased `alias` whose scope index is `index` keyed by
    /// `key`: the row's marking kind is admitted, or the index lists the row for the organisation in one of the
    /// scope's roles. Only the parts the scope enables are written; `after` (keyset paging) narrows the index part.
    mutating func requireScope(_ scope: ProductScope, alias: String, index: String, key: String, after: Int64?) {
        let roles = ScopedOrganisation.roles(scope)
        let markings = ScopedOrganisation.markingKinds(scope)
        var parts: [String] = []
        if !markings.isEmpty {
            parts.append("\(alias).marking_kind = ANY(\(bind(markings))::text[])")
        }
        if !roles.isEmpty {
            let afterKey = after.map { " AND \(key) > \(bind($0))" } ?? ""
            parts.append(
                """
                \(alias).id IN (SELECT \(key) FROM \(index)
                    WHERE organisation = \(bind(scope.organisation)) AND role = ANY(\(bind(roles))::text[])\(afterKey))
                """)
        }
        alternatives = parts
    }

    /// `SELECT columns FROM table alias` of the rows meeting every condition, by ascending `id`, at most `limit`.
    ///
    /// A scope of two parts is not written as `(a OR b)`: the planner would then walk the table by id testing
    /// both, which is slow when both are rare. Each part becomes its own branch with every other condition and the
    /// limit (a sparse part reads its few index rows, a dense one stops after `limit` rows by id), and the outer
    /// query takes the first `limit` ids of their union.
    func query(columns: String, table: String, alias: String, limit: Int?) -> PostgresQuery {
        var binds = binds
        let limitClause =
            limit.map { limit in
                binds.append(Int64(limit))
                return "LIMIT $\(binds.count)"
            } ?? ""
        func selection(_ extra: String?) -> String {
            let all = conditions + (extra.map { [$0] } ?? [])
            return all.isEmpty ? "" : "WHERE " + all.joined(separator: " AND ")
        }
        let sql: String
        switch alternatives {
        case nil:
            sql = "SELECT \(columns) FROM \(table) \(alias) \(selection(nil)) ORDER BY \(alias).id \(limitClause)"
        case let parts? where parts.count <= 1:
            sql = """
                SELECT \(columns) FROM \(table) \(alias) \(selection(parts.first ?? "FALSE"))
                ORDER BY \(alias).id \(limitClause)
                """
        case let parts?:
            let branches = parts.map { part in
                "(SELECT \(alias).id FROM \(table) \(alias) \(selection(part)) ORDER BY \(alias).id \(limitClause))"
            }
            sql = """
                SELECT \(columns) FROM \(table) \(alias)
                WHERE \(alias).id IN (\(branches.joined(separator: " UNION ALL ")))
                ORDER BY \(alias).id \(limitClause)
                """
        }
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }
}
