import Foundation

/// Angle units used by the frame models.
enum Angle {
    /// 2π.
    static let twoPi = 2 * Double.pi
    /// One arcsecond in radians.
    static let arcsecond = Double.pi / 648_000
    /// One milliarcsecond in radians.
    static let milliarcsecond = arcsecond / 1000
    /// One second of time (1/86400 of a turn) in radians.
    static let secondOfTime = twoPi / 86_400
}

/// Summation of a luni-solar nutation series Σ (A + A′t) sin φ + A″ cos φ, Σ (B + B′t) cos φ + B″ sin φ with
/// φ = Σₖ nₖ·argₖ over the five Delaunay arguments.
///
/// sin φ and cos φ come from products of e^{i·n·arg} (|n| ≤ 4) built once per call, so a series costs five
/// sin/cos pairs plus a few complex multiplications per term instead of a sin/cos pair per term.
enum NutationSeries {
    /// A series: five multipliers per term; six coefficients per term (Δψ sin, sin·t, cos; Δε cos, cos·t, sin).
    struct Table: Sendable {
        let multipliers: [Int8]
        let coefficients: [Double]
    }

    /// The largest |multiplier| in the IAU 1980 and 2000B tables.
    static let maximumMultiplier = 4

    /// The two sums, in the table's units.
    static func sum(
        table: Table, arguments: (Double, Double, Double, Double, Double), t: Double
    ) -> (psi: Double, eps: Double) {
        let terms = table.multipliers.count / 5
        let width = 2 * maximumMultiplier + 1
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * 5 * width) { powers in
            // powers[2·(a·width + n + 4)] = cos(n·arg_a), [... + 1] = sin(n·arg_a), n = −4…4.
            func fill(_ a: Int, _ angle: Double) {
                let c1 = cos(angle)
                let s1 = sin(angle)
                var c = 1.0
                var s = 0.0
                let zero = a * width + maximumMultiplier
                powers[2 * zero] = 1
                powers[2 * zero + 1] = 0
                for n in 1...maximumMultiplier {
                    (c, s) = (c * c1 - s * s1, c * s1 + s * c1)
                    powers[2 * (zero + n)] = c
                    powers[2 * (zero + n) + 1] = s
                    powers[2 * (zero - n)] = c
                    powers[2 * (zero - n) + 1] = -s
                }
            }
            fill(0, arguments.0)
            fill(1, arguments.1)
            fill(2, arguments.2)
            fill(3, arguments.3)
            fill(4, arguments.4)
            var psi = 0.0
            var eps = 0.0
            table.multipliers.withUnsafeBufferPointer { multipliers in
                table.coefficients.withUnsafeBufferPointer { k in
                    // Smallest terms first, as SOFA does, to limit rounding.
                    var j = terms - 1
                    while j >= 0 {
                        var c = 1.0
                        var s = 0.0
                        for a in 0..<5 {
                            let n = Int(multipliers[5 * j + a])
                            if n != 0 {
                                let index = 2 * (a * width + maximumMultiplier + n)
                                let pc = powers[index]
                                let ps = powers[index + 1]
                                (c, s) = (c * pc - s * ps, c * ps + s * pc)
                            }
                        }
                        let base = 6 * j
                        psi += (k[base] + k[base + 1] * t) * s + k[base + 2] * c
                        eps += (k[base + 3] + k[base + 4] * t) * c + k[base + 5] * s
                        j -= 1
                    }
                }
            }
            return (psi, eps)
        }
    }
}
