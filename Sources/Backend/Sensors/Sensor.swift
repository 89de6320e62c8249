import Astrodynamics

/// What a sensor measures.
public enum SensorType: String, Sendable, Hashable, CaseIterable {
    /// A telescope: right ascension and declination (angles only), at night, of sunlit objects.
    case optical
    /// A tracking radar: range and range rate (and pointing), day and night.
    case radar
}

/// One sensor of the network: a site, its limits and how it measures. Angles in degrees, times in seconds,
/// distances in the unit each name gives.
public struct Sensor: Sendable, Hashable {
    /// The sensor's name (unique in the network; the TDM `PARTICIPANT` naming it).
    public var name: String
    /// Optical or radar.
    public var type: SensorType
    /// Where it stands (WGS 84 geodetic).
    public var site: GeodeticSite
    /// The lowest elevation it observes at, degrees.
    public var minElevationDegrees: Double
    /// Slew rate, degrees per second (one axis at a time is not modelled: the great-circle angle over this rate).
    public var slewRateDegreesPerSecond: Double
    /// Settling time after a slew, seconds.
    public var settleSeconds: Double
    /// Observations in one tracklet (optical) or track (radar).
    public var pointsPerTrack: Int
    /// Time between the starts of two observations of a tracklet, seconds.
    public var cadenceSeconds: Double
    /// The probability that a given night is clouded out at the site (0 for a radar), seeded per night.
    public var cloudProbability: Double
    /// Optical characteristics (`type == .optical`).
    public var optical: OpticalCharacteristics?
    /// Radar characteristics (`type == .radar`).
    public var radar: RadarCharacteristics?

    /// A sensor from all its fields.
    public init(
        name: String, type: SensorType, site: GeodeticSite, minElevationDegrees: Double,
        slewRateDegreesPerSecond: Double, settleSeconds: Double, pointsPerTrack: Int, cadenceSeconds: Double,
        cloudProbability: Double = 0, optical: OpticalCharacteristics? = nil, radar: RadarCharacteristics? = nil
    ) {
        self.name = name
        self.type = type
        self.site = site
        self.minElevationDegrees = minElevationDegrees
        self.slewRateDegreesPerSecond = slewRateDegreesPerSecond
        self.settleSeconds = settleSeconds
        self.pointsPerTrack = pointsPerTrack
        self.cadenceSeconds = cadenceSeconds
        self.cloudProbability = cloudProbability
        self.optical = optical
        self.radar = radar
    }

    /// How long one tracklet (or radar track) takes once settled: the last observation starts
    /// `(points − 1) × cadence` after the first and lasts one exposure (optical) or nothing (radar).
    public var trackDurationSeconds: Double {
        Double(max(pointsPerTrack - 1, 0)) * cadenceSeconds + (optical?.exposureSeconds ?? 0)
    }

    /// The time to move from one pointing to another `angleDegrees` away and settle.
    public func repointSeconds(angleDegrees: Double) -> Double {
        (angleDegrees / slewRateDegreesPerSecond) + settleSeconds
    }
}

/// What only a telescope has.
public struct OpticalCharacteristics: Sendable, Hashable {
    /// The site must have the Sun at or below this elevation, degrees (−18: astronomical night).
    public var maxSunElevationDegrees: Double
    /// The side of the (square) field of view, degrees.
    public var fieldOfViewDegrees: Double
    /// The faintest visual magnitude detected in one exposure.
    public var limitingMagnitude: Double
    /// Astrometric noise, 1σ per axis, arcseconds.
    public var noiseArcseconds: Double
    /// Exposure time, seconds.
    public var exposureSeconds: Double
    /// Objects closer than this to the Moon are not observed, degrees.
    public var minMoonSeparationDegrees: Double

    /// Optical characteristics from their fields.
    public init(
        maxSunElevationDegrees: Double = -18, fieldOfViewDegrees: Double, limitingMagnitude: Double,
        noiseArcseconds: Double, exposureSeconds: Double, minMoonSeparationDegrees: Double = 20
    ) {
        self.maxSunElevationDegrees = maxSunElevationDegrees
        self.fieldOfViewDegrees = fieldOfViewDegrees
        self.limitingMagnitude = limitingMagnitude
        self.noiseArcseconds = noiseArcseconds
        self.exposureSeconds = exposureSeconds
        self.minMoonSeparationDegrees = minMoonSeparationDegrees
    }
}

/// Whether a radar's range is reported one way (station to object) or two way (the round trip).
public enum RangeMode: String, Sendable, Hashable {
    case oneWay = "one-way"
    case twoWay = "two-way"
}

/// What only a radar has.
public struct RadarCharacteristics: Sendable, Hashable {
    /// Range noise, 1σ, metres.
    public var rangeNoiseMetres: Double
    /// Range-rate (Doppler) noise, 1σ, metres per second.
    public var dopplerNoiseMetresPerSecond: Double
    /// The farthest object it tracks, kilometres.
    public var maxRangeKilometres: Double
    /// The fraction of time it may transmit (0–1): a night's (a day's) track time is at most this fraction.
    public var dutyCycle: Double
    /// How range is reported (TDM `PATH` 2,1 — object to sensor — for one way, 1,2,1 for two way).
    public var rangeMode: RangeMode

    /// Radar characteristics from their fields.
    public init(
        rangeNoiseMetres: Double, dopplerNoiseMetresPerSecond: Double, maxRangeKilometres: Double,
        dutyCycle: Double, rangeMode: RangeMode = .twoWay
    ) {
        self.rangeNoiseMetres = rangeNoiseMetres
        self.dopplerNoiseMetresPerSecond = dopplerNoiseMetresPerSecond
        self.maxRangeKilometres = maxRangeKilometres
        self.dutyCycle = dutyCycle
        self.rangeMode = rangeMode
    }
}
