import Foundation
import GatewayCore
import Hummingbird

/// The parameters of `GET /api/v1/objects`, checked (`400` naming the one at fault).
struct ObjectListQuery {
    /// Only objects of this organisation.
    var owner: String?
    /// Only objects of this type.
    var type: ObjectType?
    /// Only objects changed at or after this time.
    var updatedSince: Date?
    /// The page size, 1–1000 (100 by default).
    var limit = 100
    /// Objects after this NORAD id (the `cursor` of the previous page).
    var afterNoradID: Int?

    init(_ request: Request) throws(Problem) {
        owner = request.queryText("owner")
        if let text = request.queryText("type") {
            guard let value = ObjectType(rawValue: text.uppercased()) else {
                throw Problem(
                    .badParameter,
                    "type '\(text)' is not one of " + ObjectType.allCases.map(\.rawValue).joined(separator: ", "),
                    parameter: "type")
            }
            type = value
        }
        updatedSince = try request.queryDate("updated_since")
        let page = try PageParameters(request)
        limit = page.limit
        afterNoradID = page.cursor.map { Int(clamping: $0) }
    }
}
