import Foundation

/// Two objects at their time of closest approach: states and position covariances in one inertial frame, and the
/// combined hard-body radius.
///
/// ```swift
/// let conjunction = Conjunction(
///     primary: CartesianState(positionKilometres: r1, velocityKilometresPerSecond: v1),
///     primaryCovarianceKilometres2: c1,
///     secondary: CartesianState(positionKilometres: r2, velocityKilometresPerSecond: v2),
///     secondaryCovarianceKilometres2: c2, hardBodyRadiusKilometres: 0.020)
/// let pc = try conjunction.probabilityOfCollision()          // Foster, circle
/// print(pc.probability, pc.missDistanceKilometres, pc.remediation)
/// ```
public struct Conjunction: Sendable, Equatable {
    /// The primary's state (km, km/s).
    public var primary: CartesianState
    /// The primary's 3×3 position covariance in the same frame, km².
    public var primaryCovarianceKilometres2: Matrix3
    /// The secondary's state (km, km/s).
    public var secondary: CartesianState
    /// The secondary's 3×3 position covariance in the same frame, km².
    public var secondaryCovarianceKilometres2: Matrix3
    /// The combined hard-body radius (the sum of both objects' radii), km.
    public var hardBodyRadiusKilometres: Double

    /// Creates a conjunction.
    public init(
        primary: CartesianState, primaryCovarianceKilometres2: Matrix3, secondary: CartesianState,
        secondaryCovarianceKilometres2: Matrix3, hardBodyRadiusKilometres: Double
    ) {
        self.primary = primary
        self.primaryCovarianceKilometres2 = primaryCovarianceKilometres2
        self.secondary = secondary
        self.secondaryCovarianceKilometres2 = secondaryCovarianceKilometres2
        self.hardBodyRadiusKilometres = hardBodyRadiusKilometres
    }

    /// The 2D probability of collision by `method` over a hard body of `shape`.
    public func probabilityOfCollision(
        method: PcMethod = .foster, shape: HardBodyShape = .circle
    ) throws(ConjunctionError) -> CollisionProbability {
        let geometry = try encounterGeometry()
        let result = try geometry.plane.probability(
            hardBodyRadiusKilometres: hardBodyRadiusKilometres, method: method, shape: shape)
        return CollisionProbability(
            probability: result.probability, method: method, hardBodyShape: shape,
            hardBodyRadiusKilometres: hardBodyRadiusKilometres,
            missDistanceKilometres: geometry.missDistanceKilometres,
            relativeSpeedKilometresPerSecond: geometry.relativeSpeedKilometresPerSecond,
            encounterPlaneCovarianceKilometres2: result.covarianceKilometres2, remediation: result.remediation)
    }

    /// The encounter plane and its axes.
    ///
    /// The frame is CARA's (`Pc2D_Foster`, `PcCircle`): with r = r₁ − r₂ and v = v₁ − v₂, ŷ = v/|v|,
    /// ẑ = (r × v)/|r × v| and x̂ = ŷ × ẑ; the plane is spanned by x̂ (the miss direction) and ẑ, called x and y
    /// here. As in CARA the miss vector is (|r|, 0): at TCA r ⟂ v and this is r itself; for states a little off
    /// TCA it keeps the distance rather than projecting it (by a factor sin∠(r, v)).
    ///
    /// With a zero miss distance, or r along v, the disc's result does not depend on the axes; they are then
    /// chosen as CARA's `PcCircle` does when it nudges a zero miss: x̂ along (r₁ + r₂) × v (or, for a radial v,
    /// v × ê with ê the coordinate axis least aligned with v), and the miss vector is r projected on the plane.
    public func encounterGeometry() throws(ConjunctionError) -> EncounterGeometry {
        let r = primary.positionKilometres - secondary.positionKilometres
        let v = primary.velocityKilometresPerSecond - secondary.velocityKilometresPerSecond
        try Self.requireFinite(r, "the positions")
        try Self.requireFinite(v, "the velocities")
        let combined = primaryCovarianceKilometres2 + secondaryCovarianceKilometres2
        for row in [combined.rows.0, combined.rows.1, combined.rows.2] {
            try Self.requireFinite(row, "the covariances")
        }
        let speed = Self.length(v)
        guard speed > 0 else { throw .zeroRelativeVelocity }
        let y = v / speed
        let distance = Self.length(r)
        let h = Self.cross(r, v)
        let hLength = Self.length(h)
        let x: SIMD3<Double>
        let z: SIMD3<Double>
        let miss: SIMD2<Double>
        if hLength > 1e-12 * distance * speed {
            z = h / hLength
            x = Self.cross(y, z)
            miss = SIMD2(distance, 0)
        } else {
            var across = Self.cross(primary.positionKilometres + secondary.positionKilometres, y)
            if Self.length(across) == 0 {
                let magnitudes = SIMD3(Swift.abs(y.x), Swift.abs(y.y), Swift.abs(y.z))
                let axis: SIMD3<Double> =
                    magnitudes.x <= magnitudes.y && magnitudes.x <= magnitudes.z
                    ? SIMD3(1, 0, 0) : magnitudes.y <= magnitudes.z ? SIMD3(0, 1, 0) : SIMD3(0, 0, 1)
                across = Self.cross(y, axis)
            }
            x = across / Self.length(across)
            z = Self.cross(x, y)
            miss = SIMD2((r * x).sum(), (r * z).sum())
        }
        let cx = combined * x
        let cz = combined * z
        let plane = EncounterPlane(
            missKilometres: miss,
            covarianceKilometres2: SymmetricMatrix2(
                xx: (x * cx).sum(), xy: 0.5 * ((x * cz).sum() + (z * cx).sum()), yy: (z * cz).sum()))
        return EncounterGeometry(
            plane: plane, xAxis: x, yAxis: z, missDistanceKilometres: distance,
            relativeSpeedKilometresPerSecond: speed)
    }

    static func cross(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
    }

    static func length(_ a: SIMD3<Double>) -> Double { (a * a).sum().squareRoot() }

    private static func requireFinite(_ a: SIMD3<Double>, _ what: String) throws(ConjunctionError) {
        guard a.x.isFinite, a.y.isFinite, a.z.isFinite else { throw .nonFiniteInput(what) }
    }
}

/// The encounter plane of a conjunction, with its axes in the inertial frame and the 3-D quantities.
public struct EncounterGeometry: Sendable, Equatable {
    /// The miss vector and covariance in the plane.
    public var plane: EncounterPlane
    /// The plane's x axis in the inertial frame: the miss direction (CARA's x̂).
    public var xAxis: SIMD3<Double>
    /// The plane's y axis in the inertial frame: along r × v (CARA's ẑ).
    public var yAxis: SIMD3<Double>
    /// |r₁ − r₂|, km.
    public var missDistanceKilometres: Double
    /// |v₁ − v₂|, km/s.
    public var relativeSpeedKilometresPerSecond: Double
}
