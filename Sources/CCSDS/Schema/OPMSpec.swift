/// Orbit Parameter Message: CCSDS 502.0-B-3 §3 and XSD `ndmxml-4.0.0-opm-3.0.xsd`.
///
/// Differences with ODM 2.0 (502.0-B-2 §3, XSD `ndmxml-2.0.0-opm-2.0.xsd`): the header gained `CLASSIFICATION` and
/// `MESSAGE_ID` (see `BlockSpec.odmHeader`), and `MAN_DELTA_MASS` may be zero (XSD `deltamassTypeZ`). No OPM keyword
/// was removed in 3.0 (502.0-B-3 Annex J), so no keyword here carries `until:`.
extension MessageSpec {
    /// The OPM: one segment of metadata and data, the data made of a state vector and optional Keplerian elements,
    /// spacecraft parameters, covariance, maneuvers and user-defined parameters.
    public static let opm = MessageSpec(
        type: .opm,
        versions: ["3.0", "2.0", "1.0"],
        // CCSDS 502.0-B-3 §3.2.2, Table 3-1; XSD `odmHeader`.
        header: .odmHeader,
        // CCSDS 502.0-B-3 §3.2.3, Table 3-2; XSD `opmMetadata`.
        metadata: BlockSpec(
            "metadata",
            [
                .required("OBJECT_NAME"),
                .required("OBJECT_ID"),
                .required("CENTER_NAME"),
                // §3.2.3.3: values "should be selected from" the set; others must be documented in an ICD.
                .required("REF_FRAME", .registry(CommonValues.referenceFrames)),
                .optional("REF_FRAME_EPOCH", .epoch),
                // §3.2.3.2 and Annex B, Table B-2.
                .required("TIME_SYSTEM", .enumeration(CommonValues.timeSystems)),
            ]),
        // CCSDS 502.0-B-3 §3.2.4, Table 3-3; XSD `opmData`.
        data: BlockSpec(
            "data",
            [
                .one(.stateVector),
                .maybe(.opmKeplerianElements),
                .maybe(.odmSpacecraftParameters),
                .maybe(.odmCovarianceMatrix),
                // §3.2.4.8: several maneuvers may appear, each with all its parameters.
                .many(.opmManeuverParameters),
                .maybe(.odmUserDefinedParameters),
            ]),
        segmentCount: 1...1,
        metadataDelimited: false,
        bulk: .none)
}

/// Blocks of the OPM data section, and the blocks the OPM shares with the OMM.
extension BlockSpec {
    /// Osculating Keplerian elements (CCSDS 502.0-B-3 §3.2.4, Table 3-3; XSD `keplerianElementsType`).
    ///
    /// The block is all or nothing: when it is present every keyword is mandatory. Exactly one of `TRUE_ANOMALY` and
    /// `MEAN_ANOMALY` must be given (an `xsd:choice`); both are optional here and a consistency check enforces the
    /// choice.
    static let opmKeplerianElements = BlockSpec(
        "keplerianElements",
        [
            // CCSDS 502.0-B-3 §3.2.4, Table 3-3 (XSD `distanceType`: any sign, hyperbolic orbits have a < 0).
            .required("SEMI_MAJOR_AXIS", .real(), units: ["km"]),
            .required("ECCENTRICITY", .real(.nonNegative)),
            .required("INCLINATION", .real(.inclination), units: ["deg"]),
            .required("RA_OF_ASC_NODE", .real(.angle), units: ["deg"]),
            .required("ARG_OF_PERICENTER", .real(.angle), units: ["deg"]),
            // One of the two anomalies is required (XSD `xsd:choice`).
            .optional("TRUE_ANOMALY", .real(.angle), units: ["deg"]),
            .optional("MEAN_ANOMALY", .real(.angle), units: ["deg"]),
            // XSD `gmType`: positive; `gmUnits` also allows the upper-case spelling.
            .required("GM", .real(.positive), units: ["km**3/s**2", "KM**3/S**2"]),
        ])

    /// One maneuver (CCSDS 502.0-B-3 §3.2.4, Table 3-3 and §3.2.4.7–3.2.4.8; XSD `maneuverParametersType`).
    ///
    /// Table 3-3 marks each keyword O, but §3.2.4.8 requires all the parameters of a maneuver to be repeated for each
    /// maneuver (ODM 2.0: "none or all parameters of this block must be given"), and the XSD makes all of them
    /// mandatory: they are required within the block.
    static let opmManeuverParameters = BlockSpec(
        "maneuverParameters",
        [
            .required("MAN_EPOCH_IGNITION", .epoch),
            // §3.2.4.7: zero for an impulsive maneuver (XSD `durationType`: non-negative).
            .required("MAN_DURATION", .real(.nonNegative), units: ["s"]),
            // §3.2.4.7 says the value "must be a negative number"; the 3.0 XSD (`deltamassTypeZ`) allows zero
            // (ODM 2.0 XSD `deltamassType`: strictly negative). The reader follows the 3.0 XSD.
            .required("MAN_DELTA_MASS", .real(.nonPositive), units: ["kg"]),
            // §3.2.4.11: a celestial frame or a local orbital frame (RTN, RSW, TNW …).
            .required("MAN_REF_FRAME", .registry(CommonValues.referenceFrames + CommonValues.localFrames)),
            .required("MAN_DV_1", .real(), units: ["km/s"]),
            .required("MAN_DV_2", .real(), units: ["km/s"]),
            .required("MAN_DV_3", .real(), units: ["km/s"]),
        ])

    /// Spacecraft parameters, shared by the OPM and the OMM (CCSDS 502.0-B-3 §3.2.4, Table 3-3 and §4.2.4, Table 4-3;
    /// XSD `spacecraftParametersType`).
    ///
    /// Every keyword is optional; in an OPM with maneuvers `MASS` becomes mandatory (§3.2.4.9), which a consistency
    /// check enforces.
    static let odmSpacecraftParameters = BlockSpec(
        "spacecraftParameters",
        [
            // XSD `massType`, `areaType`, `nonNegativeDouble`: all non-negative.
            .optional("MASS", .real(.nonNegative), units: ["kg"]),
            .optional("SOLAR_RAD_AREA", .real(.nonNegative), units: ["m**2"]),
            // §3.2.4.5: zero means no solar radiation pressure.
            .optional("SOLAR_RAD_COEFF", .real(.nonNegative)),
            .optional("DRAG_AREA", .real(.nonNegative), units: ["m**2"]),
            // §3.2.4.6: zero means no drag.
            .optional("DRAG_COEFF", .real(.nonNegative)),
        ])

    /// The position/velocity covariance of the OPM and the OMM: an optional `COV_REF_FRAME`, then the 21 elements of
    /// the lower triangle as `KEY = value` lines, all mandatory once the block is present (CCSDS 502.0-B-3 §3.2.4,
    /// Table 3-3 and §3.2.4.10; §4.2.4, Table 4-3 and §4.2.4.5; XSD `opmCovarianceMatrixType`). Unlike the OEM's,
    /// this covariance has no `EPOCH`: it holds at the state's epoch.
    static let odmCovarianceMatrix = BlockSpec(
        "covarianceMatrix",
        [
            // §3.2.4.11: defaults to the metadata REF_FRAME when omitted.
            .optional("COV_REF_FRAME", .registry(CommonValues.referenceFrames + CommonValues.localFrames))
        ] + BlockSpec.covarianceKeywords)

    /// User-defined parameters, shared by the OPM and the OMM: any number of `USER_DEFINED_x = value` lines, written
    /// in XML as `<USER_DEFINED parameter="x">value</USER_DEFINED>` (CCSDS 502.0-B-3 §3.2.4.12, §4.2.4.10; XSD
    /// `userDefinedType`).
    static let odmUserDefinedParameters = BlockSpec(
        "userDefinedParameters", userDefinedPrefix: "USER_DEFINED_", [])
}
