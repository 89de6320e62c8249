import Foundation

/// The encounter-plane Gaussian integrated over the hard body (Foster & Estes 1992, NASA JSC-25898), as a 1-D
/// integral whose inner integral is a difference of normal distribution functions.
///
/// CARA's `Pc2D_Foster` hands the 2-D integral to MATLAB's `quad2d`; here one dimension is done in closed form:
/// - disc: in the covariance's principal axes (σ₁ ≥ σ₂, miss (m₁, m₂)), with u = m₁ − R cos θ and chord
///   half-length h = R sin θ, Pc = ∫₀^π φ(u/σ₁)/σ₁ · [Φ((m₂ + h)/σ₂) − Φ((m₂ − h)/σ₂)] · h dθ. The angle removes the
///   square-root ends of the chord, so the integrand is smooth and Gauss–Kronrod converges geometrically;
/// - square: Pc = ∫ φ(x/σₓ)/σₓ · [Φ((y_m + a − βx)/s) − Φ((y_m − a − βx)/s)] dx over the side along x, with the
///   conditional law of y given x (mean βx, β = C_xy/C_xx; deviation s = √(det C / C_xx)).
/// Features narrower than the hard body (a deviation smaller than R) get breakpoints at a few deviations around
/// them, so that no panel starts blind to a narrow peak.
enum FosterIntegral {
    /// The quadrature's relative tolerance.
    static let relativeTolerance = 1e-10
    /// Multiples of a deviation at which a narrow feature gets breakpoints.
    private static let featureOffsets: [Double] = [-8, -3, 0, 3, 8]

    /// The probability that a Gaussian of mean `miss` and `covariance` (positive definite) falls in the disc of
    /// `radius` about the origin.
    static func disc(miss: SIMD2<Double>, covariance: PrincipalCovariance, radius: Double) -> Double {
        let values = covariance.variances
        let integrand = DiscIntegrand(
            majorMiss: (miss * covariance.majorAxis).sum(), minorMiss: (miss * covariance.minorAxis).sum(),
            majorDeviation: values.x.squareRoot(), minorDeviation: values.y.squareRoot(), radius: radius)
        // Two halves from the start: one G7–K15 panel over [0, π] is just short of 1e-10 even for the smooth
        // sin²θ-like integrand of a small hard body, and would be halved anyway.
        var breakpoints = [0.0, 0.5 * Double.pi, Double.pi]
        if integrand.majorDeviation < radius {
            // Around the peak of the major-axis Gaussian, u = 0.
            for k in featureOffsets {
                let c = (integrand.majorMiss - k * integrand.majorDeviation) / radius
                if c > -1, c < 1 { breakpoints.append(acos(c)) }
            }
        }
        if integrand.minorDeviation < radius {
            // Where the chord reaches the minor-axis mean (the inner mass switches on).
            for k in featureOffsets {
                let h = (Swift.abs(integrand.minorMiss) + k * integrand.minorDeviation) / radius
                if h > 0, h < 1 {
                    let angle = asin(h)
                    breakpoints.append(angle)
                    breakpoints.append(Double.pi - angle)
                }
            }
        }
        let result = AdaptiveGaussKronrod.integrate(
            integrand, breakpoints: cleaned(breakpoints), relativeTolerance: relativeTolerance)
        return Swift.min(Swift.max(result.value, 0), 1)
    }

    /// The probability that a Gaussian of mean `miss` and `covariance` (positive definite) falls in the square
    /// of half-side `halfSide` about the origin, sides along the plane's axes.
    static func square(miss: SIMD2<Double>, covariance: PrincipalCovariance, halfSide: Double) -> Double {
        // det C = λ₁λ₂ exactly, where xx·yy − xy² would be rounding noise for a clipped eigenvalue.
        let matrix = covariance.matrix
        let determinant = covariance.variances.x * covariance.variances.y
        let integrand = SquareIntegrand(
            xDeviation: matrix.xx.squareRoot(), slope: matrix.xy / matrix.xx,
            conditionalDeviation: (determinant / matrix.xx).squareRoot(), yMiss: miss.y, halfSide: halfSide)
        let lower = miss.x - halfSide
        let upper = miss.x + halfSide
        var breakpoints = [lower, upper]
        func add(_ x: Double) { if x > lower, x < upper { breakpoints.append(x) } }
        if integrand.xDeviation < halfSide {
            for k in featureOffsets { add(k * integrand.xDeviation) }
        }
        if integrand.conditionalDeviation < halfSide, integrand.slope != 0 {
            // Where the conditional mean βx crosses the square's edges in y, and its centre.
            add(miss.y / integrand.slope)
            for edge in [miss.y - halfSide, miss.y + halfSide] {
                for k in featureOffsets { add((edge + k * integrand.conditionalDeviation) / integrand.slope) }
            }
        }
        let result = AdaptiveGaussKronrod.integrate(
            integrand, breakpoints: cleaned(breakpoints), relativeTolerance: relativeTolerance)
        return Swift.min(Swift.max(result.value, 0), 1)
    }

    /// Sorted, without near-duplicates.
    private static func cleaned(_ points: [Double]) -> [Double] {
        let sorted = points.sorted()
        let span = sorted.last! - sorted.first!
        var result = [sorted[0]]
        for point in sorted.dropFirst() where point - result[result.count - 1] > 1e-12 * span {
            result.append(point)
        }
        if result.count == 1 { result.append(sorted.last!) }
        result[result.count - 1] = sorted.last!
        return result
    }
}

/// The disc integrand in θ (see `FosterIntegral`).
private struct DiscIntegrand: Integrand {
    let majorMiss: Double
    let minorMiss: Double
    let majorDeviation: Double
    let minorDeviation: Double
    let radius: Double

    @inline(__always)
    func callAsFunction(_ angle: Double) -> Double {
        let u = majorMiss - radius * cos(angle)
        let h = radius * sin(angle)
        let gaussian = StandardNormal.density(u / majorDeviation) / majorDeviation
        let mass = StandardNormal.mass(centre: minorMiss / minorDeviation, halfWidth: h / minorDeviation)
        return gaussian * mass * h
    }
}

/// The square integrand in x (see `FosterIntegral`).
private struct SquareIntegrand: Integrand {
    let xDeviation: Double
    let slope: Double
    let conditionalDeviation: Double
    let yMiss: Double
    let halfSide: Double

    @inline(__always)
    func callAsFunction(_ x: Double) -> Double {
        let centre = yMiss - slope * x
        let gaussian = StandardNormal.density(x / xDeviation) / xDeviation
        return gaussian
            * StandardNormal.mass(centre: centre / conditionalDeviation, halfWidth: halfSide / conditionalDeviation)
    }
}
