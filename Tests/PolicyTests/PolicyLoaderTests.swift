import Foundation
import Testing

@testable import Policy

@Suite struct PolicyLoaderTests {
    @Test func loadsADirectoryOfValidFilesInNameOrder() throws {
        let set = try PolicyLoader.load(directory: PolicyFixtures.fixtures.appendingPathComponent("valid"))
        #expect(
            set.rules.map(\.id) == [
                "readers-own-restricted", "readers-public", "writers-deny-restricted", "writers-partner",
            ])
        #expect(set.revision.count == 16)
        let readers = try #require(set.rules.first { $0.id == "readers-public" })
        #expect(readers.source?.file.hasSuffix("valid/10-readers.yaml") == true)
        #expect(readers.source?.line == 10)
        #expect(readers.source?.column == 5)
        #expect(readers.description == "Quoted text, a flow list and a block list.")
        #expect(readers.effect == .allow)
        #expect(readers.subjects.roles == [.operator, .requester])
        #expect(readers.subjects.authenticatedBy == [.apiKey, .clientCertificate])
        #expect(readers.subjects.users == nil)
        #expect(readers.actions == [.readElements, .readEphemeris])
        #expect(readers.conditions.markings == [.public, .operators])
        #expect(readers.conditions.objects == NORADIDSet([90001...90001, 90011...90020, 25544...25544]))
        let from = try Date("2025-01-01T00:00:00Z", strategy: .iso8601)
        #expect(readers.conditions.timeWindow?.from == from)
        #expect(readers.conditions.timeWindow?.until == from.addingTimeInterval(365 * 86400 - 0.5))
        #expect(readers.conditions.valid?.from == nil)
        let validUntil = try Date("2029-12-31T22:00:00Z", strategy: .iso8601)
        #expect(readers.conditions.valid?.until == validUntil)
        #expect(
            readers.quotas
                == Quotas(
                    requestsPerMinute: .limited(100), requestsPerDay: .limited(1000),
                    longestEphemerisSpanSeconds: .limited(86400), mostObjectsPerBulkCall: .limited(50)))
    }

    @Test func fillsAbsentQuotasFromTheFileDefaultsOnly() throws {
        let set = try PolicyLoader.load(directory: PolicyFixtures.fixtures.appendingPathComponent("valid"))
        let own = try #require(set.rules.first { $0.id == "readers-own-restricted" })
        #expect(own.subjects.organisations == ["operator-a"])
        #expect(own.subjects.users == ["operator-a", "1234"])
        #expect(own.conditions.ownedByCaller == true)
        #expect(own.conditions.providedByCaller == false)
        #expect(own.conditions.sharedWithCaller == false)
        #expect(own.conditions.providers == ["backend"])
        #expect(
            own.quotas
                == Quotas(
                    requestsPerMinute: .unlimited, requestsPerDay: .limited(1000),
                    longestEphemerisSpanSeconds: .limited(86400), mostObjectsPerBulkCall: .limited(5)))
        // The other file's defaults do not leak into 20-writers.yaml, whose deny rule has no quotas.
        let deny = try #require(set.rules.first { $0.id == "writers-deny-restricted" })
        #expect(deny.quotas == nil)
        #expect(deny.effect == .deny)
    }

    @Test(arguments: PolicyFixtures.invalidFiles)
    func reportsEveryProblemOfAnInvalidFileWithItsLine(_ name: String) throws {
        let expected = try #require(PolicyFixtures.invalidExpectations[name], "no row in expected.txt for \(name)")
        let error = try #require(throws: PolicyLoadError.self) {
            try PolicyLoader.load(files: [try PolicyFixtures.file("invalid/" + name)])
        }
        let found = error.problems.map {
            PolicyFixtures.ExpectedProblem(line: $0.location?.line ?? 0, code: $0.code.rawValue)
        }
        #expect(found.sorted() == expected.sorted(), "\(error)")
        for problem in error.problems {
            #expect(problem.location?.file == name)
            #expect(problem.description.hasPrefix("\(name):\(problem.location?.line ?? 0):"))
        }
    }

    @Test func everyInvalidFixtureHasExpectations() {
        #expect(Set(PolicyFixtures.invalidFiles) == Set(PolicyFixtures.invalidExpectations.keys))
    }

    @Test func namesTheUnknownKeyAndTheKeysAllowed() throws {
        let error = try #require(throws: PolicyLoadError.self) {
            try PolicyLoader.load(files: [try PolicyFixtures.file("invalid/unknown-key-in-who.yaml")])
        }
        let problem = try #require(error.problems.first)
        #expect(problem.location == PolicySourceLocation(file: "unknown-key-in-who.yaml", line: 7, column: 7))
        #expect(problem.message.contains("\"organization\""))
        #expect(problem.message.contains("organisations"))
        #expect(
            problem.description
                == "unknown-key-in-who.yaml:7:7: error: unknown key \"organization\" in who; expected one of roles, "
                + "users, organisations, authenticated_by")
    }

    @Test func rejectsTheWholeSetWhenOneFileIsBad() throws {
        let good = try PolicyFixtures.file("valid/20-writers.yaml")
        let bad = try PolicyFixtures.file("invalid/unknown-key-in-rule.yaml")
        let error = try #require(throws: PolicyLoadError.self) { try PolicyLoader.load(files: [good, bad]) }
        #expect(error.problems.map(\.code) == [.unknownKey])
    }

    @Test func rejectsARuleIDRepeatedAcrossFiles() throws {
        let file = try PolicyFixtures.file("valid/20-writers.yaml")
        let copy = PolicyFile(name: "30-copy.yaml", contents: file.contents)
        let error = try #require(throws: PolicyLoadError.self) { try PolicyLoader.load(files: [file, copy]) }
        #expect(error.problems.map(\.code) == [.duplicateRuleID, .duplicateRuleID])
        #expect(error.problems.allSatisfy { $0.location?.file == "30-copy.yaml" })
        #expect(error.problems[0].message.contains("20-writers.yaml:3:5"))
    }

    @Test func rejectsADirectoryWithoutPolicyFiles() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("essor-policy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let error = try #require(throws: PolicyLoadError.self) { try PolicyLoader.load(directory: empty) }
        #expect(error.problems.map(\.code) == [.noPolicyFiles])
        let missing = try #require(throws: PolicyLoadError.self) {
            try PolicyLoader.load(directory: empty.appendingPathComponent("absent"))
        }
        #expect(missing.problems.map(\.code) == [.unreadable])
    }

    @Test func loadingTwiceGivesTheSameRulesAndRevision() throws {
        let first = try PolicyLoader.load(directory: PolicyFixtures.repositoryPolicies)
        let second = try PolicyLoader.load(directory: PolicyFixtures.repositoryPolicies)
        #expect(first.rules == second.rules)
        #expect(first.revision == second.revision)
        let changed = try PolicyLoader.load(files: [PolicyFile(name: "x.yaml", contents: "version: 1\nrules: []\n")])
        #expect(changed.revision != first.revision)
        #expect(changed.rules.isEmpty)
    }

    @Test func loadsTheDefaultPolicyButNotTheExamples() throws {
        let set = try PolicyLoader.load(directory: PolicyFixtures.repositoryPolicies)
        #expect(set.rules.count >= 10)
        #expect(set.rules.allSatisfy { $0.source?.file.hasSuffix("policies/default.yaml") == true })
        #expect(set.rules.allSatisfy { ($0.effect == .allow) == ($0.quotas != nil) })
    }

    @Test(arguments: ["partner-embargo.yaml", "single-user.yaml"])
    func loadsEachExample(_ name: String) throws {
        let url = PolicyFixtures.repositoryPolicies.appendingPathComponent("examples/" + name)
        let set = try PolicyLoader.load(files: [
            PolicyFile(name: name, contents: try String(contentsOf: url, encoding: .utf8))
        ])
        #expect(!set.rules.isEmpty)
    }

    @Test func readsHideFieldsOnAllowRulesOnly() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("essor-hide-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let allow = """
            version: 1
            rules:
              - id: ops
                effect: allow
                who: {roles: [operator]}
                actions: [read:cdm]
                quotas: {requests_per_minute: 1, requests_per_day: 1, longest_ephemeris_span_seconds: 1, most_objects_per_bulk_call: 1}
                hide_fields: [covariance, operator_contacts]
            """
        try allow.write(to: directory.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        let policy = try PolicyLoader.load(directory: directory)
        #expect(policy.rules.first?.hiddenFields == [.covariance, .operatorContacts])
        let deny = """
            version: 1
            rules:
              - id: no
                effect: deny
                who: {roles: [operator]}
                actions: [read:cdm]
                hide_fields: [covariance]
            """
        try deny.write(to: directory.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        #expect { try PolicyLoader.load(directory: directory) } throws: { error in
            (error as? PolicyLoadError)?.problems.contains { $0.message.contains("hide_fields") && $0.location?.line == 7 }
                == true
        }
    }
}
