import Foundation

/// A geometric condition's margin for one sensor at one instant (km: g for the elevation limit, R_max − ρ for a
/// radar's range) with what the pass finder needs of it: the margin in seconds (margin / Lipschitz constant), and
/// the time before it can change sign.
///
/// That time is the larger of two proved bounds: |m|/L (the margin changes at most at L, km/s) and the root of
/// |m| = ṁ·τ + ½·C·τ² (ṁ the current rate toward zero, C a bound on |m̈|, km/s², which depends on the smallest
/// range during the step: ρ − V·T for a step no longer than T, and never less than the orbit's nearest range).
struct GeometricMargin {
    /// The margin in seconds (positive: the condition holds).
    var seconds: Double
    /// Its rate, seconds per second (for Newton's method).
    var secondsRate: Double
    /// The time before the sign can change, seconds.
    var safe: Double

    /// A margin `value` (km) changing at `rate` (km/s) by at most `lipschitz` (km/s), whose second derivative is
    /// bounded by `curvature + curvaturePerRange / ρ_low` (km/s²) while the range stays above ρ_low.
    @inline(__always)
    init(
        value: Double, rate: Double, lipschitz: Double, range: Double, speed: Double, nearestRange: Double,
        curvature: Double, curvaturePerRange: Double
    ) {
        seconds = value / lipschitz
        secondsRate = rate / lipschitz
        let distance = abs(value)
        let approach = value < 0 ? rate : -rate
        @inline(__always) func quadratic(_ rangeLow: Double) -> Double {
            let c = curvature + curvaturePerRange / rangeLow
            return (-approach + (approach * approach + 2 * c * distance).squareRoot()) / c
        }
        var best = max(distance / lipschitz, quadratic(nearestRange))
        // Steps no longer than 30 s, 2 min, 8 min keep the range above ρ − V·T.
        best = max(best, min(30, quadratic(max(nearestRange, range - speed * 30))))
        best = max(best, min(120, quadratic(max(nearestRange, range - speed * 120))))
        best = max(best, min(480, quadratic(max(nearestRange, range - speed * 480))))
        safe = best
    }

    /// Both conditions: the smaller margin; the sign cannot change before the first holding condition can fail
    /// (both hold) or the last failing one can hold (one fails).
    func and(_ other: GeometricMargin) -> GeometricMargin {
        var combined = seconds <= other.seconds ? self : other
        switch (seconds >= 0, other.seconds >= 0) {
        case (true, true): combined.safe = min(safe, other.safe)
        case (false, false): combined.safe = max(safe, other.safe)
        case (false, true): combined.safe = safe
        case (true, false): combined.safe = other.safe
        }
        return combined
    }
}
