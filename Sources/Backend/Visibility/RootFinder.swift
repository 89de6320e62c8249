/// The root of a continuous function on a bracket by the Illinois variant of regula falsi (Dowell & Jarratt 1971,
/// BIT 11:168): superlinear on smooth functions, never leaves the bracket, so it also serves the piecewise-smooth
/// minimum of several margins.
enum RootFinder {
    /// The point where `f` changes sign in [a, b] (f(a) = fa and f(b) = fb of opposite signs, or one zero), to
    /// within `tolerance`; returned as the end of the final bracket on the side where f ≥ 0 (so that the instant
    /// satisfies the condition the margin measures).
    static func root(
        a: Double, fa: Double, b: Double, fb: Double, tolerance: Double = 5e-4, _ f: (Double) -> Double
    ) -> Double {
        var (a, fa, b, fb) = (a, fa, b, fb)
        if fa == 0 { return a }
        if fb == 0 { return b }
        var side = 0
        for _ in 0..<200 {
            if b - a <= tolerance { break }
            var c = (a * fb - b * fa) / (fb - fa)
            // Keep strictly inside, and fall back to bisection when the secant crowds an end.
            let margin = (b - a) * 1e-3
            if !(c > a + margin && c < b - margin) { c = 0.5 * (a + b) }
            let fc = f(c)
            if fc == 0 { return c }
            if (fc > 0) == (fb > 0) {
                b = c
                fb = fc
                if side == -1 { fa /= 2 }
                side = -1
            } else {
                a = c
                fa = fc
                if side == 1 { fb /= 2 }
                side = 1
            }
        }
        return fa >= 0 ? a : b
    }
}
