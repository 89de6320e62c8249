/// An instant, held exactly as a whole number of TAI nanoseconds since J2000 (2000-01-01T12:00:00 TAI).
///
/// Not seconds in a `Double`: the count is an `Int64`, so sums and differences are exact to the nanosecond over
/// ±292 years around 2000, and UTC (with its leap seconds), TT, GPS, TDB and UT1 are *readings* of the same
/// instant (`components(in:)`, `julianDate(in:)`, `iso8601(in:)`). Comparison, hashing and equality are by
/// instant.
public struct Epoch: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// TAI nanoseconds since 2000-01-01T12:00:00 TAI.
    public var taiNanosecondsSinceJ2000: Int64

    /// The instant `taiNanosecondsSinceJ2000` TAI nanoseconds after 2000-01-01T12:00:00 TAI.
    public init(taiNanosecondsSinceJ2000: Int64) {
        self.taiNanosecondsSinceJ2000 = taiNanosecondsSinceJ2000
    }

    /// 2000-01-01T12:00:00 TAI (which is 11:59:28 UTC and 12:00:32.184 TT).
    public static let j2000TAI = Epoch(taiNanosecondsSinceJ2000: 0)

    /// The instant `nanoseconds` later (earlier when negative).
    public func adding(nanoseconds: Int64) -> Epoch {
        Epoch(taiNanosecondsSinceJ2000: taiNanosecondsSinceJ2000 + nanoseconds)
    }

    /// The instant `seconds` SI seconds later, rounded to the nearest nanosecond.
    public func adding(seconds: Double) -> Epoch {
        adding(nanoseconds: Epoch.nanoseconds(fromSeconds: seconds))
    }

    /// Exact elapsed time from `other` to `self`, nanoseconds (negative when `self` is earlier).
    public func nanoseconds(since other: Epoch) -> Int64 {
        taiNanosecondsSinceJ2000 - other.taiNanosecondsSinceJ2000
    }

    /// Elapsed time from `other` to `self`, SI seconds: the exact nanosecond difference rounded once to `Double`.
    public func seconds(since other: Epoch) -> Double {
        Epoch.seconds(fromNanoseconds: nanoseconds(since: other))
    }

    /// Orders by instant.
    public static func < (lhs: Epoch, rhs: Epoch) -> Bool {
        lhs.taiNanosecondsSinceJ2000 < rhs.taiNanosecondsSinceJ2000
    }

    /// The instant in UTC, ISO 8601 with milliseconds: `2026-11-24T12:00:00.123Z`.
    public var description: String { iso8601() }

    /// `seconds` rounded to whole nanoseconds (half away from zero); traps beyond Int64.
    static func nanoseconds(fromSeconds seconds: Double) -> Int64 {
        let whole = seconds.rounded(.towardZero)
        return Int64(whole) * CivilCalendar.nanosecondsPerSecond + Int64(((seconds - whole) * 1e9).rounded())
    }

    /// A nanosecond count as seconds, correctly rounded (whole and fractional parts converted separately).
    static func seconds(fromNanoseconds ns: Int64) -> Double {
        let whole = ns / CivilCalendar.nanosecondsPerSecond
        return Double(whole) + Double(ns - whole * CivilCalendar.nanosecondsPerSecond) * 1e-9
    }
}
