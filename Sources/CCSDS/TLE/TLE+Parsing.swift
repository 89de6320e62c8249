/// Reading one element set from its two lines (and optional name line).
///
/// Column layout: CelesTrak, "Frequently Asked Questions: Two-Line Element Set Format"
/// (https://celestrak.org/columns/v04n03/), and Space-Track.org's "Basic Description of the Two Line Element
/// (TLE) Format" (https://www.space-track.org/documentation#/tle). Alpha-5 catalogue numbers: Space-Track.org
/// (https://www.space-track.org/documentation#tle-alpha5).
///
/// Strict reading rejects any deviation from the layout; lenient reading accepts, with a warning, a wrong
/// checksum, text after column 69, non-blank separator columns, blank numeric fields (read as 0), blanks inside
/// the eccentricity, classifications other than U/C/S, non-standard international designators, and day 366 in a
/// common year. A line shorter than 69 columns is always an error.
extension TLE {
    /// Reads one element set; throws every problem found when it is not valid (warnings alone do not throw).
    ///
    /// Diagnostics are located on lines 1 and 2 (the element set's own line numbers).
    public init(line1: String, line2: String, name: String? = nil, strictness: Strictness = .strict)
        throws(ValidationError)
    {
        let (tle, diagnostics) = TLE.parse(line1: line1, line2: line2, name: name, strictness: strictness)
        guard let tle else { throw ValidationError(diagnostics) }
        self = tle
    }

    /// Reads one element set, returning it (nil when there is an error) and all problems found.
    ///
    /// A name given with a leading `0 ` (Space-Track 3LE style) has it removed; surrounding blanks are removed.
    public static func parse(line1: String, line2: String, name: String? = nil, strictness: Strictness = .strict)
        -> (tle: TLE?, diagnostics: [Diagnostic])
    {
        var first = line1
        var second = line2
        var diagnostics: [Diagnostic] = []
        let cleanName: String? = name.map { name in
            var name = name
            return name.withUTF8 { TLE.cleanName($0) }
        }
        let tle = first.withUTF8 { one in
            second.withUTF8 { two in
                TLE.parse(
                    name: cleanName, line1: one, lineNumber1: 1, line2: two, lineNumber2: 2, strictness: strictness,
                    diagnostics: &diagnostics)
            }
        }
        return (tle, diagnostics)
    }

    /// The name of a name line: without a leading `0 ` (Space-Track and CelesTrak 3LE files) and without
    /// surrounding blanks (CelesTrak pads names to 24 columns).
    static func cleanName(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var start = 0
        var end = bytes.count
        if end >= 2, bytes[0] == UInt8(ascii: "0"), bytes[1] == 32 { start = 2 }
        while start < end, bytes[start] == 32 || bytes[start] == 9 { start += 1 }
        while end > start, bytes[end - 1] == 32 || bytes[end - 1] == 9 || bytes[end - 1] == 13 { end -= 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    /// Reads an element set from its two lines; appends every problem to `diagnostics` (located at
    /// `lineNumber1` / `lineNumber2`) and returns nil when there is an error.
    static func parse(
        name: String?, line1: UnsafeBufferPointer<UInt8>, lineNumber1: Int, line2: UnsafeBufferPointer<UInt8>,
        lineNumber2: Int, strictness: Strictness, diagnostics: inout [Diagnostic]
    ) -> TLE? {
        var one = TLELineScanner(line1, lineNumber: lineNumber1, tleLine: 1, strictness: strictness)
        var two = TLELineScanner(line2, lineNumber: lineNumber2, tleLine: 2, strictness: strictness)
        let framed1 = one.checkFrame()
        let framed2 = two.checkFrame()
        guard framed1, framed2 else {
            diagnostics.append(contentsOf: one.diagnostics)
            diagnostics.append(contentsOf: two.diagnostics)
            return nil
        }

        // Line 1.
        one.checkBlanks(TLE.line1Separators)
        let catalogue = one.catalogueNumber()
        let classification = readClassification(&one)
        let designator = readDesignator(&one)
        let epoch = readEpoch(&one)
        let dot = one.decimal(
            .meanMotionDot, range: -0.99999999...0.99999999, expected: "|value| < 1 rev/day^2",
            example: "-.00002182")
        let ddot = one.exponential(.meanMotionDdot)
        let bstar = one.exponential(.bstar)
        var ephemerisType: Int? = 0
        let typeByte = one.byte(63)
        if typeByte &- 48 < 10 {
            ephemerisType = Int(typeByte &- 48)
        } else if typeByte == 32 {
            one.deviation(
                63, .invalidValue, "ephemeris type (column 63) is blank; expected a digit (0 for distributed sets)",
                keyword: "EPHEMERIS_TYPE")
        } else {
            ephemerisType = nil
            one.error(
                63, .invalidValue, "ephemeris type (column 63) holds '\(one.text(63, 63))'; expected a digit",
                keyword: "EPHEMERIS_TYPE")
        }
        let elementSet = one.unsigned(.elementSetNumber)

        // Line 2.
        two.checkBlanks(TLE.line2Separators)
        let catalogue2 = two.catalogueNumber()
        if let catalogue, let catalogue2, catalogue != catalogue2 {
            two.error(
                3, .consistency,
                "catalogue number on line 2 (\(two.text(3, 7))) differs from line 1 (\(one.text(3, 7))); both lines "
                    + "of an element set describe the same object",
                keyword: "NORAD_CAT_ID")
        }
        let inclination = two.decimal(
            .inclination, range: 0...180, expected: "0 <= inclination <= 180 degrees", example: " 51.6416")
        let rightAscension = two.angle(.rightAscension)
        let eccentricity = two.eccentricity()
        let argument = two.angle(.argumentOfPerigee)
        let anomaly = two.angle(.meanAnomaly)
        let motion = two.decimal(
            .meanMotion, range: 0...99.99999999, expected: "0 < mean motion < 100 rev/day", example: "15.72125391")
        if motion == 0 {
            two.error(
                53, .valueOutOfRange, "mean motion (line 2 columns 53-63) is 0; expected 0 < mean motion < 100 rev/day",
                keyword: "MEAN_MOTION")
        }
        let revolution = two.unsigned(.revolutionNumber)

        diagnostics.append(contentsOf: one.diagnostics)
        diagnostics.append(contentsOf: two.diagnostics)
        guard !one.failed, !two.failed, let catalogue, let classification, let designator, let epoch, let dot,
            let ddot, let bstar, let ephemerisType, let elementSet, let inclination, let rightAscension,
            let eccentricity, let argument, let anomaly, let motion, let revolution
        else { return nil }
        var tle = TLE(
            name: name, catalogueNumber: catalogue, classification: classification,
            internationalDesignator: designator, epoch: epoch, meanMotionDotOver2RevolutionsPerDaySquared: dot,
            meanMotionDdotOver6RevolutionsPerDayCubed: ddot.value, bstarPerEarthRadius: bstar.value,
            ephemerisType: ephemerisType, elementSetNumber: elementSet, inclinationDegrees: inclination,
            rightAscensionOfAscendingNodeDegrees: rightAscension, eccentricity: eccentricity,
            argumentOfPerigeeDegrees: argument, meanAnomalyDegrees: anomaly, meanMotionRevolutionsPerDay: motion,
            revolutionNumberAtEpoch: revolution)
        tle.spelling.ddotZeroExponentPlus = ddot.zeroExponentPlus
        tle.spelling.bstarZeroExponentPlus = bstar.zeroExponentPlus
        return tle
    }

    /// Column 8: U, C or S.
    private static func readClassification(_ line: inout TLELineScanner) -> Character? {
        let byte = line.byte(8)
        switch byte {
        case UInt8(ascii: "U"), UInt8(ascii: "C"), UInt8(ascii: "S"):
            return Character(Unicode.Scalar(byte))
        case 65...90:
            line.deviation(
                8, .valueOutOfRange, "classification (column 8) is '\(line.text(8, 8))'; expected U, C or S",
                keyword: "CLASSIFICATION_TYPE")
            return Character(Unicode.Scalar(byte))
        case 32:
            line.deviation(
                8, .invalidValue, "classification (column 8) is blank; expected U, C or S (read as U)",
                keyword: "CLASSIFICATION_TYPE")
            return "U"
        default:
            line.error(
                8, .invalidValue, "classification (column 8) holds '\(line.text(8, 8))'; expected U, C or S",
                keyword: "CLASSIFICATION_TYPE")
            return nil
        }
    }

    /// Columns 10–17: blank, or two digits of launch year, three digits of launch number, one to three letters of
    /// piece, left-justified.
    private static func readDesignator(_ line: inout TLELineScanner) -> String? {
        let bytes = line.field(10, 17)
        var end = 8
        while end > 0, bytes[end - 1] == 32 { end -= 1 }
        let used = UnsafeBufferPointer(rebasing: bytes[0..<end])
        if used.contains(where: { $0 < 32 || $0 > 126 }) {
            line.error(
                10, .invalidValue,
                "international designator (columns 10-17) holds non-ASCII or control characters; expected e.g. "
                    + "'98067A  '",
                keyword: "OBJECT_ID")
            return nil
        }
        if end > 0, !isStandardDesignator(used) {
            line.deviation(
                10, .invalidValue,
                "international designator (columns 10-17) is '\(line.text(10, 17))'; expected two digits of launch "
                    + "year, three of launch number and one to three letters of piece, left-justified (e.g. "
                    + "'98067A  ')",
                keyword: "OBJECT_ID")
        }
        return String(decoding: used, as: UTF8.self)
    }

    /// Whether `bytes` (trailing blanks removed) is `YYNNNP{1,3}`.
    static func isStandardDesignator(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 6, bytes.count <= 8 else { return false }
        for index in 0..<5 where bytes[index] &- 48 >= 10 { return false }
        for index in 5..<bytes.count where bytes[index] < 65 || bytes[index] > 90 { return false }
        return true
    }

    /// Blank columns of line 1 (between fields).
    static let line1Separators = [9, 18, 33, 44, 53, 62, 64]
    /// Blank columns of line 2 (between fields).
    static let line2Separators = [8, 17, 26, 34, 43, 52]

    /// Columns 19–32.
    private static func readEpoch(_ line: inout TLELineScanner) -> TLEEpoch? {
        guard let epoch = TLEEpoch.parse(line.field(19, 32)) else {
            let day = line.field(21, 23).reduce(0) { $1 &- 48 < 10 ? $0 * 10 + Int($1 &- 48) : -1_000 }
            if day == 0 || day > 366, line.byte(24) == UInt8(ascii: ".") {
                line.error(
                    21, .valueOutOfRange,
                    "epoch day of year (columns 21-23) is \(line.text(21, 23)); expected 001-366", keyword: "EPOCH")
                return nil
            }
            line.error(
                19, .invalidValue,
                "epoch (columns 19-32) is '\(line.text(19, 32))'; expected YYDDD.DDDDDDDD (two-digit year, day of "
                    + "year 001-366 and its fraction)",
                keyword: "EPOCH")
            return nil
        }
        if !epoch.isDayValid {
            line.deviation(
                21, .valueOutOfRange,
                "epoch day \(epoch.dayOfYear) does not exist in \(epoch.year); expected 1-365 (read as 1 January "
                    + "\(epoch.year + 1))",
                keyword: "EPOCH")
        }
        return epoch
    }
}
