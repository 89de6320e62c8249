/// One thing wrong with the policy files.
public struct PolicyProblem: Sendable, Hashable, CustomStringConvertible {
    /// What kind of mistake; stable identifiers for tests and tools.
    public enum Code: String, Sendable, Hashable {
        /// The file is not well-formed YAML.
        case syntax
        /// A key the format does not define here (a typo, or a key at the wrong level).
        case unknownKey
        /// A required key is absent.
        case missingKey
        /// A value of the wrong YAML type (a list where a mapping is expected, a number where text is …).
        case wrongType
        /// A value of the right type that is not allowed (an unknown action or role, a zero quota, a bad date …).
        case invalidValue
        /// Two rules share an id.
        case duplicateRuleID
        /// A file or the directory cannot be read.
        case unreadable
        /// The directory holds no `.yaml` or `.yml` file.
        case noPolicyFiles
    }

    /// What kind of mistake.
    public var code: Code
    /// What is wrong and how to fix it, in one sentence.
    public var message: String
    /// Where; nil when not tied to a place (an unreadable directory, rules built in code).
    public var location: PolicySourceLocation?

    /// Creates a problem.
    public init(_ code: Code, _ message: String, at location: PolicySourceLocation? = nil) {
        self.code = code
        self.message = message
        self.location = location
    }

    /// `FILE:LINE:COL: error: MESSAGE`, as `essor validate` prints.
    public var description: String {
        (location.map { "\($0): " } ?? "") + "error: " + message
    }
}

/// The policy files cannot be loaded; nothing of them is used. Carries every problem found, in file order.
public struct PolicyLoadError: Error, Sendable, CustomStringConvertible {
    /// The problems, ordered by file, line and column.
    public var problems: [PolicyProblem]

    /// Creates the error.
    public init(_ problems: [PolicyProblem]) {
        self.problems = problems
    }

    /// All problems, one per line.
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
