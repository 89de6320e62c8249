import Foundation

/// The IAU 1980 theory of nutation (Wahr 1981; Seidelmann 1982): the 106-term series in longitude (Δψ) and
/// obliquity (Δε), with the IAU 1980 fundamental arguments.
///
/// Coefficients: Explanatory Supplement to the Astronomical Almanac (1992) Table 3.222.1, identical to Vallado
/// 4th ed. Appendix D-6 (`nut80.dat`); units 0.1 mas and 0.1 mas per Julian century.
enum Nutation1980 {
    /// One term: multipliers of (l, l′, F, D, Ω), then Δψ sine coefficient and rate, Δε cosine coefficient and
    /// rate.
    struct Term {
        let l: Int8, lp: Int8, f: Int8, d: Int8, om: Int8
        let psi: Double, psiRate: Double, eps: Double, epsRate: Double
        init(
            _ l: Int8, _ lp: Int8, _ f: Int8, _ d: Int8, _ om: Int8, _ psi: Double, _ psiRate: Double, _ eps: Double,
            _ epsRate: Double
        ) {
            self.l = l
            self.lp = lp
            self.f = f
            self.d = d
            self.om = om
            self.psi = psi
            self.psiRate = psiRate
            self.eps = eps
            self.epsRate = epsRate
        }
    }

    /// Δψ and Δε (radians) at `t` Julian centuries of TT since J2000, and the longitude of the Moon's node Ω
    /// (radians, the argument of the equation of the equinoxes' kinematic terms).
    static func angles(ttCenturies t: Double) -> (dPsi: Double, dEps: Double, node: Double) {
        let arguments = fundamentalArguments(t)
        let sums = NutationSeries.sum(table: table, arguments: arguments, t: t)
        return (sums.psi * unit, sums.eps * unit, arguments.4)
    }

    /// The IAU 1980 fundamental arguments l, l′, F, D, Ω (radians) (Seidelmann 1982; Explanatory Supplement
    /// 1992 §3.222 — whole revolutions are added separately to keep precision).
    static func fundamentalArguments(_ t: Double) -> (Double, Double, Double, Double, Double) {
        func angle(_ c0: Double, _ c1: Double, _ c2: Double, _ c3: Double, revolutions: Double) -> Double {
            ((c0 + (c1 + (c2 + c3 * t) * t) * t) * Angle.arcsecond).truncatingRemainder(dividingBy: Angle.twoPi)
                + (revolutions * t).truncatingRemainder(dividingBy: 1) * Angle.twoPi
        }
        return (
            angle(485_866.733, 715_922.633, 31.310, 0.064, revolutions: 1325),
            angle(1_287_099.804, 1_292_581.224, -0.577, -0.012, revolutions: 99),
            angle(335_778.877, 295_263.137, -13.257, 0.011, revolutions: 1342),
            angle(1_072_261.307, 1_105_601.328, -6.891, 0.019, revolutions: 1236),
            angle(450_160.280, -482_890.539, 7.455, 0.008, revolutions: -5)
        )
    }

    /// 0.1 mas in radians.
    static let unit = Angle.arcsecond / 10_000

    /// The series flattened for `NutationSeries.sum`.
    static let table = NutationSeries.Table(
        multipliers: terms.flatMap { [$0.l, $0.lp, $0.f, $0.d, $0.om] },
        coefficients: terms.flatMap { [$0.psi, $0.psiRate, 0, $0.eps, $0.epsRate, 0] })

    /// The 106 terms, largest first.
    static let terms: [Term] = [
        Term(0, 0, 0, 0, 1, -171996, -174.2, 92025, 8.9),
        Term(0, 0, 0, 0, 2, 2062, 0.2, -895, 0.5),
        Term(-2, 0, 2, 0, 1, 46, 0, -24, 0),
        Term(2, 0, -2, 0, 0, 11, 0, 0, 0),
        Term(-2, 0, 2, 0, 2, -3, 0, 1, 0),
        Term(1, -1, 0, -1, 0, -3, 0, 0, 0),
        Term(0, -2, 2, -2, 1, -2, 0, 1, 0),
        Term(2, 0, -2, 0, 1, 1, 0, 0, 0),
        Term(0, 0, 2, -2, 2, -13187, -1.6, 5736, -3.1),
        Term(0, 1, 0, 0, 0, 1426, -3.4, 54, -0.1),
        Term(0, 1, 2, -2, 2, -517, 1.2, 224, -0.6),
        Term(0, -1, 2, -2, 2, 217, -0.5, -95, 0.3),
        Term(0, 0, 2, -2, 1, 129, 0.1, -70, 0),
        Term(2, 0, 0, -2, 0, 48, 0, 1, 0),
        Term(0, 0, 2, -2, 0, -22, 0, 0, 0),
        Term(0, 2, 0, 0, 0, 17, -0.1, 0, 0),
        Term(0, 1, 0, 0, 1, -15, 0, 9, 0),
        Term(0, 2, 2, -2, 2, -16, 0.1, 7, 0),
        Term(0, -1, 0, 0, 1, -12, 0, 6, 0),
        Term(-2, 0, 0, 2, 1, -6, 0, 3, 0),
        Term(0, -1, 2, -2, 1, -5, 0, 3, 0),
        Term(2, 0, 0, -2, 1, 4, 0, -2, 0),
        Term(0, 1, 2, -2, 1, 4, 0, -2, 0),
        Term(1, 0, 0, -1, 0, -4, 0, 0, 0),
        Term(2, 1, 0, -2, 0, 1, 0, 0, 0),
        Term(0, 0, -2, 2, 1, 1, 0, 0, 0),
        Term(0, 1, -2, 2, 0, -1, 0, 0, 0),
        Term(0, 1, 0, 0, 2, 1, 0, 0, 0),
        Term(-1, 0, 0, 1, 1, 1, 0, 0, 0),
        Term(0, 1, 2, -2, 0, -1, 0, 0, 0),
        Term(0, 0, 2, 0, 2, -2274, -0.2, 977, -0.5),
        Term(1, 0, 0, 0, 0, 712, 0.1, -7, 0),
        Term(0, 0, 2, 0, 1, -386, -0.4, 200, 0),
        Term(1, 0, 2, 0, 2, -301, 0, 129, -0.1),
        Term(1, 0, 0, -2, 0, -158, 0, -1, 0),
        Term(-1, 0, 2, 0, 2, 123, 0, -53, 0),
        Term(0, 0, 0, 2, 0, 63, 0, -2, 0),
        Term(1, 0, 0, 0, 1, 63, 0.1, -33, 0),
        Term(-1, 0, 0, 0, 1, -58, -0.1, 32, 0),
        Term(-1, 0, 2, 2, 2, -59, 0, 26, 0),
        Term(1, 0, 2, 0, 1, -51, 0, 27, 0),
        Term(0, 0, 2, 2, 2, -38, 0, 16, 0),
        Term(2, 0, 0, 0, 0, 29, 0, -1, 0),
        Term(1, 0, 2, -2, 2, 29, 0, -12, 0),
        Term(2, 0, 2, 0, 2, -31, 0, 13, 0),
        Term(0, 0, 2, 0, 0, 26, 0, -1, 0),
        Term(-1, 0, 2, 0, 1, 21, 0, -10, 0),
        Term(-1, 0, 0, 2, 1, 16, 0, -8, 0),
        Term(1, 0, 0, -2, 1, -13, 0, 7, 0),
        Term(-1, 0, 2, 2, 1, -10, 0, 5, 0),
        Term(1, 1, 0, -2, 0, -7, 0, 0, 0),
        Term(0, 1, 2, 0, 2, 7, 0, -3, 0),
        Term(0, -1, 2, 0, 2, -7, 0, 3, 0),
        Term(1, 0, 2, 2, 2, -8, 0, 3, 0),
        Term(1, 0, 0, 2, 0, 6, 0, 0, 0),
        Term(2, 0, 2, -2, 2, 6, 0, -3, 0),
        Term(0, 0, 0, 2, 1, -6, 0, 3, 0),
        Term(0, 0, 2, 2, 1, -7, 0, 3, 0),
        Term(1, 0, 2, -2, 1, 6, 0, -3, 0),
        Term(0, 0, 0, -2, 1, -5, 0, 3, 0),
        Term(1, -1, 0, 0, 0, 5, 0, 0, 0),
        Term(2, 0, 2, 0, 1, -5, 0, 3, 0),
        Term(0, 1, 0, -2, 0, -4, 0, 0, 0),
        Term(1, 0, -2, 0, 0, 4, 0, 0, 0),
        Term(0, 0, 0, 1, 0, -4, 0, 0, 0),
        Term(1, 1, 0, 0, 0, -3, 0, 0, 0),
        Term(1, 0, 2, 0, 0, 3, 0, 0, 0),
        Term(1, -1, 2, 0, 2, -3, 0, 1, 0),
        Term(-1, -1, 2, 2, 2, -3, 0, 1, 0),
        Term(-2, 0, 0, 0, 1, -2, 0, 1, 0),
        Term(3, 0, 2, 0, 2, -3, 0, 1, 0),
        Term(0, -1, 2, 2, 2, -3, 0, 1, 0),
        Term(1, 1, 2, 0, 2, 2, 0, -1, 0),
        Term(-1, 0, 2, -2, 1, -2, 0, 1, 0),
        Term(2, 0, 0, 0, 1, 2, 0, -1, 0),
        Term(1, 0, 0, 0, 2, -2, 0, 1, 0),
        Term(3, 0, 0, 0, 0, 2, 0, 0, 0),
        Term(0, 0, 2, 1, 2, 2, 0, -1, 0),
        Term(-1, 0, 0, 0, 2, 1, 0, -1, 0),
        Term(1, 0, 0, -4, 0, -1, 0, 0, 0),
        Term(-2, 0, 2, 2, 2, 1, 0, -1, 0),
        Term(-1, 0, 2, 4, 2, -2, 0, 1, 0),
        Term(2, 0, 0, -4, 0, -1, 0, 0, 0),
        Term(1, 1, 2, -2, 2, 1, 0, -1, 0),
        Term(1, 0, 2, 2, 1, -1, 0, 1, 0),
        Term(-2, 0, 2, 4, 2, -1, 0, 1, 0),
        Term(-1, 0, 4, 0, 2, 1, 0, 0, 0),
        Term(1, -1, 0, -2, 0, 1, 0, 0, 0),
        Term(2, 0, 2, -2, 1, 1, 0, -1, 0),
        Term(2, 0, 2, 2, 2, -1, 0, 0, 0),
        Term(1, 0, 0, 2, 1, -1, 0, 0, 0),
        Term(0, 0, 4, -2, 2, 1, 0, 0, 0),
        Term(3, 0, 2, -2, 2, 1, 0, 0, 0),
        Term(1, 0, 2, -2, 0, -1, 0, 0, 0),
        Term(0, 1, 2, 0, 1, 1, 0, 0, 0),
        Term(-1, -1, 0, 2, 1, 1, 0, 0, 0),
        Term(0, 0, -2, 0, 1, -1, 0, 0, 0),
        Term(0, 0, 2, -1, 2, -1, 0, 0, 0),
        Term(0, 1, 0, 2, 0, -1, 0, 0, 0),
        Term(1, 0, -2, -2, 0, -1, 0, 0, 0),
        Term(0, -1, 2, 0, 1, -1, 0, 0, 0),
        Term(1, 1, 0, -2, 1, -1, 0, 0, 0),
        Term(1, 0, -2, 2, 0, -1, 0, 0, 0),
        Term(2, 0, 0, 2, 0, 1, 0, 0, 0),
        Term(0, 0, 2, 4, 2, -1, 0, 0, 0),
        Term(0, 1, 0, 1, 0, 1, 0, 0, 0),
    ]
}
