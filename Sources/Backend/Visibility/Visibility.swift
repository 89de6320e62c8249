import Astrodynamics
import Foundation

/// When each object is observable by each sensor of a network (issue 12, "Visibility").
///
/// An object is observable by a sensor when it is above the sensor's elevation limit (geodetic horizon, no
/// refraction) and
/// - for a radar: within its maximum range;
/// - for a telescope: the site is dark (apparent Sun at or below `max_sun_elevation_deg`), the object is sunlit
///   (`EarthShadow`), no fainter than the limiting magnitude (`DiffuseSphere` with the object's diameter and
///   albedo), and at least `min_moon_separation_deg` from the Moon (topocentric).
///
/// Objects come from SGP4 (TEME) and are rotated to ITRF with the transformer (UT1 and polar motion from its EOP,
/// if any); the Sun and Moon are the analytic `Sun` and `Moon`. How passes are found, and why none is missed, is
/// told in `PassFinder`.
public struct Visibility: Sendable {
    /// The sensors.
    public let network: SensorNetwork
    /// TEME → ITRF (and EME2000 → TEME for the Sun and Moon).
    public let transformer: FrameTransformer

    /// A visibility model of `network`.
    public init(network: SensorNetwork, transformer: FrameTransformer = FrameTransformer()) {
        self.network = network
        self.transformer = transformer
    }

    /// Every observable interval of each object for each sensor (all sensors when `sensors` is nil) in [from, to],
    /// sorted by sensor (network order), then start, then NORAD id. An interval under way at `from` or `to` is cut
    /// there. Unknown sensor names are ignored.
    public func intervals(of objects: [TrackedObject], sensors: [String]? = nil, from: Epoch, to: Epoch)
        -> [ObservableInterval]
    {
        guard to > from else { return [] }
        let chosen = network.sensors.filter { sensors?.contains($0.name) ?? true }
        guard !chosen.isEmpty else { return [] }
        let window = SkyWindow(from: from, to: to, transformer: transformer)
        let contexts = chosen.map { SensorContext(sensor: $0, window: window) }
        var finder = PassFinder(window: window, sensors: contexts)
        var perSensor = [[ObservableInterval]](repeating: [], count: contexts.count)
        for object in objects {
            finder.find(object) { index, interval in perSensor[index].append(interval) }
        }
        return perSensor.flatMap { rows in
            rows.sorted { ($0.start, $0.noradID) < ($1.start, $1.noradID) }
        }
    }

    /// Where the sensor must point to see the object at `epoch`: azimuth, elevation (degrees), range (km); nil when
    /// SGP4 fails for the object at that instant.
    public func pointing(of object: TrackedObject, from sensor: Sensor, at epoch: Epoch) -> TopocentricDirection? {
        guard let state = try? object.temeState(at: epoch) else { return nil }
        let itrf = transformer.rotation(from: .teme, to: .itrf, at: epoch).matrix * state.positionKilometres
        return SiteGeometry(sensor.site).direction(to: itrf)
    }

    /// The intervals in [from, to] when an optical sensor's site is dark enough (apparent Sun at or below
    /// `max_sun_elevation_deg`); the whole span for a radar.
    public func darkIntervals(of sensor: Sensor, from: Epoch, to: Epoch) -> [(start: Epoch, end: Epoch)] {
        guard to > from else { return [] }
        guard let optical = sensor.optical, sensor.type == .optical else { return [(from, to)] }
        let window = SkyWindow(from: from, to: to, transformer: transformer)
        return window.darkIntervals(SiteGeometry(sensor.site), maxElevationDegrees: optical.maxSunElevationDegrees)
            .map { (window.epoch($0.0), window.epoch($0.1)) }
    }
}

/// A sensor prepared for one window: its geometry, limits and dark intervals.
struct SensorContext {
    let sensor: Sensor
    let site: SiteGeometry
    let siteRadiusKilometres: Double
    /// sin(elevation limit).
    let sineOfLimit: Double
    /// A radar's maximum range, km.
    let maxRangeKilometres: Double?
    /// A telescope's dark intervals, seconds since the window's start.
    let dark: [(Double, Double)]?

    /// The smallest range to an object of these bounds: its perigee sphere's distance from the site (≥ 50 km).
    func nearestRange(_ bounds: MotionBounds) -> Double {
        max(bounds.perigeeRadius - siteRadiusKilometres, 50)
    }

    init(sensor: Sensor, window: SkyWindow) {
        self.sensor = sensor
        site = SiteGeometry(sensor.site)
        siteRadiusKilometres = (site.positionKilometres * site.positionKilometres).sum().squareRoot()
        sineOfLimit = sin(sensor.minElevationDegrees * .pi / 180)
        maxRangeKilometres = sensor.type == .radar ? sensor.radar?.maxRangeKilometres : nil
        if sensor.type == .optical, let optical = sensor.optical {
            dark = window.darkIntervals(site, maxElevationDegrees: optical.maxSunElevationDegrees)
        } else {
            dark = nil
        }
    }
}
