import Foundation
import Testing

@testable import Policy

private let now = Date(timeIntervalSince1970: 1_750_000_000)

/// The demo users of DESIGN §6: one user per organisation, same name.
private func demo(_ name: String, _ role: Role) -> Principal {
    Principal(userName: name, organisation: name, roles: [role], authenticatedBy: .apiKey)
}

@Suite struct DefaultPolicyTests {
    let policy: PolicySet
    let operatorA = demo("operator-a", .operator)
    let operatorB = demo("operator-b", .operator)
    let partner1 = demo("partner-1", .partner)
    let partner2 = demo("partner-2", .partner)
    let requester = demo("requester", .requester)
    let admin = demo("admin", .admin)
    let backend = demo("backend", .backend)

    let ownRestricted = Resource.object(noradID: 90001, owner: "operator-a", marking: .restricted)
    let othersRestricted = Resource.object(noradID: 90011, owner: "operator-b", marking: .restricted)
    let othersOperators = Resource.object(noradID: 90012, owner: "operator-b", marking: .operators)
    let publicObject = Resource.object(noradID: 90500, owner: nil, marking: .public)
    let partner1TDM = Resource(
        kind: .tdm, identifier: "TDM-1", noradIDs: [90500], marking: .partners(["partner-2"]), provider: "partner-1")

    init() throws {
        policy = try PolicyLoader.load(directory: PolicyFixtures.repositoryPolicies)
    }

    private func decide(_ principal: Principal, _ action: Action, _ resource: Resource) -> Decision {
        policy.evaluate(principal: principal, action: action, resource: resource, at: now)
    }

    @Test func operatorsReadPublicOwnAndOperatorsMarkedObjects() {
        for action in [Action.readElements, .readEphemeris] {
            #expect(decide(operatorA, action, ownRestricted).decidingRule?.id == "operator-own-objects")
            #expect(decide(operatorA, action, publicObject).decidingRule?.id == "public-elements-and-ephemerides")
            #expect(decide(operatorA, action, othersOperators).decidingRule?.id == "operator-shared-objects")
            let denied = decide(operatorA, action, othersRestricted)
            #expect(!denied.isAllowed)
            #expect(denied.decidingRule?.id == "restricted-stays-with-owner")
        }
    }

    @Test func operatorsReadConjunctionsOfTheirOwnObjectsOnly() {
        let mixed = Resource(
            kind: .cdm, identifier: "CDM-7", noradIDs: [90001, 90011],
            ownerOrganisations: ["operator-a", "operator-b"],
            marking: .restricted)
        let foreign = Resource(
            kind: .cdm, identifier: "CDM-8", noradIDs: [90011, 90500], ownerOrganisations: ["operator-b"],
            marking: .operators)
        #expect(decide(operatorA, .readCDM, mixed).isAllowed)
        #expect(decide(operatorB, .readCDM, mixed).isAllowed)
        #expect(!decide(operatorA, .readCDM, foreign).isAllowed)
        #expect(decide(operatorA, .readCDM, foreign).decidingRule == nil)
        #expect(!decide(partner1, .readCDM, mixed).isAllowed)
    }

    @Test func partnerMeasurementsAreSharedAsMarked() {
        #expect(decide(partner1, .readTDM, partner1TDM).decidingRule?.id == "partner-reads-own-tdms")
        #expect(decide(partner2, .readTDM, partner1TDM).decidingRule?.id == "partner-reads-shared-tdms")
        #expect(!decide(operatorA, .readTDM, partner1TDM).isAllowed)
        #expect(!decide(requester, .readTDM, partner1TDM).isAllowed)
        let restricted = Resource(kind: .tdm, identifier: "TDM-2", marking: .restricted, provider: "partner-1")
        #expect(decide(partner1, .readTDM, restricted).isAllowed)
        #expect(decide(partner2, .readTDM, restricted).decidingRule?.id == "restricted-stays-with-owner")
    }

    @Test func partnersSubmitUnderTheirOwnNameOnly() {
        let upload = Resource(kind: .tdm, marking: .partners(["partner-2"]), provider: "partner-1")
        let decision = decide(partner1, .submitTDM, upload)
        #expect(decision.isAllowed)
        #expect(decision.requiresAudit)
        #expect(decision.quotas?.requestsPerMinute == .limited(60))
        #expect(decision.quotas?.longestEphemerisSpanSeconds == .limited(604800))
        #expect(!decide(partner2, .submitTDM, upload).isAllowed)
        #expect(!decide(operatorA, .submitTDM, upload).isAllowed)
    }

    @Test func requestersTaskPublicObjectsWithinTightQuotas() {
        let request = Resource(kind: .observationRequest, noradIDs: [90500], marking: .public)
        let decision = decide(requester, .requestObservation, request)
        #expect(decision.isAllowed)
        #expect(
            decision.quotas
                == Quotas(
                    requestsPerMinute: .limited(10), requestsPerDay: .limited(200),
                    longestEphemerisSpanSeconds: .limited(259200), mostObjectsPerBulkCall: .limited(1000),
                    tasking: TaskingQuotas(
                        openRequests: .limited(10), requestsPerDay: .limited(20), tracksPerDay: .limited(60),
                        longestWindowDays: .limited(7), highestPriority: .urgent)))
        #expect(!decide(requester, .requestObservation, othersRestricted).isAllowed)
        #expect(!decide(requester, .readElements, othersOperators).isAllowed)
        #expect(decide(requester, .readElements, publicObject).isAllowed)
    }

    @Test func adminReadsEverythingAndTheBackendOnlyIngests() {
        let decision = decide(admin, .readEphemeris, othersRestricted)
        #expect(decision.isAllowed)
        #expect(decision.quotas?.longestEphemerisSpanSeconds == .unlimited)
        #expect(decide(admin, .admin, .service).isAllowed)
        #expect(!decide(admin, .submitTDM, partner1TDM).isAllowed)
        #expect(decide(backend, .ingest, Resource(kind: .product)).isAllowed)
        for action in Action.allCases where action != .ingest {
            #expect(!decide(backend, action, publicObject).isAllowed)
        }
        for principal in [operatorA, partner1, requester, admin] {
            #expect(!decide(principal, .ingest, Resource(kind: .product)).isAllowed)
        }
    }

    @Test func subscriptionsFollowRoles() {
        #expect(decide(operatorA, .subscribeCDM, .service).isAllowed)
        #expect(!decide(operatorA, .subscribeTDM, .service).isAllowed)
        #expect(decide(partner2, .subscribeTDM, .service).isAllowed)
        #expect(!decide(partner2, .subscribeCDM, .service).isAllowed)
        #expect(!decide(requester, .subscribeCDM, .service).isAllowed)
        for principal in [operatorA, partner2, requester] {
            #expect(decide(principal, .subscribeElements, .service).isAllowed)
            #expect(decide(principal, .subscribeObservationRequest, .service).isAllowed)
            #expect(!decide(principal, .subscribeProduct, .service).isAllowed)
        }
        for action in Action.subscribeActions {
            #expect(decide(admin, action, .service).isAllowed)
            #expect(!decide(backend, action, .service).isAllowed)
        }
        #expect(!decide(operatorA, .admin, .service).isAllowed)
    }
}
