import Foundation
import Testing

@testable import Policy

/// The observation-request limits of a policy (issue 11 §1): optional keys with conservative defaults, merged
/// like every other quota, refused with file:line when malformed.
@Suite struct TaskingQuotaTests {
    func load(_ quotas: String) throws(PolicyLoadError) -> PolicySet {
        try PolicyLoader.load(files: [
            PolicyFile(
                name: "tasking.yaml",
                contents: """
                    version: 1
                    defaults:
                      quotas: {requests_per_minute: 10, requests_per_day: 10, longest_ephemeris_span_seconds: 10, most_objects_per_bulk_call: 10}
                    rules:
                      - id: tasking
                        effect: allow
                        who: {roles: [requester]}
                        actions: [request:observation]
                        quotas: {\(quotas)}
                    """)
        ])
    }

    @Test func unstatedLimitsTakeTheStandardValues() throws {
        let rule = try load("").rules[0]
        #expect(rule.quotas?.tasking == .standard)
    }

    @Test func statedLimitsAreRead() throws {
        let rule = try load(
            "open_observation_requests: 3, observation_requests_per_day: unlimited, observation_tracks_per_day: 9, "
                + "longest_observation_window_days: 2, highest_observation_priority: emergency"
        ).rules[0]
        #expect(
            rule.quotas?.tasking
                == TaskingQuotas(
                    openRequests: .limited(3), requestsPerDay: .unlimited, tracksPerDay: .limited(9),
                    longestWindowDays: .limited(2), highestPriority: .emergency))
    }

    @Test func aBadPriorityIsRefusedWithItsLine() {
        do {
            _ = try load("highest_observation_priority: asap")
            Issue.record("loaded")
        } catch {
            #expect(error.problems.count == 1)
            #expect(error.problems[0].location?.line == 9)
            #expect(error.description.contains("routine, urgent or emergency"))
        }
    }

    @Test func mergingTakesTheMostGenerousOfEach() {
        let a = TaskingQuotas(
            openRequests: .limited(3), requestsPerDay: .unlimited, tracksPerDay: .limited(9), longestWindowDays: .limited(2),
            highestPriority: .routine)
        let b = TaskingQuotas(
            openRequests: .limited(5), requestsPerDay: .limited(1), tracksPerDay: .limited(1), longestWindowDays: .limited(7),
            highestPriority: .urgent)
        #expect(
            a.mostGenerous(with: b)
                == TaskingQuotas(
                    openRequests: .limited(5), requestsPerDay: .unlimited, tracksPerDay: .limited(9),
                    longestWindowDays: .limited(7), highestPriority: .urgent))
        #expect(ObservationPriority.routine < .urgent && ObservationPriority.urgent < .emergency)
    }

    @Test func byDefaultOnlyRequestersAndAdministratorsTask() throws {
        let policy = try PolicyLoader.load(directory: PolicyFixtures.repositoryPolicies)
        let object = Resource.object(noradID: 90500, owner: nil, marking: .public)
        let owned = Resource.object(noradID: 90001, owner: "operator-a", marking: .restricted)
        func allowed(_ name: String, _ role: Role, _ resource: Resource) -> Bool {
            policy.allows(
                AccessRequest(
                    principal: Principal(userName: name, organisation: name, roles: [role], authenticatedBy: .apiKey),
                    action: .requestObservation, resource: resource, time: Date()))
        }
        #expect(allowed("requester", .requester, object))
        #expect(!allowed("requester", .requester, owned))
        #expect(allowed("admin", .admin, owned))
        #expect(!allowed("operator-a", .operator, owned))
        #expect(!allowed("partner-1", .partner, object))
        #expect(!allowed("backend", .backend, object))
        let admin = policy.evaluate(
            AccessRequest(
                principal: Principal(userName: "admin", organisation: "admin", roles: [.admin], authenticatedBy: .apiKey),
                action: .requestObservation, resource: object, time: Date()))
        #expect(admin.quotas?.tasking.highestPriority == .emergency)
    }
}
