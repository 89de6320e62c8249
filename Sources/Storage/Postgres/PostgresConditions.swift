import GatewayCore
import PostgresNIO

/// A listing's query, built from only the conditions its filter sets, each with its own bindings.
///
/// One query text with `($1 IS NULL OR …)` for every optional condition plans once for all cases, so the planner
/// walks the table by id and tests each branch row by row; appending only what is present lets it pick the index
/// the present conditions can use (STYLE: no `IS NULL OR`, no string per nil/non-nil case).
struct PostgresConditions: ListingConditions {
    /// The bindings, `$1` first.
    private(set) var binds = PostgresBindings()
    private var conditions: [String] = []
    private var alternatives: [String]?

    /// Binds `value` and returns its placeholder (`$3`).
    mutating func bindValue<Value: PostgresDynamicTypeEncodable>(_ value: Value) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    /// Adds a condition every selected row meets.
    mutating func require(_ condition: String) {
        conditions.append(condition)
    }

    /// Adds alternatives of which a selected row meets one.
    mutating func requireAny(_ alternatives: [String]) {
        self.alternatives = alternatives
    }

    mutating func bind(_ value: Int64) -> String { bindValue(value) }
    mutating func bind(_ value: Double) -> String { bindValue(value) }
    mutating func bind(_ value: String) -> String { bindValue(value) }

    mutating func isIn(_ column: String, texts values: [String]) -> String {
        "\(column) = ANY(\(bindValue(values))::text[])"
    }

    mutating func isIn(_ column: String, keys values: [String]) -> String {
        "\(column) = ANY(\(bindValue(values))::text[])"
    }

    mutating func isIn(_ column: String, integers values: [Int]) -> String {
        "\(column) = ANY(\(bindValue(values))::bigint[])"
    }

    /// `SELECT columns FROM table alias` of the rows meeting every condition, by ascending `id` (or by `order`), at
    /// most `limit`.
    ///
    /// A scope of two parts is not written as `(a OR b)`: the planner would then walk the table by id testing
    /// both, which is slow when both are rare. Each part becomes its own branch with every other condition and the
    /// limit (a sparse part reads its few index rows, a dense one stops after `limit` rows by id), and the outer
    /// query takes the first `limit` ids of their union.
    func query(columns: String, table: String, alias: String, limit: Int?, order: String? = nil) -> PostgresQuery {
        var binds = binds
        let order = order ?? "\(alias).id"
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
            sql = "SELECT \(columns) FROM \(table) \(alias) \(selection(nil)) ORDER BY \(order) \(limitClause)"
        case let parts? where parts.count <= 1:
            sql = """
                SELECT \(columns) FROM \(table) \(alias) \(selection(parts.first ?? "FALSE"))
                ORDER BY \(order) \(limitClause)
                """
        case let parts?:
            let branches = parts.map { part in
                "(SELECT \(alias).id FROM \(table) \(alias) \(selection(part)) ORDER BY \(order) \(limitClause))"
            }
            sql = """
                SELECT \(columns) FROM \(table) \(alias)
                WHERE \(alias).id IN (\(branches.joined(separator: " UNION ALL ")))
                ORDER BY \(order) \(limitClause)
                """
        }
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }
}
