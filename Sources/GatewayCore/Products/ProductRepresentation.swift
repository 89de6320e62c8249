import Astrodynamics
import Foundation

/// The JSON summary of a stored product (CDM, TDM …): provenance and the indexed facts, without the message. What
/// the product lists answer and what a webhook's `data` carries (issue 10 §2).
public struct ProductRepresentation: Encodable, Sendable {
    /// The product summarised.
    public let product: Product

    /// Summarises `product`.
    public init(product: Product) {
        self.product = product
    }

    /// The JSON keys.
    public enum CodingKeys: String, CodingKey {
        case id, kind, encoding
        case contentHash = "content_hash"
        case submitter, provider, source, created, received
        case marking
        case dataMode = "data_mode"
        case noradIDs = "norad_ids"
        case participants
        case timeStart = "time_start"
        case timeStop = "time_stop"
        case collisionProbability = "collision_probability"
        case missDistance = "miss_distance_m"
        case recordCount = "record_count"
        case href
    }

    /// Writes the summary.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(String(product.id ?? 0), forKey: .id)
        try container.encode(product.kind.rawValue, forKey: .kind)
        try container.encode(product.encoding, forKey: .encoding)
        try container.encode(product.contentHash, forKey: .contentHash)
        try container.encode(product.submitter, forKey: .submitter)
        try container.encode(product.provider, forKey: .provider)
        try container.encode(product.source, forKey: .source)
        try container.encode(product.created.map(Timestamps.text), forKey: .created)
        try container.encode(Timestamps.text(product.received), forKey: .received)
        try container.encode(product.marking.description, forKey: .marking)
        try container.encode(product.dataMode.rawValue, forKey: .dataMode)
        try container.encode(product.noradIDs, forKey: .noradIDs)
        try container.encode(product.participants, forKey: .participants)
        try container.encode(product.timeStart.map(Timestamps.text), forKey: .timeStart)
        try container.encode(product.timeStop.map(Timestamps.text), forKey: .timeStop)
        try container.encode(product.collisionProbability, forKey: .collisionProbability)
        try container.encode(product.missDistanceMetres, forKey: .missDistance)
        try container.encode(product.recordCount, forKey: .recordCount)
        try container.encode(ProductRoutes.path(of: product), forKey: .href)
    }
}

/// Where products are read.
public enum ProductRoutes {
    /// `/api/v1/cdms/ID`, `/api/v1/tdms/ID`, `/api/v1/products/ID` for the other kinds.
    public static func path(kind: ProductKind, id: Int64) -> String {
        switch kind {
        case .cdm: "/api/v1/cdms/\(id)"
        case .tdm: "/api/v1/tdms/\(id)"
        case .oem, .opm, .omm: "/api/v1/products/\(id)"
        }
    }

    /// The path of a stored product.
    public static func path(of product: Product) -> String {
        path(kind: product.kind, id: product.id ?? 0)
    }
}

/// UTC ISO 8601 text of stored times.
public enum Timestamps {
    /// `2026-11-24T12:00:00.123Z`: rounded to the nearest millisecond (Foundation's formatter truncates, which
    /// turned a CDM's TCA of .037 s into .036 s).
    public static func text(_ date: Date) -> String {
        Epoch(date: date).iso8601(fractionDigits: 3)
    }

    /// The current time on a whole millisecond: what the gateway stamps a change with when the API shows the time
    /// (with milliseconds) and filters by it (`since=`), so that a time read back from the API selects exactly
    /// what it shows.
    public static func now() -> Date {
        Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000).rounded(.down) / 1000)
    }
}
