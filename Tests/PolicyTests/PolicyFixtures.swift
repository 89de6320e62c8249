import Foundation

@testable import Policy

/// Where test inputs live: this target's fixtures and the repository's `policies/`.
enum PolicyFixtures {
    /// `Tests/PolicyTests/Fixtures`.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    /// The repository's `policies/` folder.
    static let repositoryPolicies = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("policies")

    /// A fixture file as a ``PolicyFile`` named by its file name.
    static func file(_ relativePath: String) throws -> PolicyFile {
        let url = fixtures.appendingPathComponent(relativePath)
        return PolicyFile(name: url.lastPathComponent, contents: try String(contentsOf: url, encoding: .utf8))
    }

    /// One expected problem of an invalid fixture.
    struct ExpectedProblem: Hashable, Comparable, CustomStringConvertible {
        var line: Int
        var code: String
        static func < (lhs: Self, rhs: Self) -> Bool { (lhs.line, lhs.code) < (rhs.line, rhs.code) }
        var description: String { "\(line) \(code)" }
    }

    /// The rows of `invalid/expected.txt`, grouped by file name.
    static let invalidExpectations: [String: [ExpectedProblem]] = {
        let text =
            (try? String(contentsOf: fixtures.appendingPathComponent("invalid/expected.txt"), encoding: .utf8)) ?? ""
        var rows: [String: [ExpectedProblem]] = [:]
        for row in text.split(separator: "\n") where !row.hasPrefix("#") {
            let parts = row.split(separator: " ").map(String.init)
            guard parts.count == 3, let line = Int(parts[1]) else { continue }
            rows[parts[0], default: []].append(ExpectedProblem(line: line, code: parts[2]))
        }
        return rows
    }()

    /// The invalid fixture file names, sorted.
    static var invalidFiles: [String] {
        let names =
            (try? FileManager.default.contentsOfDirectory(atPath: fixtures.appendingPathComponent("invalid").path))
            ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }
}
