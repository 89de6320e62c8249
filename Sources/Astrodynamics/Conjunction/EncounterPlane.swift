import Foundation

/// The encounter (B-) plane: normal to the relative velocity at the time of closest approach, holding the miss
/// vector and the combined position covariance projected on it.
///
/// The 2D probability of collision assumes a short encounter: straight-line relative motion, no velocity
/// uncertainty, so that the probability is a 2-D integral in this plane.
public struct EncounterPlane: Sendable, Equatable {
    /// The relative position (primary minus secondary) in the plane, km.
    public var missKilometres: SIMD2<Double>
    /// The combined position covariance projected on the plane, km².
    public var covarianceKilometres2: SymmetricMatrix2

    /// A plane from its miss vector (km) and covariance (km²), for encounter-plane data given directly (the
    /// literature's test cases are set up this way).
    public init(missKilometres: SIMD2<Double>, covarianceKilometres2: SymmetricMatrix2) {
        self.missKilometres = missKilometres
        self.covarianceKilometres2 = covarianceKilometres2
    }

    /// The probability that the objects come within `hardBodyRadiusKilometres` (the combined radius, or the
    /// half-side of a square hard body) of each other, and what was done to the covariance first.
    ///
    /// As CARA does (`Pc2D_Foster`, `PcCircle`), the covariance's eigenvalues below (1e-4 · HBR)² are clipped to
    /// that floor (Hall et al. 2017, AAS 17-567); the result says so. A zero radius gives 0, an infinite one 1.
    public func probability(
        hardBodyRadiusKilometres radius: Double, method: PcMethod = .foster, shape: HardBodyShape = .circle
    ) throws(ConjunctionError) -> EncounterPlaneProbability {
        if method == .chan, shape != .circle { throw .unsupportedShape(method, shape) }
        guard !radius.isNaN else { throw .nonFiniteInput("the hard-body radius") }
        guard radius >= 0 else { throw .negativeHardBodyRadius(kilometres: radius) }
        guard missKilometres.x.isFinite, missKilometres.y.isFinite else { throw .nonFiniteInput("the miss vector") }
        let c = covarianceKilometres2
        guard c.xx.isFinite, c.xy.isFinite, c.yy.isFinite else {
            throw .nonFiniteInput("the encounter-plane covariance")
        }
        if radius == 0 {
            return EncounterPlaneProbability(probability: 0, covarianceKilometres2: c, remediation: .none)
        }
        if radius.isInfinite {
            return EncounterPlaneProbability(probability: 1, covarianceKilometres2: c, remediation: .none)
        }

        // Hall, Hejduk & Johnson 2017 (AAS 17-567), CARA's CovRemEigValClip with Lclip = (1e-4 HBR)². The
        // eigen-decomposition is kept: a clipped eigenvalue can be far below the rounding of the matrix elements.
        let floor = (1e-4 * radius) * (1e-4 * radius)
        let (eigenvalues, majorAxis) = c.eigen
        var axes = PrincipalCovariance(variances: eigenvalues, majorAxis: majorAxis)
        var remediation = CovarianceRemediation.none
        if eigenvalues.y < floor {
            axes.variances = SIMD2(Swift.max(eigenvalues.x, floor), Swift.max(eigenvalues.y, floor))
            remediation = .clippedEigenvalues(originalKilometres2: eigenvalues, floorKilometres2: floor)
        }
        guard axes.variances.y > 0 else {
            throw .covarianceNotPositiveDefinite(eigenvaluesKilometres2: eigenvalues)
        }

        let probability: Double
        switch (method, shape) {
        case (.foster, .circle):
            probability = FosterIntegral.disc(miss: missKilometres, covariance: axes, radius: radius)
        case (.foster, .square):
            probability = FosterIntegral.square(miss: missKilometres, covariance: axes, halfSide: radius)
        case (.foster, .squareOfEqualArea):
            probability = FosterIntegral.square(
                miss: missKilometres, covariance: axes, halfSide: 0.5 * Double.pi.squareRoot() * radius)
        case (.chan, _):
            probability = ChanSeries.probability(miss: missKilometres, covariance: axes, radius: radius)
        }
        let covariance = remediation == .none ? c : axes.matrix
        return EncounterPlaneProbability(
            probability: probability, covarianceKilometres2: covariance, remediation: remediation)
    }
}

/// A probability computed in the encounter plane, with the covariance as integrated.
public struct EncounterPlaneProbability: Sendable, Equatable {
    /// The probability, in [0, 1].
    public var probability: Double
    /// The covariance integrated (after any remediation), km².
    public var covarianceKilometres2: SymmetricMatrix2
    /// What was done to the covariance.
    public var remediation: CovarianceRemediation
}

/// A positive-definite 2×2 covariance by its eigenvalues and major axis, the form the integrals use.
struct PrincipalCovariance {
    /// The eigenvalues (variances along the axes), largest first.
    var variances: SIMD2<Double>
    /// The unit eigenvector of the largest; the minor axis is its normal (−y, x).
    var majorAxis: SIMD2<Double>

    /// The minor axis.
    var minorAxis: SIMD2<Double> { SIMD2(-majorAxis.y, majorAxis.x) }

    /// The matrix in the plane's axes.
    var matrix: SymmetricMatrix2 {
        let a = majorAxis
        let b = minorAxis
        let l = variances
        return SymmetricMatrix2(
            xx: l.x * a.x * a.x + l.y * b.x * b.x, xy: l.x * a.x * a.y + l.y * b.x * b.y,
            yy: l.x * a.y * a.y + l.y * b.y * b.y)
    }
}
