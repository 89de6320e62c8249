import Astrodynamics
import Foundation

/// What every object of a search shares over one window, computed once: the Earth's rotation (TEME → ITRF) and
/// the Sun and Moon in TEME on a grid, all addressed by seconds since the window's start.
///
/// - Earth rotation: the transformer's TEME → ITRF rotation W·R3(GMST) at whole hours from the start, advanced in
///   between by R3(ω·Δt) with the rotation rate it gives (R3 rotations commute, so W·R3(θ)·R3(Δθ) =
///   W·R3(θ + Δθ)); GMST's quadratic term and the change of LOD within an hour move the site by < 1 mm.
/// - Sun (geometric and apparent) and Moon: `Sun` and `Moon` in EME2000 rotated to TEME by the transformer every
///   10 minutes and interpolated linearly (chord error: 0.3 km for the Sun, 0.1 km for the Moon, < 0.001″).
final class SkyWindow: Sendable {
    /// The window's first instant.
    let start: Epoch
    /// Its length, seconds.
    let duration: Double
    private let anchors: [(matrix: Matrix3, rate: Double)]
    private let sunGeometric: [SIMD3<Double>]
    private let sunApparent: [SIMD3<Double>]
    private let moon: [SIMD3<Double>]

    static let anchorSpacing = 3600.0
    static let gridSpacing = 600.0

    init(from: Epoch, to: Epoch, transformer: FrameTransformer) {
        start = from
        duration = max(to.seconds(since: from), 0)
        let anchorCount = Int((duration / Self.anchorSpacing).rounded(.down)) + 2
        anchors = (0..<anchorCount).map { index in
            let rotation = transformer.rotation(
                from: .teme, to: .itrf, at: from.adding(seconds: Double(index) * Self.anchorSpacing))
            let omega = rotation.angularVelocityRadiansPerSecond
            return (rotation.matrix, (omega * omega).sum().squareRoot())
        }
        // The grid starts one node before the window and ends one after it.
        let nodes = Int((duration / Self.gridSpacing).rounded(.up)) + 3
        var geometric: [SIMD3<Double>] = []
        var apparent: [SIMD3<Double>] = []
        var moon: [SIMD3<Double>] = []
        for index in 0..<nodes {
            let epoch = from.adding(seconds: Double(index - 1) * Self.gridSpacing)
            let toTEME = transformer.rotation(from: .eme2000, to: .teme, at: epoch).matrix
            geometric.append(toTEME * Sun.positionEME2000Kilometres(at: epoch, correction: .geometric))
            apparent.append(toTEME * Sun.positionEME2000Kilometres(at: epoch, correction: .apparent))
            moon.append(toTEME * Moon.positionEME2000Kilometres(at: epoch))
        }
        sunGeometric = geometric
        sunApparent = apparent
        self.moon = moon
    }

    /// The epoch `seconds` after the start.
    func epoch(_ seconds: Double) -> Epoch { start.adding(seconds: seconds) }

    /// The TEME → ITRF rotation `seconds` after the start (matrix and rotation rate).
    @inline(__always)
    func earthRotation(_ seconds: Double) -> (matrix: Matrix3, rate: Double) {
        let rotation = EarthRotation(window: self, seconds: seconds)
        return (rotation.anchor * Matrix3.rotationZ(radians: rotation.angle), rotation.rate)
    }

    /// The anchor matrix in force `seconds` after the start, with the angle turned since it and the rate.
    @inline(__always)
    fileprivate func anchor(_ seconds: Double) -> (matrix: Matrix3, angle: Double, rate: Double) {
        let index = min(max(Int(seconds / Self.anchorSpacing), 0), anchors.count - 1)
        let anchor = anchors[index]
        return (anchor.matrix, anchor.rate * (seconds - Double(index) * Self.anchorSpacing), anchor.rate)
    }

    /// A TEME state in ITRF (velocity relative to the rotating Earth) `seconds` after the start.
    @inline(__always)
    func itrf(_ state: CartesianState, at seconds: Double) -> (position: SIMD3<Double>, velocity: SIMD3<Double>) {
        let rotation = EarthRotation(window: self, seconds: seconds)
        let r = rotation.apply(state.positionKilometres)
        // v_ITRF = M·v − ω × r, ω = rate·ẑ in ITRF up to polar motion (< 1e-6 rad).
        let v = rotation.apply(state.velocityKilometresPerSecond) - SIMD3(-rotation.rate * r.y, rotation.rate * r.x, 0)
        return (r, v)
    }

    /// The geometric Sun, TEME, km.
    @inline(__always)
    func sunTEME(_ seconds: Double) -> SIMD3<Double> { interpolate(sunGeometric, seconds) }

    /// The apparent Sun, TEME, km.
    @inline(__always)
    func apparentSunTEME(_ seconds: Double) -> SIMD3<Double> { interpolate(sunApparent, seconds) }

    /// The Moon, TEME, km.
    @inline(__always)
    func moonTEME(_ seconds: Double) -> SIMD3<Double> { interpolate(moon, seconds) }

    @inline(__always)
    private func interpolate(_ grid: [SIMD3<Double>], _ seconds: Double) -> SIMD3<Double> {
        let x = seconds / Self.gridSpacing + 1
        let index = min(max(Int(x.rounded(.down)), 0), grid.count - 2)
        let f = x - Double(index)
        return grid[index] + (grid[index + 1] - grid[index]) * f
    }

    /// The apparent Sun's elevation at `site`, degrees (no refraction).
    func sunElevationDegrees(_ site: SiteGeometry, _ seconds: Double) -> Double {
        let sun = earthRotation(seconds).matrix * apparentSunTEME(seconds)
        let line = sun - site.positionKilometres
        return asin((line * site.up).sum() / (line * line).sum().squareRoot()) * 180 / .pi
    }

    /// The intervals (seconds since the start) in which the apparent Sun is at or below `maxElevationDegrees` at
    /// `site`. Steps rest on the Sun's elevation changing by at most 0.0043°/s (Earth rotation 0.00418°/s plus the
    /// Sun's own motion); boundaries to 1 ms.
    func darkIntervals(_ site: SiteGeometry, maxElevationDegrees limit: Double) -> [(Double, Double)] {
        let rate = 0.0043
        func margin(_ s: Double) -> Double { limit - sunElevationDegrees(site, s) }
        var intervals: [(Double, Double)] = []
        var t = 0.0
        var m = margin(0)
        var open: Double? = m >= 0 ? 0 : nil
        while t < duration {
            let next = min(t + max(abs(m) / rate, 1), duration)
            let mNext = margin(next)
            if (m >= 0) != (mNext >= 0) {
                let root = RootFinder.root(a: t, fa: m, b: next, fb: mNext, margin)
                if mNext >= 0 {
                    open = root
                } else if let s = open {
                    intervals.append((s, root))
                    open = nil
                }
            }
            t = next
            m = mNext
        }
        if let s = open, duration > s { intervals.append((s, duration)) }
        return intervals
    }
}

/// TEME → ITRF at one instant as the window's anchor matrix after a turn about z, applied to vectors without
/// forming the product.
struct EarthRotation {
    let anchor: Matrix3
    let angle: Double
    let cosine: Double
    let sine: Double
    let rate: Double

    @inline(__always)
    init(window: SkyWindow, seconds: Double) {
        (anchor, angle, rate) = window.anchor(seconds)
        cosine = cos(angle)
        sine = sin(angle)
    }

    /// M·R3(angle)·v (R3 the passive rotation of `Matrix3.rotationZ`).
    @inline(__always)
    func apply(_ v: SIMD3<Double>) -> SIMD3<Double> {
        anchor * SIMD3(cosine * v.x + sine * v.y, -sine * v.x + cosine * v.y, v.z)
    }
}
