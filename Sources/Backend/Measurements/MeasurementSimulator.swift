import Astrodynamics
import Foundation

/// A simulated sensor: what a telescope or a radar of the network would measure of a truth orbit.
///
/// - **Time tags** (`epochs(of:startingAt:)`): observation i of a track is tagged start + i·cadence, plus half an
///   exposure for a telescope (the tag is mid-exposure, where a tracked object's centroid lies); every tag is
///   rounded to the microsecond, and the measurement is computed at the rounded tag.
/// - **Optical**: topocentric astrometric right ascension and declination in EME2000: the object's SGP4 position at
///   t − τ (light time, `LightTime`) minus the site's at t, rotated from TEME to EME2000
///   (`FrameTransformer`, EME2000 = GCRF × frame bias by default). No annual or diurnal aberration, no refraction,
///   no deflection: the convention of the TDM Blue Book's ESA example (CCSDS 503.0-B-2 Figure E-16, "All the
///   angular data provided are free of any aberration effect").
/// - **Radar**: range (one-way c·τ, or two-way half the round-trip light time times c) and its rate, in km and km/s.
/// - **Site**: the WGS 84 position rotated from ITRF to TEME at each instant (GMST 1982 of UT1, and polar motion when
///   the transformer has EOP; without, UT1 = UTC), moving with the Earth's rotation.
/// - **Noise** (`MeasurementNoise`): Gaussian, the sensor's 1σ: declination σ and right ascension σ / cos δ (so that
///   both are σ on the sky), range σ_range, range rate σ_Doppler.
///
/// The truth is SGP4 of the object's element set (`TrackedObject`), or of the set in force at each observation's
/// instant when a `TruthCatalogue` is given (a manoeuvre inside a track takes effect at the next observation).
/// Visibility is not checked: each observation carries the object's elevation for the caller to judge.
public struct MeasurementSimulator: Sendable {
    /// The frame changes (and Earth-orientation data) used.
    public var transformer: FrameTransformer

    /// A simulator using `transformer` (default: no EOP, EME2000 with the IERS frame bias).
    public init(transformer: FrameTransformer = FrameTransformer()) {
        self.transformer = transformer
    }

    /// One tracklet (optical: `sensor.pointsPerTrack` RA/Dec pairs `sensor.cadenceSeconds` apart, tagged
    /// mid-exposure) or radar track (range and range rate at the same times, tagged at reception) of `object`,
    /// starting at `start`. `noise` nil: noise-free.
    public func track(
        of object: TrackedObject, by sensor: Sensor, startingAt start: Epoch, noise: inout MeasurementNoise?
    ) throws(MeasurementError) -> SimulatedTrack {
        try track(noradID: object.noradID, by: sensor, startingAt: start, noise: &noise) { _ in object }
    }

    /// A track of the object `noradID` of `truth`, each observation using the element set in force at its instant.
    public func track(
        of noradID: Int, in truth: TruthCatalogue, by sensor: Sensor, startingAt start: Epoch,
        noise: inout MeasurementNoise?
    ) throws(MeasurementError) -> SimulatedTrack {
        guard truth.object(noradID, at: start) != nil else { throw .unknownObject(noradID: noradID) }
        return try track(noradID: noradID, by: sensor, startingAt: start, noise: &noise) { epoch in
            truth.object(noradID, at: epoch)!
        }
    }

    /// The time tags of a track of `sensor` starting at `start` (see the type's comment).
    public static func epochs(of sensor: Sensor, startingAt start: Epoch) -> [Epoch] {
        let offset = sensor.type == .optical ? (sensor.optical?.exposureSeconds ?? 0) / 2 : 0
        return (0..<max(sensor.pointsPerTrack, 0)).map { index in
            let tag = start.adding(seconds: Double(index) * sensor.cadenceSeconds + offset)
            return Epoch(taiNanosecondsSinceJ2000: Self.roundedToMicroseconds(tag.taiNanosecondsSinceJ2000))
        }
    }

    // MARK: - One track

    private func track(
        noradID: Int, by sensor: Sensor, startingAt start: Epoch, noise: inout MeasurementNoise?,
        truth: (Epoch) -> TrackedObject
    ) throws(MeasurementError) -> SimulatedTrack {
        let epochs = Self.epochs(of: sensor, startingAt: start)
        var solutions: [LightTimeSolution] = []
        solutions.reserveCapacity(epochs.count)
        var elevations: [Double] = []
        elevations.reserveCapacity(epochs.count)
        let twoWay = sensor.type == .radar && sensor.radar?.rangeMode == .twoWay
        switch sensor.type {
        case .optical where sensor.optical == nil, .radar where sensor.radar == nil:
            throw .sensorNotConfigured(sensor: sensor.name, type: sensor.type)
        default: break
        }
        let siteITRF = CartesianState(
            positionKilometres: sensor.site.itrfPositionKilometres, velocityKilometresPerSecond: .zero)
        let up = sensor.site.eastNorthUp.up
        for epoch in epochs {
            let object = truth(epoch)
            let minutes = object.minutesSinceElementEpoch(epoch)
            let toTEME = transformer.rotation(from: .itrf, to: .teme, at: epoch)
            let siteAtTag = toTEME.apply(siteITRF)
            // The Earth's angular velocity in TEME (the rotation's ω is TEME's relative to ITRF, hence the sign).
            let spin = -toTEME.angularVelocityRadiansPerSecond
            let solution: LightTimeSolution
            do {
                solution = try LightTime.solve(
                    object: { (offset: Double) throws(SGP4Error) -> CartesianState in
                        try object.propagator.propagate(minutesSinceEpoch: minutes + offset / 60)
                    },
                    sensor: { offset in offset == 0 ? siteAtTag : Self.rotate(siteAtTag, by: spin, seconds: offset) },
                    twoWay: twoWay)
            } catch {
                throw .propagationFailed(noradID: noradID, epoch: epoch, error: error)
            }
            // Elevation: the line of sight in ITRF against the ellipsoid normal.
            let lineITRF = toTEME.matrix.transposed * solution.lineOfSightKilometres
            let sine = LightTime.dot(lineITRF, up) / LightTime.length(lineITRF)
            elevations.append(asin(min(max(sine, -1), 1)) * 180 / .pi)
            solutions.append(solution)
        }
        var observations: [SimulatedObservation] = []
        observations.reserveCapacity(epochs.count)
        switch sensor.type {
        case .optical:
            let sigma = (sensor.optical?.noiseArcseconds ?? 0) / 3600
            let lines = solutions.map {
                CartesianState(positionKilometres: $0.lineOfSightKilometres, velocityKilometresPerSecond: .zero)
            }
            let inEME2000 = transformer.transform(lines, from: .teme, to: .eme2000, at: epochs)
            for index in epochs.indices {
                var (ra, dec) = Self.rightAscensionDeclination(inEME2000[index].positionKilometres)
                if noise != nil {
                    let raError = noise!.error(standardDeviation: sigma)
                    let decError = noise!.error(standardDeviation: sigma)
                    ra += raError / max(cos(dec * .pi / 180), 1e-9)
                    dec = min(max(dec + decError, -90), 90)
                    ra = ra.truncatingRemainder(dividingBy: 360)
                    if ra < 0 { ra += 360 }
                }
                observations.append(
                    SimulatedObservation(
                        epoch: epochs[index], measurement: .angles(rightAscensionDegrees: ra, declinationDegrees: dec),
                        elevationDegrees: elevations[index]))
            }
        case .radar:
            let rangeSigma = (sensor.radar?.rangeNoiseMetres ?? 0) / 1000
            let rateSigma = (sensor.radar?.dopplerNoiseMetresPerSecond ?? 0) / 1000
            for index in epochs.indices {
                var range = solutions[index].rangeKilometres
                var rate = solutions[index].rangeRateKilometresPerSecond
                if noise != nil {
                    range += noise!.error(standardDeviation: rangeSigma)
                    rate += noise!.error(standardDeviation: rateSigma)
                }
                observations.append(
                    SimulatedObservation(
                        epoch: epochs[index],
                        measurement: .radar(rangeKilometres: range, rangeRateKilometresPerSecond: rate),
                        elevationDegrees: elevations[index]))
            }
        }
        return SimulatedTrack(
            sensor: sensor.name, noradID: noradID, sensorType: sensor.type,
            rangeMode: sensor.type == .radar ? sensor.radar?.rangeMode : nil,
            exposureSeconds: sensor.type == .optical ? sensor.optical?.exposureSeconds : nil, isNoisy: noise != nil,
            observations: observations)
    }

    /// The site `seconds` later (earlier when negative), turned with the Earth about `spin` (rad/s): Rodrigues'
    /// rotation of its position; velocity ω × r. Over a radar signal's flight (< 0.1 s) this equals the full
    /// ITRF → TEME change at the other instant to < 10⁻⁸ km (the precession–nutation and polar-motion rates are ~10⁻¹¹
    /// rad/s).
    static func rotate(_ site: CartesianState, by spin: SIMD3<Double>, seconds: Double) -> CartesianState {
        let rate = LightTime.length(spin)
        guard rate > 0 else { return site }
        let axis = spin / rate
        let angle = rate * seconds
        let r = site.positionKilometres
        let along = axis * LightTime.dot(axis, r)
        let rotated = along + (r - along) * cos(angle) + cross(axis, r) * sin(angle)
        return CartesianState(positionKilometres: rotated, velocityKilometresPerSecond: cross(spin, rotated))
    }

    @inline(__always)
    static func cross(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
    }

    /// Right ascension in [0, 360) and declination, degrees, of a direction.
    static func rightAscensionDeclination(_ direction: SIMD3<Double>) -> (Double, Double) {
        var ra = atan2(direction.y, direction.x) * 180 / .pi
        if ra < 0 { ra += 360 }
        if ra >= 360 { ra -= 360 }
        let dec = atan2(direction.z, (direction.x * direction.x + direction.y * direction.y).squareRoot()) * 180 / .pi
        return (ra, dec)
    }

    /// Nanoseconds rounded half up to a whole microsecond.
    static func roundedToMicroseconds(_ nanoseconds: Int64) -> Int64 {
        let (quotient, remainder) = nanoseconds.quotientAndRemainder(dividingBy: 1000)
        let floor = remainder < 0 ? quotient - 1 : quotient
        let rest = remainder < 0 ? remainder + 1000 : remainder
        return (floor + (rest >= 500 ? 1 : 0)) * 1000
    }
}
