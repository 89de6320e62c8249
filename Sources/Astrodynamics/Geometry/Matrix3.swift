import Foundation

/// A 3×3 matrix of `Double`, row-major: rotation matrices between frames and 3×3 covariance blocks.
///
/// Small and value-typed so that frame chains and encounter-plane projections compile to straight-line code.
public struct Matrix3: Sendable, Equatable {
    /// The rows.
    public var rows: (SIMD3<Double>, SIMD3<Double>, SIMD3<Double>)

    /// A matrix from its three rows.
    public init(rows r0: SIMD3<Double>, _ r1: SIMD3<Double>, _ r2: SIMD3<Double>) {
        rows = (r0, r1, r2)
    }

    /// A matrix from nine values in row order.
    public init(_ values: [[Double]]) {
        precondition(values.count == 3 && values.allSatisfy { $0.count == 3 }, "Matrix3 needs 3×3 values")
        rows = (
            SIMD3(values[0][0], values[0][1], values[0][2]),
            SIMD3(values[1][0], values[1][1], values[1][2]),
            SIMD3(values[2][0], values[2][1], values[2][2])
        )
    }

    /// Element-wise equality.
    public static func == (a: Matrix3, b: Matrix3) -> Bool {
        a.rows.0 == b.rows.0 && a.rows.1 == b.rows.1 && a.rows.2 == b.rows.2
    }

    /// The identity.
    public static let identity = Matrix3(rows: SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1))

    /// The element at (row, column), both 0-based.
    public subscript(row: Int, column: Int) -> Double {
        get {
            switch row {
            case 0: rows.0[column]
            case 1: rows.1[column]
            default: rows.2[column]
            }
        }
        set {
            switch row {
            case 0: rows.0[column] = newValue
            case 1: rows.1[column] = newValue
            default: rows.2[column] = newValue
            }
        }
    }

    /// The transpose (the inverse of a rotation).
    public var transposed: Matrix3 {
        Matrix3(
            rows: SIMD3(rows.0.x, rows.1.x, rows.2.x),
            SIMD3(rows.0.y, rows.1.y, rows.2.y),
            SIMD3(rows.0.z, rows.1.z, rows.2.z)
        )
    }

    /// Matrix × vector.
    public static func * (m: Matrix3, v: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3((m.rows.0 * v).sum(), (m.rows.1 * v).sum(), (m.rows.2 * v).sum())
    }

    /// Matrix × matrix.
    public static func * (a: Matrix3, b: Matrix3) -> Matrix3 {
        let c0 = SIMD3(b.rows.0.x, b.rows.1.x, b.rows.2.x)
        let c1 = SIMD3(b.rows.0.y, b.rows.1.y, b.rows.2.y)
        let c2 = SIMD3(b.rows.0.z, b.rows.1.z, b.rows.2.z)
        func row(_ r: SIMD3<Double>) -> SIMD3<Double> { SIMD3((r * c0).sum(), (r * c1).sum(), (r * c2).sum()) }
        return Matrix3(rows: row(a.rows.0), row(a.rows.1), row(a.rows.2))
    }

    /// Element-wise sum.
    public static func + (a: Matrix3, b: Matrix3) -> Matrix3 {
        Matrix3(rows: a.rows.0 + b.rows.0, a.rows.1 + b.rows.1, a.rows.2 + b.rows.2)
    }

    /// The rotation of a frame about its x axis by `angle` radians (the passive rotation R1 of Vallado §3.3:
    /// it gives a fixed vector's components in the rotated frame).
    public static func rotationX(radians angle: Double) -> Matrix3 {
        let c = cos(angle), s = sin(angle)
        return Matrix3(rows: SIMD3(1, 0, 0), SIMD3(0, c, s), SIMD3(0, -s, c))
    }

    /// The passive rotation R2 about the y axis by `angle` radians.
    public static func rotationY(radians angle: Double) -> Matrix3 {
        let c = cos(angle), s = sin(angle)
        return Matrix3(rows: SIMD3(c, 0, -s), SIMD3(0, 1, 0), SIMD3(s, 0, c))
    }

    /// The passive rotation R3 about the z axis by `angle` radians.
    public static func rotationZ(radians angle: Double) -> Matrix3 {
        let c = cos(angle), s = sin(angle)
        return Matrix3(rows: SIMD3(c, s, 0), SIMD3(-s, c, 0), SIMD3(0, 0, 1))
    }
}
