/// A place in an input file: 1-based line and column.
public struct SourceLocation: Sendable, Equatable, Comparable, CustomStringConvertible {
    /// The line, from 1.
    public var line: Int
    /// The column, from 1 (in bytes).
    public var column: Int

    /// Creates a location.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// `LINE:COL`.
    public var description: String { "\(line):\(column)" }

    /// Orders by line, then column.
    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}

/// One problem found while reading or validating a message.
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
    /// How serious the problem is.
    public enum Severity: String, Sendable {
        /// The message breaks the standard: strict reading rejects it.
        case error
        /// A common deviation accepted in lenient mode, or a value outside a registry that may have grown.
        case warning
    }

    /// What kind of rule was broken; stable identifiers for tests and tools.
    public enum Code: String, Sendable {
        /// The bytes cannot be read as the encoding (not KVN, not well-formed XML, not JSON).
        case syntax
        /// The message type or version is not recognised.
        case unsupportedMessage
        /// A keyword the standard does not define here.
        case unknownKeyword
        /// A keyword out of the standard's order.
        case keywordOrder
        /// A keyword given twice.
        case duplicateKeyword
        /// A required keyword or block is absent.
        case missingKeyword
        /// A value that does not parse as its kind (number, epoch …).
        case invalidValue
        /// A value outside the allowed list or range.
        case valueOutOfRange
        /// A unit that is not the one the standard shows.
        case invalidUnit
        /// A structural rule (delimiters, segment counts, block order).
        case structure
        /// A rule linking several values (epochs inside START/STOP_TIME, covariance size …).
        case consistency
        /// A value the target encoding cannot carry (e.g. a catalogue number above 339999 in a TLE).
        case notRepresentable
    }

    /// Error or warning.
    public var severity: Severity
    /// The rule broken.
    public var code: Code
    /// What is wrong and what was expected, in one sentence.
    public var message: String
    /// Where (nil when the problem is not tied to a place, e.g. a model built in memory).
    public var location: SourceLocation?
    /// The keyword concerned, if any.
    public var keyword: String?

    /// Creates a diagnostic.
    public init(
        _ severity: Severity, _ code: Code, _ message: String, at location: SourceLocation? = nil,
        keyword: String? = nil
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location
        self.keyword = keyword
    }

    /// `LINE:COL: error: MESSAGE` (without the file name).
    public var description: String {
        let place = location.map { "\($0): " } ?? ""
        return "\(place)\(severity.rawValue): \(message)"
    }
}

/// Reading failed: the message is not valid. Carries every problem found (errors and warnings), in file order.
public struct ValidationError: Error, Sendable, CustomStringConvertible {
    /// The problems, errors and warnings, in file order.
    public var diagnostics: [Diagnostic]

    /// Creates the error.
    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    /// The first error, for short messages.
    public var firstError: Diagnostic? { diagnostics.first { $0.severity == .error } }

    /// All problems, one per line.
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// How strictly a reader applies the standard.
public enum Strictness: Sendable {
    /// The standard's rules: any deviation is an error.
    case strict
    /// Common real-world deviations (lower-case values, missing or mis-cased units, empty values, Space-Track
    /// style `nil`) are warnings.
    case lenient
}
