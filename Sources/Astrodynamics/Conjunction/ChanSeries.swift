import Foundation

/// Chan's analytic probability (Chan 1997; Chan 2008, *Spacecraft Collision Probability*).
///
/// In the principal axes (σ₁, σ₂; miss m₁, m₂), scaling one axis makes the Gaussian isotropic and turns the disc
/// into an ellipse; Chan replaces that ellipse by the disc of equal area. With u = R²/(σ₁σ₂) and
/// v = m₁²/σ₁² + m₂²/σ₂² the probability is then the distribution function of a non-central χ² with two degrees
/// of freedom and non-centrality v, evaluated at u (one minus Marcum's Q₁(√v, √u)):
///
///     Pc = e^(−v/2) Σₘ (v/2)ᵐ/m! · [1 − e^(−u/2) Σₖ₌₀..ₘ (u/2)ᵏ/k!]
///
/// Chan truncates the sum at 3 to 60 terms depending on u and v; here it runs until the Poisson weights have
/// passed their peak and the terms no longer change the sum, and each bracket, the regularised incomplete gamma
/// function P(m + 1, u/2), is computed without cancellation (a positive series below its mean, the complement
/// above it).
enum ChanSeries {
    /// The probability for a positive-definite `covariance`, `miss` and disc `radius` (all in one length unit).
    static func probability(miss: SIMD2<Double>, covariance: PrincipalCovariance, radius: Double) -> Double {
        let values = covariance.variances
        let m1 = (miss * covariance.majorAxis).sum()
        let m2 = (miss * covariance.minorAxis).sum()
        let u = radius * radius / (values.x * values.y).squareRoot()
        let v = m1 * m1 / values.x + m2 * m2 / values.y
        return nonCentralChiSquare2(at: u, nonCentrality: v)
    }

    /// Beyond this half non-centrality the series needs too many terms (about v/2 of them) and the same
    /// probability is integrated instead.
    static let largestSeriesHalfNonCentrality = 1e4

    /// P(X ≤ u) for X non-central χ² with two degrees of freedom and non-centrality v.
    static func nonCentralChiSquare2(at u: Double, nonCentrality v: Double) -> Double {
        guard u > 0 else { return 0 }
        guard u.isFinite else { return 1 }
        let x = 0.5 * u
        let y = 0.5 * v
        // X ≤ u needs |Z₁ + √v| ≤ √u, so P ≤ Φ(√u − √v): zero in double precision past 38 deviations.
        let rootU = u.squareRoot()
        let rootV = v.squareRoot()
        if rootV - rootU > 38.5 { return 0 }
        if y > largestSeriesHalfNonCentrality {
            // The same quantity: a unit isotropic Gaussian in a disc of radius √u at distance √v.
            let isotropic = PrincipalCovariance(variances: SIMD2(1, 1), majorAxis: SIMD2(1, 0))
            return FosterIntegral.disc(miss: SIMD2(rootV, 0), covariance: isotropic, radius: rootU)
        }
        let logX = log(x)
        let logY = log(y)
        var sum = 0.0
        var logWeight = -y  // log of the Poisson(y) weight of m
        var logPoisson = -x  // log of e^(−x) x^m / m!
        var poissonCDF = 0.0  // e^(−x) Σ_{k ≤ m} x^k / k!
        var m = 0
        let hardStop = Int(y + 40 * (y + 1).squareRoot() + 100)
        while m <= hardStop {
            poissonCDF += exp(logPoisson)
            let n = Double(m + 1)
            // P(m + 1, x) = 1 − e^(−x) Σ_{k ≤ m} x^k/k! above the mean; below it, the series whose first term is
            // e^(−x) x^(m+1)/(m+1)! = (e^(−x) x^m/m!) · x/(m + 1).
            let gamma = x >= n ? 1 - poissonCDF : lowerRegularizedGamma(n, x, leadingTerm: exp(logPoisson) * x / n)
            let term = exp(logWeight) * gamma
            sum += term
            // Past the Poisson peak both factors only decrease.
            if Double(m) > y, term <= 1e-17 * sum || gamma == 0 { break }
            if y == 0 { break }
            m += 1
            logWeight += logY - log(Double(m))
            logPoisson += logX - log(Double(m))
        }
        return Swift.min(Swift.max(sum, 0), 1)
    }

    /// P(n, x) for x < n by its series e^(−x) xⁿ/n! · Σⱼ xʲ/((n + 1)…(n + j)), all terms positive;
    /// `leadingTerm` is e^(−x) xⁿ/n!.
    private static func lowerRegularizedGamma(_ n: Double, _ x: Double, leadingTerm prefix: Double) -> Double {
        guard prefix > 0 else { return 0 }
        var term = 1.0
        var series = 1.0
        var k = n
        while true {
            k += 1
            term *= x / k
            series += term
            if term <= 1e-17 * series { break }
        }
        return prefix * series
    }
}
