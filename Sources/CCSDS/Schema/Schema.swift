/// The shape of a CCSDS message, as data: which keywords a block holds, in which order, of which kind,
/// in which unit, and which blocks nest inside it.
///
/// One schema drives the KVN reader, the XML reader, the validator and all writers, so that the three encodings
/// cannot drift apart. The tables transcribe the NDM/XML 4.0.0 schemas (CCSDS 505.0-B-3) and the keyword tables of
/// ODM 3.0 (502.0-B-3), CDM 1.0 (508.0-B-1) and TDM 2.0 (503.0-B-2).

/// How a keyword's value is read, checked and written.
public enum ValueKind: Sendable, Equatable {
    /// Free text, kept as written (trimmed).
    case text
    /// A CCSDS epoch (`YYYY-MM-DDThh:mm:ss[.f…][Z]` or `YYYY-DDDThh:mm:ss[.f…][Z]`).
    case epoch
    /// A floating-point number, optionally bounded.
    case real(NumericRange = .any)
    /// An integer, optionally bounded.
    case integer(NumericRange = .any)
    /// One of a closed list of upper-case values.
    case enumeration([String])
    /// A closed list of values that the standard extends through a SANA registry: values outside the list are
    /// warnings, not errors (reference frames, centre bodies).
    case registry([String])
    /// Several numbers separated by blanks (e.g. a quaternion or a vector of `n` components).
    case vector(count: Int)
}

/// The closed interval a number must fall in, with open or closed ends.
public struct NumericRange: Sendable, Equatable {
    /// Lower bound, if any.
    public var lower: Double?
    /// Whether the lower bound itself is allowed.
    public var lowerInclusive: Bool
    /// Upper bound, if any.
    public var upper: Double?
    /// Whether the upper bound itself is allowed.
    public var upperInclusive: Bool

    /// Creates a range; omit a bound to leave that side open.
    public init(lower: Double? = nil, lowerInclusive: Bool = true, upper: Double? = nil, upperInclusive: Bool = true) {
        self.lower = lower
        self.lowerInclusive = lowerInclusive
        self.upper = upper
        self.upperInclusive = upperInclusive
    }

    /// Every number.
    public static let any = NumericRange()
    /// x ≥ 0.
    public static let nonNegative = NumericRange(lower: 0)
    /// x > 0.
    public static let positive = NumericRange(lower: 0, lowerInclusive: false)
    /// x ≤ 0.
    public static let nonPositive = NumericRange(upper: 0)
    /// 0 ≤ x ≤ 1 (a probability).
    public static let probability = NumericRange(lower: 0, upper: 1)
    /// 0 ≤ x ≤ 100 (a percentage).
    public static let percentage = NumericRange(lower: 0, upper: 100)
    /// −360 ≤ x < 360 (an angle in degrees, as `angleRange` in the NDM/XML common schema).
    public static let angle = NumericRange(lower: -360, upper: 360, upperInclusive: false)
    /// 0 ≤ x ≤ 180 (an inclination in degrees).
    public static let inclination = NumericRange(lower: 0, upper: 180)
    /// −90 ≤ x ≤ 90 (a latitude or elevation in degrees).
    public static let latitude = NumericRange(lower: -90, upper: 90)

    /// Whether `value` lies inside the range.
    public func contains(_ value: Double) -> Bool {
        if let lower, lowerInclusive ? value < lower : value <= lower { return false }
        if let upper, upperInclusive ? value > upper : value >= upper { return false }
        return true
    }

    /// The range in interval notation, for error messages.
    public var description: String {
        let low = lower.map { "\(lowerInclusive ? "[" : "(")\($0)" } ?? "(-inf"
        let high = upper.map { "\($0)\(upperInclusive ? "]" : ")")" } ?? "+inf)"
        return "\(low), \(high)"
    }
}

/// One keyword of a block.
public struct KeywordSpec: Sendable {
    /// The keyword, as written in KVN and as the XML element name.
    public let name: String
    /// How its value is read and checked.
    public let kind: ValueKind
    /// The units the standard allows for it (the first is written); empty for a dimensionless value.
    public let units: [String]
    /// Whether the block is invalid without it.
    public let required: Bool
    /// The first message version (major.minor as a number, e.g. 3.0) that has the keyword.
    public let since: Double
    /// The last message version that has the keyword (`.infinity`: still current).
    public let until: Double

    /// Creates a keyword specification.
    public init(
        _ name: String, _ kind: ValueKind, units: [String] = [], required: Bool = false, since: Double = 0,
        until: Double = .infinity
    ) {
        self.name = name
        self.kind = kind
        self.units = units
        self.required = required
        self.since = since
        self.until = until
    }

    /// Whether the keyword exists in message version `version`.
    public func exists(in version: Double) -> Bool { version >= since && version <= until }
}

/// A member of a block: a keyword, or a nested block that may repeat.
public enum MemberSpec: Sendable {
    /// A keyword.
    case keyword(KeywordSpec)
    /// A nested block, present between `min` and `max` times (`max == nil`: unbounded).
    case block(BlockSpec, min: Int, max: Int?)
}

/// A block of keywords (a header, metadata, a state vector, a maneuver …), with its nested blocks.
///
/// A block may begin with `COMMENT` lines when `allowsComments` is true. In KVN, nested blocks are written inline
/// (their keywords follow the parent's); in XML and JSON they are elements / objects named `name`.
public final class BlockSpec: Sendable {
    /// The XML element name and the JSON key.
    public let name: String
    /// Whether the block may begin with comments.
    public let allowsComments: Bool
    /// Keywords and nested blocks, in the order the standard prescribes.
    public let members: [MemberSpec]
    /// How the block is laid out in KVN when it is not a plain list of `KEY = value` lines.
    public let kvnLayout: KVNLayout
    /// Keywords whose name is not fixed: a prefix such as `USER_DEFINED_` (XML: `<USER_DEFINED parameter="X">`).
    public let userDefinedPrefix: String?

    /// Creates a block specification.
    public init(
        _ name: String, comments: Bool = true, kvnLayout: KVNLayout = .keywords, userDefinedPrefix: String? = nil,
        _ members: [MemberSpec]
    ) {
        self.name = name
        self.allowsComments = comments
        self.members = members
        self.kvnLayout = kvnLayout
        self.userDefinedPrefix = userDefinedPrefix
    }

    /// The keyword specification named `keyword`, directly in this block.
    public func keyword(_ keyword: String) -> KeywordSpec? {
        for case .keyword(let spec) in members where spec.name == keyword { return spec }
        return nil
    }

    /// Whether `keyword` belongs to this block or to one nested in it (at any depth).
    public func contains(_ keyword: Substring) -> Bool {
        if let prefix = userDefinedPrefix, keyword.hasPrefix(prefix) { return true }
        for member in members {
            switch member {
            case .keyword(let spec): if spec.name == keyword { return true }
            case .block(let block, _, _): if block.contains(keyword) { return true }
            }
        }
        return false
    }

    /// The names of all keywords directly in this block.
    public var keywordNames: [String] {
        members.compactMap { if case .keyword(let spec) = $0 { spec.name } else { nil } }
    }
}

/// How a block is written in KVN.
public enum KVNLayout: Sendable, Equatable {
    /// `KEY = value [unit]` lines.
    case keywords
    /// An OEM covariance matrix: `EPOCH` and `COV_REF_FRAME` lines, then the 6×6 lower triangle as 6 lines of
    /// numbers (CCSDS 502.0-B-3 §5.2.5).
    case lowerTriangle
}

/// Shorthand constructors used by the message tables.
extension MemberSpec {
    /// A required keyword.
    static func required(
        _ name: String, _ kind: ValueKind = .text, units: [String] = [], since: Double = 0,
        until: Double = .infinity
    ) -> MemberSpec {
        .keyword(KeywordSpec(name, kind, units: units, required: true, since: since, until: until))
    }
    /// An optional keyword.
    static func optional(
        _ name: String, _ kind: ValueKind = .text, units: [String] = [], since: Double = 0,
        until: Double = .infinity
    ) -> MemberSpec {
        .keyword(KeywordSpec(name, kind, units: units, required: false, since: since, until: until))
    }
    /// A nested block present exactly once.
    static func one(_ block: BlockSpec) -> MemberSpec { .block(block, min: 1, max: 1) }
    /// A nested block present at most once.
    static func maybe(_ block: BlockSpec) -> MemberSpec { .block(block, min: 0, max: 1) }
    /// A nested block present any number of times.
    static func many(_ block: BlockSpec, min: Int = 0) -> MemberSpec { .block(block, min: min, max: nil) }
}
