import Astrodynamics
import Foundation

/// Finds the observable intervals of one object at a time for several sensors over a `SkyWindow`.
///
/// **1. Geometry, every sensor at once.** The object is propagated once per time step and its ITRF state
/// shared by the sensors. For each sensor the margin g = d·û − |d|·sin(limit) (km; positive above the elevation
/// limit) and, for a radar, R_max − |d| come with a proved time before their sign can change
/// (`GeometricMargin`): |m|/L with L the largest rate — (1 + sin limit)·V and V, V the object's largest
/// Earth-fixed speed (`MotionBounds`) — or, when longer, the root of |m| = ṁτ + ½Cτ² with C a bound on the second
/// derivative. The next step is the smallest of these over the sensors, but never less than the shortest pass
/// that rises 0.01° above the limit (`MotionBounds.shortestPassSeconds`, 5–15 s). Hence: **no pass whose highest
/// elevation is 0.01° or more above the limit is missed**; one that peaks lower may be. Far from every sensor the
/// steps are minutes long (a LEO object: a few hundred steps a day for four sensors). Sign changes are refined by
/// Newton's method on the margin's rate (`RootFinder.newton`, ~3 evaluations to 1 ms).
///
/// **2. The other conditions** (telescopes), inside each geometric interval cut to the site's dark intervals:
/// the Earth-shadow margin (km, rate ≤ the object's inertial speed + the Sun direction's drift), the Moon
/// separation (rate ≤ the line of sight's angular rate + the Moon's) and the magnitude margin (rate from the range
/// rate and the phase law's slope), each in seconds likewise; steps ≥ 1 s.
///
/// Their sign changes are refined to 1 ms (`RootFinder.root`); the culmination is the highest elevation in the
/// final interval (a root of the elevation rate, or an end).
struct PassFinder {
    let window: SkyWindow
    let sensors: [SensorContext]
    /// The peak excess over the elevation limit below which a pass may be missed, degrees.
    static let excessDegrees = 0.01
    /// The shortest step of the second stage, seconds.
    static let conditionFloorSeconds = 1.0

    private var margins: [Double]
    private var opened: [Double?]
    private var active: [Bool]
    /// Per sensor, the time until which its geometric sign is proved constant.
    private var safeUntil: [Double]
    /// Per sensor, when its margin was last evaluated (a sensor whose sign is proved is not evaluated).
    private var evaluated: [Double]
    /// Per telescope, where it stands among its dark intervals.
    private var gates: [DarkGate?]

    init(window: SkyWindow, sensors: [SensorContext]) {
        self.window = window
        self.sensors = sensors
        margins = Array(repeating: 0, count: sensors.count)
        opened = Array(repeating: nil, count: sensors.count)
        active = Array(repeating: true, count: sensors.count)
        safeUntil = Array(repeating: 0, count: sensors.count)
        evaluated = Array(repeating: 0, count: sensors.count)
        gates = Array(repeating: nil, count: sensors.count)
    }

    /// Calls `emit(sensorIndex, interval)` for every observable interval of `object`.
    mutating func find(_ object: TrackedObject, emit: (Int, ObservableInterval) -> Void) {
        let track = ObjectTrack(object: object, window: window)
        let geometric = geometricIntervals(track)
        for (index, context) in sensors.enumerated() {
            for (a, b) in geometric[index] {
                for (s, e) in observable(track, context, from: a, to: b) {
                    let (culmination, elevation) = culminate(track, context, from: s, to: e)
                    emit(
                        index,
                        ObservableInterval(
                            sensor: context.sensor.name, noradID: object.noradID, start: window.epoch(s),
                            culmination: window.epoch(culmination), end: window.epoch(e),
                            maxElevationDegrees: elevation))
                }
            }
        }
    }

    // MARK: - Stage 1: geometry

    /// Sensor `index`'s geometric margin for an object at ITRF `p` moving at `w`: in seconds (positive when
    /// visible), its rate (for Newton's method) and the time before it can change sign (`GeometricMargin.safe`).
    @inline(__always)
    private func geometricMargin(_ index: Int, _ p: SIMD3<Double>, _ w: SIMD3<Double>, _ bounds: MotionBounds)
        -> GeometricMargin
    {
        let context = sensors[index]
        let d = p - context.site.positionKilometres
        let range = (d * d).sum().squareRoot()
        let rangeRate = (d * w).sum() / range
        let k = context.sineOfLimit
        let speed = bounds.earthFixedSpeed
        let elevation = GeometricMargin(
            value: (d * context.site.up).sum() - k * range, rate: (w * context.site.up).sum() - k * rangeRate,
            lipschitz: (1 + k) * speed, range: range, speed: speed, nearestRange: context.nearestRange(bounds),
            curvature: (1 + k) * bounds.earthFixedAcceleration, curvaturePerRange: k * speed * speed)
        guard let maxRange = context.maxRangeKilometres else { return elevation }
        let distance = GeometricMargin(
            value: maxRange - range, rate: -rangeRate, lipschitz: speed, range: range, speed: speed,
            nearestRange: context.nearestRange(bounds), curvature: bounds.earthFixedAcceleration,
            curvaturePerRange: speed * speed)
        return elevation.and(distance)
    }

    /// Per sensor, the intervals (seconds since the window's start) above the elevation limit (and within range).
    private mutating func geometricIntervals(_ track: ObjectTrack) -> [[(Double, Double)]] {
        var result = [[(Double, Double)]](repeating: [], count: sensors.count)
        let bounds = track.bounds
        var floor = Double.infinity
        for (index, context) in sensors.enumerated() {
            gates[index] = context.dark.map { DarkGate(intervals: $0) }
            // Prefilter: a radar never sees an object whose perigee is beyond its range.
            active[index] =
                context.maxRangeKilometres.map { bounds.perigeeRadius - context.siteRadiusKilometres < $0 } ?? true
            if active[index] {
                floor = min(
                    floor,
                    bounds.shortestPassSeconds(
                        siteRadiusKilometres: context.siteRadiusKilometres,
                        limitDegrees: context.sensor.minElevationDegrees, excessDegrees: Self.excessDegrees))
            }
        }
        guard floor.isFinite, let (p0, w0) = track.itrfState(0) else { return result }
        floor = max(floor, 0.5)
        let duration = window.duration
        for index in sensors.indices where active[index] {
            evaluate(index, at: 0, p0, w0, track, result: &result, first: true)
        }
        var t = 0.0
        while t < duration {
            var safe = Double.infinity
            var boundary = Double.infinity
            for index in sensors.indices where active[index] {
                safe = min(safe, safeUntil[index])
                if let gate = gates[index] { boundary = min(boundary, gate.boundary) }
            }
            // A telescope's dark boundaries are always sampled (its geometry starts and stops there).
            let next = min(max(safe, t + floor), duration, boundary)
            guard let (p, w) = track.itrfState(next) else {
                // SGP4 gave up (decay): the object is observable nowhere from here on.
                for index in sensors.indices where active[index] {
                    if let s = opened[index] { result[index].append((s, t)) }
                    opened[index] = nil
                }
                return result
            }
            for index in sensors.indices where active[index] && safeUntil[index] <= next {
                evaluate(index, at: next, p, w, track, result: &result, first: false)
            }
            t = next
        }
        for index in sensors.indices where active[index] {
            if let s = opened[index], duration > s { result[index].append((s, duration)) }
            opened[index] = nil
        }
        return result
    }

    /// Evaluates sensor `index` at `time` (object at ITRF `p`, moving at `w`): opens or closes its interval at a
    /// sign change (refined by Newton's method) or at a telescope's dark boundary, and proves how long the sign
    /// stays. Outside its dark intervals a telescope is not evaluated: it sees nothing there.
    private mutating func evaluate(
        _ index: Int, at time: Double, _ p: SIMD3<Double>, _ w: SIMD3<Double>, _ track: ObjectTrack,
        result: inout [[(Double, Double)]], first: Bool
    ) {
        let bounds = track.bounds
        var cap = Double.infinity
        var entering = first
        var leaving = false
        if var gate = gates[index] {
            let wasInside = gate.inside
            gate.move(to: time)
            gates[index] = gate
            if !gate.inside && (first || !wasInside) {
                // Still outside the dark intervals: nothing to see until the next starts.
                margins[index] = -1
                safeUntil[index] = gate.boundary
                evaluated[index] = time
                return
            }
            // At a dark interval's end the margin is still evaluated (a set just before it is a set).
            leaving = !gate.inside
            entering = entering || !wasInside
            cap = gate.boundary
        }
        let margin = geometricMargin(index, p, w, bounds)
        if entering {
            opened[index] = margin.seconds >= 0 ? time : nil
            safeUntil[index] = min(time + margin.safe, cap)
        } else {
            // Both guarantees hold and overlap at `time`: the sign is fixed until the later of them.
            safeUntil[index] = min(max(safeUntil[index], time + margin.safe), cap)
            if (margin.seconds >= 0) != (margins[index] >= 0) {
                let root = RootFinder.newton(a: evaluated[index], fa: margins[index], b: time, fb: margin.seconds) {
                    x in
                    guard let (p, w) = track.itrfState(x) else { return (-1, 0) }
                    let m = geometricMargin(index, p, w, bounds)
                    return (m.seconds, m.secondsRate)
                }
                if margin.seconds >= 0 {
                    opened[index] = root
                } else if let s = opened[index] {
                    result[index].append((s, root))
                    opened[index] = nil
                }
            }
        }
        if leaving {
            if let s = opened[index], time > s { result[index].append((s, time)) }
            opened[index] = nil
            margins[index] = -1
            safeUntil[index] = cap
            evaluated[index] = time
            return
        }
        margins[index] = margin.seconds
        evaluated[index] = time
    }

    // MARK: - Stage 2: darkness, sunlight, magnitude, Moon

    /// The parts of the geometric interval [a, b] in which the sensor's other conditions hold.
    private func observable(_ track: ObjectTrack, _ context: SensorContext, from a: Double, to b: Double)
        -> [(Double, Double)]
    {
        guard let dark = context.dark, let optical = context.sensor.optical else { return [(a, b)] }
        var result: [(Double, Double)] = []
        let conditions = OpticalConditions(track: track, context: context, optical: optical)
        for (da, db) in dark {
            let s = max(a, da)
            let e = min(b, db)
            guard e > s else { continue }
            var t = s
            var m = conditions.margin(at: s)
            var open: Double? = m >= 0 ? s : nil
            while t < e {
                let next = min(t + max(abs(m), Self.conditionFloorSeconds), e)
                let mNext = conditions.margin(at: next)
                if (m >= 0) != (mNext >= 0) {
                    let root = RootFinder.root(a: t, fa: m, b: next, fb: mNext) { conditions.margin(at: $0) }
                    if mNext >= 0 {
                        open = root
                    } else if let start = open {
                        result.append((start, root))
                        open = nil
                    }
                }
                t = next
                m = mNext
            }
            if let start = open, e > start { result.append((start, e)) }
        }
        return result
    }

    // MARK: - Culmination

    /// The instant of highest elevation in [s, e] and that elevation, degrees.
    private func culminate(_ track: ObjectTrack, _ context: SensorContext, from s: Double, to e: Double) -> (
        Double, Double
    ) {
        func elevation(_ x: Double) -> Double {
            guard let p = track.position(x) else { return -90 }
            return context.site.direction(to: p).elevationDegrees
        }
        func rate(_ x: Double) -> Double { rateAndDerivative(x).value }
        func rateAndDerivative(_ x: Double) -> (value: Double, derivative: Double) {
            guard let (p, w) = track.itrfState(x) else { return (0, 1) }
            return context.site.elevationSineRate(position: p, velocity: w, earthRate: MotionBounds.earthRate)
        }
        // The elevation rate sampled every 10 min (a LEO pass is one bracket); each + → − change holds a maximum,
        // found to 10 ms by Newton's method (the maximum is flat: 10 ms move the elevation by < 10⁻⁶°).
        let spacing = 600.0
        let count = max(Int(((e - s) / spacing).rounded(.up)), 1)
        var best = (s, elevation(s))
        let last = elevation(e)
        if last > best.1 { best = (e, last) }
        var previous = (s, rate(s))
        for step in 1...count {
            let x = step == count ? e : s + (e - s) * Double(step) / Double(count)
            let r = step == count ? rate(e) : rate(x)
            if previous.1 > 0 && r <= 0 {
                let root = RootFinder.newton(
                    a: previous.0, fa: previous.1, b: x, fb: r, tolerance: 0.01, rateAndDerivative)
                let value = elevation(root)
                if value > best.1 { best = (root, value) }
            }
            previous = (x, r)
        }
        return best
    }
}

/// One object over a window: SGP4 states addressed by seconds since the window's start.
struct ObjectTrack {
    let object: TrackedObject
    let window: SkyWindow
    let bounds: MotionBounds
    /// Minutes from the element epoch to the window's start.
    let startMinutes: Double

    init(object: TrackedObject, window: SkyWindow) {
        self.object = object
        self.window = window
        bounds = MotionBounds(elements: object.propagator.elements)
        startMinutes = object.minutesSinceElementEpoch(window.start)
    }

    /// The TEME state, nil when SGP4 fails.
    @inline(__always)
    func teme(_ seconds: Double) -> CartesianState? {
        try? object.propagator.propagate(minutesSinceEpoch: startMinutes + seconds / 60)
    }

    /// The ITRF position, km.
    @inline(__always)
    func position(_ seconds: Double) -> SIMD3<Double>? {
        guard let state = teme(seconds) else { return nil }
        return EarthRotation(window: window, seconds: seconds).apply(state.positionKilometres)
    }

    /// The ITRF position and Earth-relative velocity.
    @inline(__always)
    func itrfState(_ seconds: Double) -> (SIMD3<Double>, SIMD3<Double>)? {
        guard let state = teme(seconds) else { return nil }
        let (p, v) = window.itrf(state, at: seconds)
        return (p, v)
    }
}

/// A telescope's position among its dark intervals as time advances: inside one (until its end) or outside (until
/// the next one starts).
struct DarkGate {
    let intervals: [(Double, Double)]
    private var cursor = 0
    /// Whether the last time moved to is dark.
    private(set) var inside = false
    /// The end of the current dark interval (inside) or the start of the next (outside; ∞ when none).
    private(set) var boundary = -Double.infinity

    init(intervals: [(Double, Double)]) { self.intervals = intervals }

    /// Moves to `time` (never backwards).
    mutating func move(to time: Double) {
        while cursor < intervals.count && intervals[cursor].1 <= time { cursor += 1 }
        if cursor == intervals.count {
            inside = false
            boundary = .infinity
        } else if intervals[cursor].0 <= time {
            inside = true
            boundary = intervals[cursor].1
        } else {
            inside = false
            boundary = intervals[cursor].0
        }
    }
}
