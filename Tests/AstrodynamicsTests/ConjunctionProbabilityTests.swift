import Foundation
import Testing

@testable import Astrodynamics

/// Truth from NASA CARA's unit tests (github.com/nasa/CARA_Analysis_Tools, DistributedMatlab/ProbabilityOfCollision/
/// UnitTests), Chan's book and Alfano 2009, each cited at the case; plus an independent high-precision check
/// (mpmath, 30 digits, tanh-sinh quadrature of the disc integral in the plane's own axes, with the conditional
/// normal inside, rather than in principal axes) where CARA's own values are only good to ~1e-4.
@Suite struct ConjunctionProbabilityTests {
    static func state(_ r: [Double], _ v: [Double]) -> CartesianState {
        CartesianState(
            positionKilometres: SIMD3(r[0], r[1], r[2]), velocityKilometresPerSecond: SIMD3(v[0], v[1], v[2]))
    }

    static func relativeError(_ value: Double, _ truth: Double) -> Double { abs(value - truth) / abs(truth) }

    /// CARA's Omitron test case 01 (Pc2D_Foster_UnitTest, PcCircle_UnitTest): km, km/s, km², HBR 0.020 km.
    static let omitron01 = Conjunction(
        primary: state([378.39559, 4305.721887, 5752.767554], [2.360800244, 5.580331936, -4.322349039]),
        primaryCovarianceKilometres2: Matrix3([
            [44.5757544811362, 81.6751751052616, -67.8687662707124],
            [81.6751751052616, 158.453402956163, -128.616921644857],
            [-67.8687662707124, -128.616921644858, 105.490542562701],
        ]),
        secondary: state([374.5180598, 4307.560983, 5751.130418], [-5.388125081, -3.946827739, 3.322820358]),
        secondaryCovarianceKilometres2: Matrix3([
            [2.31067077720423, 1.69905293875632, -1.4170164577661],
            [1.69905293875632, 1.24957388457206, -1.04174164279599],
            [-1.4170164577661, -1.04174164279599, 0.869260558223714],
        ]),
        hardBodyRadiusKilometres: 0.020)

    @Test func omitronCase01CircleMatchesCARA() throws {
        let pc = try Self.omitron01.probabilityOfCollision(method: .foster, shape: .circle)
        // Pc2D_Foster_UnitTest.testCircularHBR: 2.70601573490125e-05, RelTol 1e-3 (MATLAB quad2d, tolerance 1e-9).
        #expect(Self.relativeError(pc.probability, 2.70601573490125e-05) < 1e-3)
        // PcCircle_UnitTest.testOmitronCase1b (EstimationMode 1, MATLAB `integral`): 2.706023476569786e-05,
        // RelTol 1e-10. quad2d's value above is 2.9e-6 low; this one agrees with mpmath to 1e-14.
        #expect(Self.relativeError(pc.probability, 2.706023476569786e-05) < 1e-11)
        #expect(pc.remediation == .none)
    }

    @Test func omitronCase01SquareMatchesCARA() throws {
        // Pc2D_Foster_UnitTest.testSquareHBR: 3.44534649703584e-05, RelTol 1e-3; agrees to 1e-14.
        let square = try Self.omitron01.probabilityOfCollision(shape: .square)
        #expect(Self.relativeError(square.probability, 3.44534649703584e-05) < 1e-10)
        // Pc2D_Foster_UnitTest.testEqAreaSquareHBR: 2.70601573490111e-05.
        let equalArea = try Self.omitron01.probabilityOfCollision(shape: .squareOfEqualArea)
        #expect(Self.relativeError(equalArea.probability, 2.70601573490111e-05) < 1e-10)
    }

    @Test func omitronCase01ReportsTheEncounterGeometry() throws {
        let pc = try Self.omitron01.probabilityOfCollision()
        let r = Self.omitron01.primary.positionKilometres - Self.omitron01.secondary.positionKilometres
        let v =
            Self.omitron01.primary.velocityKilometresPerSecond - Self.omitron01.secondary.velocityKilometresPerSecond
        #expect(abs(pc.missDistanceKilometres - (r * r).sum().squareRoot()) < 1e-12)
        #expect(abs(pc.relativeSpeedKilometresPerSecond - (v * v).sum().squareRoot()) < 1e-12)
        #expect(pc.method == .foster && pc.hardBodyShape == .circle && pc.hardBodyRadiusKilometres == 0.020)
        let geometry = try Self.omitron01.encounterGeometry()
        // The plane is normal to v, its x axis along the miss vector.
        #expect(abs((geometry.xAxis * v).sum()) < 1e-12 && abs((geometry.yAxis * v).sum()) < 1e-12)
        #expect(abs((geometry.xAxis * geometry.yAxis).sum()) < 1e-15)
        #expect(geometry.plane.missKilometres.y == 0)
    }

    @Test func caraPcCircleCase2() throws {
        // PcCircle_UnitTest.testOmitronCase2: 1.807363058494765e-01, RelTol 1e-10. Here r is 2° off normal to v,
        // and CARA's convention of a miss vector of length |r| (not its projection) matters at 1e-4.
        let conjunction = Conjunction(
            primary: Self.state(
                [-3239.128337196251, 2404.575152356222, 5703.228541709001],
                [-3.745768373154199, 5.012339015927846, -4.231864565717194]),
            primaryCovarianceKilometres2: Matrix3([
                [0.342072996423899e-3, -0.412677096778269e-3, 0.371500417511149e-3],
                [-0.412677096778269e-3, 0.609905946319294e-3, -0.540401385544286e-3],
                [0.371500417511149e-3, -0.540401385544286e-3, 0.521238634755377e-3],
            ]),
            secondary: Self.state(
                [-3239.138264917246, 2404.568320465936, 5703.235605231182],
                [6.110192790100711, -1.767321407894830, 4.140369261741708]),
            secondaryCovarianceKilometres2: Matrix3([
                [0.028351300975134, -0.008204103437377, 0.019253747960155],
                [-0.008204103437377, 0.002404377774847, -0.005586512197914],
                [0.019253747960155, -0.005586512197914, 0.013289250260317],
            ]),
            hardBodyRadiusKilometres: 0.020)
        let pc = try conjunction.probabilityOfCollision()
        #expect(Self.relativeError(pc.probability, 1.807363058494765e-01) < 1e-10)
    }

    /// PcCircle_UnitTest.testMultipleElements: one conjunction (metres, m², so HBR in metres) at HBR from 0 to ∞.
    static let hardBodyRadiusSweep = Conjunction(
        primary: state(
            [-6.227006552549310e+06, -3.000839638747010e+06, -1.932569099062626e+05],
            [2.983983865443772e+03, -5.973188938878403e+03, -3.622262843716804e+03]),
        primaryCovarianceKilometres2: Matrix3([
            [2.329248149898317e+04, -4.624097512511387e+04, -2.810352472705708e+04],
            [-4.624097512511387e+04, 9.189373058443272e+04, 5.583858286675660e+04],
            [-2.810352472705708e+04, 5.583858286675660e+04, 3.396506000245927e+04],
        ]),
        secondary: state(
            [-6.231009268962734e+06, -2.993196148130401e+06, -1.761401651747054e+05],
            [-3.255968208692156e+02, 9.946514541875586e+02, -7.507340539210305e+03]),
        secondaryCovarianceKilometres2: Matrix3([
            [3.689149893147051e+07, -1.200669748208798e+08, 9.002535247181211e+08],
            [-1.200669748208798e+08, 3.907735722225543e+08, -2.929990982074453e+09],
            [9.002535247181211e+08, -2.929990982074453e+09, 2.196888928197153e+10],
        ]),
        hardBodyRadiusKilometres: 0)

    /// (HBR m, CARA's expected value, mpmath value). CARA's values come from its default 64-point Gauss–Chebyshev
    /// rule, which cannot follow a minor deviation (19 m) far below the radius: for HBR ≥ 1000 m they are off by up
    /// to 3e-4, where mpmath and this code agree to 1e-13. At 10 m the minor-axis miss is 8σ (Pc ~ 1e-15) and the
    /// rounding of the 3×3 projection alone moves Pc by ~1e-9.
    static let sweep: [(Double, Double, Double)] = [
        (1e1, 2.514939701718358e-15, 2.51493964944500675693586527872e-15),
        (1e2, 1.232312816404174e-05, 1.23231281404020052024199597727e-05),
        (1e3, 6.343318773183237e-03, 6.34262349624033982441545094937e-03),
        (3e3, 1.917884657463699e-02, 1.91735565276485821987828584368e-02),
        (1e4, 6.389821634646267e-02, 6.39051525569274994984984859550e-02),
        (3e4, 1.900663422510684e-01, 1.90100862076085482960424334817e-01),
    ]

    @Test(arguments: sweep.indices)
    func caraHardBodyRadiusSweep(index: Int) throws {
        let (radius, cara, mpmath) = Self.sweep[index]
        var conjunction = Self.hardBodyRadiusSweep
        conjunction.hardBodyRadiusKilometres = radius
        let pc = try conjunction.probabilityOfCollision().probability
        #expect(Self.relativeError(pc, cara) < 1e-3)
        #expect(Self.relativeError(pc, mpmath) < 2e-9)
    }

    @Test func zeroAndInfiniteRadiiGiveZeroAndOne() throws {
        var conjunction = Self.hardBodyRadiusSweep
        conjunction.hardBodyRadiusKilometres = 0
        #expect(try conjunction.probabilityOfCollision().probability == 0)
        conjunction.hardBodyRadiusKilometres = .infinity
        #expect(try conjunction.probabilityOfCollision().probability == 1)
        #expect(try conjunction.probabilityOfCollision(method: .chan).probability == 1)
    }

    @Test func nonPositiveDefiniteCovarianceIsClippedAndReported() throws {
        // PcCircle_UnitTest.testNPDCovariance (metres, m², HBR 52.84 m): expected Pc 0 with a remediation warning.
        let conjunction = Conjunction(
            primary: Self.state(
                [-6711923.276204407, 2115987.639388162, 596903.033311516],
                [-3633.024009735033, -8343.876216289187, 1529.269073307224]),
            primaryCovarianceKilometres2: Matrix3([
                [10651.06865424844, 25162.51806981900, -4653.47179860534],
                [25162.51806981901, 61873.55078822979, -11370.63814221593],
                [-4653.47179860534, -11370.63814221593, 2108.71780971058],
            ]),
            secondary: Self.state(
                [-6703689.997789211, 2066645.266249834, 601175.621383896],
                [-499.951545210059, -8271.763735723972, -3673.287518932014]),
            secondaryCovarianceKilometres2: Matrix3([
                [38324418857.201, 409236977944.646, 182366534533.406],
                [409236977944.646, 4369926131386.673, 1947351616381.380],
                [182366534533.406, 1947351616381.380, 867790027954.990],
            ]),
            hardBodyRadiusKilometres: 52.84)
        for method in PcMethod.allCases {
            let pc = try conjunction.probabilityOfCollision(method: method)
            #expect(abs(pc.probability) < 1e-10)
            guard case .clippedEigenvalues(let original, let floor) = pc.remediation else {
                Issue.record("the clipping is not reported: \(pc.remediation)")
                continue
            }
            #expect(original.y < 0 && original.x > 0)
            #expect(abs(floor - (1e-4 * 52.84) * (1e-4 * 52.84)) < 1e-15)
            #expect(pc.encounterPlaneCovarianceKilometres2.eigen.values.y > 0)
        }
    }

    @Test func clippedDegenerateCovarianceReachesTheOneDimensionalLimit() throws {
        // A plane covariance with eigenvalues 1 and −1e-6 km² (miss along the major axis): clipped to
        // (1e-4 · HBR)², the disc integral becomes the 1-D mass of the diameter, Φ(R − m) − Φ(−R − m), up to
        // O(σ₂/R) = 1e-4.
        let plane = EncounterPlane(
            missKilometres: SIMD2(0.01, 0), covarianceKilometres2: SymmetricMatrix2(xx: 1, xy: 0, yy: -1e-6))
        let result = try plane.probability(hardBodyRadiusKilometres: 0.02)
        let limit = 0.5 * (erf(0.01 / 2.0.squareRoot()) - erf(-0.03 / 2.0.squareRoot()))
        #expect(Self.relativeError(result.probability, limit) < 3e-4)
        guard case .clippedEigenvalues(let original, let floor) = result.remediation else {
            Issue.record("the clipping is not reported: \(result.remediation)")
            return
        }
        #expect(original == SIMD2(1, -1e-6))
        #expect(abs(floor - 4e-12) < 1e-25)
        // A zero radius leaves a zero clipping floor: nothing to integrate, so no remediation either.
        #expect(try plane.probability(hardBodyRadiusKilometres: 0).probability == 0)
    }

    /// Chan (2008), *Spacecraft Collision Probability*, test cases 1–12 in the encounter plane (metres): miss
    /// (x, y), deviations (σx, σy), radius, Chan's series value and the numerically integrated value, four digits,
    /// as tabulated in Orekit's Chan1997Test and Alfano2005Test (CS GROUP).
    static let chanBook: [(x: Double, y: Double, sx: Double, sy: Double, r: Double, chan: Double, exact: Double)] = [
        (0, 10, 25, 50, 5, 9.754e-3, 9.742e-3), (10, 0, 25, 50, 5, 9.189e-3, 9.181e-3),
        (0, 10, 25, 75, 5, 6.586e-3, 6.571e-3), (10, 0, 25, 75, 5, 6.135e-3, 6.125e-3),
        (0, 1000, 1000, 3000, 10, 1.577e-5, 1.577e-5), (1000, 0, 1000, 3000, 10, 1.011e-5, 1.011e-5),
        (0, 10000, 1000, 3000, 10, 6.443e-8, 6.443e-8), (10000, 0, 1000, 3000, 10, 3.216e-27, 3.219e-27),
        (0, 10000, 1000, 10000, 10, 3.033e-6, 3.033e-6), (10000, 0, 1000, 10000, 10, 9.645e-28, 9.656e-28),
        (0, 5000, 1000, 3000, 50, 1.039e-4, 1.039e-4), (5000, 0, 1000, 3000, 50, 1.556e-9, 1.564e-9),
    ]

    static func chanBookPlane(_ index: Int) -> (EncounterPlane, Double) {
        let c = chanBook[index]
        return (
            EncounterPlane(
                missKilometres: SIMD2(c.x, c.y) / 1000,
                covarianceKilometres2: SymmetricMatrix2(xx: c.sx * c.sx / 1e6, xy: 0, yy: c.sy * c.sy / 1e6)),
            c.r / 1000
        )
    }

    /// Whether `value` rounds to the four-digit `tabulated` (within half a unit of the last digit, plus 2%).
    static func roundsTo(_ value: Double, _ tabulated: Double) -> Bool {
        let unit = pow(10, floor(log10(abs(tabulated))) - 3)
        return abs(value - tabulated) <= 0.51 * unit
    }

    @Test(arguments: chanBook.indices)
    func chanBookCase(index: Int) throws {
        let (plane, radius) = Self.chanBookPlane(index)
        let chan = try plane.probability(hardBodyRadiusKilometres: radius, method: .chan).probability
        let foster = try plane.probability(hardBodyRadiusKilometres: radius, method: .foster).probability
        #expect(Self.roundsTo(chan, Self.chanBook[index].chan), "Chan \(chan)")
        #expect(Self.roundsTo(foster, Self.chanBook[index].exact), "Foster \(foster)")
        // Well-conditioned (HBR ≪ σ, aspect ≤ 10): the equal-area series is within 1% of the integral.
        #expect(Self.relativeError(chan, foster) < 1e-2)
    }

    @Test func chanAgreesWithFosterOnTheOmitronCase() throws {
        let chan = try Self.omitron01.probabilityOfCollision(method: .chan).probability
        let foster = try Self.omitron01.probabilityOfCollision(method: .foster).probability
        #expect(Self.relativeError(chan, foster) < 1e-4)
    }

    @Test(arguments: [(0.0, 0.02, 1.0), (0.5, 0.02, 1.0), (3.0, 0.5, 0.7), (0.2, 2.0, 0.5), (12.0, 0.3, 1.0)])
    func chanIsExactForIsotropicCovariances(miss: Double, radius: Double, deviation: Double) throws {
        let plane = EncounterPlane(
            missKilometres: SIMD2(miss * 0.6, -miss * 0.8),
            covarianceKilometres2: SymmetricMatrix2(xx: deviation * deviation, xy: 0, yy: deviation * deviation))
        let chan = try plane.probability(hardBodyRadiusKilometres: radius, method: .chan).probability
        let foster = try plane.probability(hardBodyRadiusKilometres: radius, method: .foster).probability
        #expect(Self.relativeError(chan, foster) < 1e-10)
    }

    @Test func chanBreaksDownWhenTheMinorDeviationIsFarBelowTheRadius() throws {
        // Alfano (2009) case 3 in the encounter plane (metres), as Orekit's Chan1997Test and Alfano2005Test set it
        // up: σ_minor 1.4 m against HBR 15 m. Orekit's Chan1997 (Chan's truncated series) gives 3.1264e-2 and
        // its Alfano2005 (numerical) 1.0038e-1; the equal-area circle is a poor stand-in for this ellipse.
        let plane = EncounterPlane(
            missKilometres: SIMD2(-3.8872073, 0.1591646),
            covarianceKilometres2: SymmetricMatrix2(xx: 1.4101830 * 1.4101830, xy: 0, yy: 114.2585190 * 114.2585190))
        let chan = try plane.probability(hardBodyRadiusKilometres: 15, method: .chan).probability
        let foster = try plane.probability(hardBodyRadiusKilometres: 15, method: .foster).probability
        #expect(abs(chan - 3.1264e-2) < 1e-6)
        #expect(abs(foster - 1.0038e-1) < 1e-5)
        // mpmath, 30 digits: 0.100382950125677736.
        #expect(Self.relativeError(foster, 0.100382950125677736) < 1e-12)
    }

    @Test func fosterHandlesAnAspectRatioOfFiveThousand() throws {
        // Alfano (2009) case 5 as Orekit's Alfano2005Test sets it up (metres): σ 0.037 m by 178 m, HBR 10 m;
        // Orekit's Alfano2005 gives 4.4510e-2; mpmath (30 digits) 0.0445098595229201284.
        let plane = EncounterPlane(
            missKilometres: SIMD2(-1.2217895, 2.1230067),
            covarianceKilometres2: SymmetricMatrix2(xx: 0.0373279 * 0.0373279, xy: 0, yy: 177.8109003 * 177.8109003))
        let foster = try plane.probability(hardBodyRadiusKilometres: 10).probability
        #expect(abs(foster - 4.4510e-2) < 1e-6)
        #expect(Self.relativeError(foster, 0.0445098595229201284) < 1e-12)
    }

    @Test(arguments: [(0.3, 0.2, 1.0, 0.5), (0.02, -0.01, 0.001, 2.0), (0.05, 0.0, 0.01, 0.005)])
    func squareMatchesTheClosedFormForAlignedCovariances(
        missX: Double, missY: Double, deviationX: Double, deviationY: Double
    ) throws {
        // With the covariance along the square's sides the Gaussian factorises (Alfano 2005, CARA PcCircle
        // EstimationMode 0/−1): Pc = [Φ((mx + a)/σx) − Φ((mx − a)/σx)] · [Φ((my + a)/σy) − Φ((my − a)/σy)].
        let a = 0.02
        func mass(_ m: Double, _ s: Double) -> Double {
            0.5 * (erf((m + a) / (s * 2.0.squareRoot())) - erf((m - a) / (s * 2.0.squareRoot())))
        }
        let plane = EncounterPlane(
            missKilometres: SIMD2(missX, missY),
            covarianceKilometres2: SymmetricMatrix2(
                xx: deviationX * deviationX, xy: 0, yy: deviationY * deviationY))
        let pc = try plane.probability(hardBodyRadiusKilometres: a, shape: .square).probability
        #expect(Self.relativeError(pc, mass(missX, deviationX) * mass(missY, deviationY)) < 1e-10)
    }

    @Test func squareIsInvariantUnderQuarterTurns() throws {
        // A quarter turn maps the axis-aligned square onto itself: Pc(m, C) = Pc(R m, R C Rᵀ), with a correlated,
        // narrow covariance so that the conditional law inside the integral does the work.
        let covariance = SymmetricMatrix2(xx: 0.8, xy: 0.79, yy: 0.8)
        let turned = SymmetricMatrix2(xx: covariance.yy, xy: -covariance.xy, yy: covariance.xx)
        let miss = SIMD2(0.05, -0.03)
        let pc = try EncounterPlane(missKilometres: miss, covarianceKilometres2: covariance)
            .probability(hardBodyRadiusKilometres: 0.1, shape: .square).probability
        let quarter = try EncounterPlane(missKilometres: SIMD2(-miss.y, miss.x), covarianceKilometres2: turned)
            .probability(hardBodyRadiusKilometres: 0.1, shape: .square).probability
        #expect(Self.relativeError(quarter, pc) < 1e-10)
        // The square holds the disc and sits inside the circumscribed disc.
        let plane = EncounterPlane(missKilometres: miss, covarianceKilometres2: covariance)
        #expect(try plane.probability(hardBodyRadiusKilometres: 0.1).probability < pc)
        #expect(try plane.probability(hardBodyRadiusKilometres: 0.1 * 2.0.squareRoot()).probability > pc)
    }

    @Test func invalidRequestsThrow() throws {
        #expect(throws: ConjunctionError.unsupportedShape(.chan, .square)) {
            try Self.omitron01.probabilityOfCollision(method: .chan, shape: .square)
        }
        var still = Self.omitron01
        still.secondary.velocityKilometresPerSecond = still.primary.velocityKilometresPerSecond
        #expect(throws: ConjunctionError.zeroRelativeVelocity) { try still.probabilityOfCollision() }
        var negative = Self.omitron01
        negative.hardBodyRadiusKilometres = -0.01
        #expect(throws: ConjunctionError.negativeHardBodyRadius(kilometres: -0.01)) {
            try negative.probabilityOfCollision()
        }
        var broken = Self.omitron01
        broken.primary.positionKilometres.x = .nan
        #expect(throws: ConjunctionError.nonFiniteInput("the positions")) { try broken.probabilityOfCollision() }
    }

    @Test func zeroMissDistanceUsesAnyPlaneAxes() throws {
        // With r₁ = r₂ the disc's probability is that of a centred Gaussian: for an isotropic covariance σ² it is
        // 1 − exp(−R²/2σ²).
        var conjunction = Self.omitron01
        conjunction.secondary.positionKilometres = conjunction.primary.positionKilometres
        conjunction.primaryCovarianceKilometres2 = Matrix3(rows: SIMD3(0.5, 0, 0), SIMD3(0, 0.5, 0), SIMD3(0, 0, 0.5))
        conjunction.secondaryCovarianceKilometres2 = conjunction.primaryCovarianceKilometres2
        let pc = try conjunction.probabilityOfCollision()
        #expect(Self.relativeError(pc.probability, -expm1(-0.02 * 0.02 / 2)) < 1e-10)
        #expect(pc.missDistanceKilometres == 0)
        #expect(try conjunction.probabilityOfCollision(shape: .square).probability > pc.probability)
    }
}
