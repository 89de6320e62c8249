import Foundation

/// How stores write times: whole microseconds since 1970-01-01T00:00:00Z (finer digits are rounded).
enum StoreTime {
    /// `date` in microseconds.
    static func microseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    /// The date `microseconds` names.
    static func date(_ microseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(microseconds) / 1_000_000)
    }
}
