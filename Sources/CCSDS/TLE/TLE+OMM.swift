/// Conversion between a TLE and a TLE-based OMM (CCSDS 502.0-B-3 §4.1.2, §4.2.4.6–4.2.4.9, Table 4-3).
///
/// TLE → OMM is exact: every TLE value becomes the `Double` the TLE field spells, the epoch becomes a UTC calendar
/// epoch with microseconds (exact, since the TLE's 10⁻⁸ day is 864 µs). OMM → TLE rounds each value to its field's
/// precision (`TLEPrecision.roundToField`, the default: a warning names every value that lost digits) or refuses
/// values that do not fit exactly (`TLEPrecision.exact`: an error). Either way, TLE → OMM → TLE gives back the
/// same TLE, because a value read from a TLE is a fixed point of the rounding.
///
/// Mapping: OBJECT_NAME = name (or `UNKNOWN`), OBJECT_ID = the designator in `YYYY-NNNP{PP}` form (or `UNKNOWN`
/// when blank), CENTER_NAME = EARTH, REF_FRAME = TEME, TIME_SYSTEM = UTC, MEAN_ELEMENT_THEORY = SGP4 (SGP4-XP for
/// ephemeris type 4); MEAN_MOTION_DOT and MEAN_MOTION_DDOT are the TLE's ṅ/2 and n̈/6 as written (§4.2.4.7
/// note 2), BSTAR is B* in 1/ER.
extension TLE {
    /// The OMM that carries this element set: header CREATION_DATE and ORIGINATOR, metadata, and data with the
    /// `meanElements` and `tleParameters` blocks (names and keyword order of the NDM/XML 4.0.0 OMM XSD).
    public func ommMessage(creationDate: CCSDSEpoch, originator: String, version: String = "3.0") -> Message {
        gpElements.message(creationDate: creationDate, originator: originator, version: version)
    }

    /// The element set carried by a TLE-based OMM, and every problem found. The TLE is nil when there is an error
    /// (code `notRepresentable` for values a TLE cannot carry: NORAD_CAT_ID above 339999, ECCENTRICITY ≥ 1,
    /// values beyond a field's width, MEAN_ELEMENT_THEORY other than SGP4/SGP4-XP, REF_FRAME other than TEME,
    /// TIME_SYSTEM other than UTC, epochs outside 1957–2056 …). Warnings name dropped content and rounded values.
    ///
    /// OBJECT_NAME `UNKNOWN` (or empty) gives a TLE without a name, so that a nameless TLE survives the round trip.
    public static func fromOMM(_ message: Message, precision: TLEPrecision = .roundToField)
        -> (tle: TLE?, diagnostics: [Diagnostic])
    {
        let (elements, diagnostics) = GPElements.extract(from: message)
        guard let elements else { return (nil, diagnostics) }
        let (tle, more) = TLE.from(elements, precision: precision)
        return (tle, diagnostics + more)
    }

    /// The element set carried by a TLE-based OMM; throws all problems when it cannot be carried.
    public init(omm message: Message, precision: TLEPrecision = .roundToField) throws(ValidationError) {
        let (tle, diagnostics) = TLE.fromOMM(message, precision: precision)
        guard let tle else { throw ValidationError(diagnostics) }
        self = tle
    }

    /// The OMM `OBJECT_ID` of a TLE international designator: `98067A` → `1998-067A` (two-digit years 57–99 are
    /// 1957–1999, 00–56 are 2000–2056); a blank designator gives `UNKNOWN`; any other text is kept as it is.
    public static func objectID(forDesignator designator: String) -> String {
        if designator.isEmpty { return GPElements.unknown }
        var text = designator
        let standard = text.withUTF8 { isStandardDesignator($0) }
        guard standard else { return designator }
        let bytes = Array(designator.utf8)
        let year = TLEEpoch.fullYear(Int(bytes[0] &- 48) * 10 + Int(bytes[1] &- 48))
        return "\(year)-" + String(decoding: bytes[2...], as: UTF8.self)
    }

    /// The TLE international designator of an OMM `OBJECT_ID`: `1998-067A` → `98067A`; `UNKNOWN` or empty → blank.
    /// Returns nil when the year is outside 1957–2056 or the text is not in `YYYY-NNNP{PP}` form and does not fit
    /// eight ASCII columns; `standard` is false when the text was kept as it is.
    static func designator(forObjectID objectID: String) -> (designator: String, standard: Bool)? {
        if objectID.isEmpty || objectID == GPElements.unknown { return ("", true) }
        let bytes = Array(objectID.utf8)
        let digits = { (range: Range<Int>) in bytes[range].allSatisfy { $0 &- 48 < 10 } }
        if bytes.count >= 9, bytes.count <= 11, digits(0..<4), bytes[4] == UInt8(ascii: "-"), digits(5..<8),
            bytes[8...].allSatisfy({ $0 >= 65 && $0 <= 90 })
        {
            let year = bytes[0..<4].reduce(0) { $0 * 10 + Int($1 - 48) }
            guard (1957...2056).contains(year) else { return nil }
            return (String(decoding: bytes[2..<4] + bytes[5...], as: UTF8.self), true)
        }
        guard bytes.count <= 8, bytes.allSatisfy({ $0 >= 32 && $0 <= 126 }) else { return nil }
        return (objectID, false)
    }

    /// The GP record of this element set (exact).
    var gpElements: GPElements {
        GPElements(
            objectName: name ?? GPElements.unknown, objectID: TLE.objectID(forDesignator: internationalDesignator),
            meanElementTheory: ephemerisType == 4 ? "SGP4-XP" : "SGP4", epoch: ccsdsEpoch,
            meanMotion: meanMotionRevolutionsPerDay, eccentricity: eccentricity, inclination: inclinationDegrees,
            rightAscension: rightAscensionOfAscendingNodeDegrees, argumentOfPericenter: argumentOfPerigeeDegrees,
            meanAnomaly: meanAnomalyDegrees, ephemerisType: ephemerisType, classification: String(classification),
            noradCatalogueID: catalogueNumber, elementSetNumber: elementSetNumber,
            revolutionAtEpoch: revolutionNumberAtEpoch, bstar: bstarPerEarthRadius,
            meanMotionDot: meanMotionDotOver2RevolutionsPerDaySquared,
            meanMotionDdot: meanMotionDdotOver6RevolutionsPerDayCubed)
    }

    /// The TLE of a GP record: values rounded to their fields (or refused, with `.exact`).
    static func from(_ elements: GPElements, precision: TLEPrecision) -> (tle: TLE?, diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var failed = false
        func error(_ message: String, _ keyword: String) {
            failed = true
            diagnostics.append(Diagnostic(.error, .notRepresentable, message, keyword: keyword))
        }
        /// A change the TLE forces on a value: a warning when rounding is allowed, an error otherwise.
        func lossy(_ message: String, _ keyword: String) {
            switch precision {
            case .roundToField: diagnostics.append(Diagnostic(.warning, .notRepresentable, message, keyword: keyword))
            case .exact: error(message, keyword)
            }
        }

        let name: String? =
            elements.objectName.isEmpty || elements.objectName == GPElements.unknown ? nil : elements.objectName
        if let name, name.utf8.contains(where: { $0 == 10 || $0 == 13 }) {
            error("OBJECT_NAME contains a line break; a TLE name is one line", "OBJECT_NAME")
        }
        var designator = ""
        if let result = TLE.designator(forObjectID: elements.objectID) {
            designator = result.designator
            if !result.standard {
                diagnostics.append(
                    Diagnostic(
                        .warning, .notRepresentable,
                        "OBJECT_ID '\(elements.objectID)' is not in YYYY-NNNP{PP} form; written as it is in columns "
                            + "10-17",
                        keyword: "OBJECT_ID"))
            }
        } else {
            error(
                "OBJECT_ID '\(elements.objectID)' cannot be carried: expected YYYY-NNNP{PP} with a year in 1957-2056 "
                    + "(the TLE keeps two digits of year) or at most eight characters",
                "OBJECT_ID")
        }
        var epoch: TLEEpoch?
        if let (nearest, exact) = TLEEpoch.nearest(to: elements.epoch) {
            epoch = nearest
            if !exact {
                lossy(
                    "EPOCH \(elements.epoch) is not a multiple of 10^-8 day (864 microseconds); rounded to "
                        + "\(nearest.ccsdsEpoch) (TLE epoch \(nearest.text))",
                    "EPOCH")
            }
        } else {
            error(
                "EPOCH \(elements.epoch) cannot be carried: a TLE's two-digit year covers 1957-2056", "EPOCH")
        }
        var classification: Character = "U"
        let classificationBytes = Array(elements.classification.utf8)
        if classificationBytes.count == 1, classificationBytes[0] >= 65, classificationBytes[0] <= 90 {
            classification = Character(Unicode.Scalar(classificationBytes[0]))
            if !"UCS".utf8.contains(classificationBytes[0]) {
                diagnostics.append(
                    Diagnostic(
                        .warning, .valueOutOfRange,
                        "CLASSIFICATION_TYPE is \(elements.classification); expected U, C or S",
                        keyword: "CLASSIFICATION_TYPE"))
            }
        } else {
            error(
                "CLASSIFICATION_TYPE '\(elements.classification)' cannot be carried: the TLE holds one letter (U, C "
                    + "or S)",
                "CLASSIFICATION_TYPE")
        }
        // Angles: OMM allows -360 <= angle < 360 (XSD angleType); a TLE holds 0 <= angle < 360.
        func angle(_ value: Double, _ keyword: String) -> Double {
            guard value < 0, value >= -360 else { return value }
            lossy("\(keyword) \(value) is negative; written as \(value + 360) (the same angle)", keyword)
            return value + 360
        }
        let raw = TLE(
            name: name, catalogueNumber: elements.noradCatalogueID, classification: classification,
            internationalDesignator: designator,
            epoch: epoch ?? TLEEpoch(text: "57001.00000000", year: 1957, dayOfYear: 1, ticks: 0),
            meanMotionDotOver2RevolutionsPerDaySquared: elements.meanMotionDot,
            meanMotionDdotOver6RevolutionsPerDayCubed: elements.meanMotionDdot, bstarPerEarthRadius: elements.bstar,
            ephemerisType: elements.ephemerisType, elementSetNumber: elements.elementSetNumber,
            inclinationDegrees: elements.inclination,
            rightAscensionOfAscendingNodeDegrees: angle(elements.rightAscension, "RA_OF_ASC_NODE"),
            eccentricity: elements.eccentricity,
            argumentOfPerigeeDegrees: angle(elements.argumentOfPericenter, "ARG_OF_PERICENTER"),
            meanAnomalyDegrees: angle(elements.meanAnomaly, "MEAN_ANOMALY"),
            meanMotionRevolutionsPerDay: elements.meanMotion, revolutionNumberAtEpoch: elements.revolutionAtEpoch)
        let (encoded, problems) = TLEFields.encode(raw)
        diagnostics.append(contentsOf: problems)
        guard let encoded else { return (nil, diagnostics) }

        // The values the fields hold; report those that changed (all of them, even after an error).
        var tle = raw
        func settle(_ original: Double, _ written: Double, _ field: TLEFields.Field) -> Double {
            if written != original {
                lossy(
                    "\(field.keyword) \(original) has more digits than \(field.placeDescription) holds; rounded to "
                        + "\(written)",
                    field.keyword)
            }
            return written
        }
        let dot = TLEFields.fixed(encoded.meanMotionDot, decimals: 8)
        tle.meanMotionDotOver2RevolutionsPerDaySquared = settle(
            raw.meanMotionDotOver2RevolutionsPerDaySquared, dot, .meanMotionDot)
        tle.meanMotionDdotOver6RevolutionsPerDayCubed = settle(
            raw.meanMotionDdotOver6RevolutionsPerDayCubed, encoded.meanMotionDdot.value, .meanMotionDdot)
        tle.bstarPerEarthRadius = settle(raw.bstarPerEarthRadius, encoded.bstar.value, .bstar)
        tle.inclinationDegrees = settle(
            raw.inclinationDegrees, TLEFields.fixed(encoded.inclination, decimals: 4), .inclination)
        tle.rightAscensionOfAscendingNodeDegrees = settle(
            raw.rightAscensionOfAscendingNodeDegrees, TLEFields.fixed(encoded.rightAscension, decimals: 4),
            .rightAscension)
        tle.eccentricity = settle(raw.eccentricity, TLEFields.fixed(encoded.eccentricity, decimals: 7), .eccentricity)
        tle.argumentOfPerigeeDegrees = settle(
            raw.argumentOfPerigeeDegrees, TLEFields.fixed(encoded.argumentOfPerigee, decimals: 4), .argumentOfPerigee)
        tle.meanAnomalyDegrees = settle(
            raw.meanAnomalyDegrees, TLEFields.fixed(encoded.meanAnomaly, decimals: 4), .meanAnomaly)
        tle.meanMotionRevolutionsPerDay = settle(
            raw.meanMotionRevolutionsPerDay, TLEFields.fixed(encoded.meanMotion, decimals: 8), .meanMotion)
        guard !failed else { return (nil, diagnostics) }
        return (tle, diagnostics)
    }
}

/// How OMM → TLE conversion treats values with more digits than the TLE field holds.
public enum TLEPrecision: Sendable, Equatable {
    /// Round to the field's precision (nearest, halves away from zero, on the binary value; the epoch to the
    /// nearest 10⁻⁸ day) and report each rounded value as a warning. Values read from a TLE never change.
    case roundToField
    /// Refuse any value that the field does not hold exactly (error, code `notRepresentable`).
    case exact
}
