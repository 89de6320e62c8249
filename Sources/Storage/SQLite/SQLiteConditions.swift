import GRDB
import GatewayCore

/// A listing's query, built from only the conditions its filter sets, each with its own named arguments (`:a1`,
/// `:a2` …, so the order conditions are written in does not matter and one argument can be used twice).
///
/// As for PostgreSQL (`PostgresConditions`): one text with `(:x IS NULL OR …)` for every optional condition keeps
/// SQLite from choosing the index the present conditions could use.
struct SQLiteConditions {
    /// The arguments, by name.
    private(set) var arguments = StatementArguments()
    private var conditions: [String] = []
    private var alternatives: [String]?
    private var count = 0

    /// Binds `value` and returns its placeholder (`:a3`).
    mutating func bind(_ value: (some DatabaseValueConvertible)?) -> String {
        count += 1
        let name = "a\(count)"
        _ = arguments.append(contentsOf: [name: value])
        return ":" + name
    }

    /// Binds each of `values` and returns the list of placeholders (`(:a1, :a2)`; `()` matches nothing).
    mutating func list(_ values: [some DatabaseValueConvertible]) -> String {
        "(" + values.map { bind($0) }.joined(separator: ", ") + ")"
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
            parts.append("\(alias).marking_kind IN \(list(markings))")
        }
        if !roles.isEmpty {
            let afterKey = after.map { " AND \(key) > \(bind($0))" } ?? ""
            parts.append(
                """
                \(alias).id IN (SELECT \(key) FROM \(index)
                    WHERE organisation = \(bind(scope.organisation)) AND role IN \(list(roles))\(afterKey))
                """)
        }
        alternatives = parts
    }

    /// `SELECT columns FROM table alias` of the rows meeting every condition, by ascending `id`, at most `limit`,
    /// with its arguments. A scope of two parts gives one branch per part, each with every other condition and the
    /// limit, and the outer query takes the first `limit` ids of their union (see `PostgresConditions`).
    mutating func query(columns: String, table: String, alias: String, limit: Int?) -> (String, StatementArguments) {
        let limitClause = limit.map { "LIMIT \(bind($0))" } ?? ""
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
                SELECT \(columns) FROM \(table) \(alias) \(selection(parts.first ?? "0"))
                ORDER BY \(alias).id \(limitClause)
                """
        case let parts?:
            // SQLite admits ORDER BY and LIMIT in a compound's members only inside a subquery.
            let branches = parts.map { part in
                """
                SELECT id FROM (SELECT \(alias).id FROM \(table) \(alias) \(selection(part))
                    ORDER BY \(alias).id \(limitClause))
                """
            }
            sql = """
                SELECT \(columns) FROM \(table) \(alias)
                WHERE \(alias).id IN (\(branches.joined(separator: " UNION ALL ")))
                ORDER BY \(alias).id \(limitClause)
                """
        }
        return (sql, arguments)
    }
}
