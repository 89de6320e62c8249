import GRDB
import GatewayCore

/// The `WHERE` clause of a listing, built from only the conditions its filter sets, each with its own named
/// arguments (`:a1`, `:a2` …, so the order conditions are written in does not matter).
///
/// As for PostgreSQL (`PostgresConditions`): one text with `(:x IS NULL OR …)` for every optional condition keeps
/// SQLite from choosing the index the present conditions could use.
struct SQLiteConditions {
    /// The arguments, by name.
    private(set) var arguments = StatementArguments()
    private var conditions: [String] = []
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

    /// `WHERE a AND b …`, or nothing when no condition was added.
    var whereClause: String {
        conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
    }

    /// `LIMIT :a`, or nothing for no limit.
    mutating func limit(_ limit: Int?) -> String {
        limit.map { "LIMIT \(bind($0))" } ?? ""
    }

    /// Adds `scope`'s rule (`ProductScope.includes`) for the rows of `table` aliased `alias`, whose scope index is
    /// `index` keyed by `key`: the ids the index holds for the organisation in the scope's roles, united with the
    /// ids of the admitted marking kinds; only the parts the scope enables are written. `after` (keyset paging)
    /// also narrows the candidates.
    mutating func requireScope(
        _ scope: ProductScope, table: String, alias: String, index: String, key: String, after: Int64?
    ) {
        let roles = ScopedOrganisation.roles(scope)
        let markings = ScopedOrganisation.markingKinds(scope)
        switch (roles.isEmpty, markings.isEmpty) {
        case (true, true):
            require("0")
        case (true, false):
            require("\(alias).marking_kind IN \(list(markings))")
        case (false, true):
            require("\(alias).id IN (\(organisationIDs(scope, roles, index: index, key: key, after: after)))")
        case (false, false):
            let organisations = organisationIDs(scope, roles, index: index, key: key, after: after)
            let afterID = after.map { " AND id > \(bind($0))" } ?? ""
            require(
                """
                \(alias).id IN (\(organisations)
                    UNION SELECT id FROM \(table) WHERE marking_kind IN \(list(markings))\(afterID))
                """)
        }
    }

    private mutating func organisationIDs(
        _ scope: ProductScope, _ roles: [String], index: String, key: String, after: Int64?
    ) -> String {
        let afterKey = after.map { " AND \(key) > \(bind($0))" } ?? ""
        return """
            SELECT \(key) FROM \(index)
            WHERE organisation = \(bind(scope.organisation)) AND role IN \(list(roles))\(afterKey)
            """
    }
}
