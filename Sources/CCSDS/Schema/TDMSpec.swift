/// Tracking Data Message: CCSDS 503.0-B-2 with Cor. 1 (TDM 2.0), XSD `ndmxml-4.0.0-tdm-2.0.xsd`; TDM 1.0
/// (CCSDS 503.0-B-1) as in XSD `ndmxml-1.0-tdm-1.0.xsd`.
///
/// TDM 1.0 keywords are a subset of TDM 2.0's: every keyword TDM 2.0 added is marked `since: 2.0`, and no keyword
/// was removed (nothing is `until: 1.0`).
///
/// Two rules of the standard the table cannot express, which the reader or validator must apply:
/// - `PATH` and the pair `PATH_1`/`PATH_2` exclude each other (XSD `xsd:choice`; §3.3.2: `PATH` with
///   `MODE = SEQUENTIAL`, `PATH_1` and `PATH_2` with `MODE = SINGLE_DIFF`). Their values are participant indices
///   separated by commas with no blanks (`1,2,1`; XSD `pathType`: `\d{1},\d{1}(,\d{1})*`).
/// - Text values, enumerations included, are compared without regard to case (§4.3.7; the XSD lists upper- and
///   lower-case spellings of every enumerated value, e.g. `km`/`KM`, `RAW`/`raw`).
///
/// Units are informative only: a TDM does not display them (CCSDS 503.0-B-2 §4.4), and the TDM XSD gives no
/// `units` attribute to any metadata keyword.
extension MessageSpec {
    /// The TDM.
    public static let tdm = MessageSpec(
        type: .tdm,
        versions: ["2.0", "1.0"],
        // CCSDS 503.0-B-2 §3.2, Table 3-2; XSD `tdmHeader` (TDM 1.0: `ndmHeader`, without MESSAGE_ID).
        header: BlockSpec(
            "header",
            [
                .required("CREATION_DATE", .epoch),  // UTC (§3.2.6, §4.3.10)
                .required("ORIGINATOR"),
                .optional("MESSAGE_ID", since: 2.0),
            ]),
        // CCSDS 503.0-B-2 §3.3.1, Table 3-3; XSD `tdmMetadata`. Order fixed by §3.3.1.8.
        metadata: BlockSpec(
            "metadata",
            [
                .optional("TRACK_ID", since: 2.0),
                // Comma-separated data keywords of Table 3-5 (e.g. `RANGE,TRANSMIT_FREQ_n`).
                .optional("DATA_TYPES", since: 2.0),
                // SANA Time Systems registry (Annex B2): other values need an ICD, so they are warnings.
                .required("TIME_SYSTEM", .registry(CommonValues.timeSystems)),
                .optional("START_TIME", .epoch),  // UTC (§4.3.10)
                .optional("STOP_TIME", .epoch),  // UTC (§4.3.10)
                // At least one participant (Table 3-3 "Yes (at least one)"; XSD: PARTICIPANT_1 mandatory).
                .required("PARTICIPANT_1"),
                .optional("PARTICIPANT_2"),
                .optional("PARTICIPANT_3"),
                .optional("PARTICIPANT_4"),
                .optional("PARTICIPANT_5"),
                // Table 3-3 (N): normative values.
                .optional("MODE", .enumeration(TDMValues.modes)),
                // `PATH` xor `PATH_1`/`PATH_2` (XSD `xsd:choice`), text such as `1,2,1`.
                .optional("PATH"),
                .optional("PATH_1"),
                .optional("PATH_2"),
                .optional("EPHEMERIS_NAME_1", since: 2.0),
                .optional("EPHEMERIS_NAME_2", since: 2.0),
                .optional("EPHEMERIS_NAME_3", since: 2.0),
                .optional("EPHEMERIS_NAME_4", since: 2.0),
                .optional("EPHEMERIS_NAME_5", since: 2.0),
                // Bands are examples only (S, X, Ka, L, UHF, GREEN; ranges in the ICD).
                .optional("TRANSMIT_BAND"),
                .optional("RECEIVE_BAND"),
                // "The value shall be an integer" (Table 3-3); XSD `xsd:int`.
                .optional("TURNAROUND_NUMERATOR", .integer()),
                .optional("TURNAROUND_DENOMINATOR", .integer()),
                .optional("TIMETAG_REF", .enumeration(TDMValues.timetagReferences)),
                // "positive double precision" (Table 3-3); XSD `positiveDouble`.
                .optional("INTEGRATION_INTERVAL", .real(.positive), units: ["s"]),
                .optional("INTEGRATION_REF", .enumeration(TDMValues.integrationReferences)),
                // Added to every RECEIVE_FREQ (§3.5.2.8); default 0.0.
                .optional("FREQ_OFFSET", .real(), units: ["Hz"]),
                .optional("RANGE_MODE", .enumeration(TDMValues.rangeModes)),
                // In the units named by RANGE_UNITS (km, s or RU); non-negative; default 0.0 (infinite modulus).
                .optional("RANGE_MODULUS", .real(.nonNegative), units: TDMValues.rangeUnits),
                // Default `km` (Table 3-3, §3.5.2.7).
                .optional("RANGE_UNITS", .enumeration(TDMValues.rangeUnits)),
                // Table 3-3 (N), but "Other values are possible, but must be defined in an ICD": warnings.
                .optional("ANGLE_TYPE", .registry(TDMValues.angleTypes)),
                // SANA Celestial Body Reference Frames registry (Annex B3); applies only to ANGLE_TYPE = RADEC.
                .optional("REFERENCE_FRAME", .registry(TDMValues.referenceFrames)),
                // Examples only (HERMITE, LAGRANGE, LINEAR: Table 3-3 "E"; XSD `xsd:string`).
                .optional("INTERPOLATION", since: 2.0),
                // Must be given when INTERPOLATION is (Table 3-3); XSD `xsd:positiveInteger`.
                .optional("INTERPOLATION_DEGREE", .integer(.positive), since: 2.0),
                // "shall be positive", Hz (Table 3-3); XSD `positiveDouble`.
                .optional("DOPPLER_COUNT_BIAS", .real(.positive), units: ["Hz"], since: 2.0),
                // Positive integer, default 1 (Table 3-3); XSD `xsd:positiveInteger`.
                .optional("DOPPLER_COUNT_SCALE", .integer(.positive), since: 2.0),
                .optional("DOPPLER_COUNT_ROLLOVER", .enumeration(CommonValues.yesNo), since: 2.0),
                // Non-negative seconds, default 0.0 (Table 3-3); XSD `nonNegativeDouble`.
                .optional("TRANSMIT_DELAY_1", .real(.nonNegative), units: ["s"]),
                .optional("TRANSMIT_DELAY_2", .real(.nonNegative), units: ["s"]),
                .optional("TRANSMIT_DELAY_3", .real(.nonNegative), units: ["s"]),
                .optional("TRANSMIT_DELAY_4", .real(.nonNegative), units: ["s"]),
                .optional("TRANSMIT_DELAY_5", .real(.nonNegative), units: ["s"]),
                .optional("RECEIVE_DELAY_1", .real(.nonNegative), units: ["s"]),
                .optional("RECEIVE_DELAY_2", .real(.nonNegative), units: ["s"]),
                .optional("RECEIVE_DELAY_3", .real(.nonNegative), units: ["s"]),
                .optional("RECEIVE_DELAY_4", .real(.nonNegative), units: ["s"]),
                .optional("RECEIVE_DELAY_5", .real(.nonNegative), units: ["s"]),
                // Default RAW.
                .optional("DATA_QUALITY", .enumeration(TDMValues.dataQualities)),
                // "Units for the correction shall be the same as those for the applicable observable" (Table 3-3).
                .optional("CORRECTION_ANGLE_1", .real(), units: ["deg"]),
                .optional("CORRECTION_ANGLE_2", .real(), units: ["deg"]),
                .optional("CORRECTION_DOPPLER", .real(), units: ["km/s"]),
                .optional("CORRECTION_MAG", .real(), since: 2.0),
                // In the units named by RANGE_UNITS.
                .optional("CORRECTION_RANGE", .real(), units: TDMValues.rangeUnits),
                .optional("CORRECTION_RCS", .real(), units: ["m**2"], since: 2.0),
                // Applicable observables: received / transmitted frequencies (Annex I pairs these corrections with
                // frequency and phase data). The book names no unit explicitly.
                .optional("CORRECTION_RECEIVE", .real(), units: ["Hz"]),
                .optional("CORRECTION_TRANSMIT", .real(), units: ["Hz"]),
                // Applicable observables: the angles ANGLE_1 / ANGLE_2 (optical data, Annex I). No explicit unit.
                .optional("CORRECTION_ABERRATION_YEARLY", .real(), units: ["deg"], since: 2.0),
                .optional("CORRECTION_ABERRATION_DIURNAL", .real(), units: ["deg"], since: 2.0),
                // Required when any CORRECTION_* keyword is present (§3.4.15.3).
                .optional("CORRECTIONS_APPLIED", .enumeration(CommonValues.yesNo)),
            ]),
        // CCSDS 503.0-B-2 §3.4, §3.5; XSD `tdmData`: comments, then the tracking data records (`observations`).
        data: BlockSpec("data", []),
        segmentCount: 1...Int.max,
        metadataDelimited: true,
        dataDelimited: true,
        bulk: .observations)
}

/// Values of the TDM's enumerated metadata keywords (CCSDS 503.0-B-2 Table 3-3, XSD `ndmxml-4.0.0-tdm-2.0.xsd`).
///
/// Spelled as the book prints them; the XSD also accepts the lower-case (or upper-case) spelling of each, and
/// §4.3.7 makes case insignificant in text values.
public enum TDMValues {
    /// `MODE` (Table 3-3; XSD `modeType`).
    public static let modes = ["SEQUENTIAL", "SINGLE_DIFF"]
    /// `TIMETAG_REF` (Table 3-3; XSD `timetagRefType`).
    public static let timetagReferences = ["TRANSMIT", "RECEIVE"]
    /// `INTEGRATION_REF` (Table 3-3; XSD `integrationRefType`).
    public static let integrationReferences = ["START", "MIDDLE", "END"]
    /// `RANGE_MODE` (Table 3-3; XSD `rangemodeType`).
    public static let rangeModes = ["COHERENT", "CONSTANT", "ONE_WAY"]
    /// `RANGE_UNITS`, and so the units of `RANGE`, `RANGE_MODULUS` and `CORRECTION_RANGE` (Table 3-3; XSD
    /// `rangeUnitsType`): kilometres, seconds, or range units defined in the ICD. `km` is the default.
    public static let rangeUnits = ["km", "s", "RU"]
    /// `ANGLE_TYPE` (Table 3-3; XSD `angleTypeType`): azimuth/elevation, right ascension/declination, x-east/y-north,
    /// x-south/y-east. The book allows other values defined in an ICD.
    public static let angleTypes = ["AZEL", "RADEC", "XEYN", "XSYE"]
    /// `DATA_QUALITY` (Table 3-3; XSD `dataQualityType`). `RAW` is the default.
    public static let dataQualities = ["RAW", "VALIDATED", "DEGRADED"]
    /// `REFERENCE_FRAME`: the SANA registry values known to the library, plus the Table 3-3 example `TOD_EARTH`.
    /// (The XSD `refFrameType` closes the list to EME2000, ICRF, ITRF2000, ITRF-93, ITRF-97 and TOD; the book defers
    /// to the SANA registry, Annex B3.)
    public static let referenceFrames = CommonValues.referenceFrames + ["TOD_EARTH"]
}

/// One keyword of a TDM data section: a tracking data record `KEYWORD = timetag measurement`
/// (CCSDS 503.0-B-2 §3.4, §3.5, Tables 3-5 and 3-6; XSD `trackingDataObservationType`).
public struct TDMDataKeyword: Sendable, Equatable {
    /// How a measurement is held in `Observation.value`.
    public enum Representation: Sendable, Equatable {
        /// A double (`Value.real`).
        case number
        /// The digits as written (`Value.text`): phase counts may carry more significant digits than a double holds
        /// ("a string representing a real number that can be any number of digits", §3.5.2.11, §3.5.2.12,
        /// §4.3.11; the string holds no letters or special characters).
        case text
    }

    /// The keyword (`RANGE`, `RECEIVE_FREQ_2` …), as written in KVN and as the XML element name.
    public let name: String
    /// The keyword as the book lists it: `RECEIVE_FREQ_n` for the indexed keywords, else `name`.
    public let family: String
    /// The participant index `n` (1…5) of an indexed keyword (`PARTICIPANT_n`), nil for the others.
    public let index: Int?
    /// The units of Table 3-5 (empty: not applicable). When `unitsKeyword` is set, the metadata keyword of that
    /// name picks one of them.
    public let units: [String]
    /// The metadata keyword whose value is the measurement's unit (`RANGE_UNITS` for `RANGE`), if any.
    public let unitsKeyword: String?
    /// Whether the value is held as a number or as text.
    public let representation: Representation
    /// The values the book allows for the measurement.
    public let range: NumericRange
    /// Whether the XSD allows a `units` attribute on the XML element (`ANGLE_1`, `ANGLE_2`: `deg`; `RHUMIDITY`: `%`).
    public let xmlUnitsAttribute: Bool
    /// The first TDM version that has the keyword (0: all versions).
    public let since: Double
    /// The subsection of CCSDS 503.0-B-2 that defines the keyword (`3.5.2.7`).
    public let section: String

    /// Creates a data keyword description (the table below is the only client).
    init(
        _ name: String, family: String? = nil, index: Int? = nil, units: [String] = [], unitsKeyword: String? = nil,
        _ representation: Representation = .number, range: NumericRange = .any, xmlUnitsAttribute: Bool = false,
        since: Double = 0, section: String
    ) {
        self.name = name
        self.family = family ?? name
        self.index = index
        self.units = units
        self.unitsKeyword = unitsKeyword
        self.representation = representation
        self.range = range
        self.xmlUnitsAttribute = xmlUnitsAttribute
        self.since = since
        self.section = section
    }

    /// Whether the measurement is held as text (`Value.text`): the phase counts `*_PHASE_CT_n`.
    public var isText: Bool { representation == .text }

    /// How the measurement is read and checked: `.real(range)` for numbers, `.text` for phase counts.
    public var kind: ValueKind {
        switch representation {
        case .number: .real(range)
        case .text: .text
        }
    }

    /// Whether the keyword exists in TDM version `version`.
    public func exists(in version: Double) -> Bool { version >= since }
}

extension TDMDataKeyword {
    /// The five keywords `base_1` … `base_5` of an indexed family (§3.3.1.11: at most five participants).
    fileprivate static func indexed(
        _ base: String, units: [String] = [], _ representation: Representation = .number,
        range: NumericRange = .any, since: Double = 0, section: String
    ) -> [TDMDataKeyword] {
        (1...5).map { (n: Int) -> TDMDataKeyword in
            TDMDataKeyword(
                "\(base)_\(n)", family: "\(base)_n", index: n, units: units, representation, range: range,
                since: since, section: section)
        }
    }
}

extension MessageSpec {
    /// Every TDM data keyword, in the order of the XSD's `trackingDataObservationType` choice (alphabetical, as
    /// Table 3-5). `COMMENT`, `DATA_START` and `DATA_STOP` are structure, not data, and are not listed.
    public static let tdmDataKeywordList: [TDMDataKeyword] = {
        var list: [TDMDataKeyword] = []
        // §3.5.4.2–3: "−180.0 ≤ ANGLE < 360.0", degrees. Meaning per ANGLE_TYPE: AZEL azimuth/elevation, RADEC right
        // ascension/declination, XEYN x-east/y-north, XSYE x-south/y-east.
        let angle = NumericRange(lower: -180, upper: 360, upperInclusive: false)
        list.append(
            TDMDataKeyword("ANGLE_1", units: ["deg"], range: angle, xmlUnitsAttribute: true, section: "3.5.4.2"))
        list.append(
            TDMDataKeyword("ANGLE_2", units: ["deg"], range: angle, xmlUnitsAttribute: true, section: "3.5.4.3"))
        list.append(TDMDataKeyword("CARRIER_POWER", units: ["dBW"], section: "3.5.2.1"))
        list.append(TDMDataKeyword("CLOCK_BIAS", units: ["s"], section: "3.5.6.1"))
        list.append(TDMDataKeyword("CLOCK_DRIFT", units: ["s/s"], section: "3.5.6.2"))
        // §3.5.2.4: "shall be an integer and should be positive (… it may be zero)"; XSD `xsd:double`.
        list.append(TDMDataKeyword("DOPPLER_COUNT", since: 2.0, section: "3.5.2.4"))
        list.append(TDMDataKeyword("DOPPLER_INSTANTANEOUS", units: ["km/s"], section: "3.5.2.2"))
        list.append(TDMDataKeyword("DOPPLER_INTEGRATED", units: ["km/s"], section: "3.5.2.3"))
        list.append(TDMDataKeyword("DOR", units: ["s"], section: "3.5.3.2"))
        list.append(TDMDataKeyword("MAG", since: 2.0, section: "3.5.5.1"))
        list.append(TDMDataKeyword("PC_N0", units: ["dBHz"], section: "3.5.2.5"))
        list.append(TDMDataKeyword("PR_N0", units: ["dBHz"], section: "3.5.2.6"))
        list.append(TDMDataKeyword("PRESSURE", units: ["hPa"], section: "3.5.8.1"))
        // §3.5.2.7: in the units of RANGE_UNITS (km, s or RU; default km).
        list.append(
            TDMDataKeyword("RANGE", units: TDMValues.rangeUnits, unitsKeyword: "RANGE_UNITS", section: "3.5.2.7"))
        // §3.5.5.2: "shall be a positive double precision value" (XSD: `xsd:double`).
        list.append(TDMDataKeyword("RCS", units: ["m**2"], range: .positive, since: 2.0, section: "3.5.5.2"))
        // §3.5.2.8: not indexed for differenced Doppler (MODE = SINGLE_DIFF).
        list.append(TDMDataKeyword("RECEIVE_FREQ", units: ["Hz"], section: "3.5.2.8"))
        list += TDMDataKeyword.indexed("RECEIVE_FREQ", units: ["Hz"], section: "3.5.2.8")
        list += TDMDataKeyword.indexed("RECEIVE_PHASE_CT", .text, since: 2.0, section: "3.5.2.11")
        // §3.5.8.2: 0.0 ≤ RHUMIDITY ≤ 100.0 (XSD `percentageTypeUO`).
        list.append(
            TDMDataKeyword("RHUMIDITY", units: ["%"], range: .percentage, xmlUnitsAttribute: true, section: "3.5.8.2"))
        // §3.5.7.1: "shall be a positive double precision value" (XSD: `xsd:double`).
        list.append(TDMDataKeyword("STEC", units: ["TECU"], range: .positive, section: "3.5.7.1"))
        // §3.5.8.3: "shall be a positive double precision type value" (XSD: `nonNegativeDouble`).
        list.append(TDMDataKeyword("TEMPERATURE", units: ["K"], range: .positive, section: "3.5.8.3"))
        // §3.5.2.9: "shall be a positive double precision value" (XSD `positiveDouble`).
        list += TDMDataKeyword.indexed("TRANSMIT_FREQ", units: ["Hz"], range: .positive, section: "3.5.2.9")
        list += TDMDataKeyword.indexed("TRANSMIT_FREQ_RATE", units: ["Hz/s"], section: "3.5.2.10")
        list += TDMDataKeyword.indexed("TRANSMIT_PHASE_CT", .text, since: 2.0, section: "3.5.2.12")
        // §3.5.7.2–3: 0.0 ≤ TROPO (XSD `nonNegativeDouble`).
        list.append(TDMDataKeyword("TROPO_DRY", units: ["m"], range: .nonNegative, section: "3.5.7.2"))
        list.append(TDMDataKeyword("TROPO_WET", units: ["m"], range: .nonNegative, section: "3.5.7.3"))
        list.append(TDMDataKeyword("VLBI_DELAY", units: ["s"], section: "3.5.3.3"))
        return list
    }()

    /// The TDM data keywords by name (`RANGE`, `RECEIVE_FREQ_3` …): CCSDS 503.0-B-2 Table 3-5.
    public static let tdmDataKeywords: [String: TDMDataKeyword] = Dictionary(
        uniqueKeysWithValues: tdmDataKeywordList.map { ($0.name, $0) })

    /// The data keyword named `name`, indexed families included (`RECEIVE_FREQ_1` … `RECEIVE_FREQ_5`; there is no
    /// index 0 or 6), or nil when the TDM has no such data keyword. Compares bytes without building a `String`.
    public static func tdmDataKeyword(_ name: Substring) -> TDMDataKeyword? {
        let bytes = name.utf8
        let count = bytes.count
        for keyword in tdmDataKeywordList where keyword.name.utf8.count == count {
            if keyword.name.utf8.elementsEqual(bytes) { return keyword }
        }
        return nil
    }
}
