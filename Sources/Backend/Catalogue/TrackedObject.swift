import Astrodynamics
import CCSDS
import Foundation

/// An object the backend knows: its SGP4 element set, and what the visibility model needs of its body.
public struct TrackedObject: Sendable {
    /// The NORAD catalogue number.
    public var noradID: Int
    /// The name of its element set (`OBJECT_NAME` or the 3LE name line), if any.
    public var name: String?
    /// The element set, as read.
    public var tle: TLE
    /// Its SGP4 propagator (WGS-72, improved mode, as catalogues publish).
    public var propagator: SGP4Propagator
    /// The element set's epoch.
    public var elementEpoch: Epoch
    /// The diameter of the equivalent sphere, metres (the magnitude model's size).
    public var diameterMetres: Double
    /// Its geometric albedo (the magnitude model's reflectivity).
    public var albedo: Double

    /// The diameter used when a catalogue does not give one: a typical 2 m bus.
    public static let defaultDiameterMetres = 2.0
    /// The albedo used when a catalogue does not give one (a common value for intact spacecraft).
    public static let defaultAlbedo = 0.175

    /// An object from its element set; throws when SGP4 refuses the elements.
    public init(tle: TLE, diameterMetres: Double = defaultDiameterMetres, albedo: Double = defaultAlbedo) throws(SGP4Error) {
        self.tle = tle
        noradID = tle.catalogueNumber
        name = tle.name
        propagator = try SGP4Propagator(tle: tle)
        let elements = propagator.elements
        elementEpoch =
            (try? Epoch(julianDate: elements.epochJulianDay, fraction: elements.epochJulianDayFraction, in: .utc))
            ?? .j2000TAI
        self.diameterMetres = diameterMetres
        self.albedo = albedo
    }

    /// The orbital period, minutes (from the Kozai mean motion).
    public var periodMinutes: Double { 2 * .pi / propagator.elements.meanMotionKozaiRadiansPerMinute }

    /// Minutes from the element epoch to `epoch` (SGP4's time argument).
    @inline(__always)
    public func minutesSinceElementEpoch(_ epoch: Epoch) -> Double {
        Double(epoch.nanoseconds(since: elementEpoch)) / 60e9
    }

    /// The TEME state at `epoch` (km, km/s).
    public func temeState(at epoch: Epoch) throws(SGP4Error) -> CartesianState {
        try propagator.propagate(minutesSinceEpoch: minutesSinceElementEpoch(epoch))
    }
}
