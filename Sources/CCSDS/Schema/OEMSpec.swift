/// Orbit Ephemeris Message: CCSDS 502.0-B-3 §5 and XSD `ndmxml-4.0.0-oem-3.0.xsd`.
extension MessageSpec {
    /// The OEM.
    public static let oem = MessageSpec(
        type: .oem,
        versions: ["3.0", "2.0", "1.0"],
        header: .odmHeader,
        metadata: BlockSpec(
            "metadata",
            [
                .required("OBJECT_NAME"),
                .required("OBJECT_ID"),
                .required("CENTER_NAME"),
                .required("REF_FRAME", .registry(CommonValues.referenceFrames)),
                .optional("REF_FRAME_EPOCH", .epoch),
                .required("TIME_SYSTEM", .enumeration(CommonValues.timeSystems)),
                .required("START_TIME", .epoch),
                .optional("USEABLE_START_TIME", .epoch),
                .optional("USEABLE_STOP_TIME", .epoch),
                .required("STOP_TIME", .epoch),
                .optional("INTERPOLATION", .enumeration(["HERMITE", "LAGRANGE", "LINEAR"])),
                .optional("INTERPOLATION_DEGREE", .integer(.positive)),
            ]),
        data: BlockSpec(
            "data",
            [
                .many(
                    BlockSpec(
                        "covarianceMatrix", kvnLayout: .lowerTriangle,
                        [
                            .required("EPOCH", .epoch),
                            .optional("COV_REF_FRAME", .registry(CommonValues.referenceFrames + CommonValues.localFrames)),
                        ] + BlockSpec.covarianceKeywords))
            ]),
        segmentCount: 1...Int.max,
        metadataDelimited: true,
        bulk: .ephemeris)
}
