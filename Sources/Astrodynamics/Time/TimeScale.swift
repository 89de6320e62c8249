/// A time scale in which an `Epoch` can be read or written: the CCSDS `TIME_SYSTEM` values Essor supports
/// (CCSDS 502.0-B-3 Annex B, SANA "Time Systems" registry).
///
/// - `tai`: International Atomic Time, the scale `Epoch` counts in.
/// - `utc`: Coordinated Universal Time = TAI − (TAI−UTC), the leap-second table's whole-second offset
///   (since 1972; see `LeapSecondTable` for earlier dates).
/// - `tt`: Terrestrial Time = TAI + 32.184 s (IAU 1991 Resolution A4; IERS Conventions 2010 §10.1).
/// - `gps`: GPS time = TAI − 19 s (IS-GPS-200, the offset at the GPS epoch 1980-01-06).
/// - `tdb`: Barycentric Dynamical Time = TT + ≈1.7 ms periodic terms (USNO Circular 179 eq. 2.6, from Fairhead
///   & Bretagnon 1990; about 10 µs accuracy for 1600–2200).
/// - `ut1`: Universal Time = UTC + (UT1−UTC) from Earth-orientation data (UT1 = UTC when none is given).
public enum TimeScale: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case utc = "UTC"
    case tai = "TAI"
    case tt = "TT"
    case gps = "GPS"
    case tdb = "TDB"
    case ut1 = "UT1"

    /// The scale's CCSDS `TIME_SYSTEM` spelling (`UTC`, `TAI` …).
    public var description: String { rawValue }

    /// Whether the scale's days all last 86,400 of its seconds (every supported scale but UTC).
    public var isUniform: Bool { self != .utc }
}
