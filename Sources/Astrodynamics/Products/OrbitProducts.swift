import CCSDS

/// Who a product is about: the OEM/OPM `OBJECT_NAME` and `OBJECT_ID` (CCSDS 502.0-B-3 §3.2.3, §5.2.3).
public struct ObjectIdentity: Sendable, Equatable {
    /// `OBJECT_NAME`, e.g. `ISS (ZARYA)`; `UNKNOWN` when not known.
    public var name: String
    /// `OBJECT_ID`: the international designator `YYYY-NNNP{PP}`, or `UNKNOWN`.
    public var id: String

    /// An identity from its name and international designator.
    public init(name: String, id: String) {
        self.name = name.isEmpty ? "UNKNOWN" : name
        self.id = id.isEmpty ? "UNKNOWN" : id
    }

    /// The identity a TLE carries (its name line, or `UNKNOWN`; its designator as `YYYY-NNNP`).
    public init(tle: TLE) {
        self.init(name: tle.name ?? "", id: TLE.objectID(forDesignator: tle.internationalDesignator))
    }
}

/// The CCSDS messages Essor computes: ephemerides (OEM) and states (OPM) from a propagator.
///
/// Epochs are written in UTC (`TIME_SYSTEM = UTC`) with the fewest fraction digits (0, 3, 6 or 9) that write every
/// epoch of the message exactly, and states with full double precision.
public enum OrbitProducts {
    /// The comment Essor puts in each computed segment, naming the theory and constants.
    public static func provenance(of propagator: SGP4Propagator) -> String {
        let mode = propagator.operationMode == .improved ? "improved" : "AFSPC"
        return "Computed by Essor: SGP4 (Vallado et al. 2006, AIAA 2006-6753), \(propagator.gravityModel) constants, "
            + "\(mode) mode, from the element set of epoch \((try? propagator.epoch())?.iso8601(fractionDigits: 6) ?? "?")"
    }

    /// One OEM segment (CCSDS 502.0-B-3 §5.2.3–5.2.4) holding `ephemeris`. Throws when it has no state.
    public static func oemSegment(
        _ ephemeris: SampledEphemeris, object: ObjectIdentity, comments: [String] = []
    ) throws(ValidationError) -> Segment {
        guard let first = ephemeris.epochs.first, let last = ephemeris.epochs.last else {
            throw ValidationError([
                Diagnostic(.error, .missingKeyword, "an OEM segment needs at least one state; none was computed")
            ])
        }
        let digits = fractionDigits(ephemeris.epochs)
        let metadata = Block(
            name: "metadata", comments: comments,
            fields: [
                Field("OBJECT_NAME", .text(object.name)),
                Field("OBJECT_ID", .text(object.id)),
                Field("CENTER_NAME", .text("EARTH")),
                Field("REF_FRAME", .text(ephemeris.frame.rawValue)),
                Field("TIME_SYSTEM", .text("UTC")),
                Field("START_TIME", .epoch(first.ccsdsEpoch(in: .utc, fractionDigits: digits))),
                Field("STOP_TIME", .epoch(last.ccsdsEpoch(in: .utc, fractionDigits: digits))),
            ])
        var lines = Ephemeris()
        lines.reserve(ephemeris.count, withAcceleration: false)
        for (epoch, state) in zip(ephemeris.epochs, ephemeris.states) {
            let r = state.positionKilometres, v = state.velocityKilometresPerSecond
            lines.append(epoch: epoch.ccsdsEpoch(in: .utc, fractionDigits: digits), components: [r.x, r.y, r.z, v.x, v.y, v.z])
        }
        return Segment(metadata: metadata, data: Block(name: "data"), ephemeris: lines)
    }

    /// An OEM (version 3.0) made of `segments`.
    public static func oem(segments: [Segment], creationDate: Epoch, originator: String) -> Message {
        Message(type: .oem, version: "3.0", header: header(creationDate, originator), segments: segments)
    }

    /// An OPM (version 3.0, CCSDS 502.0-B-3 §3) holding one state.
    public static func opm(
        state: CartesianState, at epoch: Epoch, frame: Frame, object: ObjectIdentity, creationDate: Epoch,
        originator: String, comments: [String] = []
    ) -> Message {
        let metadata = Block(
            name: "metadata", comments: comments,
            fields: [
                Field("OBJECT_NAME", .text(object.name)),
                Field("OBJECT_ID", .text(object.id)),
                Field("CENTER_NAME", .text("EARTH")),
                Field("REF_FRAME", .text(frame.rawValue)),
                Field("TIME_SYSTEM", .text("UTC")),
            ])
        let r = state.positionKilometres, v = state.velocityKilometresPerSecond
        let vector = Block(
            name: "stateVector",
            fields: [
                Field("EPOCH", .epoch(epoch.ccsdsEpoch(in: .utc, fractionDigits: fractionDigits([epoch])))),
                Field("X", .real(r.x)), Field("Y", .real(r.y)), Field("Z", .real(r.z)),
                Field("X_DOT", .real(v.x)), Field("Y_DOT", .real(v.y)), Field("Z_DOT", .real(v.z)),
            ])
        return Message(
            type: .opm, version: "3.0", header: header(creationDate, originator),
            segments: [Segment(metadata: metadata, data: Block(name: "data", children: [vector]))])
    }

    private static func header(_ creationDate: Epoch, _ originator: String) -> Block {
        Block(
            name: "header",
            fields: [
                Field("CREATION_DATE", .epoch(creationDate.ccsdsEpoch(in: .utc, fractionDigits: 0))),
                Field("ORIGINATOR", .text(originator)),
            ])
    }

    /// 0, 3, 6 or 9: the fewest fraction digits that write every epoch exactly (UTC).
    static func fractionDigits(_ epochs: [Epoch]) -> Int {
        var digits = 0
        for epoch in epochs {
            // Since 1972 TAI − UTC is a whole number of seconds, so the UTC nanosecond of the second is TAI's.
            let nanoseconds = Int(((epoch.taiNanosecondsSinceJ2000 % 1_000_000_000) + 1_000_000_000) % 1_000_000_000)
            while digits < 9, nanoseconds % pow10(9 - digits) != 0 { digits += 3 }
            if digits == 9 { break }
        }
        return digits
    }

    private static func pow10(_ n: Int) -> Int {
        var value = 1
        for _ in 0..<n { value *= 10 }
        return value
    }
}
