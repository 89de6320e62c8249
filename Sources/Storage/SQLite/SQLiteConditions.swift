import GRDB
import GatewayCore

/// A listing's query, built from only the conditions its filter sets, each with its own named arguments (`:a1`,
/// `:a2` …, so the order conditions are written in does not matter and one argument can be used twice).
///
/// As for PostgreSQL (`PostgresConditions`): one text with `(:x IS NULL OR …)` for every optional condition keeps
/// SQLite from choosing the index the present conditions could use.
struct SQLiteConditions: ListingConditions {
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

    /// Adds alternatives of which a selected row meets one.
    mutating func requireAny(_ alternatives: [String]) {
        self.alternatives = alternatives
    }

    mutating func bind(_ value: Int64) -> String { bind(Optional(value)) }
    mutating func bind(_ value: Double) -> String { bind(Optional(value)) }
    mutating func bind(_ value: String) -> String { bind(Optional(value)) }

    mutating func isIn(_ column: String, texts values: [String]) -> String {
        "\(column) IN \(list(values))"
    }

    /// Any number of values: one JSON array argument rather than one argument each.
    mutating func isIn(_ column: String, keys values: [String]) -> String {
        "\(column) IN (SELECT value FROM json_each(\(bind(JSONList.encode(values)))))"
    }

    /// Any number of values: one JSON array argument rather than one argument each.
    mutating func isIn(_ column: String, integers values: [Int]) -> String {
        let array = "[" + values.map(String.init).joined(separator: ",") + "]"
        return "\(column) IN (SELECT value FROM json_each(\(bind(array))))"
    }

    /// `SELECT columns FROM table alias` of the rows meeting every condition, by ascending `id` (or by `order`), at
    /// most `limit`, with its arguments. A scope of two parts gives one branch per part, each with every other
    /// condition and the limit, and the outer query takes the first `limit` ids of their union (see
    /// `PostgresConditions`).
    mutating func query(
        columns: String, table: String, alias: String, limit: Int?, order: String? = nil
    ) -> (String, StatementArguments) {
        let order = order ?? "\(alias).id"
        let limitClause = limit.map { "LIMIT \(bind($0))" } ?? ""
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
                SELECT \(columns) FROM \(table) \(alias) \(selection(parts.first ?? "0"))
                ORDER BY \(order) \(limitClause)
                """
        case let parts?:
            // SQLite admits ORDER BY and LIMIT in a compound's members only inside a subquery.
            let branches = parts.map { part in
                """
                SELECT id FROM (SELECT \(alias).id FROM \(table) \(alias) \(selection(part))
                    ORDER BY \(order) \(limitClause))
                """
            }
            sql = """
                SELECT \(columns) FROM \(table) \(alias)
                WHERE \(alias).id IN (\(branches.joined(separator: " UNION ALL ")))
                ORDER BY \(order) \(limitClause)
                """
        }
        return (sql, arguments)
    }
}
