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
        let low = a >= 0 ? a : -b
        let high = a >= 0 ? b : -a
        if low < 0.6744897501960817 {
            return 0.5 * (erf(high * inverseSquareRootOfTwo) - erf(low * inverseSquareRootOfTwo))
        }
        return 0.5 * (erfc(low * inverseSquareRootOfTwo) - erfc(high * inverseSquareRootOfTwo))
    }

    /// Φ(μ + δ) − Φ(μ − δ) for δ ≥ 0: the mass of a window of half-width δ centred on μ.
    ///
    /// A narrow window (δ ≤ ¼ and |μ|δ ≤ ¼) would lose digits in the difference of its two ends, more from the
    /// rounding of μ ± δ (a relative 2μ²ε) than from erf itself; there the mass is φ(μ) ∫₋δ^δ e^(−μs − s²/2) ds by
    /// 5-point Gauss–Legendre, whose exponent varies by less than 0.3 (error < 1e-14). Wider windows take `mass(from:to:)`.
    @inline(__always)
    static func mass(centre mu: Double, halfWidth delta: Double) -> Double {
        if delta <= 0.25, Swift.abs(mu) * delta <= 0.25 {
            let s1 = 0.5384693101056831 * delta
            let s2 = 0.9061798459386640 * delta
            let sum =
                0.5688888888888889
                + 0.4786286704993665 * exp(-0.5 * s1 * s1) * 2 * cosh(mu * s1)
                + 0.2369268850561891 * exp(-0.5 * s2 * s2) * 2 * cosh(mu * s2)
            return density(mu) * delta * sum
        }
        return mass(from: mu - delta, to: mu + delta)
    }

    /// The density φ(x).
    @inline(__always)
    static func density(_ x: Double) -> Double {
        inverseSquareRootOfTwoPi * exp(-0.5 * x * x)
    }
}
