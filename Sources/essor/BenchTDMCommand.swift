import ArgumentParser
import Astrodynamics
import Backend
import CCSDS
import Foundation

/// `essor bench tdm [--observations N] [--format kvn|xml]`: simulated TDM generation, measured (issue 12 target:
/// ≥ 100,000 observations per second, release build, one core).
///
/// A synthetic catalogue built in code (deterministic: `SyntheticTruth`) is observed by one telescope (GEO objects,
/// 5-point tracklets) and one two-way radar (LEO objects, 12-point tracks) with seeded noise, round after round, until
/// N observations (time tags) exist; the tracks become one TDM 2.0, written in KVN. Timed: simulation, composition
/// and writing. Visibility is not checked (the geometry costs the same above or below the horizon). The output is read
/// back strictly afterwards (not timed) to show that what was measured is a valid TDM.
struct BenchTDM: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tdm", abstract: "Measure simulated TDM generation.")

    @Option(help: "At least this many observations (time tags; each carries two TDM records).")
    var observations = 100_000

    @Option(help: "Output encoding measured: kvn or xml.")
    var format: SimulateCommand.Format = .kvn

    func run() throws {
        let truth = try SyntheticTruth.objects()
        let (optical, radar) = SyntheticTruth.sensors()
        let network = SensorNetwork(sensors: [optical, radar])
        let simulator = MeasurementSimulator()
        let base = try Epoch(iso8601: "2026-12-08T20:00:00Z")
        var noise: MeasurementNoise? = MeasurementNoise(seed: 12)

        let clock = ContinuousClock()
        let began = clock.now
        var tracks: [SimulatedTrack] = []
        var count = 0
        var round = 0
        while count < observations {
            let start = base.adding(seconds: Double(round) * 600)
            for object in truth where count < observations {
                let sensor = object.periodMinutes > 600 ? optical : radar
                let track = try simulator.track(of: object, by: sensor, startingAt: start, noise: &noise)
                count += track.observations.count
                tracks.append(track)
            }
            round += 1
        }
        let simulated = clock.now
        let message = TDMComposer.message(
            tracks: tracks, network: network, originator: "ESSOR-BENCH", creation: base, objectNames: [:])
        let composed = clock.now
        let bytes = try MessageWriter.write(message, as: format == .kvn ? .kvn : .xml)
        let written = clock.now

        let read = MessageReader.read(bytes, strictness: .strict)
        let records = message.segments.reduce(0) { $0 + $1.observations.count }
        let readRecords = read.message?.segments.reduce(0) { $0 + $1.observations.count } ?? 0
        guard read.isValid, readRecords == records else {
            printError("the TDM written does not read back strictly: \(read.diagnostics.prefix(3))")
            throw ExitCode(1)
        }
        let seconds = (written - began).seconds
        print(
            "observations=\(count) records=\(records) tracks=\(tracks.count) objects=\(truth.count) bytes=\(bytes.count)"
        )
        print(
            "simulate_seconds=\((simulated - began).seconds) compose_seconds=\((composed - simulated).seconds) "
                + "write_seconds=\((written - composed).seconds)")
        print("seconds=\(seconds) observations_per_second=\(Double(count) / seconds) strict_read=ok")
    }
}

/// The bench's deterministic truth: 200 GEO objects spread in longitude and 200 LEO objects on varied orbits,
/// numbered from 80000, with the element epoch 2026-12-08 12:00 UTC; and a telescope at Calern and a two-way radar at
/// Wachtberg with the default network's figures.
enum SyntheticTruth {
    static func objects() throws -> [TrackedObject] {
        guard let epoch = TLEEpoch(text: "26342.50000000") else { throw ValidationFailure("bad synthetic epoch") }
        var objects: [TrackedObject] = []
        for index in 0..<200 {
            let geo = TLE(
                catalogueNumber: 80_000 + index, epoch: epoch, inclinationDegrees: 0.05 + Double(index % 7) * 0.3,
                rightAscensionOfAscendingNodeDegrees: Double(index * 37 % 360), eccentricity: 0.0002,
                argumentOfPerigeeDegrees: 270,
                meanAnomalyDegrees: (Double(index) * 1.8).truncatingRemainder(dividingBy: 360),
                meanMotionRevolutionsPerDay: 1.0027)
            objects.append(try TrackedObject(tle: geo))
        }
        for index in 0..<200 {
            let leo = TLE(
                catalogueNumber: 80_200 + index, epoch: epoch, bstarPerEarthRadius: 1e-5,
                inclinationDegrees: 50 + Double(index % 50),
                rightAscensionOfAscendingNodeDegrees: Double(index * 13 % 360),
                eccentricity: 0.001 + Double(index % 10) * 0.0005, argumentOfPerigeeDegrees: Double(index * 29 % 360),
                meanAnomalyDegrees: Double(index * 71 % 360),
                meanMotionRevolutionsPerDay: 13.5 + Double(index % 20) * 0.1)
            objects.append(try TrackedObject(tle: leo))
        }
        return objects
    }

    static func sensors() -> (optical: Sensor, radar: Sensor) {
        let optical = Sensor(
            name: "bench-calern", type: .optical,
            site: GeodeticSite(latitudeDegrees: 43.7525, longitudeDegrees: 6.9228, heightMetres: 1270),
            minElevationDegrees: 20, slewRateDegreesPerSecond: 20, settleSeconds: 5, pointsPerTrack: 5,
            cadenceSeconds: 30,
            optical: OpticalCharacteristics(
                maxSunElevationDegrees: -18, fieldOfViewDegrees: 1.86, limitingMagnitude: 16, noiseArcseconds: 1,
                exposureSeconds: 10, minMoonSeparationDegrees: 20))
        let radar = Sensor(
            name: "bench-wachtberg", type: .radar,
            site: GeodeticSite(latitudeDegrees: 50.6167, longitudeDegrees: 7.1297, heightMetres: 300),
            minElevationDegrees: 10, slewRateDegreesPerSecond: 10, settleSeconds: 2, pointsPerTrack: 12,
            cadenceSeconds: 5,
            radar: RadarCharacteristics(
                rangeNoiseMetres: 5, dopplerNoiseMetresPerSecond: 0.5, maxRangeKilometres: 4000, dutyCycle: 0.25))
        return (optical, radar)
    }
}
