/// A loaded policy: rules indexed by action, and the revision they came from. Immutable; a reload builds a new
/// one and the gateway swaps it in whole.
public struct PolicySet: Sendable {
    /// Every rule, ordered by id.
    public let rules: [Rule]
    /// Identifies the policy files' contents (a hash), so audit rows say which policy answered.
    public let revision: String
    /// Rules by action, each list ordered by id.
    let rulesByAction: [Action: [Rule]]

    /// Builds a set from rules; throws when two rules share an id (they could not be told apart in decisions).
    public init(rules: [Rule], revision: String = "in-memory") throws(PolicyLoadError) {
        var seen: [String: Rule] = [:]
        var problems: [PolicyProblem] = []
        for rule in rules {
            if let first = seen[rule.id] {
                let firstPlace = first.source.map { " (first at \($0))" } ?? ""
                problems.append(
                    PolicyProblem(
                        .duplicateRuleID,
                        "rule id \"\(rule.id)\" is used twice\(firstPlace); give each rule its own id",
                        at: rule.source))
            } else {
                seen[rule.id] = rule
            }
        }
        guard problems.isEmpty else { throw PolicyLoadError(problems) }
        self.rules = rules.sorted { $0.id < $1.id }
        self.revision = revision
        var index: [Action: [Rule]] = [:]
        for rule in self.rules {
            for action in rule.actions { index[action, default: []].append(rule) }
        }
        rulesByAction = index
    }

    /// The empty policy: denies everything.
    public static let empty = try! PolicySet(rules: [])  // cannot throw: no ids to clash

    /// The rules covering `action`, ordered by id.
    public func rules(for action: Action) -> [Rule] {
        rulesByAction[action] ?? []
    }
}
