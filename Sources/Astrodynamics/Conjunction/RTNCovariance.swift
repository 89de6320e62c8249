/// A 3×3 position covariance in an object's RTN frame, as a CDM gives it: the lower triangle in m²
/// (CCSDS 508.0-B-1 §3.5, Table 3-4, `CR_R` … `CN_N`).
///
/// RTN is radial (R̂ = r/|r|), transverse (T̂ = N̂ × R̂) and normal (N̂ = (r × v)/|r × v|), built from the object's
/// own position and velocity, which must be inertial: built from a rotating frame's velocity the axes tilt by
/// ~ω⊕|r|/|v| (several degrees in LEO).
public struct RTNPositionCovariance: Sendable, Equatable {
    /// σ_R², m².
    public var radialRadialMetres2: Double
    /// Cov(T, R), m².
    public var transverseRadialMetres2: Double
    /// σ_T², m².
    public var transverseTransverseMetres2: Double
    /// Cov(N, R), m².
    public var normalRadialMetres2: Double
    /// Cov(N, T), m².
    public var normalTransverseMetres2: Double
    /// σ_N², m².
    public var normalNormalMetres2: Double

    /// A covariance from the CDM's six position terms, in their order (`CR_R`, `CT_R`, `CT_T`, `CN_R`, `CN_T`,
    /// `CN_N`), m².
    public init(
        crrMetres2: Double, ctrMetres2: Double, cttMetres2: Double, cnrMetres2: Double, cntMetres2: Double,
        cnnMetres2: Double
    ) {
        radialRadialMetres2 = crrMetres2
        transverseRadialMetres2 = ctrMetres2
        transverseTransverseMetres2 = cttMetres2
        normalRadialMetres2 = cnrMetres2
        normalTransverseMetres2 = cntMetres2
        normalNormalMetres2 = cnnMetres2
    }

    /// The full symmetric matrix in RTN, m².
    public var matrixMetres2: Matrix3 {
        Matrix3(
            rows: SIMD3(radialRadialMetres2, transverseRadialMetres2, normalRadialMetres2),
            SIMD3(transverseRadialMetres2, transverseTransverseMetres2, normalTransverseMetres2),
            SIMD3(normalRadialMetres2, normalTransverseMetres2, normalNormalMetres2))
    }

    /// The covariance in the frame of `state` (inertial, km and km/s), km²: Mᵀ C M with M the RTN axes as rows,
    /// times 10⁻⁶.
    public func inertialKilometres2(state: CartesianState) -> Matrix3 {
        let c = Self.inertial(fromRTN: matrixMetres2, state: state)
        let scale = 1e-6
        return Matrix3(rows: c.rows.0 * scale, c.rows.1 * scale, c.rows.2 * scale)
    }

    /// Any 3×3 covariance (or tensor) from the RTN frame of `state` to the state's frame, in the same units:
    /// Mᵀ C M with M = `rotationFromInertial(state)`.
    public static func inertial(fromRTN covariance: Matrix3, state: CartesianState) -> Matrix3 {
        let rotation = rotationFromInertial(state)
        return rotation.transposed * covariance * rotation
    }

    /// The rotation from the state's frame to its RTN frame: rows R̂, T̂, N̂ (so x_RTN = M x).
    public static func rotationFromInertial(_ state: CartesianState) -> Matrix3 {
        let r = state.positionKilometres
        let v = state.velocityKilometresPerSecond
        let radial = r / Conjunction.length(r)
        let h = Conjunction.cross(r, v)
        let normal = h / Conjunction.length(h)
        return Matrix3(rows: radial, Conjunction.cross(normal, radial), normal)
    }
}
