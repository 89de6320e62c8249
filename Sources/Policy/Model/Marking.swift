import Foundation

/// The sharing marking carried by an object or a product: who beyond its owner may see it.
///
/// Textual forms: `public`, `operators`, `partners:<org>[,<org>…]`, `restricted`.
public enum Marking: Sendable, Hashable, CustomStringConvertible {
    /// Anyone with access to the gateway.
    case `public`
    /// Satellite operators.
    case operators
    /// The listed partner organisations.
    case partners(Set<String>)
    /// The owner (and whoever a rule names explicitly) only.
    case restricted

    /// The marking without its organisation list: what a rule's `markings` condition names.
    public enum Kind: String, Sendable, Hashable, CaseIterable, Comparable {
        /// `public`.
        case `public`
        /// `operators`.
        case operators
        /// `partners:<orgs>`, whatever the organisations.
        case partners
        /// `restricted`.
        case restricted

        /// Orders by raw value, for stable listings.
        public static func < (lhs: Kind, rhs: Kind) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// Parses the textual form; nil when it is none of the four (or `partners:` lists no organisation).
    public init?(_ text: String) {
        switch text {
        case "public": self = .public
        case "operators": self = .operators
        case "restricted": self = .restricted
        default:
            guard text.hasPrefix("partners:") else { return nil }
            let organisations = text.dropFirst("partners:".count).split(
                separator: ",", omittingEmptySubsequences: false
            )
            .map { $0.trimmingCharacters(in: .whitespaces) }
            guard !organisations.isEmpty, organisations.allSatisfy({ !$0.isEmpty }) else { return nil }
            self = .partners(Set(organisations))
        }
    }

    /// The kind of marking.
    public var kind: Kind {
        switch self {
        case .public: .public
        case .operators: .operators
        case .partners: .partners
        case .restricted: .restricted
        }
    }

    /// True when the marking shares with `organisation` by name (`partners:<orgs>` listing it).
    public func sharesWith(organisation: String) -> Bool {
        if case .partners(let organisations) = self { return organisations.contains(organisation) }
        return false
    }

    /// The textual form, organisations sorted.
    public var description: String {
        switch self {
        case .public: "public"
        case .operators: "operators"
        case .partners(let organisations): "partners:" + organisations.sorted().joined(separator: ",")
        case .restricted: "restricted"
        }
    }
}
