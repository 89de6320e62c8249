/// How the 2D probability of collision is computed.
public enum PcMethod: String, Sendable, CaseIterable, Codable {
    /// Numerical integration of the encounter-plane Gaussian over the hard-body region (Foster & Estes 1992,
    /// NASA JSC-25898; as NASA CARA's `Pc2D_Foster`), reduced to a 1-D integral of normal-distribution
    /// differences and integrated by adaptive Gauss–Kronrod quadrature to 1e-10 relative (in practice ~1e-13).
    case foster
    /// Chan's series (Chan 1997, Adv. Astronaut. Sci. 96, 1033–1048; Chan 2008, *Spacecraft Collision
    /// Probability*, Aerospace Press): the covariance ellipse, made a circle by scaling one axis, turns the disc into
    /// an ellipse, which is replaced by the disc of equal area; the probability is then a Rician (non-central χ²,
    /// two degrees of freedom) distribution function, summed here to convergence. Exact for isotropic covariances,
    /// within ~1% of Foster for the usual HBR ≪ σ; wrong by orders of magnitude when the minor deviation is far
    /// below the radius (long thin ellipses: GEO, or a clipped covariance), where only Foster is meaningful.
    case chan
}

/// The shape of the combined hard body in the encounter plane.
public enum HardBodyShape: String, Sendable, CaseIterable, Codable {
    /// A disc of the hard-body radius (the usual sphere).
    case circle
    /// A square of half-side the hard-body radius, centred on the miss point with sides along and across the
    /// projected miss vector: CARA's `HBRType = 'square'` (its quad2d box spans x0 ± HBR along the encounter
    /// frame's x axis, the miss direction, and ± HBR along z = r × v).
    case square
    /// The same square scaled to the disc's area (half-side √π/2 · HBR): CARA's `'squareEquArea'`.
    case squareOfEqualArea
}

/// What was done to the projected covariance before integrating.
public enum CovarianceRemediation: Sendable, Equatable {
    /// Nothing: its smallest eigenvalue was at or above the clipping floor.
    case none
    /// Eigenvalue clipping (Hall, Hejduk & Johnson 2017, AAS 17-567; CARA's `CovRemEigValClip`): the
    /// eigenvalues of the 2×2 projected combined covariance below `floorKilometres2` = (1e-4 · HBR)² were raised
    /// to it, eigenvectors kept. `originalKilometres2` are the eigenvalues before clipping, largest first.
    case clippedEigenvalues(originalKilometres2: SIMD2<Double>, floorKilometres2: Double)
}

/// Why a probability of collision could not be computed.
public enum ConjunctionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The relative velocity is zero: there is no encounter plane and the 2D (short-encounter) model does not
    /// apply.
    case zeroRelativeVelocity
    /// A position, velocity, covariance or radius is NaN or infinite where a finite number is needed.
    case nonFiniteInput(String)
    /// The hard-body radius is negative.
    case negativeHardBodyRadius(kilometres: Double)
    /// The projected covariance has a non-positive eigenvalue that clipping cannot lift (a zero hard-body
    /// radius gives a zero clipping floor).
    case covarianceNotPositiveDefinite(eigenvaluesKilometres2: SIMD2<Double>)
    /// The method has no formula for that hard-body shape (Chan's series is for a disc).
    case unsupportedShape(PcMethod, HardBodyShape)

    /// What went wrong and how to fix it.
    public var description: String {
        switch self {
        case .zeroRelativeVelocity:
            "the relative velocity is zero, so there is no encounter plane; the 2D probability needs a short, "
                + "fast encounter (use a 3D or Monte Carlo method for this one)"
        case .nonFiniteInput(let what):
            "\(what) is not a finite number; check the state vectors and covariances"
        case .negativeHardBodyRadius(let kilometres):
            "the hard-body radius \(kilometres) km is negative; give the combined radius of both objects"
        case .covarianceNotPositiveDefinite(let values):
            "the combined covariance projected on the encounter plane has eigenvalues \(values.x), \(values.y) km² "
                + "and cannot be remediated with a zero hard-body radius; review the covariances"
        case .unsupportedShape(let method, let shape):
            "the \(method.rawValue) method has no \(shape.rawValue) hard body; use foster for non-circular shapes"
        }
    }
}

/// A probability of collision and the quantities it was computed from.
public struct CollisionProbability: Sendable, Equatable {
    /// The probability, in [0, 1].
    public var probability: Double
    /// The method that computed it.
    public var method: PcMethod
    /// The hard-body shape integrated over.
    public var hardBodyShape: HardBodyShape
    /// The hard-body radius (half-side for squares), km.
    public var hardBodyRadiusKilometres: Double
    /// The distance between the objects, |r₁ − r₂|, km.
    public var missDistanceKilometres: Double
    /// The relative speed |v₁ − v₂|, km/s.
    public var relativeSpeedKilometresPerSecond: Double
    /// The combined covariance projected on the encounter plane as integrated (after any remediation), km².
    public var encounterPlaneCovarianceKilometres2: SymmetricMatrix2
    /// What was done to make that covariance positive definite.
    public var remediation: CovarianceRemediation

    /// Creates a result.
    public init(
        probability: Double, method: PcMethod, hardBodyShape: HardBodyShape, hardBodyRadiusKilometres: Double,
        missDistanceKilometres: Double, relativeSpeedKilometresPerSecond: Double,
        encounterPlaneCovarianceKilometres2: SymmetricMatrix2, remediation: CovarianceRemediation
    ) {
        self.probability = probability
        self.method = method
        self.hardBodyShape = hardBodyShape
        self.hardBodyRadiusKilometres = hardBodyRadiusKilometres
        self.missDistanceKilometres = missDistanceKilometres
        self.relativeSpeedKilometresPerSecond = relativeSpeedKilometresPerSecond
        self.encounterPlaneCovarianceKilometres2 = encounterPlaneCovarianceKilometres2
        self.remediation = remediation
    }
}
