import Foundation
import Testing

@testable import Policy

/// Random principals, resources and rules over small universes, so that rules often apply.
private struct PolicyGenerator {
    var random: SplitMix64
    let users = ["u0", "u1", "u2", "u3"]
    let organisations = ["o0", "o1", "o2"]
    let instants = (0..<5).map { Date(timeIntervalSince1970: 1_700_000_000 + Double($0) * 86400) }
    var ruleCount = 0

    mutating func chance(_ probability: Double = 0.5) -> Bool { Double.random(in: 0..<1, using: &random) < probability }

    mutating func pick<T>(_ values: [T]) -> T { values[Int.random(in: 0..<values.count, using: &random)] }

    mutating func subset<T: Hashable>(_ values: [T]) -> Set<T> {
        var chosen = Set(values.filter { _ in chance() })
        if chosen.isEmpty { chosen.insert(pick(values)) }
        return chosen
    }

    mutating func maybe<T>(_ make: (inout PolicyGenerator) -> T) -> T? { chance() ? make(&self) : nil }

    mutating func marking() -> Marking? {
        switch Int.random(in: 0..<5, using: &random) {
        case 0: .public
        case 1: .operators
        case 2: .restricted
        case 3: .partners(subset(organisations))
        default: nil
        }
    }

    mutating func window() -> TimeWindow {
        TimeWindow(from: maybe { $0.pick($0.instants) }, until: maybe { $0.pick($0.instants) })
    }

    mutating func principal() -> Principal {
        Principal(
            userName: pick(users), organisation: pick(organisations), roles: subset(Role.allCases),
            authenticatedBy: pick(AuthenticationMethod.allCases))
    }

    mutating func resource() -> Resource {
        let start = pick(instants)
        return Resource(
            kind: pick(Resource.Kind.allCases),
            noradIDs: Set(
                (0..<Int.random(in: 0...2, using: &random)).map { _ in
                    Int.random(in: 1...10, using: &random)
                }),
            ownerOrganisations: chance() ? subset(organisations) : [], marking: marking(),
            provider: maybe { $0.pick($0.organisations) },
            dataWindow: maybe {
                $0.chance() ? DateInterval(start: start, duration: Double($0.pick([0, 3600, 172800]))) : nil
            } ?? nil)
    }

    mutating func request() -> AccessRequest {
        AccessRequest(principal: principal(), action: pick(Action.allCases), resource: resource(), time: pick(instants))
    }

    mutating func limit() -> QuotaLimit { chance(0.2) ? .unlimited : .limited(Int.random(in: 1...100, using: &random)) }

    mutating func rule(_ effect: Rule.Effect) -> Rule {
        ruleCount += 1
        let subjects = Subjects(
            roles: maybe { $0.subset(Role.allCases) }, users: maybe { $0.subset($0.users) },
            organisations: maybe { $0.subset($0.organisations) },
            authenticatedBy: maybe { $0.subset(AuthenticationMethod.allCases) })
        let conditions = Conditions(
            ownedByCaller: maybe { $0.chance() }, providedByCaller: maybe { $0.chance() },
            sharedWithCaller: maybe { $0.chance(0.3) },
            objects: maybe { generator in
                NORADIDSet(
                    (0..<Int.random(in: 1...2, using: &generator.random)).map { _ in
                        let first = Int.random(in: 1...10, using: &generator.random)
                        return first...(first + Int.random(in: 0...3, using: &generator.random))
                    })
            },
            providers: maybe { $0.subset($0.organisations) }, markings: maybe { $0.subset(Marking.Kind.allCases) },
            timeWindow: chance(0.2) ? window() : nil, valid: chance(0.2) ? window() : nil)
        let quotas = Quotas(
            requestsPerMinute: limit(), requestsPerDay: limit(), longestEphemerisSpanSeconds: limit(),
            mostObjectsPerBulkCall: limit())
        return Rule(
            id: "r\(ruleCount)", effect: effect, subjects: subjects, actions: subset(Action.allCases),
            conditions: Conditions(
                ownedByCaller: chance(0.7) ? nil : conditions.ownedByCaller,
                providedByCaller: chance(0.7) ? nil : conditions.providedByCaller,
                sharedWithCaller: conditions.sharedWithCaller, objects: chance(0.5) ? nil : conditions.objects,
                providers: chance(0.5) ? nil : conditions.providers, markings: conditions.markings,
                timeWindow: conditions.timeWindow, valid: conditions.valid),
            quotas: effect == .allow ? quotas : nil)
    }

    mutating func rules() -> [Rule] {
        (0..<Int.random(in: 0...12, using: &random)).map { _ in rule(chance(0.7) ? .allow : .deny) }
    }
}

/// Issue 4 item 5: over random principals, resources and rules, the empty policy denies everything, a deny never
/// widens access, an allow never narrows it, and the order of the rules does not matter.
@Suite struct PolicyPropertyTests {
    static let seeds: [UInt64] = [1, 2, 3, 42, 4_096, 20_250_615, 0xdead_beef, 0x9e37_79b9_7f4a_7c15]
    static let policiesPerSeed = 150
    static let requestsPerPolicy = 40

    @Test(arguments: seeds)
    func theEmptyPolicyDeniesEverything(seed: UInt64) {
        var generator = PolicyGenerator(random: SplitMix64(seed: seed))
        for _ in 0..<(Self.policiesPerSeed * Self.requestsPerPolicy) {
            let decision = PolicySet.empty.evaluate(generator.request())
            #expect(!decision.isAllowed, "seed \(seed)")
            #expect(decision.decidingRule == nil && decision.quotas == nil, "seed \(seed)")
        }
    }

    @Test(arguments: seeds)
    func addingADenyNeverWidensAccess(seed: UInt64) throws {
        var generator = PolicyGenerator(random: SplitMix64(seed: seed))
        var denials = 0
        for _ in 0..<Self.policiesPerSeed {
            let rules = generator.rules()
            let before = try PolicySet(rules: rules)
            let after = try PolicySet(rules: rules + [generator.rule(.deny)])
            for _ in 0..<Self.requestsPerPolicy {
                let request = generator.request()
                let old = before.evaluate(request)
                let new = after.evaluate(request)
                if new.isAllowed {
                    #expect(old.isAllowed && old.quotas == new.quotas, "seed \(seed): \(request)")
                } else if old.isAllowed {
                    denials += 1
                }
            }
        }
        #expect(denials > 0, "seed \(seed): the added denies never applied; the generator is too sparse")
    }

    @Test(arguments: seeds)
    func addingAnAllowNeverNarrowsAccess(seed: UInt64) throws {
        var generator = PolicyGenerator(random: SplitMix64(seed: seed))
        var grants = 0
        for _ in 0..<Self.policiesPerSeed {
            let rules = generator.rules()
            let before = try PolicySet(rules: rules)
            let after = try PolicySet(rules: rules + [generator.rule(.allow)])
            for _ in 0..<Self.requestsPerPolicy {
                let request = generator.request()
                let old = before.evaluate(request)
                let new = after.evaluate(request)
                if old.isAllowed {
                    let widened = new.quotas.map { $0.isAtLeastAsGenerous(as: old.quotas ?? .unlimited) } ?? false
                    #expect(new.isAllowed && widened, "seed \(seed): \(request)")
                } else if new.isAllowed {
                    grants += 1
                }
            }
        }
        #expect(grants > 0, "seed \(seed): the added allows never applied; the generator is too sparse")
    }

    @Test(arguments: seeds)
    func theOrderOfRulesDoesNotMatter(seed: UInt64) throws {
        var generator = PolicyGenerator(random: SplitMix64(seed: seed))
        var allowed = 0
        for _ in 0..<Self.policiesPerSeed {
            let rules = generator.rules()
            let original = try PolicySet(rules: rules)
            let shuffled = try PolicySet(rules: rules.shuffled(using: &generator.random))
            let reversed = try PolicySet(rules: rules.reversed())
            for _ in 0..<Self.requestsPerPolicy {
                let request = generator.request()
                let decision = original.evaluate(request)
                #expect(shuffled.evaluate(request) == decision, "seed \(seed): \(request)")
                #expect(reversed.evaluate(request) == decision, "seed \(seed): \(request)")
                #expect(original.allows(request) == decision.isAllowed, "seed \(seed): \(request)")
                if decision.isAllowed { allowed += 1 }
            }
        }
        #expect(allowed > 0, "seed \(seed): no request was ever allowed; the generator is too sparse")
    }

    @Test(arguments: seeds)
    func aDecisionFollowsFromTheApplicableRules(seed: UInt64) throws {
        var generator = PolicyGenerator(random: SplitMix64(seed: seed))
        for _ in 0..<Self.policiesPerSeed {
            let rules = generator.rules()
            let set = try PolicySet(rules: rules)
            for _ in 0..<Self.requestsPerPolicy {
                let request = generator.request()
                // The specification, written independently of the evaluator: deny wins, then allow, else deny.
                let applicable = rules.filter { $0.applies(to: request) }
                let expected: Rule.Effect =
                    applicable.contains { $0.effect == .deny } ? .deny : applicable.isEmpty ? .deny : .allow
                let decision = set.evaluate(request)
                #expect(decision.effect == expected, "seed \(seed): \(request)")
                #expect(Set(decision.applicableRules.map(\.id)) == Set(applicable.map(\.id)), "seed \(seed)")
            }
        }
    }

    @Test(arguments: seeds)
    func theCandidateScopeHoldsEveryAllowedResource(seed: UInt64) throws {
        var generator = PolicyGenerator(random: SplitMix64(seed: seed))
        var allowed = 0
        for _ in 0..<Self.policiesPerSeed {
            let policy = try PolicySet(rules: generator.rules())
            for _ in 0..<Self.requestsPerPolicy {
                let request = generator.request()
                guard policy.allows(request) else { continue }
                allowed += 1
                let scope = policy.candidateScope(for: request.principal, action: request.action, at: request.time)
                #expect(Self.satisfies(request, scope), "seed \(seed): \(request) outside \(scope)")
            }
        }
        #expect(allowed > 0)
    }

    /// Whether the request's resource is a candidate of `scope`.
    static func satisfies(_ request: AccessRequest, _ scope: CandidateScope) -> Bool {
        switch scope {
        case .nothing: return false
        case .everything: return true
        case .limited(let clauses):
            let resource = request.resource
            let organisation = request.principal.organisation
            if clauses.ownedByCaller, resource.ownerOrganisations.contains(organisation) { return true }
            if clauses.providedByCaller, resource.provider == organisation { return true }
            if clauses.sharedWithCaller, resource.marking?.sharesWith(organisation: organisation) == true { return true }
            if let marking = resource.marking, clauses.markings.contains(marking.kind) { return true }
            if clauses.objects.contains(where: { $0.containsAny(of: resource.noradIDs) }) { return true }
            if let provider = resource.provider, clauses.providers.contains(provider) { return true }
            return false
        }
    }
}
