import Hummingbird

/// The paging parameters every list shares (DESIGN §6: `{"items": [...], "next": CURSOR-or-null}`): `limit`
/// 1–1000 (100 by default) and `cursor`, the `next` of the previous page (an id this gateway gave out).
struct PageParameters {
    /// Items per page.
    var limit = 100
    /// The id after which the page starts; nil for the first page.
    var cursor: Int64?

    /// Reads `limit` and `cursor` (`cursorName` for the feed's `after`); `400` naming the one at fault.
    /// With `cursorName` nil the cursor is left to the caller (lists whose cursors are not numbers).
    init(_ request: Request, cursorName: String? = "cursor") throws(Problem) {
        let parameters = request.uri.queryParameters
        if let text = parameters.get("limit") {
            guard let value = Int(text), (1...1000).contains(value) else {
                throw Problem(
                    .badParameter, "limit must be a whole number from 1 to 1000, not '\(text)'", parameter: "limit")
            }
            limit = value
        }
        if let cursorName, let text = parameters.get(cursorName) {
            guard let value = Int64(text), value >= 0 else {
                throw Problem(
                    .badParameter, "\(cursorName) '\(text)' is not one this gateway gave out", parameter: cursorName)
            }
            cursor = value
        }
    }
}
