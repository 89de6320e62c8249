import Foundation

/// The standard normal distribution, written to keep relative precision in the tails.
enum StandardNormal {
    static let inverseSquareRootOfTwo = 0.7071067811865475244
    static let inverseSquareRootOfTwoPi = 0.3989422804014326779

    /// Φ(b) − Φ(a) for a ≤ b, the mass between a and b.
    ///
    /// The differences are taken between the smaller of erf and erfc, so that neither cancels against a value
    /// near 1: a tail (a ≥ 0.67, where erfc(a/√2) < erf(a/√2)) keeps relative precision out to erfc's underflow.
    @inline(__always)
    static func mass(from a: Double, to b: Double) -> Double {
        if a < 0, b > 0 {
            return 0.5 * (erf(b * inverseSquareRootOfTwo) + erf(-a * inverseSquareRootOfTwo))
        }
        // Both on one side: mirror onto the positive side.
        let low = a >= 0 ? a : -b, high = a >= 0 ? b : -a
        if low < 0.6744897501960817 {
            return 0.5 * (erf(high * inverseSquareRootOfTwo) - erf(low * inverseSquareRootOfTwo))
        }
        return 0.5 * (erfc(low * inverseSquareRootOfTwo) - erfc(high * inverseSquareRootOfTwo))
    }

    /// The density φ(x).
    @inline(__always)
    static func density(_ x: Double) -> Double {
        inverseSquareRootOfTwoPi * exp(-0.5 * x * x)
    }
}
