import CCSDS
import Foundation
import Testing

@testable import Astrodynamics

/// The CDM adapter and the RTN rotation, on NASA CARA's test CDMs (Fixtures/conjunction/README.md).
@Suite struct ConjunctionCDMTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/conjunction")

    /// A fixture read leniently: CARA's Alfano CDMs write `NaN` in the OD parameters and `[m]` for velocities,
    /// which the strict reader rejects; the state vectors and covariances read fine either way.
    static func message(_ name: String) throws -> Message {
        let bytes = try [UInt8](Data(contentsOf: fixtures.appendingPathComponent(name)))
        return try #require(MessageReader.read(bytes, strictness: .lenient).message)
    }

    static func relativeError(_ value: Double, _ truth: Double) -> Double { abs(value - truth) / abs(truth) }

    /// Alfano (2009) test cases 4, 7 and 9 as CARA's CDMs (`COMMENT HBR = …` in metres): the expected value is
    /// Alfano's published linear Pc (Alfano 2009, "Satellite Conjunction Monte Carlo Analysis", AAS 09-233, the
    /// `A09_PcLinear100` column of CARA's A09TestCases_01_12_Distributed.csv, and Pc2D_Foster_UnitTest's
    /// AlfanoExpSolution, RelTol 1e-3), then CARA's own Pc2D from the at-TCA spreadsheets (`CARA_Pc2D`), which the
    /// CDMs' rounded states and RTN covariances reproduce to ~1e-5.
    static let alfano: [(file: String, radiusMetres: Double, published: Double, cara: Double)] = [
        ("AlfanoTestCase04.cdm", 15, 4.93234060e-02, 0.0493220745447709),
        ("AlfanoTestCase07.cdm", 10, 1.58147000e-04, 0.000158146485930144),
        ("AlfanoTestCase09.cdm", 6, 2.90146291e-01, 0.290161522245745),
    ]

    @Test(arguments: alfano.indices)
    func alfano2009CaseFromCDM(index: Int) throws {
        let expected = Self.alfano[index]
        let cdm = try CDMConjunction(message: Self.message(expected.file))
        #expect(abs(cdm.conjunction.hardBodyRadiusKilometres - expected.radiusMetres / 1000) < 1e-15)
        guard case .cdmComment(let comment) = cdm.hardBodyRadiusSource else {
            Issue.record("HBR source \(cdm.hardBodyRadiusSource)")
            return
        }
        #expect(comment.hasPrefix("HBR"))
        #expect(cdm.referenceFrame == "EME2000")
        let pc = try cdm.conjunction.probabilityOfCollision()
        #expect(Self.relativeError(pc.probability, expected.published) < 1e-3)
        #expect(Self.relativeError(pc.probability, expected.cara) < 1e-4)
        #expect(pc.remediation == .none)
    }

    @Test func alfanoCase04WithZeroMissDistance() throws {
        // PcCircle_UnitTest.testZeroMissRelVelSingly, i = 4: AlfanoTestCase04.cdm with r₂ := r₁ gives
        // 1.56178901385447e-06. CARA's test feeds the covariances in m² with HBR 0.010 and km positions; with a
        // zero miss only HBR²/covariance matters, so the same case in km² is HBR 1e-5 km.
        var conjunction = try CDMConjunction(message: Self.message("AlfanoTestCase04.cdm")).conjunction
        conjunction.secondary.positionKilometres = conjunction.primary.positionKilometres
        conjunction.hardBodyRadiusKilometres = 1e-5
        let pc = try conjunction.probabilityOfCollision()
        #expect(Self.relativeError(pc.probability, 1.56178901385447e-06) < 1e-8)
    }

    @Test func nonPositiveDefiniteCDMIsRemediatedAndSaysSo() throws {
        // Pc2D_Foster_UnitTest.testNonPositiveDefinite: OmitronTestCase_Test07_NonPDCovariance.cdm, HBR 20 m,
        // expected Pc 0 (AbsTol 1e-10), IsPosDef and IsRemediated true.
        let message = try Self.message("OmitronTestCase_Test07_NonPDCovariance.cdm")
        let cdm = try CDMConjunction(message: message, hardBodyRadiusKilometres: 0.020)
        #expect(cdm.hardBodyRadiusSource == .caller)
        #expect(cdm.reportedCollisionProbability == 0)
        let pc = try cdm.conjunction.probabilityOfCollision()
        #expect(abs(pc.probability) < 1e-10)
        guard case .clippedEigenvalues(let original, let floor) = pc.remediation else {
            Issue.record("remediation not reported: \(pc.remediation)")
            return
        }
        #expect(original.y < 0)
        #expect(abs(floor - 4e-12) < 1e-24)
        #expect(abs(pc.missDistanceKilometres - 50.206691406) < 1e-4)  // MISS_DISTANCE
        #expect(abs(pc.relativeSpeedKilometresPerSecond - 6.075408203125) < 1e-4)  // RELATIVE_SPEED
        // Without an override the radius comes from `COMMENT HBR = 52.8`.
        let fromComment = try CDMConjunction(message: message)
        #expect(fromComment.hardBodyRadiusSource == .cdmComment("HBR = 52.8"))
        #expect(abs(fromComment.conjunction.hardBodyRadiusKilometres - 0.0528) < 1e-15)
    }

    @Test func blueBookExampleUsesTheDefaultRadius() throws {
        // CCSDS 508.0-B-1 example (§3.6.3): no HBR anywhere, so 20 m; its COLLISION_PROBABILITY is carried along.
        let url = Self.fixtures.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("CCSDSTests/Fixtures/cdm/valid/cdm_optional_3.6.3.kvn")
        let message = try MessageReader.message(from: [UInt8](Data(contentsOf: url)))
        let cdm = try CDMConjunction(message: message)
        #expect(cdm.hardBodyRadiusSource == .defaultValue)
        #expect(cdm.conjunction.hardBodyRadiusKilometres == CDMConjunction.defaultHardBodyRadiusKilometres)
        #expect(cdm.reportedCollisionProbability == 4.835e-05)
        #expect(cdm.reportedCollisionProbabilityMethod == "FOSTER-1992")
        let pc = try cdm.conjunction.probabilityOfCollision()
        #expect(pc.probability > 0 && pc.probability < 1)
        #expect(abs(pc.missDistanceKilometres - 0.715) < 1e-3)  // MISS_DISTANCE = 715 m
    }

    /// Rewrites an object's state vector and frame in a message.
    static func setState(_ state: CartesianState, frame: String, segment: Int, in message: inout Message) throws {
        message.segments[segment].metadata["REF_FRAME"] = .text(frame)
        let index = try #require(message.segments[segment].data.children.firstIndex { $0.name == "stateVector" })
        let r = state.positionKilometres
        let v = state.velocityKilometresPerSecond
        for (keyword, value) in zip(["X", "Y", "Z", "X_DOT", "Y_DOT", "Z_DOT"], [r.x, r.y, r.z, v.x, v.y, v.z]) {
            message.segments[segment].data.children[index][keyword] = .real(value)
        }
    }

    @Test func earthFixedStatesGiveTheSameProbability() throws {
        // The same conjunction (Alfano case 7, LEO) rewritten in an Earth-fixed frame turned by θ about z:
        // r' = R₃(θ) r and v' = R₃(θ) v − ω⊕ ẑ × r'. The adapter must undo the transport velocity; the rest is a
        // rotation, to which Pc is invariant.
        var message = try Self.message("AlfanoTestCase07.cdm")
        let original = try CDMConjunction(message: message)
        let rotation = Matrix3.rotationZ(radians: 1.234)
        let w = CDMConjunction.earthRotationRadiansPerSecond
        for (segment, state) in [original.conjunction.primary, original.conjunction.secondary].enumerated() {
            let r = rotation * state.positionKilometres
            let v = rotation * state.velocityKilometresPerSecond - SIMD3(-w * r.y, w * r.x, 0)
            try Self.setState(
                CartesianState(positionKilometres: r, velocityKilometresPerSecond: v), frame: "ITRF",
                segment: segment, in: &message)
        }
        let earthFixed = try CDMConjunction(message: message)
        #expect(earthFixed.referenceFrame == "ITRF")
        let expected = try original.conjunction.probabilityOfCollision().probability
        let pc = try earthFixed.conjunction.probabilityOfCollision().probability
        #expect(Self.relativeError(pc, expected) < 1e-9)

        // Mixed frames are refused.
        message.segments[1].metadata["REF_FRAME"] = .text("EME2000")
        #expect(throws: CDMConjunctionError.mixedReferenceFrames(object1: "ITRF", object2: "EME2000")) {
            try CDMConjunction(message: message)
        }
    }

    @Test func missingValuesAndOtherMessagesAreRefused() throws {
        var message = try Self.message("AlfanoTestCase07.cdm")
        let index = try #require(message.segments[1].data.children.firstIndex { $0.name == "covarianceMatrix" })
        message.segments[1].data.children[index]["CT_T"] = nil
        #expect(throws: CDMConjunctionError.missingValue(object: "OBJECT2", keyword: "CT_T")) {
            try CDMConjunction(message: message)
        }
        message.type = .opm
        #expect(throws: CDMConjunctionError.notACDM(.opm)) { try CDMConjunction(message: message) }
    }

    @Test(arguments: [
        ("HBR                        = 15.0", 0.015), ("HBR = 52.8", 0.0528), ("HBR = 0.02 km", 0.02),
        ("HBR: 20 [m]", 0.020), ("hbr=7.5 [M]", 0.0075), ("HARD_BODY_RADIUS = 1.5E1", 0.015),
    ])
    func hardBodyRadiusComments(comment: String, kilometres: Double) {
        #expect(abs((CDMConjunction.hardBodyRadius(fromComment: comment) ?? .nan) - kilometres) < 1e-15)
    }

    @Test(arguments: ["Apogee Altitude            = NaN   [km]", "HBR = abc", "HBR 20", "HBR = 20 ft", "HBR = -1"])
    func otherCommentsAreNotRadii(comment: String) {
        #expect(CDMConjunction.hardBodyRadius(fromComment: comment) == nil)
    }

    @Test func rtnCovarianceRotatesOntoTheStateAxes() {
        // A circular equatorial orbit at (7000, 0, 0) km moving along +y: R = x̂, T = ŷ, N = ẑ.
        let state = CartesianState(positionKilometres: SIMD3(7000, 0, 0), velocityKilometresPerSecond: SIMD3(0, 7.5, 0))
        let rtn = RTNPositionCovariance(
            crrMetres2: 4, ctrMetres2: 1, cttMetres2: 9, cnrMetres2: 0.5, cntMetres2: -0.25, cnnMetres2: 16)
        let inertial = rtn.inertialKilometres2(state: state)
        let expected = [[4e-6, 1e-6, 0.5e-6], [1e-6, 9e-6, -0.25e-6], [0.5e-6, -0.25e-6, 16e-6]]
        for row in 0..<3 {
            for column in 0..<3 { #expect(abs(inertial[row, column] - expected[row][column]) < 1e-21) }
        }
        // Any orientation: the variance along each RTN axis is recovered, and the axes are orthonormal.
        let tilted = CartesianState(
            positionKilometres: SIMD3(378.39559, 4305.721887, 5752.767554),
            velocityKilometresPerSecond: SIMD3(2.360800244, 5.580331936, -4.322349039))
        let m = RTNPositionCovariance.rotationFromInertial(tilted)
        let c = rtn.inertialKilometres2(state: tilted)
        let axes = [m.rows.0, m.rows.1, m.rows.2]
        for (i, a) in axes.enumerated() {
            for (j, b) in axes.enumerated() {
                #expect(abs((a * b).sum() - (i == j ? 1 : 0)) < 1e-15)
                #expect(abs((a * (c * b)).sum() - rtn.matrixMetres2[i, j] * 1e-6) < 1e-20)
            }
        }
        #expect((axes[1] * tilted.velocityKilometresPerSecond).sum() > 0)  // T along the motion
    }
}
