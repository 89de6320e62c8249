/// Conjunction Data Message: CCSDS 508.0-B-1 (with Cor. 1 and Cor. 2) and XSD `ndmxml-4.0.0-cdm-1.0.xsd`.
///
/// Structure, block names, order and occurrence follow the XSD; units, closed value lists and obligation follow
/// Tables 3-1 to 3-4 of the Blue Book (they agree, except where noted below).
extension MessageSpec {
    /// The CDM: a header, the relative metadata/data, then exactly two segments (OBJECT1, then OBJECT2).
    public static let cdm = MessageSpec(
        type: .cdm,
        versions: ["1.0"],
        header: .cdmHeader,
        relativeMetadata: .cdmRelativeMetadataData,
        metadata: .cdmMetadata,
        data: .cdmData,
        // CCSDS 508.0-B-1 §4.2.2; XSD `cdmBody`: `segment` minOccurs = maxOccurs = 2.
        segmentCount: 2...2,
        metadataDelimited: false,
        bulk: .none)
}

/// Values closed by the CDM.
extension CommonValues {
    /// `OBJECT` (CCSDS 508.0-B-1 §3.4, Table 3-3; XSD `objectType`).
    static let cdmObjects = ["OBJECT1", "OBJECT2"]
    /// `OBJECT_TYPE` (CCSDS 508.0-B-1 §3.4, Table 3-3; XSD `objectDescriptionType`).
    static let cdmObjectTypes = ["PAYLOAD", "ROCKET BODY", "DEBRIS", "UNKNOWN", "OTHER"]
    /// `REF_FRAME` of the CDM state vector: a closed list, unlike the ODM (CCSDS 508.0-B-1 §3.4, Table 3-3; XSD
    /// `referenceFrameType`).
    static let cdmReferenceFrames = ["GCRF", "EME2000", "ITRF"]
}

/// The blocks of the CDM, named after their XSD elements.
extension BlockSpec {
    /// The CDM header, without `CCSDS_CDM_VERS` (CCSDS 508.0-B-1 §3.2, Table 3-1; XSD `cdmHeader`).
    static let cdmHeader = BlockSpec(
        "header",
        [
            .required("CREATION_DATE", .epoch),
            .required("ORIGINATOR"),
            .optional("MESSAGE_FOR"),
            .required("MESSAGE_ID"),
        ])

    /// The relative position and velocity of Object2 with respect to Object1, in Object1's RTN frame
    /// (CCSDS 508.0-B-1 §3.3, Table 3-2, and §4.3.9.3, Table 4-2; XSD `relativeStateVectorType`, which has no
    /// `COMMENT` and makes all six keywords obligatory once the block is present).
    static let cdmRelativeStateVector = BlockSpec(
        "relativeStateVector", comments: false,
        [
            .required("RELATIVE_POSITION_R", .real(), units: ["m"]),
            .required("RELATIVE_POSITION_T", .real(), units: ["m"]),
            .required("RELATIVE_POSITION_N", .real(), units: ["m"]),
            .required("RELATIVE_VELOCITY_R", .real(), units: ["m/s"]),
            .required("RELATIVE_VELOCITY_T", .real(), units: ["m/s"]),
            .required("RELATIVE_VELOCITY_N", .real(), units: ["m/s"]),
        ])

    /// The relative metadata/data shared by both objects (CCSDS 508.0-B-1 §3.3, Table 3-2; XSD
    /// `relativeMetadataData`).
    static let cdmRelativeMetadataData = BlockSpec(
        "relativeMetadataData",
        [
            .required("TCA", .epoch),
            .required("MISS_DISTANCE", .real(), units: ["m"]),
            .optional("RELATIVE_SPEED", .real(), units: ["m/s"]),
            .maybe(.cdmRelativeStateVector),
            .optional("START_SCREEN_PERIOD", .epoch),
            .optional("STOP_SCREEN_PERIOD", .epoch),
            .optional("SCREEN_VOLUME_FRAME", .enumeration(["RTN", "TVN"])),
            .optional("SCREEN_VOLUME_SHAPE", .enumeration(["ELLIPSOID", "BOX"])),
            .optional("SCREEN_VOLUME_X", .real(), units: ["m"]),
            .optional("SCREEN_VOLUME_Y", .real(), units: ["m"]),
            .optional("SCREEN_VOLUME_Z", .real(), units: ["m"]),
            .optional("SCREEN_ENTRY_TIME", .epoch),
            .optional("SCREEN_EXIT_TIME", .epoch),
            // Table 3-2: 0.0 <= p <= 1.0; XSD `probabilityType`.
            .optional("COLLISION_PROBABILITY", .real(.probability)),
            .optional("COLLISION_PROBABILITY_METHOD"),
        ])

    /// The metadata of one object (CCSDS 508.0-B-1 §3.4, Table 3-3; XSD `cdmMetadata`).
    static let cdmMetadata = BlockSpec(
        "metadata",
        [
            .required("OBJECT", .enumeration(CommonValues.cdmObjects)),
            .required("OBJECT_DESIGNATOR"),
            .required("CATALOG_NAME"),
            .required("OBJECT_NAME"),
            .required("INTERNATIONAL_DESIGNATOR"),
            .optional("OBJECT_TYPE", .enumeration(CommonValues.cdmObjectTypes)),
            .optional("OPERATOR_CONTACT_POSITION"),
            .optional("OPERATOR_ORGANIZATION"),
            .optional("OPERATOR_PHONE"),
            .optional("OPERATOR_EMAIL"),
            .required("EPHEMERIS_NAME"),
            .required("COVARIANCE_METHOD", .enumeration(["CALCULATED", "DEFAULT"])),
            // "N/A" per §1.4.3.1; XSD `maneuverableType`.
            .required("MANEUVERABLE", .enumeration(["YES", "NO", "N/A"])),
            .optional("ORBIT_CENTER"),
            .required("REF_FRAME", .enumeration(CommonValues.cdmReferenceFrames)),
            .optional("GRAVITY_MODEL"),
            .optional("ATMOSPHERIC_MODEL"),
            .optional("N_BODY_PERTURBATIONS"),
            .optional("SOLAR_RAD_PRESSURE", .enumeration(CommonValues.yesNo)),
            .optional("EARTH_TIDES", .enumeration(CommonValues.yesNo)),
            .optional("INTRACK_THRUST", .enumeration(CommonValues.yesNo)),
        ])

    /// The OD parameters logical block (CCSDS 508.0-B-1 §3.5, Table 3-4 "OD Parameters"; XSD `odParametersType`).
    static let cdmODParameters = BlockSpec(
        "odParameters",
        [
            .optional("TIME_LASTOB_START", .epoch),
            .optional("TIME_LASTOB_END", .epoch),
            // XSD `dayIntervalTypeUO`: non-negative.
            .optional("RECOMMENDED_OD_SPAN", .real(.nonNegative), units: ["d"]),
            .optional("ACTUAL_OD_SPAN", .real(.nonNegative), units: ["d"]),
            // Table 3-4: "Data type = integer"; XSD `xsd:positiveInteger`.
            .optional("OBS_AVAILABLE", .integer(.positive)),
            .optional("OBS_USED", .integer(.positive)),
            .optional("TRACKS_AVAILABLE", .integer(.positive)),
            .optional("TRACKS_USED", .integer(.positive)),
            // Table 3-4: range 0.0 to 100.0; XSD `percentageTypeUO`.
            .optional("RESIDUALS_ACCEPTED", .real(.percentage), units: ["%"]),
            // XSD `nonNegativeDouble`.
            .optional("WEIGHTED_RMS", .real(.nonNegative)),
        ])

    /// The additional parameters logical block (CCSDS 508.0-B-1 §3.5, Table 3-4 "Additional Parameters"; XSD
    /// `additionalParametersType`).
    static let cdmAdditionalParameters = BlockSpec(
        "additionalParameters",
        [
            // XSD `areaType`, `massType`, `m2kgType`, `wkgType`: non-negative.
            .optional("AREA_PC", .real(.nonNegative), units: ["m**2"]),
            .optional("AREA_DRG", .real(.nonNegative), units: ["m**2"]),
            .optional("AREA_SRP", .real(.nonNegative), units: ["m**2"]),
            .optional("MASS", .real(.nonNegative), units: ["kg"]),
            .optional("CD_AREA_OVER_MASS", .real(.nonNegative), units: ["m**2/kg"]),
            .optional("CR_AREA_OVER_MASS", .real(.nonNegative), units: ["m**2/kg"]),
            // XSD `ms2Type`: any sign.
            .optional("THRUST_ACCELERATION", .real(), units: ["m/s**2"]),
            .optional("SEDR", .real(.nonNegative), units: ["W/kg"]),
        ])

    /// The object's state vector at TCA, without an epoch (CCSDS 508.0-B-1 §3.5, Table 3-4 "State Vector", §5.2.2;
    /// XSD `cdmStateVectorType`).
    static let cdmStateVector = BlockSpec(
        "stateVector",
        [
            .required("X", .real(), units: ["km"]),
            .required("Y", .real(), units: ["km"]),
            .required("Z", .real(), units: ["km"]),
            .required("X_DOT", .real(), units: ["km/s"]),
            .required("Y_DOT", .real(), units: ["km/s"]),
            .required("Z_DOT", .real(), units: ["km/s"]),
        ])

    /// The object's covariance at TCA in its RTN frame: the lower triangle of a 9×9 matrix, row by row, the 6×6
    /// position/velocity part obligatory, the drag, SRP and thrust rows optional (CCSDS 508.0-B-1 §3.5, Table 3-4
    /// "Covariance Matrix", §5.2.7–5.2.8; XSD `cdmCovarianceMatrixType`). The XSD puts no bound on any term, the
    /// diagonal included.
    static let cdmCovarianceMatrix = BlockSpec(
        "covarianceMatrix",
        [
            // Rows 1–3: position.
            .required("CR_R", .real(), units: ["m**2"]),
            .required("CT_R", .real(), units: ["m**2"]),
            .required("CT_T", .real(), units: ["m**2"]),
            .required("CN_R", .real(), units: ["m**2"]),
            .required("CN_T", .real(), units: ["m**2"]),
            .required("CN_N", .real(), units: ["m**2"]),
            // Rows 4–6: velocity.
            .required("CRDOT_R", .real(), units: ["m**2/s"]),
            .required("CRDOT_T", .real(), units: ["m**2/s"]),
            .required("CRDOT_N", .real(), units: ["m**2/s"]),
            .required("CRDOT_RDOT", .real(), units: ["m**2/s**2"]),
            .required("CTDOT_R", .real(), units: ["m**2/s"]),
            .required("CTDOT_T", .real(), units: ["m**2/s"]),
            .required("CTDOT_N", .real(), units: ["m**2/s"]),
            .required("CTDOT_RDOT", .real(), units: ["m**2/s**2"]),
            .required("CTDOT_TDOT", .real(), units: ["m**2/s**2"]),
            .required("CNDOT_R", .real(), units: ["m**2/s"]),
            .required("CNDOT_T", .real(), units: ["m**2/s"]),
            .required("CNDOT_N", .real(), units: ["m**2/s"]),
            .required("CNDOT_RDOT", .real(), units: ["m**2/s**2"]),
            .required("CNDOT_TDOT", .real(), units: ["m**2/s**2"]),
            .required("CNDOT_NDOT", .real(), units: ["m**2/s**2"]),
            // Row 7: drag (CD_AREA_OVER_MASS). §5.2.8: a row given in part is not allowed, and rows 7–9 each
            // require all preceding rows.
            .optional("CDRG_R", .real(), units: ["m**3/kg"]),
            .optional("CDRG_T", .real(), units: ["m**3/kg"]),
            .optional("CDRG_N", .real(), units: ["m**3/kg"]),
            .optional("CDRG_RDOT", .real(), units: ["m**3/(kg*s)"]),
            .optional("CDRG_TDOT", .real(), units: ["m**3/(kg*s)"]),
            .optional("CDRG_NDOT", .real(), units: ["m**3/(kg*s)"]),
            .optional("CDRG_DRG", .real(), units: ["m**4/kg**2"]),
            // Row 8: solar radiation pressure (CR_AREA_OVER_MASS).
            .optional("CSRP_R", .real(), units: ["m**3/kg"]),
            .optional("CSRP_T", .real(), units: ["m**3/kg"]),
            .optional("CSRP_N", .real(), units: ["m**3/kg"]),
            .optional("CSRP_RDOT", .real(), units: ["m**3/(kg*s)"]),
            .optional("CSRP_TDOT", .real(), units: ["m**3/(kg*s)"]),
            .optional("CSRP_NDOT", .real(), units: ["m**3/(kg*s)"]),
            .optional("CSRP_DRG", .real(), units: ["m**4/kg**2"]),
            .optional("CSRP_SRP", .real(), units: ["m**4/kg**2"]),
            // Row 9: in-track thrust (THRUST_ACCELERATION).
            .optional("CTHR_R", .real(), units: ["m**2/s**2"]),
            .optional("CTHR_T", .real(), units: ["m**2/s**2"]),
            .optional("CTHR_N", .real(), units: ["m**2/s**2"]),
            .optional("CTHR_RDOT", .real(), units: ["m**2/s**3"]),
            .optional("CTHR_TDOT", .real(), units: ["m**2/s**3"]),
            .optional("CTHR_NDOT", .real(), units: ["m**2/s**3"]),
            .optional("CTHR_DRG", .real(), units: ["m**3/(kg*s**2)"]),
            .optional("CTHR_SRP", .real(), units: ["m**3/(kg*s**2)"]),
            .optional("CTHR_THR", .real(), units: ["m**2/s**4"]),
        ])

    /// The data of one object: its four logical blocks (CCSDS 508.0-B-1 §3.5.1, Table 3-4, §4.3.9, Table 4-1; XSD
    /// `cdmData`).
    static let cdmData = BlockSpec(
        "data",
        [
            .maybe(.cdmODParameters),
            .maybe(.cdmAdditionalParameters),
            .one(.cdmStateVector),
            .one(.cdmCovarianceMatrix),
        ])
}
