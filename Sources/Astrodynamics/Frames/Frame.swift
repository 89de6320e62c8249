/// A reference frame Essor can give states in (CCSDS `REF_FRAME` spellings, SANA "Orbit-Relative Reference
/// Frames" / CCSDS 502.0-B-3 Annex B).
public enum Frame: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// True equator, mean equinox: SGP4's output frame (Vallado et al. 2006, AIAA 2006-6753, §"TEME").
    case teme = "TEME"
    /// Geocentric Celestial Reference Frame (IERS Conventions 2010 ch. 5).
    case gcrf = "GCRF"
    /// Earth mean equator and equinox of J2000 (CCSDS `EME2000`); see `FrameTransformer.EME2000Realization`.
    case eme2000 = "EME2000"
    /// International Terrestrial Reference Frame (Earth-fixed).
    case itrf = "ITRF"

    /// The CCSDS spelling.
    public var description: String { rawValue }
}

/// A change of frame at one instant: r_to = M·r_from and v_to = M·v_from − ω × r_to, where ω is the angular
/// velocity of the target frame relative to the source, in target components (rad/s; zero between inertial
/// frames, whose precession–nutation rates of ~10⁻¹¹ rad/s are neglected, as Vallado does).
public struct FrameRotation: Sendable, Equatable {
    /// M, from source to target components.
    public var matrix: Matrix3
    /// ω, rad/s, target components.
    public var angularVelocityRadiansPerSecond: SIMD3<Double>

    /// A rotation from its matrix and angular velocity.
    public init(matrix: Matrix3, angularVelocityRadiansPerSecond: SIMD3<Double> = .zero) {
        self.matrix = matrix
        self.angularVelocityRadiansPerSecond = angularVelocityRadiansPerSecond
    }

    /// No change.
    public static let identity = FrameRotation(matrix: .identity)

    /// The reverse change: Mᵀ and −Mᵀ·ω.
    public var inverse: FrameRotation {
        let transposed = matrix.transposed
        return FrameRotation(
            matrix: transposed, angularVelocityRadiansPerSecond: -(transposed * angularVelocityRadiansPerSecond))
    }

    /// `self` then `next` (source of `self` → target of `next`).
    public func followed(by next: FrameRotation) -> FrameRotation {
        FrameRotation(
            matrix: next.matrix * matrix,
            angularVelocityRadiansPerSecond: next.matrix * angularVelocityRadiansPerSecond
                + next.angularVelocityRadiansPerSecond)
    }

    /// Applies the change to a state.
    public func apply(_ state: CartesianState) -> CartesianState {
        let r = matrix * state.positionKilometres
        let omega = angularVelocityRadiansPerSecond
        let v = matrix * state.velocityKilometresPerSecond - FrameRotation.cross(omega, r)
        return CartesianState(positionKilometres: r, velocityKilometresPerSecond: v)
    }

    /// a × b.
    @inline(__always)
    private static func cross(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
    }
}
