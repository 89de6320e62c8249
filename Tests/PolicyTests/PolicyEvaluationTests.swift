import Foundation
import Testing

@testable import Policy

private let now = Date(timeIntervalSince1970: 1_750_000_000)  // 2025-06-15

private func user(_ name: String, _ organisation: String, _ roles: Set<Role>) -> Principal {
    Principal(userName: name, organisation: organisation, roles: roles, authenticatedBy: .apiKey)
}

private let small = Quotas(
    requestsPerMinute: .limited(1), requestsPerDay: .limited(10), longestEphemerisSpanSeconds: .limited(60),
    mostObjectsPerBulkCall: .limited(5))
private let large = Quotas(
    requestsPerMinute: .limited(100), requestsPerDay: .limited(5), longestEphemerisSpanSeconds: .unlimited,
    mostObjectsPerBulkCall: .limited(2))

@Suite struct PolicyEvaluationTests {
    let alice = user("alice", "org-a", [.operator])
    let ownObject = Resource.object(noradID: 90001, owner: "org-a", marking: .restricted)
    let otherObject = Resource.object(noradID: 90011, owner: "org-b", marking: .restricted)

    @Test func deniesByDefaultWhenNoRuleApplies() {
        let decision = PolicySet.empty.evaluate(principal: alice, action: .readElements, resource: ownObject, at: now)
        #expect(!decision.isAllowed)
        #expect(decision.decidingRule == nil)
        #expect(decision.quotas == nil)
        #expect(decision.reason == "no rule matched (deny by default)")
        #expect(decision.requiresAudit)
    }

    @Test func allowsWithTheRuleAndItsQuotas() throws {
        let rule = Rule(
            id: "own", effect: .allow, subjects: Subjects(roles: [.operator]), actions: [.readElements],
            conditions: Conditions(ownedByCaller: true), quotas: small)
        let set = try PolicySet(rules: [rule])
        let decision = set.evaluate(principal: alice, action: .readElements, resource: ownObject, at: now)
        #expect(decision.isAllowed)
        #expect(decision.decidingRule?.id == "own")
        #expect(decision.quotas == small)
        #expect(decision.reason == "allowed by rule \"own\"")
        #expect(!decision.requiresAudit)
        #expect(!set.evaluate(principal: alice, action: .readElements, resource: otherObject, at: now).isAllowed)
        #expect(!set.evaluate(principal: alice, action: .readEphemeris, resource: ownObject, at: now).isAllowed)
    }

    @Test func anExplicitDenyWinsOverEveryAllow() throws {
        let allow = Rule(id: "a-allow", effect: .allow, subjects: Subjects(roles: [.operator]), actions: [.readCDM])
        let deny = Rule(
            id: "z-deny", effect: .deny, subjects: Subjects(users: ["alice"]), actions: [.readCDM],
            conditions: Conditions(objects: NORADIDSet([90000...90005])))
        let set = try PolicySet(rules: [allow, deny])
        let cdm = Resource(kind: .cdm, identifier: "CDM-1", noradIDs: [90001, 12345], ownerOrganisations: ["org-a"])
        let decision = set.evaluate(principal: alice, action: .readCDM, resource: cdm, at: now)
        #expect(decision.effect == .deny)
        #expect(decision.decidingRule?.id == "z-deny")
        #expect(decision.applicableRules.map(\.id) == ["z-deny", "a-allow"])
        #expect(decision.reason == "denied by rule \"z-deny\"")
        #expect(!set.allows(decision.request))
    }

    @Test func grantsTheMostGenerousQuotasOfTheApplicableAllows() throws {
        let first = Rule(
            id: "b", effect: .allow, subjects: Subjects(roles: [.operator]), actions: [.readElements], quotas: small)
        let second = Rule(
            id: "a", effect: .allow, subjects: Subjects(users: ["alice"]), actions: [.readElements], quotas: large)
        let decision = try PolicySet(rules: [first, second])
            .evaluate(principal: alice, action: .readElements, resource: ownObject, at: now)
        #expect(decision.decidingRule?.id == "a")
        #expect(
            decision.quotas
                == Quotas(
                    requestsPerMinute: .limited(100), requestsPerDay: .limited(10),
                    longestEphemerisSpanSeconds: .unlimited, mostObjectsPerBulkCall: .limited(5)))
    }

    @Test func everySubjectListMustMatch() {
        let subjects = Subjects(
            roles: [.partner, .operator], users: ["alice"], organisations: ["org-a"],
            authenticatedBy: [.clientCertificate])
        #expect(subjects.mismatch(for: alice) == .authenticationNotListed)
        var certified = alice
        certified.authenticatedBy = .clientCertificate
        #expect(subjects.mismatch(for: certified) == nil)
        #expect(subjects.mismatch(for: user("bob", "org-a", [.operator])) == .userNotListed)
        #expect(subjects.mismatch(for: user("alice", "org-b", [.operator])) == .organisationNotListed)
        #expect(subjects.mismatch(for: user("alice", "org-a", [.requester])) == .roleNotListed)
        #expect(Subjects().mismatch(for: alice) == nil)
    }

    @Test func relationConditionsAreTriState() {
        let request = { (conditions: Conditions, resource: Resource) in
            conditions.mismatch(
                for: AccessRequest(principal: self.alice, action: .readTDM, resource: resource, time: now))
        }
        let shared = Resource(kind: .tdm, marking: Marking("partners:org-c,org-a"), provider: "org-p")
        let mine = Resource(kind: .tdm, marking: .restricted, provider: "org-a")
        #expect(request(Conditions(sharedWithCaller: true), shared) == nil)
        #expect(request(Conditions(sharedWithCaller: false), shared) == .sharing(expected: false))
        #expect(request(Conditions(sharedWithCaller: true), mine) == .sharing(expected: true))
        #expect(request(Conditions(providedByCaller: true), mine) == nil)
        #expect(request(Conditions(providedByCaller: false), mine) == .provision(expected: false))
        #expect(request(Conditions(ownedByCaller: false), mine) == nil)
        #expect(request(Conditions(ownedByCaller: true), mine) == .ownership(expected: true))
        #expect(request(Conditions(providers: ["org-p"]), shared) == nil)
        #expect(request(Conditions(providers: ["org-p"]), Resource(kind: .tdm)) == .providerNotListed)
        #expect(request(Conditions(markings: [.partners]), shared) == nil)
        #expect(request(Conditions(markings: [.public]), Resource(kind: .tdm)) == .markingNotListed)
    }

    @Test func timeConditionsTestTheDataWindowAndTheRequestTime() {
        let june = TimeWindow(
            from: Date(timeIntervalSince1970: 1_748_736_000), until: Date(timeIntervalSince1970: 1_751_327_999))
        let inside = Resource(kind: .tdm, dataWindow: DateInterval(start: now, duration: 3600))
        let straddling = Resource(kind: .tdm, dataWindow: DateInterval(start: now, duration: 40 * 86400))
        let check = { (conditions: Conditions, resource: Resource, time: Date) in
            conditions.mismatch(
                for: AccessRequest(principal: self.alice, action: .readTDM, resource: resource, time: time))
        }
        #expect(check(Conditions(timeWindow: june), inside, now) == nil)
        #expect(check(Conditions(timeWindow: june), straddling, now) == .outsideTimeWindow)
        #expect(check(Conditions(timeWindow: june), Resource(kind: .tdm), now) == .outsideTimeWindow)
        #expect(check(Conditions(valid: june), inside, now) == nil)
        #expect(check(Conditions(valid: june), inside, now.addingTimeInterval(30 * 86400)) == .outsideValidity)
        #expect(check(Conditions(valid: TimeWindow(until: now)), inside, now) == nil)
    }

    @Test func parsesMarkings() {
        #expect(Marking("public") == .public)
        #expect(Marking("operators") == .operators)
        #expect(Marking("restricted") == .restricted)
        #expect(Marking("partners:b, a") == .partners(["a", "b"]))
        #expect(Marking("partners:b,a")?.description == "partners:a,b")
        #expect(Marking("partners:") == nil)
        #expect(Marking("partners:a,,b") == nil)
        #expect(Marking("secret") == nil)
    }

    @Test func rejectsRulesSharingAnID() {
        let rule = Rule(id: "x", effect: .deny, subjects: Subjects(), actions: [.admin])
        let error = #expect(throws: PolicyLoadError.self) { try PolicySet(rules: [rule, rule]) }
        #expect(error?.problems.map(\.code) == [.duplicateRuleID])
    }

    @Test func explainsEveryRuleCoveringTheAction() throws {
        let set = try PolicySet(rules: [
            Rule(
                id: "own", effect: .allow, subjects: Subjects(roles: [.operator]), actions: [.readElements],
                conditions: Conditions(ownedByCaller: true), quotas: small),
            Rule(
                id: "partners", effect: .allow, subjects: Subjects(roles: [.partner]), actions: [.readElements],
                quotas: small),
            Rule(id: "cdm", effect: .allow, subjects: Subjects(roles: [.operator]), actions: [.readCDM], quotas: small),
        ])
        let explanation = set.explain(
            AccessRequest(principal: alice, action: .readElements, resource: otherObject, time: now))
        #expect(explanation.decision.effect == .deny)
        #expect(explanation.verdicts.map(\.rule.id) == ["own", "partners"])
        #expect(explanation.verdicts.map(\.mismatch) == [.ownership(expected: true), .roleNotListed])
        let text = explanation.description
        #expect(
            text.hasPrefix("DENY read:elements by alice (organisation org-a, roles operator, api-key) on object 90011"))
        #expect(text.contains("no rule matched (deny by default)"))
        #expect(text.contains("allow \"own\": does not apply: not owned by the caller's organisation"))
        #expect(text.contains("allow \"partners\": does not apply: caller holds none of the roles"))
        #expect(!text.contains("\"cdm\""))
    }

    @Test func auditsWritesAndDenialsOnly() throws {
        let set = try PolicySet(rules: [
            Rule(id: "all", effect: .allow, subjects: Subjects(), actions: Set(Action.allCases), quotas: small)
        ])
        for action in Action.allCases {
            let decision = set.evaluate(principal: alice, action: action, resource: .service, at: now)
            #expect(decision.isAllowed)
            #expect(decision.requiresAudit == action.isWrite)
        }
        #expect(
            Set(Action.allCases.filter(\.isWrite))
                == Set([.submitTDM, .requestObservation, .admin, .ingest] + Action.subscribeActions))
    }

    @Test func hidesOnlyWhatEveryApplicableAllowRuleHides() throws {
        let subjects = Subjects(roles: [.operator])
        let hidesBoth = Rule(
            id: "a", effect: .allow, subjects: subjects, actions: [.readCDM], quotas: .unlimited,
            hiddenFields: [.covariance, .operatorContacts])
        let hidesCovariance = Rule(
            id: "b", effect: .allow, subjects: subjects, actions: [.readCDM], quotas: .unlimited,
            hiddenFields: [.covariance])
        let hidesNothing = Rule(id: "c", effect: .allow, subjects: subjects, actions: [.readCDM], quotas: .unlimited)
        let principal = Principal(userName: "u", organisation: "o", roles: [.operator], authenticatedBy: .apiKey)
        func hidden(_ rules: [Rule]) throws -> Set<HiddenField> {
            try PolicySet(rules: rules).evaluate(
                principal: principal, action: .readCDM, resource: Resource(kind: .cdm), at: Date()
            ).hiddenFields
        }
        #expect(try hidden([hidesBoth]) == [.covariance, .operatorContacts])
        #expect(try hidden([hidesBoth, hidesCovariance]) == [.covariance])
        #expect(try hidden([hidesBoth, hidesCovariance, hidesNothing]).isEmpty)
    }
}
