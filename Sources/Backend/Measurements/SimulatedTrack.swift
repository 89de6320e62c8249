import Astrodynamics

/// What one simulated observation measured.
public enum SimulatedMeasurement: Sendable, Equatable {
    /// A telescope's astrometric direction: topocentric right ascension and declination, EME2000, degrees
    /// (RA in [0, 360), Dec in [−90, 90]); light time applied, no aberration, no refraction.
    case angles(rightAscensionDegrees: Double, declinationDegrees: Double)
    /// A radar's range (km: one-way, or half the round trip) and its rate (km/s).
    case radar(rangeKilometres: Double, rangeRateKilometresPerSecond: Double)
}

/// One time-tagged observation of a simulated track.
public struct SimulatedObservation: Sendable, Equatable {
    /// The time tag: the instant of reception at the sensor (optical: mid-exposure), on a whole microsecond.
    public var epoch: Epoch
    /// The measurement, noise included when noise was asked for.
    public var measurement: SimulatedMeasurement
    /// The object's geometric elevation above the sensor's horizon (WGS 84 normal, no refraction), degrees.
    public var elevationDegrees: Double

    /// An observation from its fields.
    public init(epoch: Epoch, measurement: SimulatedMeasurement, elevationDegrees: Double) {
        self.epoch = epoch
        self.measurement = measurement
        self.elevationDegrees = elevationDegrees
    }
}

/// One optical tracklet or radar track: a sensor's consecutive observations of one object (one TDM segment).
public struct SimulatedTrack: Sendable, Equatable {
    /// The sensor's name (TDM `PARTICIPANT_1`).
    public var sensor: String
    /// The object's NORAD catalogue number (TDM `PARTICIPANT_2`).
    public var noradID: Int
    /// Optical (angles) or radar (range and range rate).
    public var sensorType: SensorType
    /// A radar's range mode (nil for a telescope).
    public var rangeMode: RangeMode?
    /// A telescope's exposure, seconds (nil for a radar): each time tag is the middle of an exposure.
    public var exposureSeconds: Double?
    /// Whether noise was added.
    public var isNoisy: Bool
    /// The observations, in time order.
    public var observations: [SimulatedObservation]

    /// A track from its fields.
    public init(
        sensor: String, noradID: Int, sensorType: SensorType, rangeMode: RangeMode? = nil,
        exposureSeconds: Double? = nil, isNoisy: Bool, observations: [SimulatedObservation]
    ) {
        self.sensor = sensor
        self.noradID = noradID
        self.sensorType = sensorType
        self.rangeMode = rangeMode
        self.exposureSeconds = exposureSeconds
        self.isNoisy = isNoisy
        self.observations = observations
    }

    /// The lowest elevation among the observations, degrees (nil without observations).
    public var minimumElevationDegrees: Double? { observations.map(\.elevationDegrees).min() }
}

/// Why a track could not be simulated.
public enum MeasurementError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The sensor lacks the characteristics of its type (`optical` or `radar`).
    case sensorNotConfigured(sensor: String, type: SensorType)
    /// The truth has no element set for the object.
    case unknownObject(noradID: Int)
    /// SGP4 failed for the object at the instant.
    case propagationFailed(noradID: Int, epoch: Epoch, error: SGP4Error)

    /// What went wrong, and where.
    public var description: String {
        switch self {
        case .sensorNotConfigured(let sensor, let type):
            "sensor \(sensor) is \(type.rawValue) but has no \(type.rawValue) characteristics"
        case .unknownObject(let noradID):
            "object \(noradID) is not in the truth catalogue"
        case .propagationFailed(let noradID, let epoch, let error):
            "SGP4 fails for object \(noradID) at \(epoch.iso8601(fractionDigits: 3)): \(error)"
        }
    }
}
