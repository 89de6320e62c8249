/// The numeric fields of a TLE as the integers its columns hold, and the rounding from `Double` values to them.
///
/// Field widths and precisions follow CelesTrak's "Frequently Asked Questions: Two-Line Element Set Format"
/// (https://celestrak.org/columns/v04n03/): angles `NNN.NNNN` (10⁻⁴ degree), mean motion `NN.NNNNNNNN`
/// (10⁻⁸ rev/day), eccentricity seven digits after an implied `0.` (10⁻⁷), first derivative `±.NNNNNNNN`
/// (10⁻⁸ rev/day²), second derivative and B* as `±NNNNN±N` meaning ±0.NNNNN × 10^±N.
///
/// Rounding rule (documented for OMM → TLE): a value is rounded to the nearest multiple of the field's last
/// digit, halves away from zero, computed on the binary value (`Double`). A value read from a TLE is always a
/// fixed point of this rounding, so TLE → OMM → TLE is exact.
enum TLEFields {
    /// Exact powers of ten, 10⁰ … 10²².
    static let powersOfTen: [Double] = (0...22).map { exponent in
        var value = 1.0
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// `value × 10^power` with one rounding (power in −22 … 22).
    @inline(__always) static func scale(_ value: Double, _ power: Int) -> Double {
        power >= 0 ? value * powersOfTen[power] : value / powersOfTen[-power]
    }

    /// The decimal `units × 10^-decimals`, correctly rounded (both operands are exact, one division).
    @inline(__always) static func fixed(_ units: Int, decimals: Int) -> Double {
        Double(units) / powersOfTen[decimals]
    }

    /// `value` in units of 10^-decimals, rounded half away from zero; nil when not finite or beyond ±10^15.
    static func units(_ value: Double, decimals: Int) -> Int? {
        guard value.isFinite else { return nil }
        let scaled = (value * powersOfTen[decimals]).rounded(.toNearestOrAwayFromZero)
        guard abs(scaled) < 1e15 else { return nil }
        return Int(scaled)
    }

    /// A number written `±NNNNN±N`: ±0.NNNNN × 10^±N.
    struct Exponential: Sendable, Equatable {
        /// The five digits as an integer, 0–99999 (10000–99999 when normalised and not zero).
        var mantissa: Int
        /// The power of ten, −9 … 9.
        var exponent: Int
        /// Whether a minus sign is written in the first column.
        var negative: Bool

        /// The value, correctly rounded: mantissa × 10^(exponent − 5).
        var value: Double {
            let magnitude = TLEFields.scale(Double(mantissa), exponent - 5)
            return negative ? -magnitude : magnitude
        }
    }

    /// Why a value does not fit an exponential field.
    enum ExponentialProblem: Error {
        /// Not a finite number.
        case notFinite
        /// |value| ≥ 0.999995 × 10⁹.
        case tooLarge
    }

    /// The normalised exponential form of `value` (mantissa 10000–99999, or zero), rounded to five significant
    /// digits. Values below 0.000005 × 10⁻⁹ in magnitude become zero.
    static func exponential(_ value: Double) -> Result<Exponential, ExponentialProblem> {
        guard value.isFinite else { return .failure(.notFinite) }
        let negative = value < 0
        let magnitude = abs(value)
        if magnitude == 0 { return .success(Exponential(mantissa: 0, exponent: 0, negative: false)) }
        // Find e with 10^(e-1) ≤ magnitude < 10^e, then check on the rounded mantissa.
        var exponent = 0
        while exponent > -12, magnitude < scale(1, exponent - 1) { exponent -= 1 }
        while exponent < 12, magnitude >= scale(1, exponent) { exponent += 1 }
        var mantissa = scale(magnitude, 5 - exponent).rounded(.toNearestOrAwayFromZero)
        if mantissa >= 100_000 {
            exponent += 1
            mantissa = scale(magnitude, 5 - exponent).rounded(.toNearestOrAwayFromZero)
        } else if mantissa < 10_000 {
            exponent -= 1
            mantissa = scale(magnitude, 5 - exponent).rounded(.toNearestOrAwayFromZero)
            if mantissa >= 100_000 {
                exponent += 1
                mantissa = 10_000
            }
        }
        if exponent > 9 { return .failure(.tooLarge) }
        if exponent < -9 {
            // Below the smallest field value: the nearest field value is 0 or 0.00001e-9.
            let smallest = scale(magnitude, 14).rounded(.toNearestOrAwayFromZero)
            if smallest >= 1 {
                return .success(Exponential(mantissa: Int(smallest), exponent: -9, negative: negative))
            }
            return .success(Exponential(mantissa: 0, exponent: 0, negative: false))
        }
        return .success(Exponential(mantissa: Int(mantissa), exponent: exponent, negative: negative))
    }

    /// Identifies one field of a TLE, for messages: its OMM keyword and where it sits in the lines.
    enum Field: Sendable {
        case catalogueNumber, classification, internationalDesignator, epoch, meanMotionDot, meanMotionDdot, bstar
        case ephemerisType, elementSetNumber, inclination, rightAscension, eccentricity, argumentOfPerigee
        case meanAnomaly, meanMotion, revolutionNumber

        /// The OMM keyword that carries the field (CCSDS 502.0-B-3 Table 4-3).
        var keyword: String {
            switch self {
            case .catalogueNumber: "NORAD_CAT_ID"
            case .classification: "CLASSIFICATION_TYPE"
            case .internationalDesignator: "OBJECT_ID"
            case .epoch: "EPOCH"
            case .meanMotionDot: "MEAN_MOTION_DOT"
            case .meanMotionDdot: "MEAN_MOTION_DDOT"
            case .bstar: "BSTAR"
            case .ephemerisType: "EPHEMERIS_TYPE"
            case .elementSetNumber: "ELEMENT_SET_NO"
            case .inclination: "INCLINATION"
            case .rightAscension: "RA_OF_ASC_NODE"
            case .eccentricity: "ECCENTRICITY"
            case .argumentOfPerigee: "ARG_OF_PERICENTER"
            case .meanAnomaly: "MEAN_ANOMALY"
            case .meanMotion: "MEAN_MOTION"
            case .revolutionNumber: "REV_AT_EPOCH"
            }
        }

        /// Line (1 or 2) and first and last columns (1-based).
        var place: (line: Int, first: Int, last: Int) {
            switch self {
            case .catalogueNumber: (1, 3, 7)
            case .classification: (1, 8, 8)
            case .internationalDesignator: (1, 10, 17)
            case .epoch: (1, 19, 32)
            case .meanMotionDot: (1, 34, 43)
            case .meanMotionDdot: (1, 45, 52)
            case .bstar: (1, 54, 61)
            case .ephemerisType: (1, 63, 63)
            case .elementSetNumber: (1, 65, 68)
            case .inclination: (2, 9, 16)
            case .rightAscension: (2, 18, 25)
            case .eccentricity: (2, 27, 33)
            case .argumentOfPerigee: (2, 35, 42)
            case .meanAnomaly: (2, 44, 51)
            case .meanMotion: (2, 53, 63)
            case .revolutionNumber: (2, 64, 68)
            }
        }

        /// What the field is, in words.
        var title: String {
            switch self {
            case .catalogueNumber: "catalogue number"
            case .classification: "classification"
            case .internationalDesignator: "international designator"
            case .epoch: "epoch"
            case .meanMotionDot: "first derivative of mean motion / 2"
            case .meanMotionDdot: "second derivative of mean motion / 6"
            case .bstar: "B* drag term"
            case .ephemerisType: "ephemeris type"
            case .elementSetNumber: "element set number"
            case .inclination: "inclination"
            case .rightAscension: "right ascension of the ascending node"
            case .eccentricity: "eccentricity"
            case .argumentOfPerigee: "argument of perigee"
            case .meanAnomaly: "mean anomaly"
            case .meanMotion: "mean motion"
            case .revolutionNumber: "revolution number at epoch"
            }
        }

        /// `line 1 columns 34-43 (first derivative of mean motion / 2)`.
        var placeDescription: String {
            let (line, first, last) = place
            let columns = first == last ? "column \(first)" : "columns \(first)-\(last)"
            return "line \(line) \(columns) (\(title))"
        }
    }

    /// The fields of a TLE as written, ready to be laid out in columns.
    struct Encoded {
        var catalogueNumber: Int
        var classification: UInt8
        var designator: [UInt8]
        var epoch: [UInt8]
        /// 10⁻⁸ rev/day², signed.
        var meanMotionDot: Int
        var meanMotionDdot: Exponential
        var bstar: Exponential
        var ephemerisType: Int
        var elementSetNumber: Int
        /// 10⁻⁴ degree.
        var inclination: Int
        /// 10⁻⁴ degree.
        var rightAscension: Int
        /// 10⁻⁷.
        var eccentricity: Int
        /// 10⁻⁴ degree.
        var argumentOfPerigee: Int
        /// 10⁻⁴ degree.
        var meanAnomaly: Int
        /// 10⁻⁸ rev/day.
        var meanMotion: Int
        var revolutionNumber: Int
    }

    /// Rounds every value of `tle` to its field, or reports each value that does not fit (code
    /// `notRepresentable`, keyword = the OMM keyword).
    static func encode(_ tle: TLE) -> (encoded: Encoded?, problems: [Diagnostic]) {
        var problems: [Diagnostic] = []
        /// `KEYWORD value does not fit line L columns A-B (title): expected …`.
        func fail(_ field: Field, _ value: String, _ expected: String) {
            problems.append(
                Diagnostic(
                    .error, .notRepresentable,
                    "\(field.keyword) \(value) does not fit \(field.placeDescription); expected \(expected)",
                    keyword: field.keyword))
        }

        let catalogue = tle.catalogueNumber
        if catalogue < 0 || catalogue > Alpha5.maximum {
            fail(.catalogueNumber, "\(catalogue)", "0-339999 (five digits, Alpha-5 for 100000-339999)")
        }
        var classification: UInt8 = 85
        if let ascii = tle.classification.asciiValue, ascii >= 65, ascii <= 90 {
            classification = ascii
        } else {
            fail(.classification, "'\(tle.classification)'", "one letter: U, C or S")
        }
        let designator = Array(tle.internationalDesignator.utf8)
        if designator.count > 8 || designator.contains(where: { $0 < 32 || $0 > 126 }) {
            fail(
                .internationalDesignator, "'\(tle.internationalDesignator)'",
                "at most eight ASCII characters, e.g. 98067A")
        }
        let epoch = Array(tle.epoch.text.utf8)
        if epoch.count != 14 { fail(.epoch, "'\(tle.epoch.text)'", "14 characters YYDDD.DDDDDDDD") }

        let dot = units(tle.meanMotionDotOver2RevolutionsPerDaySquared, decimals: 8).flatMap {
            abs($0) < 100_000_000 ? $0 : nil
        }
        if dot == nil {
            fail(
                .meanMotionDot, "\(tle.meanMotionDotOver2RevolutionsPerDaySquared) rev/day**2",
                "|value| <= 0.99999999 (written +.NNNNNNNN)")
        }
        func exponentialField(_ value: Double, _ field: Field, _ unit: String) -> Exponential? {
            switch exponential(value) {
            case .success(let result): return result
            case .failure:
                fail(field, "\(value) \(unit)", "|value| < 0.999995e9 (written +NNNNN+N, i.e. +0.NNNNN x 10^+N)")
                return nil
            }
        }
        let ddot = exponentialField(tle.meanMotionDdotOver6RevolutionsPerDayCubed, .meanMotionDdot, "rev/day**3")
        let bstar = exponentialField(tle.bstarPerEarthRadius, .bstar, "1/ER")
        if !(0...9).contains(tle.ephemerisType) {
            fail(.ephemerisType, "\(tle.ephemerisType)", "one digit, 0-9")
        }
        if !(0...9999).contains(tle.elementSetNumber) {
            fail(.elementSetNumber, "\(tle.elementSetNumber)", "0-9999")
        }
        let inclination = units(tle.inclinationDegrees, decimals: 4).flatMap { (0...1_800_000).contains($0) ? $0 : nil }
        if inclination == nil {
            fail(.inclination, "\(tle.inclinationDegrees) deg", "0 <= inclination <= 180")
        }
        func angle(_ value: Double, _ field: Field) -> Int? {
            guard var result = units(value, decimals: 4), result >= 0, result <= 3_600_000 else {
                fail(field, "\(value) deg", "0 <= angle < 360")
                return nil
            }
            if result == 3_600_000 { result = 0 }  // 359.99995 and above round to 360.0000, the same angle as 0.
            return result
        }
        let rightAscension = angle(tle.rightAscensionOfAscendingNodeDegrees, .rightAscension)
        let argument = angle(tle.argumentOfPerigeeDegrees, .argumentOfPerigee)
        let anomaly = angle(tle.meanAnomalyDegrees, .meanAnomaly)
        let eccentricity = units(tle.eccentricity, decimals: 7).flatMap { (0..<10_000_000).contains($0) ? $0 : nil }
        if eccentricity == nil {
            fail(
                .eccentricity, "\(tle.eccentricity)",
                "0 <= e <= 0.9999999 (seven digits after an implied decimal point)")
        }
        let motion = units(tle.meanMotionRevolutionsPerDay, decimals: 8).flatMap {
            (1..<10_000_000_000).contains($0) ? $0 : nil
        }
        if motion == nil {
            fail(.meanMotion, "\(tle.meanMotionRevolutionsPerDay) rev/day", "0 < mean motion <= 99.99999999")
        }
        if !(0...99_999).contains(tle.revolutionNumberAtEpoch) {
            fail(.revolutionNumber, "\(tle.revolutionNumberAtEpoch)", "0-99999")
        }
        guard problems.isEmpty, let dot, let ddot, let bstar, let inclination, let rightAscension, let argument,
            let anomaly, let eccentricity, let motion
        else { return (nil, problems) }
        return (
            Encoded(
                catalogueNumber: catalogue, classification: classification, designator: designator, epoch: epoch,
                meanMotionDot: dot, meanMotionDdot: ddot, bstar: bstar, ephemerisType: tle.ephemerisType,
                elementSetNumber: tle.elementSetNumber, inclination: inclination, rightAscension: rightAscension,
                eccentricity: eccentricity, argumentOfPerigee: argument, meanAnomaly: anomaly, meanMotion: motion,
                revolutionNumber: tle.revolutionNumberAtEpoch),
            []
        )
    }
}
