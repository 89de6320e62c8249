import Foundation

/// A symmetric 2×2 matrix: a position covariance in the encounter plane.
///
/// The plane's axes are called x and y here; in CARA's encounter frame they are its x and z axes.
public struct SymmetricMatrix2: Sendable, Equatable {
    /// The (x, x) element.
    public var xx: Double
    /// The (x, y) and (y, x) elements.
    public var xy: Double
    /// The (y, y) element.
    public var yy: Double

    /// A matrix from its three distinct elements.
    public init(xx: Double, xy: Double, yy: Double) {
        self.xx = xx
        self.xy = xy
        self.yy = yy
    }

    /// The determinant.
    public var determinant: Double { xx * yy - xy * xy }

    /// The eigenvalues, largest first, and the unit eigenvector of the largest (the other is its normal
    /// `(-y, x)`).
    ///
    /// A Jacobi rotation: the angle ½·atan2(2xy, xx − yy) turns the axes onto the eigenvectors, so both vectors
    /// stay orthonormal however close the eigenvalues are.
    public var eigen: (values: SIMD2<Double>, majorAxis: SIMD2<Double>) {
        let angle = 0.5 * atan2(2 * xy, xx - yy)
        let c = cos(angle)
        let s = sin(angle)
        let major = xx * c * c + 2 * xy * c * s + yy * s * s
        let minor = xx * s * s - 2 * xy * c * s + yy * c * c
        return major >= minor
            ? (SIMD2(major, minor), SIMD2(c, s))
            : (SIMD2(minor, major), SIMD2(-s, c))
    }

    /// The matrix with the same eigenvectors and every eigenvalue below `floor` raised to it.
    public func clippingEigenvalues(below floor: Double) -> SymmetricMatrix2 {
        let (values, major) = eigen
        return PrincipalCovariance(
            variances: SIMD2(Swift.max(values.x, floor), Swift.max(values.y, floor)), majorAxis: major
        ).matrix
    }
}
