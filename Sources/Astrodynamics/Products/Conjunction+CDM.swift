import CCSDS

/// A conjunction read from a Conjunction Data Message (CCSDS 508.0-B-1), with what was assumed to build it.
///
/// - States: `X` … `Z_DOT` of each object (km, km/s) at TCA, in the objects' `REF_FRAME`. Both objects must be in
///   the same frame. EME2000 and GCRF are used as given (only relative motion matters). For ITRF, ω⊕ × r is added
///   to each velocity: the states become inertial ones in a non-rotating frame aligned with ITRF at TCA (CARA
///   converts ITRF to J2000 instead, which differs from this by one rotation, to which Pc is invariant). A mix of
///   frames is refused: even EME2000 against GCRF differs by the ~23 mas frame bias, 0.8 m at 7000 km.
/// - Covariances: the six position terms `CR_R` … `CN_N` (m², in each object's RTN frame built from its inertial
///   state, as CARA does) rotated to that frame and converted to km².
/// - Hard-body radius: the caller's when given; otherwise a comment `HBR = value [unit]` (CARA's test CDMs write
///   `COMMENT HBR = 20.0`; metres unless `km` follows), searched in the relative metadata, the header, then each
///   object's blocks (CDM 1.0 has no HBR keyword); otherwise 20 m.
public struct CDMConjunction: Sendable {
    /// The hard-body radius used when neither the caller nor the message gives one: 20 m.
    public static let defaultHardBodyRadiusKilometres = 0.020
    /// ω⊕, rad/s (IERS Conventions 2010, Table 1.1, nominal mean angular velocity).
    static let earthRotationRadiansPerSecond = 7.292115e-5

    /// The conjunction: OBJECT1 is the primary.
    public var conjunction: Conjunction
    /// The objects' `REF_FRAME`.
    public var referenceFrame: String
    /// Where the hard-body radius came from.
    public var hardBodyRadiusSource: HardBodyRadiusSource
    /// `TCA`, as written.
    public var timeOfClosestApproach: CCSDSEpoch?
    /// `COLLISION_PROBABILITY`, when the originator gave one.
    public var reportedCollisionProbability: Double?
    /// `COLLISION_PROBABILITY_METHOD`, when given.
    public var reportedCollisionProbabilityMethod: String?

    /// Reads the conjunction of a CDM; `hardBodyRadiusKilometres` overrides any radius in the message.
    public init(message: Message, hardBodyRadiusKilometres: Double? = nil) throws(CDMConjunctionError) {
        guard message.type == .cdm else { throw .notACDM(message.type) }
        let object1 = try Self.segment(named: "OBJECT1", at: 0, in: message)
        let object2 = try Self.segment(named: "OBJECT2", at: 1, in: message)
        let frame1 = try Self.text("REF_FRAME", in: object1.metadata, object: "OBJECT1")
        let frame2 = try Self.text("REF_FRAME", in: object2.metadata, object: "OBJECT2")
        guard frame1 == frame2 else { throw .mixedReferenceFrames(object1: frame1, object2: frame2) }
        let rotating = frame1.hasPrefix("ITRF")
        guard rotating || frame1 == "EME2000" || frame1 == "GCRF" else {
            throw .unsupportedReferenceFrame(object: "OBJECT1", frame: frame1)
        }
        var state1 = try Self.state(object1.data, object: "OBJECT1")
        var state2 = try Self.state(object2.data, object: "OBJECT2")
        if rotating {
            state1 = Self.inertialAlignedWithRotating(state1)
            state2 = Self.inertialAlignedWithRotating(state2)
        }
        let covariance1 = try Self.covariance(object1.data, object: "OBJECT1")
        let covariance2 = try Self.covariance(object2.data, object: "OBJECT2")

        let radius: Double
        if let hardBodyRadiusKilometres {
            radius = hardBodyRadiusKilometres
            hardBodyRadiusSource = .caller
        } else if let found = Self.hardBodyRadiusComment(in: message) {
            radius = found.kilometres
            hardBodyRadiusSource = .cdmComment(found.comment)
        } else {
            radius = Self.defaultHardBodyRadiusKilometres
            hardBodyRadiusSource = .defaultValue
        }
        conjunction = Conjunction(
            primary: state1, primaryCovarianceKilometres2: covariance1.inertialKilometres2(state: state1),
            secondary: state2, secondaryCovarianceKilometres2: covariance2.inertialKilometres2(state: state2),
            hardBodyRadiusKilometres: radius)
        referenceFrame = frame1
        timeOfClosestApproach = message.relativeMetadata?["TCA"]?.epoch
        reportedCollisionProbability = message.relativeMetadata?["COLLISION_PROBABILITY"]?.double
        reportedCollisionProbabilityMethod = message.relativeMetadata?["COLLISION_PROBABILITY_METHOD"]?.text
    }

    /// The hard-body radius (km) in a comment `HBR = value [unit]` of `message`, and the comment.
    public static func hardBodyRadiusComment(in message: Message) -> (kilometres: Double, comment: String)? {
        var blocks: [Block] = []
        if let relative = message.relativeMetadata { blocks.append(relative) }
        blocks.append(message.header)
        for segment in message.segments { blocks += [segment.metadata, segment.data] }
        for block in blocks {
            if let found = hardBodyRadiusComment(in: block) { return found }
        }
        return nil
    }

    /// A comment `HBR = value [unit]` (also `HBR: value`, `HARD_BODY_RADIUS = value`) read as km: metres unless
    /// the unit is `km`.
    public static func hardBodyRadius(fromComment comment: String) -> Double? {
        var text = Substring(comment.uppercased()).drop { $0 == " " }
        guard let name = ["HARD_BODY_RADIUS", "HARD BODY RADIUS", "HBR"].first(where: { text.hasPrefix($0) }) else {
            return nil
        }
        text = text.dropFirst(name.count).drop { $0 == " " }
        guard let separator = text.first, separator == "=" || separator == ":" else { return nil }
        text = text.dropFirst().drop { $0 == " " }
        let number = text.prefix { $0.isNumber || $0 == "." || $0 == "E" || $0 == "+" || $0 == "-" }
        guard let value = Double(number), value.isFinite, value >= 0 else { return nil }
        let unit = text.dropFirst(number.count).filter { $0 != " " && $0 != "[" && $0 != "]" }
        switch unit {
        case "", "M": return value / 1000
        case "KM": return value
        default: return nil
        }
    }

    private static func hardBodyRadiusComment(in block: Block) -> (kilometres: Double, comment: String)? {
        for comment in block.comments {
            if let value = hardBodyRadius(fromComment: comment) { return (value, comment) }
        }
        for child in block.children {
            if let found = hardBodyRadiusComment(in: child) { return found }
        }
        return nil
    }

    private static func segment(named name: String, at index: Int, in message: Message) throws(CDMConjunctionError)
        -> Segment
    {
        if let segment = message.segments.first(where: { $0.metadata["OBJECT"]?.text == name }) { return segment }
        guard index < message.segments.count else { throw .missingObject(name) }
        return message.segments[index]
    }

    private static func text(_ keyword: String, in block: Block, object: String) throws(CDMConjunctionError)
        -> String
    {
        guard let value = block[keyword]?.text else { throw .missingValue(object: object, keyword: keyword) }
        return value.uppercased()
    }

    private static func number(_ keyword: String, in block: Block, object: String) throws(CDMConjunctionError)
        -> Double
    {
        guard let value = block.find(keyword)?.double, value.isFinite else {
            throw .missingValue(object: object, keyword: keyword)
        }
        return value
    }

    private static func state(_ data: Block, object: String) throws(CDMConjunctionError) -> CartesianState {
        CartesianState(
            positionKilometres: SIMD3(
                try number("X", in: data, object: object), try number("Y", in: data, object: object),
                try number("Z", in: data, object: object)),
            velocityKilometresPerSecond: SIMD3(
                try number("X_DOT", in: data, object: object), try number("Y_DOT", in: data, object: object),
                try number("Z_DOT", in: data, object: object)))
    }

    private static func covariance(_ data: Block, object: String) throws(CDMConjunctionError)
        -> RTNPositionCovariance
    {
        RTNPositionCovariance(
            crrMetres2: try number("CR_R", in: data, object: object),
            ctrMetres2: try number("CT_R", in: data, object: object),
            cttMetres2: try number("CT_T", in: data, object: object),
            cnrMetres2: try number("CN_R", in: data, object: object),
            cntMetres2: try number("CN_T", in: data, object: object),
            cnnMetres2: try number("CN_N", in: data, object: object))
    }

    /// A state in an Earth-fixed frame made inertial in the non-rotating frame that coincides with it at this
    /// instant: v + ω⊕ ẑ × r (polar motion and length-of-day variations neglected).
    static func inertialAlignedWithRotating(_ state: CartesianState) -> CartesianState {
        let r = state.positionKilometres
        let w = earthRotationRadiansPerSecond
        return CartesianState(
            positionKilometres: r,
            velocityKilometresPerSecond: state.velocityKilometresPerSecond + SIMD3(-w * r.y, w * r.x, 0))
    }
}

extension Conjunction {
    /// The conjunction of a CDM (see `CDMConjunction` for what is assumed and reported).
    public init(cdm message: Message, hardBodyRadiusKilometres: Double? = nil) throws(CDMConjunctionError) {
        self = try CDMConjunction(message: message, hardBodyRadiusKilometres: hardBodyRadiusKilometres).conjunction
    }
}

/// Where the hard-body radius of a `CDMConjunction` came from.
public enum HardBodyRadiusSource: Sendable, Equatable {
    /// Given by the caller (`--hbr`).
    case caller
    /// Read from this comment of the message.
    case cdmComment(String)
    /// Neither: `CDMConjunction.defaultHardBodyRadiusKilometres`.
    case defaultValue
}

/// Why a CDM could not be turned into a conjunction.
public enum CDMConjunctionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message is not a CDM.
    case notACDM(MessageType)
    /// The message lacks an object's segment.
    case missingObject(String)
    /// A keyword needed for the probability of collision is missing or not a finite number.
    case missingValue(object: String, keyword: String)
    /// The objects are in different frames.
    case mixedReferenceFrames(object1: String, object2: String)
    /// A frame this adapter does not handle.
    case unsupportedReferenceFrame(object: String, frame: String)

    /// What went wrong and how to fix it.
    public var description: String {
        switch self {
        case .notACDM(let type):
            "this is a \(type.rawValue), not a CDM; the probability of collision needs a Conjunction Data Message"
        case .missingObject(let name):
            "the CDM has no \(name) segment; a CDM describes exactly two objects"
        case .missingValue(let object, let keyword):
            "\(object) has no usable \(keyword); the state vector and the RTN position covariance are required"
        case .mixedReferenceFrames(let frame1, let frame2):
            "OBJECT1 is in \(frame1) but OBJECT2 in \(frame2); convert both states to one frame first"
        case .unsupportedReferenceFrame(let object, let frame):
            "\(object) is in \(frame); use GCRF, EME2000 or ITRF"
        }
    }
}
