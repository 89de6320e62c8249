/// Rules that link several values of a message, checked after the structure is read.
///
/// Each rule cites the standard. Locations come from the reader's record of where each keyword stood.
enum Consistency {
    /// Where a keyword of a section stood in the input: `section` is nil for the header and CDM relative
    /// metadata, else the segment index.
    typealias Locator = (_ keyword: String, _ segment: Int?) -> SourceLocation?

    /// Appends the problems of `message` to `diagnostics`.
    static func check(
        _ message: Message, spec: MessageSpec, locate: Locator = { _, _ in nil }, into diagnostics: inout [Diagnostic]
    ) {
        func add(_ text: String, _ keyword: String, _ segment: Int?, code: Diagnostic.Code = .consistency) {
            diagnostics.append(Diagnostic(.error, code, text, at: locate(keyword, segment), keyword: keyword))
        }
        for (index, segment) in message.segments.enumerated() {
            let metadata = segment.metadata
            // CCSDS 502.0-B-3 §5.2.3 (OEM), 503.0-B-2 §3.3.3 (TDM): START_TIME ≤ USEABLE_START ≤ USEABLE_STOP ≤ STOP.
            if let start = metadata["START_TIME"]?.epoch, let stop = metadata["STOP_TIME"]?.epoch, stop < start {
                add("STOP_TIME \(stop) is before START_TIME \(start)", "STOP_TIME", index)
            }
            if let usableStart = metadata["USEABLE_START_TIME"]?.epoch {
                if let start = metadata["START_TIME"]?.epoch, usableStart < start {
                    add("USEABLE_START_TIME \(usableStart) is before START_TIME \(start)", "USEABLE_START_TIME", index)
                }
                if let usableStop = metadata["USEABLE_STOP_TIME"]?.epoch, usableStop < usableStart {
                    add("USEABLE_STOP_TIME \(usableStop) is before USEABLE_START_TIME", "USEABLE_STOP_TIME", index)
                }
            }
            if let usableStop = metadata["USEABLE_STOP_TIME"]?.epoch, let stop = metadata["STOP_TIME"]?.epoch,
                stop < usableStop
            {
                add("USEABLE_STOP_TIME \(usableStop) is after STOP_TIME \(stop)", "USEABLE_STOP_TIME", index)
            }
            switch spec.type {
            case .opm:
                // CCSDS 502.0-B-3 §3.2.4.4: the osculating elements give either TRUE_ANOMALY or MEAN_ANOMALY.
                if let kepler = segment.data.child("keplerianElements"),
                    (kepler["TRUE_ANOMALY"] == nil) == (kepler["MEAN_ANOMALY"] == nil)
                {
                    add("keplerianElements need exactly one of TRUE_ANOMALY and MEAN_ANOMALY", "TRUE_ANOMALY", index,
                        code: .missingKeyword)
                }
                // §3.2.4.9: MASS is mandatory when maneuvers are given.
                if segment.data.child("maneuverParameters") != nil,
                    segment.data.child("spacecraftParameters")?["MASS"] == nil
                {
                    add("MASS is required in spacecraftParameters when maneuvers are given", "MAN_EPOCH_IGNITION",
                        index, code: .missingKeyword)
                }
            case .omm:
                // CCSDS 502.0-B-3 §4.2.4.3: SEMI_MAJOR_AXIS or MEAN_MOTION, not both.
                if let mean = segment.data.child("meanElements"),
                    (mean["SEMI_MAJOR_AXIS"] == nil) == (mean["MEAN_MOTION"] == nil)
                {
                    add("meanElements need exactly one of SEMI_MAJOR_AXIS and MEAN_MOTION", "EPOCH", index,
                        code: .missingKeyword)
                }
                if let tle = segment.data.child("tleParameters") {
                    if (tle["BSTAR"] == nil) == (tle["BTERM"] == nil) {
                        add("tleParameters need exactly one of BSTAR and BTERM", "MEAN_MOTION_DOT", index,
                            code: .missingKeyword)
                    }
                    if (tle["MEAN_MOTION_DDOT"] == nil) == (tle["AGOM"] == nil) {
                        add("tleParameters need exactly one of MEAN_MOTION_DDOT and AGOM", "MEAN_MOTION_DOT", index,
                            code: .missingKeyword)
                    }
                }
            case .oem:
                // CCSDS 502.0-B-3 §5.2.4.4: INTERPOLATION_DEGREE goes with INTERPOLATION.
                if metadata["INTERPOLATION"] != nil, metadata["INTERPOLATION_DEGREE"] == nil {
                    add("INTERPOLATION_DEGREE is required when INTERPOLATION is given", "INTERPOLATION", index,
                        code: .missingKeyword)
                }
            case .cdm:
                checkCDMCovariance(segment.data, segment: index, add: add)
            case .tdm:
                break
            }
        }
        if spec.type == .cdm, message.segments.count == 2 {
            // CCSDS 508.0-B-1 §3.5.1: OBJECT1 first, OBJECT2 second.
            for (index, segment) in message.segments.enumerated() {
                let expected = "OBJECT\(index + 1)"
                if let object = segment.metadata["OBJECT"]?.text, object != expected {
                    add("OBJECT = \(object) where \(expected) is expected: OBJECT1 comes first", "OBJECT", index,
                        code: .structure)
                }
            }
        }
    }

    /// CCSDS 508.0-B-1 §3.5.2 and Table 3-5: the optional drag, SRP and thrust rows (7–9) come whole, and each
    /// needs the rows before it.
    private static func checkCDMCovariance(
        _ data: Block, segment: Int, add: (String, String, Int?, Diagnostic.Code) -> Void
    ) {
        guard let covariance = data.child("covarianceMatrix") else { return }
        let rows: [(prefix: String, columns: [String])] = [
            ("CDRG", ["R", "T", "N", "RDOT", "TDOT", "NDOT", "DRG"]),
            ("CSRP", ["R", "T", "N", "RDOT", "TDOT", "NDOT", "DRG", "SRP"]),
            ("CTHR", ["R", "T", "N", "RDOT", "TDOT", "NDOT", "DRG", "SRP", "THR"]),
        ]
        var previousComplete = true
        for row in rows {
            let keywords = row.columns.map { "\(row.prefix)_\($0)" }
            let present = keywords.filter { covariance[$0] != nil }
            if present.isEmpty {
                previousComplete = false
                continue
            }
            if present.count != keywords.count {
                let missing = keywords.first { covariance[$0] == nil }!
                add("the \(row.prefix) covariance row is incomplete: \(missing) is missing", missing, segment, .missingKeyword)
            } else if !previousComplete {
                add("the \(row.prefix) covariance row needs the rows before it", keywords[0], segment, .consistency)
            }
        }
    }
}

extension Consistency {
    /// The last step of every reader: runs the consistency rules with the keyword places the reader recorded
    /// (header and CDM relative metadata in `header`, one dictionary per segment in `segments`), then orders all
    /// diagnostics by place.
    static func finish(
        _ message: Message?, spec: MessageSpec, header: [String: SourceLocation],
        segments: [[String: SourceLocation]], diagnostics: [Diagnostic]
    ) -> ReadResult {
        var diagnostics = diagnostics
        if let message {
            check(
                message, spec: spec,
                locate: { keyword, segment in
                    guard let segment else { return header[keyword] }
                    return segment < segments.count ? segments[segment][keyword] : nil
                }, into: &diagnostics)
        }
        let origin = SourceLocation(line: 0, column: 0)
        diagnostics.sort { ($0.location ?? origin) < ($1.location ?? origin) }
        return ReadResult(message: message, diagnostics: diagnostics)
    }
}
