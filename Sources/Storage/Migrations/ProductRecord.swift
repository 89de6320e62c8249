import CCSDS
import Foundation
import GatewayCore
import Policy

/// A product's row as every engine writes and reads it: times in microseconds, the message in the project's JSON,
/// lists as JSON arrays (read back in order), the marking as text and its kind.
struct ProductRecord: Sendable {
    var kind: String
    var encoding: String
    var bytes: [UInt8]
    var messageJSON: String
    var contentHash: String
    var submitter: String
    var provider: String
    var source: String?
    var createdUS: Int64?
    var receivedUS: Int64
    var marking: String
    var markingKind: String
    var dataMode: String
    var noradIDs: [Int]
    var ownerOrganisations: [String]
    var participants: [String]
    var timeStartUS: Int64?
    var timeStopUS: Int64?
    var collisionProbability: Double?
    var missDistanceMetres: Double?
    var recordCount: Int

    /// The row of `product`, after the checks every engine applies (`ProductStore.storeProduct(_:)`).
    init(_ product: Product) throws(StoreError) {
        guard !product.submitter.isEmpty else { throw .invalid("a product needs a submitter") }
        guard !product.provider.isEmpty else { throw .invalid("a product needs a provider") }
        guard product.encoding == "kvn" || product.encoding == "xml" else {
            throw .invalid("a product's encoding is kvn or xml, not '\(product.encoding)'")
        }
        guard ProductKind(product.message.type) == product.kind else {
            throw .invalid("a \(product.kind.rawValue) product holds a \(product.message.type.rawValue) message")
        }
        guard product.contentHash == Product.contentHash(of: product.bytes) else {
            throw .invalid("the content hash '\(product.contentHash)' is not the SHA-256 of the product's bytes")
        }
        guard product.recordCount >= 0 else { throw .invalid("a product's record count cannot be negative") }
        kind = product.kind.rawValue
        encoding = product.encoding
        bytes = product.bytes
        messageJSON = String(decoding: JSONMessageWriter.write(product.message), as: UTF8.self)
        contentHash = product.contentHash
        submitter = product.submitter
        provider = product.provider
        source = product.source
        createdUS = product.created.map(StoreTime.microseconds)
        receivedUS = StoreTime.microseconds(product.received)
        marking = product.marking.description
        markingKind = product.marking.kind.rawValue
        dataMode = product.dataMode.rawValue
        noradIDs = product.noradIDs
        ownerOrganisations = product.ownerOrganisations
        participants = product.participants
        timeStartUS = product.timeStart.map(StoreTime.microseconds)
        timeStopUS = product.timeStop.map(StoreTime.microseconds)
        collisionProbability = product.collisionProbability
        missDistanceMetres = product.missDistanceMetres
        recordCount = product.recordCount
    }

    /// The organisations the row reaches, for the scope index (`ScopeRole`).
    var organisations: [ScopedOrganisation] {
        ScopedOrganisation.all(owners: ownerOrganisations, provider: provider, marking: Marking(marking))
    }

    /// The product the row holds, with `id`; `schema` when a column no longer reads. Without `messageJSON` (a
    /// summary, read without `bytes` and `message_json`), the product carries `bytes` as given (empty) and
    /// `Product.placeholderMessage(_:)`.
    static func product(
        id: Int64, kind: String, encoding: String, bytes: [UInt8], messageJSON: String?, contentHash: String,
        submitter: String, provider: String, source: String?, createdUS: Int64?, receivedUS: Int64, marking: String,
        dataMode: String, noradIDs: String, ownerOrganisations: String, participants: String, timeStartUS: Int64?,
        timeStopUS: Int64?, collisionProbability: Double?, missDistanceMetres: Double?, recordCount: Int
    ) throws(StoreError) -> Product {
        guard let productKind = ProductKind(rawValue: kind), let mode = DataMode(rawValue: dataMode),
            let sharing = Marking(marking)
        else { throw .schema("product \(id) has kind '\(kind)', data mode '\(dataMode)', marking '\(marking)'") }
        let message: Message
        if let messageJSON {
            let result = MessageReader.read(Array(messageJSON.utf8), encoding: .json, strictness: .lenient)
            guard result.isValid, let read = result.message else {
                throw .schema("product \(id) no longer reads as a \(kind) message")
            }
            message = read
        } else {
            message = Product.placeholderMessage(productKind)
        }
        return Product(
            id: id, kind: productKind, encoding: encoding, bytes: bytes, message: message, contentHash: contentHash,
            submitter: submitter, provider: provider, source: source, created: createdUS.map(StoreTime.date),
            received: StoreTime.date(receivedUS), marking: sharing, dataMode: mode,
            noradIDs: try JSONList.decode(noradIDs, of: id),
            ownerOrganisations: try JSONList.decode(ownerOrganisations, of: id),
            participants: try JSONList.decode(participants, of: id), timeStart: timeStartUS.map(StoreTime.date),
            timeStop: timeStopUS.map(StoreTime.date), collisionProbability: collisionProbability,
            missDistanceMetres: missDistanceMetres, recordCount: recordCount)
    }
}

/// One organisation a product or feed event reaches, and how: the rows of the scope index that `ProductScope`
/// is evaluated against (one indexed lookup by organisation instead of scanning lists).
struct ScopedOrganisation: Sendable, Hashable {
    /// The organisation.
    var organisation: String
    /// `owner`, `provider` or `partner` (named by a `partners:` marking).
    var role: String

    /// The rows for a subject with these owners, provider and marking.
    static func all(owners: [String], provider: String?, marking: Marking?) -> [ScopedOrganisation] {
        var rows = Set(owners.map { ScopedOrganisation(organisation: $0, role: "owner") })
        if let provider { rows.insert(ScopedOrganisation(organisation: provider, role: "provider")) }
        if case .partners(let partners) = marking {
            for partner in partners { rows.insert(ScopedOrganisation(organisation: partner, role: "partner")) }
        }
        return rows.sorted { ($0.organisation, $0.role) < ($1.organisation, $1.role) }
    }

    /// The roles through which `scope` reaches its organisation.
    static func roles(_ scope: ProductScope) -> [String] {
        (scope.ownedByOrganisation ? ["owner"] : []) + (scope.providedByOrganisation ? ["provider"] : [])
            + (scope.sharedWithOrganisation ? ["partner"] : [])
    }

    /// The marking kinds `scope` admits, as stored.
    static func markingKinds(_ scope: ProductScope) -> [String] {
        scope.markings.map(\.rawValue).sorted()
    }
}

/// Lists kept in one column as JSON arrays (`[90001,90002]`, `["a","b"]`).
enum JSONList {
    /// The JSON array of `values`.
    static func encode<T: Encodable>(_ values: [T]) -> String {
        (try? JSONEncoder().encode(values)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    /// The values of a JSON array; `schema` naming the row `id` when it does not read.
    static func decode<T: Decodable>(_ text: String, of id: Int64) throws(StoreError) -> [T] {
        do {
            return try JSONDecoder().decode([T].self, from: Data(text.utf8))
        } catch {
            throw .schema("row \(id) has the list '\(text)', which does not read")
        }
    }
}
