/// Orbit Mean-Elements Message: CCSDS 502.0-B-3 §4 and XSD `ndmxml-4.0.0-omm-3.0.xsd`.
///
/// Differences with ODM 2.0 (502.0-B-2 §4, XSD `ndmxml-2.0.0-omm-2.0.xsd`): the header gained `CLASSIFICATION` and
/// `MESSAGE_ID` (see `BlockSpec.odmHeader`); the TLE parameters gained `BTERM` (alternative to `BSTAR`) and `AGOM`
/// (alternative to `MEAN_MOTION_DDOT`) for SGP4-XP, and `EPHEMERIS_TYPE` changed its suggested numbering
/// (502.0-B-3 Annex J, items 3–4). No OMM keyword was removed in 3.0, so no keyword here carries `until:`.
///
/// The OMM first appeared in ODM 2.0 (502.0-B-2 Annex E1, item 1; Annex F: "there is no version 1.0 compatible
/// OMM"), so 1.0 is not a version of it.
extension MessageSpec {
    /// The OMM: one segment of metadata and data, the data made of mean Keplerian elements and optional spacecraft
    /// parameters, TLE parameters, covariance and user-defined parameters.
    public static let omm = MessageSpec(
        type: .omm,
        versions: ["3.0", "2.0"],
        // CCSDS 502.0-B-3 §4.2.2, Table 4-1; XSD `odmHeader`.
        header: .odmHeader,
        // CCSDS 502.0-B-3 §4.2.3, Table 4-2; XSD `ommMetadata`.
        metadata: BlockSpec(
            "metadata",
            [
                .required("OBJECT_NAME"),
                .required("OBJECT_ID"),
                .required("CENTER_NAME"),
                // Values of §3.2.3.3; TEME only for TLE-based OMMs (§4.2.4.9).
                .required("REF_FRAME", .registry(CommonValues.referenceFrames)),
                .optional("REF_FRAME_EPOCH", .epoch),
                // §3.2.3.2 and Annex B, Table B-2.
                .required("TIME_SYSTEM", .enumeration(CommonValues.timeSystems)),
                // Free text: SGP, SGP4, SGP4-XP, DSST, USM … (Table 4-2 gives examples, not a closed list).
                .required("MEAN_ELEMENT_THEORY"),
            ]),
        // CCSDS 502.0-B-3 §4.2.4, Table 4-3; XSD `ommData`.
        data: BlockSpec(
            "data",
            [
                .one(.ommMeanElements),
                .maybe(.odmSpacecraftParameters),
                .maybe(.ommTLEParameters),
                .maybe(.odmCovarianceMatrix),
                .maybe(.odmUserDefinedParameters),
            ]),
        segmentCount: 1...1,
        metadataDelimited: false,
        bulk: .none)
}

/// Blocks of the OMM data section (the spacecraft parameters, covariance and user-defined parameters are shared with
/// the OPM).
extension BlockSpec {
    /// Mean Keplerian elements (CCSDS 502.0-B-3 §4.2.4, Table 4-3; XSD `meanElementsType`).
    ///
    /// Exactly one of `SEMI_MAJOR_AXIS` and `MEAN_MOTION` is required (an `xsd:choice`; Table 4-3 "SEMI_MAJOR_AXIS or
    /// MEAN_MOTION", M). Both are optional here and a consistency check enforces the choice. A TLE-based OMM uses
    /// `MEAN_MOTION` (§4.2.4.6).
    static let ommMeanElements = BlockSpec(
        "meanElements",
        [
            .required("EPOCH", .epoch),
            // One of the next two is required (XSD `xsd:choice`).
            .optional("SEMI_MAJOR_AXIS", .real(), units: ["km"]),
            // XSD `revUnits` also allows the upper-case spelling.
            .optional("MEAN_MOTION", .real(), units: ["rev/day", "REV/DAY"]),
            .required("ECCENTRICITY", .real(.nonNegative)),
            .required("INCLINATION", .real(.inclination), units: ["deg"]),
            .required("RA_OF_ASC_NODE", .real(.angle), units: ["deg"]),
            .required("ARG_OF_PERICENTER", .real(.angle), units: ["deg"]),
            .required("MEAN_ANOMALY", .real(.angle), units: ["deg"]),
            .optional("GM", .real(.positive), units: ["km**3/s**2", "KM**3/S**2"]),
        ])

    /// TLE-related parameters (CCSDS 502.0-B-3 §4.2.4, Table 4-3 and §4.2.4.6–4.2.4.7; XSD `tleParametersType`).
    ///
    /// In 3.0 the XSD requires one of `BSTAR` (SGP4) and `BTERM` (SGP4-XP), `MEAN_MOTION_DOT`, and one of
    /// `MEAN_MOTION_DDOT` (SGP, PPT3) and `AGOM` (SGP4-XP); Table 4-3 marks them C. The two choices are modelled as
    /// optional keywords (a consistency check enforces them); `MEAN_MOTION_DOT` is required, as in the XSD.
    /// In 2.0, `BTERM` and `AGOM` did not exist, and the 2.0 XSD made `NORAD_CAT_ID` … `MEAN_MOTION_DDOT` mandatory
    /// while the 2.0 book made them optional; they are optional here, as in 3.0.
    static let ommTLEParameters = BlockSpec(
        "tleParameters",
        [
            // §4.2.4.7: suggested codes 0 SGP, 2 SGP4, 3 PPT3, 4 SGP4-XP, 6 special perturbations (2.0 suggested
            // 1–5); default 0. Not a closed list (XSD `xsd:integer`).
            .optional("EPHEMERIS_TYPE", .integer()),
            // §4.2.4.7: "some sources suggest" U (unclassified), S (secret); TLEs also use C (classified). Default U.
            .optional("CLASSIFICATION_TYPE", .registry(["U", "C", "S"])),
            // Table 4-3: "an integer of up to nine digits".
            .optional("NORAD_CAT_ID", .integer(NumericRange(lower: 0, upper: 999_999_999))),
            // XSD `elementSetNoType`: 0000–9999.
            .optional("ELEMENT_SET_NO", .integer(NumericRange(lower: 0, upper: 9999))),
            // XSD `xsd:nonNegativeInteger`.
            .optional("REV_AT_EPOCH", .integer(.nonNegative)),
            // One of BSTAR and BTERM is required (XSD `xsd:choice`).
            .optional("BSTAR", .real(), units: ["1/ER"]),
            .optional("BTERM", .real(), units: ["m**2/kg"], since: 3.0),
            .required("MEAN_MOTION_DOT", .real(), units: ["rev/day**2", "REV/DAY**2"]),
            // One of MEAN_MOTION_DDOT and AGOM is required (XSD `xsd:choice`).
            .optional("MEAN_MOTION_DDOT", .real(), units: ["rev/day**3", "REV/DAY**3"]),
            .optional("AGOM", .real(), units: ["m**2/kg"], since: 3.0),
        ])
}
