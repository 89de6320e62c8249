import CCSDS
import Foundation
import Policy

/// Turns submitted bytes into a `Product` ready to store: strict validation by the CCSDS library (KVN or XML;
/// the project's JSON is for reading, not for submissions), the facts the store indexes, and provenance.
public struct ProductSubmission: Sendable {
    /// Who submits (user name).
    public var submitter: String
    /// The organisation providing the data.
    public var provider: String
    /// The sensor or originator named by the submitter; the message's `ORIGINATOR` when nil.
    public var source: String?
    /// The sharing marking.
    public var marking: Marking
    /// The data mode.
    public var dataMode: DataMode
    /// When the gateway received it.
    public var received: Date

    /// Creates a submission's provenance.
    public init(
        submitter: String, provider: String, source: String? = nil, marking: Marking, dataMode: DataMode = .real,
        received: Date = Date()
    ) {
        self.submitter = submitter
        self.provider = provider
        self.source = source
        self.marking = marking
        self.dataMode = dataMode
        self.received = received
    }

    /// Reads and checks `bytes`; `kinds` limits the accepted message types (a TDM upload takes only TDMs).
    public static func parse(
        _ bytes: [UInt8], accepting kinds: Set<ProductKind> = Set(ProductKind.allCases)
    ) throws(ProductSubmissionError) -> ParsedProduct {
        guard !bytes.isEmpty else { throw .empty }
        let encoding = Encoding.detect(bytes)
        guard encoding != .json else { throw .unsupportedEncoding }
        let message: Message
        do {
            message = try MessageReader.message(from: bytes, encoding: encoding, strictness: .strict)
        } catch {
            throw .invalid(error.diagnostics.filter { $0.severity == .error })
        }
        let facts = ProductFacts(message: message)
        guard kinds.contains(facts.kind) else {
            throw .unexpectedType(found: message.type.rawValue, accepted: kinds.map(\.rawValue).sorted())
        }
        return ParsedProduct(bytes: bytes, encoding: encoding, message: message, facts: facts)
    }

    /// The product to store: `parsed` with this provenance; `ownerOrganisations` are the organisations owning the
    /// catalogue objects it concerns (looked up by the caller).
    public func product(_ parsed: ParsedProduct, ownerOrganisations: [String]) -> Product {
        let facts = parsed.facts
        return Product(
            id: nil, kind: facts.kind, encoding: parsed.encoding == .xml ? "xml" : "kvn", bytes: parsed.bytes,
            message: parsed.message, contentHash: Product.contentHash(of: parsed.bytes), submitter: submitter,
            provider: provider, source: source ?? facts.originator, created: facts.created, received: received,
            marking: marking, dataMode: dataMode, noradIDs: facts.noradIDs,
            ownerOrganisations: Array(Set(ownerOrganisations)).sorted(), participants: facts.participants,
            timeStart: facts.timeStart, timeStop: facts.timeStop, collisionProbability: facts.collisionProbability,
            missDistanceMetres: facts.missDistanceMetres, recordCount: facts.recordCount)
    }
}

/// A submission read and checked: the bytes, their encoding, the message and its facts.
public struct ParsedProduct: Sendable {
    /// The bytes as received.
    public var bytes: [UInt8]
    /// KVN or XML.
    public var encoding: Encoding
    /// The parsed message.
    public var message: Message
    /// What the store indexes.
    public var facts: ProductFacts
}

/// Why a submission is refused. Nothing is stored.
public enum ProductSubmissionError: Error, Sendable, Equatable {
    /// No bytes.
    case empty
    /// JSON (or another encoding) where KVN or XML is expected.
    case unsupportedEncoding
    /// The message breaks the standard: the errors, each with its line and column.
    case invalid([Diagnostic])
    /// A message of a type this route does not take.
    case unexpectedType(found: String, accepted: [String])

    /// A sentence for the problem's detail.
    public var description: String {
        switch self {
        case .empty: "the body is empty: send a CCSDS message in KVN or XML"
        case .unsupportedEncoding: "submissions are KVN or XML (the JSON encoding is for reading)"
        case .invalid(let diagnostics):
            diagnostics.first.map { first in
                (first.location.map { "line \($0.line): " } ?? "") + first.message
                    + (diagnostics.count > 1 ? " (and \(diagnostics.count - 1) more)" : "")
            }
                ?? "the message is not valid"
        case .unexpectedType(let found, let accepted):
            "a \(found) was sent; this route accepts " + accepted.joined(separator: ", ")
        }
    }
}
