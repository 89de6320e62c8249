/// One NORAD two-line element set (TLE), optionally with its name line (a "3LE").
///
/// The layout is fixed-column: two 69-column lines, each ending with a modulo-10 checksum. Sources for the
/// format: CelesTrak, "Frequently Asked Questions: Two-Line Element Set Format" (T.S. Kelso,
/// https://celestrak.org/columns/v04n03/); Space-Track.org, "Basic Description of the Two Line Element (TLE)
/// Format" (https://www.space-track.org/documentation#/tle); CCSDS 502.0-B-3 §4.2.4.6–4.2.4.9 for the mapping to
/// an OMM.
///
/// Values are held as they are written in the TLE: in particular `meanMotionDotOver2…` and
/// `meanMotionDdotOver6…` are the first derivative of the mean motion divided by two and the second divided by
/// six, as in columns 34–43 and 45–52 of line 1 (and as in the OMM's `MEAN_MOTION_DOT` / `MEAN_MOTION_DDOT`,
/// CCSDS 502.0-B-3 §4.2.4.7 note 2).
///
/// Two element sets are equal when their values are equal. The spelling details that the values do not carry
/// (the sign written before a zero exponent, `00000-0` or `00000+0`) are kept apart so that writing a parsed set
/// reproduces its lines byte for byte, and do not take part in equality.
public struct TLE: Sendable, Equatable {
    /// The name (line 0 of a 3LE), without a leading `0 ` and without surrounding blanks; nil for a bare TLE.
    public var name: String?
    /// The NORAD catalogue number (line 1 columns 3–7; 0–339999 with Alpha-5).
    public var catalogueNumber: Int
    /// The security classification (line 1 column 8): `U` unclassified, `C` classified, `S` secret.
    public var classification: Character
    /// The international designator as written in line 1 columns 10–17 (launch year's last two digits, launch
    /// number of the year, piece), without trailing blanks, e.g. `98067A`; empty when the columns are blank.
    public var internationalDesignator: String
    /// The epoch (line 1 columns 19–32).
    public var epoch: TLEEpoch
    /// First derivative of the mean motion divided by two, rev/day² (line 1 columns 34–43).
    public var meanMotionDotOver2RevolutionsPerDaySquared: Double
    /// Second derivative of the mean motion divided by six, rev/day³ (line 1 columns 45–52, implied decimal point
    /// and exponent).
    public var meanMotionDdotOver6RevolutionsPerDayCubed: Double
    /// The SGP4 drag term B*, 1/earth radii (line 1 columns 54–61, implied decimal point and exponent).
    public var bstarPerEarthRadius: Double
    /// The ephemeris type (line 1 column 63): 0 in distributed sets; 4 for SGP4-XP (CCSDS 502.0-B-3 §4.2.4.7).
    public var ephemerisType: Int
    /// The element set number (line 1 columns 65–68), 0–9999.
    public var elementSetNumber: Int
    /// Inclination, degrees (line 2 columns 9–16), 0–180.
    public var inclinationDegrees: Double
    /// Right ascension of the ascending node, degrees (line 2 columns 18–25), 0–360.
    public var rightAscensionOfAscendingNodeDegrees: Double
    /// Eccentricity (line 2 columns 27–33, implied leading decimal point), 0 ≤ e < 1.
    public var eccentricity: Double
    /// Argument of perigee, degrees (line 2 columns 35–42), 0–360.
    public var argumentOfPerigeeDegrees: Double
    /// Mean anomaly, degrees (line 2 columns 44–51), 0–360.
    public var meanAnomalyDegrees: Double
    /// Mean motion, revolutions per day (line 2 columns 53–63).
    public var meanMotionRevolutionsPerDay: Double
    /// Revolution number at epoch (line 2 columns 64–68), 0–99999 (it wraps to 0 after 99999).
    public var revolutionNumberAtEpoch: Int
    /// How zero exponents were spelled, to reproduce parsed text (not part of equality).
    var spelling = Spelling()

    /// Creates an element set from its values. Defaults: classification U, blank designator, zero derivatives and
    /// B*, ephemeris type 0, element set number 999 (the number Space-Track's GP sets carry), revolution 0.
    /// Values are not checked here: writing reports those that do not fit their fields.
    public init(
        name: String? = nil, catalogueNumber: Int, classification: Character = "U",
        internationalDesignator: String = "", epoch: TLEEpoch,
        meanMotionDotOver2RevolutionsPerDaySquared: Double = 0, meanMotionDdotOver6RevolutionsPerDayCubed: Double = 0,
        bstarPerEarthRadius: Double = 0, ephemerisType: Int = 0, elementSetNumber: Int = 999,
        inclinationDegrees: Double, rightAscensionOfAscendingNodeDegrees: Double, eccentricity: Double,
        argumentOfPerigeeDegrees: Double, meanAnomalyDegrees: Double, meanMotionRevolutionsPerDay: Double,
        revolutionNumberAtEpoch: Int = 0
    ) {
        self.name = name
        self.catalogueNumber = catalogueNumber
        self.classification = classification
        self.internationalDesignator = internationalDesignator
        self.epoch = epoch
        self.meanMotionDotOver2RevolutionsPerDaySquared = meanMotionDotOver2RevolutionsPerDaySquared
        self.meanMotionDdotOver6RevolutionsPerDayCubed = meanMotionDdotOver6RevolutionsPerDayCubed
        self.bstarPerEarthRadius = bstarPerEarthRadius
        self.ephemerisType = ephemerisType
        self.elementSetNumber = elementSetNumber
        self.inclinationDegrees = inclinationDegrees
        self.rightAscensionOfAscendingNodeDegrees = rightAscensionOfAscendingNodeDegrees
        self.eccentricity = eccentricity
        self.argumentOfPerigeeDegrees = argumentOfPerigeeDegrees
        self.meanAnomalyDegrees = meanAnomalyDegrees
        self.meanMotionRevolutionsPerDay = meanMotionRevolutionsPerDay
        self.revolutionNumberAtEpoch = revolutionNumberAtEpoch
    }

    /// The epoch as a CCSDS epoch (UTC, calendar form, microseconds; exact).
    public var ccsdsEpoch: CCSDSEpoch { epoch.ccsdsEpoch }

    /// The catalogue number as written in columns 3–7 (five digits, or Alpha-5 above 99999); nil when out of
    /// range.
    public var catalogueText: String? { Alpha5.encode(catalogueNumber) }

    /// Equality of values (the spelling of zero exponents does not count).
    public static func == (lhs: TLE, rhs: TLE) -> Bool {
        lhs.name == rhs.name && lhs.catalogueNumber == rhs.catalogueNumber
            && lhs.classification == rhs.classification
            && lhs.internationalDesignator == rhs.internationalDesignator && lhs.epoch == rhs.epoch
            && lhs.meanMotionDotOver2RevolutionsPerDaySquared == rhs.meanMotionDotOver2RevolutionsPerDaySquared
            && lhs.meanMotionDdotOver6RevolutionsPerDayCubed == rhs.meanMotionDdotOver6RevolutionsPerDayCubed
            && lhs.bstarPerEarthRadius == rhs.bstarPerEarthRadius && lhs.ephemerisType == rhs.ephemerisType
            && lhs.elementSetNumber == rhs.elementSetNumber && lhs.inclinationDegrees == rhs.inclinationDegrees
            && lhs.rightAscensionOfAscendingNodeDegrees == rhs.rightAscensionOfAscendingNodeDegrees
            && lhs.eccentricity == rhs.eccentricity && lhs.argumentOfPerigeeDegrees == rhs.argumentOfPerigeeDegrees
            && lhs.meanAnomalyDegrees == rhs.meanAnomalyDegrees
            && lhs.meanMotionRevolutionsPerDay == rhs.meanMotionRevolutionsPerDay
            && lhs.revolutionNumberAtEpoch == rhs.revolutionNumberAtEpoch
    }

    /// Spelling details of a parsed set that its values do not determine.
    struct Spelling: Sendable {
        /// The sign written before an exponent digit 0 in columns 51 (second derivative) and 60 (B*): `-` is
        /// written unless the input had `+`.
        var ddotZeroExponentPlus = false
        /// See `ddotZeroExponentPlus`.
        var bstarZeroExponentPlus = false
    }
}

/// How a name line is written before the two element lines.
public enum TLENameStyle: Sendable, Equatable {
    /// The name alone.
    case plain
    /// The name padded with blanks to 24 columns, as CelesTrak writes it.
    case celesTrak
    /// `0 ` before the name, as Space-Track writes 3LE files.
    case spaceTrack
}
