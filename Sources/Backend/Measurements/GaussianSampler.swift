/// Standard normal deviates (mean 0, σ 1) from a seeded `Xoshiro256StarStar`, the same bit for bit on every
/// platform.
///
/// Marsaglia's polar method (Marsaglia & Bray 1964, "A convenient method for generating normal variables", SIAM
/// Review 6(3):260–264; Knuth, TAOCP vol. 2, 3rd ed., §3.4.1, Algorithm P): draw (u, v) uniform in the square
/// (−1, 1)², keep it when 0 < s = u² + v² < 1, and return u·f and then v·f with f = √(−2 ln s / s). Box–Muller needs
/// sin and cos as well; the polar method needs only a logarithm, and that one is `PortableLogarithm`, built from the
/// correctly rounded IEEE 754 operations alone, so no platform's libm can change a deviate.
public struct GaussianSampler: Sendable, Equatable {
    /// The uniform source.
    public private(set) var generator: Xoshiro256StarStar
    /// The second deviate of the last accepted pair, returned by the next call.
    private var spare: Double?

    /// A sampler seeded with `seed`.
    public init(seed: UInt64) {
        generator = Xoshiro256StarStar(seed: seed)
    }

    /// The next standard normal deviate.
    public mutating func next() -> Double {
        if let value = spare {
            spare = nil
            return value
        }
        while true {
            let u = 2 * generator.nextUnitInterval() - 1
            let v = 2 * generator.nextUnitInterval() - 1
            let s = u * u + v * v
            // s is a multiple of 2⁻¹⁰⁴ (u, v are multiples of 2⁻⁵²): never subnormal.
            guard s > 0, s < 1 else { continue }
            let factor = (-2 * PortableLogarithm.naturalLogarithm(s) / s).squareRoot()
            spare = v * factor
            return u * factor
        }
    }
}

/// The natural logarithm from + − × ÷ only: reproducible everywhere, unlike libm's `log`, whose last bit may differ
/// between platforms.
///
/// x = m·2ᵉ with m in [√½, √2) (exact, from the bits), ln m = 2·atanh z with z = (m − 1)/(m + 1), |z| ≤ 0.1716,
/// summed as the odd series z + z³/3 + … + z²⁵/25 (remainder below 10⁻¹⁹ of the result), and e·ln 2 added in two
/// parts, the first exact (Cody & Waite 1980, "Software Manual for the Elementary Functions", ch. 5). Within 2 ulp of
/// the true value for normal numbers.
public enum PortableLogarithm {
    /// ln 2 rounded to 32 significant bits, so that e·ln2High is exact for |e| < 2²¹.
    static let ln2High = 0x1.62E42FEE00000p-1
    /// ln 2 − ln2High.
    static let ln2Low = 0x1.A39EF35793C76p-33

    /// ln x for a positive normal `x`.
    public static func naturalLogarithm(_ x: Double) -> Double {
        precondition(x > 0 && x.isNormal && x.isFinite, "naturalLogarithm needs a positive normal number")
        var m = x.significand
        var e = Double(x.exponent)
        if m > 1.4142135623730951 {
            m *= 0.5
            e += 1
        }
        let z = (m - 1) / (m + 1)
        let z2 = z * z
        var series = 1.0 / 25
        var denominator = 23.0
        while denominator >= 1 {
            series = series * z2 + 1 / denominator
            denominator -= 2
        }
        return e * ln2High + (e * ln2Low + 2 * z * series)
    }
}
