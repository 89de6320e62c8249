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

extension RootFinder {
    /// The root of `f` in [a, b] (signs of f(a) = fa and f(b) = fb differ) by Newton's method on f's derivative,
    /// safeguarded by the bracket (a step that would leave it bisects instead): quadratic convergence on the smooth
    /// margins of the pass finder, three or four evaluations to 1 ms from a 10-s bracket. Returns the root to
    /// within `tolerance` (the last Newton step was shorter than half of it), inside [a, b].
    static func newton(
        a: Double, fa: Double, b: Double, fb: Double, tolerance: Double = 5e-4,
        _ f: (Double) -> (value: Double, derivative: Double)
    ) -> Double {
        var (a, fa, b) = (a, fa, b)
        if fa == 0 { return a }
        if fb == 0 { return b }
        var x = (a * fb - b * fa) / (fb - fa)
        for _ in 0..<60 {
            let (fx, dfx) = f(x)
            if fx == 0 { return x }
            if (fx > 0) == (fa > 0) {
                a = x
                fa = fx
            } else {
                b = x
            }
            if b - a <= tolerance { return 0.5 * (a + b) }
            var next = x - fx / dfx
            if !(next > a && next < b) || !next.isFinite { next = 0.5 * (a + b) }
            if abs(next - x) < tolerance / 2 { return next }
            x = next
        }
        return 0.5 * (a + b)
    }
}
