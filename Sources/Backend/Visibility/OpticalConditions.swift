import Astrodynamics
import Foundation

/// A telescope's conditions beyond geometry for one object — sunlit, bright enough, far enough from the Moon —
/// as one margin in seconds: each condition's margin divided by a bound on its rate, the smallest of them
/// (positive exactly when all hold; no sign change can happen sooner than its absolute value).
struct OpticalConditions {
    let track: ObjectTrack
    let context: SensorContext
    let optical: OpticalCharacteristics
    /// Rate bound of the shadow margin, km/s: the inertial speed plus the Sun direction's drift (2·10⁻⁷ rad/s)
    /// at apogee.
    let shadowRate: Double
    /// The line of sight's largest angular rate in inertial space, rad/s: (object + site speed) / nearest range.
    let lineOfSightRate: Double
    /// The smallest range, km.
    let nearestRange: Double
    let minMoonSeparationRadians: Double

    /// The Moon's largest topocentric angular rate in inertial space: (1.1 + 0.47 km/s) / 356,000 km, rad/s.
    static let moonRate = 4.5e-6
    /// The largest phase-angle increase allowed within one step, radians (it bounds the phase law's slope).
    static let phaseStep = 0.35

    init(track: ObjectTrack, context: SensorContext, optical: OpticalCharacteristics) {
        self.track = track
        self.context = context
        self.optical = optical
        let bounds = track.bounds
        shadowRate = bounds.inertialSpeed + 2e-7 * bounds.apogeeRadius + 1e-3
        nearestRange = max(bounds.perigeeRadius - context.siteRadiusKilometres, 100)
        lineOfSightRate = (bounds.inertialSpeed + 0.47) / nearestRange
        minMoonSeparationRadians = optical.minMoonSeparationDegrees * .pi / 180
    }

    /// The combined margin at `seconds` since the window's start; −1 when SGP4 fails.
    func margin(at seconds: Double) -> Double {
        guard let state = track.teme(seconds) else { return -1 }
        let window = track.window
        let rotation = EarthRotation(window: window, seconds: seconds)
        let p = rotation.apply(state.positionKilometres)
        let sun = rotation.apply(window.sunTEME(seconds))
        let moon = rotation.apply(window.moonTEME(seconds))
        let site = context.site.positionKilometres

        let shadow = EarthShadow.marginKilometres(objectKilometres: p, sunKilometres: sun) / shadowRate

        let line = p - site
        let range = (line * line).sum().squareRoot()
        let toMoon = moon - site
        let moonCosine = (line * toMoon).sum() / (range * (toMoon * toMoon).sum().squareRoot())
        let separation = acos(max(-1, min(1, moonCosine)))
        let moonMargin = (separation - minMoonSeparationRadians) / (lineOfSightRate + Self.moonRate)

        let toSun = sun - p
        let sunDistance = (toSun * toSun).sum().squareRoot()
        let phase = acos(max(-1, min(1, -(toSun * line).sum() / (sunDistance * range))))
        let magnitude = DiffuseSphere.visualMagnitude(
            diameterMetres: track.object.diameterMetres, albedo: track.object.albedo, rangeKilometres: range,
            sunDistanceKilometres: sunDistance, phaseAngleRadians: phase)
        let phaseRate = lineOfSightRate + 3e-7
        let slope = DiffuseSphere.logarithmicPhaseSlope(phaseAngleRadians: min(phase + Self.phaseStep, .pi - 1e-3))
        let magnitudeRate = 2.5 / log(10.0) * (2 * lineOfSightRate + slope * phaseRate)
        // Within one step the phase angle grows by at most `phaseStep`, which the slope above assumed.
        let cap = Self.phaseStep / phaseRate
        let raw = magnitude.isFinite ? (optical.limitingMagnitude - magnitude) / magnitudeRate : -1e6
        let magnitudeMargin = raw >= 0 ? min(raw, cap) : max(raw, -cap)

        return max(min(shadow, moonMargin, magnitudeMargin), -1e6)
    }
}
