import Foundation
import Yams

extension PolicyFileReader {
    /// One item of `rules`; nil (with problems recorded) when it is not a valid rule.
    mutating func rule(_ node: Node, defaultQuotas: PartialQuotas) -> Rule? {
        let problemsBefore = problems.count
        guard
            let keys = mapping(
                node, of: "a rule",
                allowed: ["id", "description", "effect", "who", "actions", "conditions", "quotas", "hide_fields"],
                required: ["id", "effect", "who", "actions"])
        else { return nil }
        let id = keys["id"].flatMap { self.ruleID($0) }
        let description = keys["description"].flatMap { text($0, of: "description") }
        let effect = keys["effect"].flatMap { self.effect($0) }
        let subjects = keys["who"].flatMap { self.subjects($0) }
        let actions = keys["actions"].flatMap { values($0, of: "actions", as: Action.self) }
        let conditions = keys["conditions"].map { self.conditions($0) } ?? Conditions()
        let quotas = keys["quotas"].map { self.partialQuotas($0) }
        let hidden = keys["hide_fields"].flatMap { values($0, of: "hide_fields", as: HiddenField.self) } ?? []
        if effect == .deny, let node = keys["hide_fields"] {
            report(.invalidValue, "a deny rule grants nothing, so it hides nothing; remove hide_fields", at: node)
        }
        var complete: Quotas?
        if effect == .deny, let node = keys["quotas"] {
            report(.invalidValue, "a deny rule grants nothing, so it has no quotas; remove the key", at: node)
        } else if effect == .allow {
            switch (quotas ?? PartialQuotas()).filled(from: defaultQuotas).complete {
            case .success(let filled): complete = filled
            case .failure(let missing):
                report(
                    .missingKey,
                    "this allow rule has no \(missing.keys.joined(separator: ", ")); state them under `quotas:` "
                        + "(a number or unlimited) or under the file's `defaults: quotas:`",
                    at: keys["quotas"] ?? node)
            }
        }
        guard problems.count == problemsBefore, let id, let effect, let subjects, let actions else { return nil }
        return Rule(
            id: id, description: description, effect: effect, subjects: subjects, actions: actions,
            conditions: conditions, quotas: complete, hiddenFields: hidden, source: location(of: node))
    }

    /// A rule id: letters, digits and `-_.:`.
    private mutating func ruleID(_ node: Node) -> String? {
        guard let id = text(node, of: "id") else { return nil }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_.:"))
        guard id.unicodeScalars.allSatisfy({ $0.isASCII && allowed.contains($0) }) else {
            report(.invalidValue, "id \"\(id)\" may hold only ASCII letters, digits and - _ . :", at: node)
            return nil
        }
        return id
    }

    /// `allow` or `deny`.
    private mutating func effect(_ node: Node) -> Rule.Effect? {
        guard let name = text(node, of: "effect") else { return nil }
        guard let effect = Rule.Effect(rawValue: name) else {
            report(.invalidValue, "effect \"\(name)\" is neither allow nor deny", at: node)
            return nil
        }
        return effect
    }

    /// `who`: at least one of roles, users, organisations, authenticated_by.
    private mutating func subjects(_ node: Node) -> Subjects? {
        guard
            let keys = mapping(node, of: "who", allowed: ["roles", "users", "organisations", "authenticated_by"])
        else { return nil }
        guard !keys.isEmpty else {
            report(
                .missingKey,
                "who names nobody; give roles, users, organisations or authenticated_by (for everyone, list every role)",
                at: node)
            return nil
        }
        return Subjects(
            roles: keys["roles"].flatMap { values($0, of: "roles", as: Role.self) },
            users: keys["users"].flatMap { texts($0, of: "users") },
            organisations: keys["organisations"].flatMap { texts($0, of: "organisations") },
            authenticatedBy: keys["authenticated_by"].flatMap {
                values($0, of: "authentication methods", as: AuthenticationMethod.self)
            })
    }

    /// `conditions`.
    private mutating func conditions(_ node: Node) -> Conditions {
        let allowed = [
            "owned_by_caller", "provided_by_caller", "shared_with_caller", "objects", "providers", "markings",
            "time_window", "valid",
        ]
        guard let keys = mapping(node, of: "conditions", allowed: allowed) else { return Conditions() }
        return Conditions(
            ownedByCaller: keys["owned_by_caller"].flatMap { boolean($0, of: "owned_by_caller") },
            providedByCaller: keys["provided_by_caller"].flatMap { boolean($0, of: "provided_by_caller") },
            sharedWithCaller: keys["shared_with_caller"].flatMap { boolean($0, of: "shared_with_caller") },
            objects: keys["objects"].flatMap { self.objects($0) },
            providers: keys["providers"].flatMap { texts($0, of: "providers") },
            markings: keys["markings"].flatMap { values($0, of: "markings", as: Marking.Kind.self) },
            timeWindow: keys["time_window"].flatMap { window($0, of: "time_window") },
            valid: keys["valid"].flatMap { window($0, of: "valid") })
    }

    /// `objects`: NORAD ids and inclusive ranges `FIRST-LAST`.
    private mutating func objects(_ node: Node) -> NORADIDSet? {
        guard let items = list(node, of: "objects") else { return nil }
        var ranges: [ClosedRange<Int>] = []
        for item in items {
            if yamlType(item) == .int, let id = item.int, id >= 1 {
                ranges.append(id...id)
                continue
            }
            let parts =
                yamlType(item) == .str
                ? (item.string ?? "").split(separator: "-", omittingEmptySubsequences: false) : []
            if parts.count == 2, let first = Int(parts[0]), let last = Int(parts[1]), first >= 1, first <= last {
                ranges.append(first...last)
            } else {
                report(
                    .invalidValue,
                    "an item of objects must be a NORAD id (a positive number) or a range FIRST-LAST such as "
                        + "90011-90020, not \(found(item))",
                    at: item)
            }
        }
        return ranges.count == items.count ? NORADIDSet(ranges) : nil
    }

    /// A window: `from` and/or `until`, from not after until.
    private mutating func window(_ node: Node, of context: String) -> TimeWindow? {
        guard let keys = mapping(node, of: context, allowed: ["from", "until"]) else { return nil }
        guard !keys.isEmpty else {
            report(.missingKey, "\(context) needs from, until or both", at: node)
            return nil
        }
        let from = keys["from"].flatMap { instant($0, of: "from") }
        let until = keys["until"].flatMap { instant($0, of: "until") }
        if keys["from"] != nil && from == nil || keys["until"] != nil && until == nil { return nil }
        if let from, let until, from > until {
            report(.invalidValue, "\(context) ends before it starts", at: node)
            return nil
        }
        return TimeWindow(from: from, until: until)
    }

    /// `quotas` (in a rule or under `defaults`): any of the limits.
    mutating func partialQuotas(_ node: Node) -> PartialQuotas {
        guard let keys = mapping(node, of: "quotas", allowed: PolicyFileKey.quotaKeys) else { return PartialQuotas() }
        func read(_ key: String) -> QuotaLimit? { keys[key].flatMap { limit($0, of: key) } }
        return PartialQuotas(
            requestsPerMinute: read(PolicyFileKey.requestsPerMinute),
            requestsPerDay: read(PolicyFileKey.requestsPerDay),
            longestEphemerisSpanSeconds: read(PolicyFileKey.longestEphemerisSpanSeconds),
            mostObjectsPerBulkCall: read(PolicyFileKey.mostObjectsPerBulkCall),
            openObservationRequests: read(PolicyFileKey.openObservationRequests),
            observationRequestsPerDay: read(PolicyFileKey.observationRequestsPerDay),
            observationTracksPerDay: read(PolicyFileKey.observationTracksPerDay),
            longestObservationWindowDays: read(PolicyFileKey.longestObservationWindowDays),
            highestObservationPriority: keys[PolicyFileKey.highestObservationPriority].flatMap {
                priority($0, of: PolicyFileKey.highestObservationPriority)
            })
    }

    /// `routine`, `urgent` or `emergency`.
    mutating func priority(_ node: Node, of context: String) -> ObservationPriority? {
        guard yamlType(node) == .str, let value = node.string.flatMap(ObservationPriority.init(rawValue:)) else {
            report(.invalidValue, "\(context) must be routine, urgent or emergency, not \(found(node))", at: node)
            return nil
        }
        return value
    }
}
