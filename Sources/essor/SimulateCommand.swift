import ArgumentParser
import Astrodynamics
import Backend
import CCSDS
import Foundation

/// `essor simulate --sensors FILE --truth ELEMENTS [--manoeuvres FILE]… --sensor NAME --norad N --start ISO
/// [--tracks K --spacing SECONDS] [--seed S] [--noise-free] [--format kvn|xml]`: a simulated sensor's tracks of one
/// truth object, as a CCSDS TDM 2.0 on standard output (issue 12).
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate", abstract: "Simulate a sensor observing a truth orbit; write a TDM.",
        discussion: """
            Each track is a TDM segment: a telescope's tracklet (RA/Dec, EME2000, topocentric, light time applied, \
            no aberration; tags at mid-exposure) or a radar track (RANGE in km and DOPPLER_INSTANTANEOUS in km/s; \
            two-way: half the round trip). Track k starts at START + k × SPACING. Noise is Gaussian with the \
            sensor's 1σ, seeded (--seed); --noise-free writes the exact model values. A track whose object is below \
            the sensor's elevation limit, or beyond a radar's maximum range, is refused unless --ignore-limits. The \
            truth of an instant is the object's latest element set at or before it; --manoeuvres files (TLE, 3LE or \
            OMM) hold sets that take over from their epochs (one per object and file; repeat the option for more).
            """)

    /// Output encodings.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case kvn
        case xml
    }

    @Option(help: "The sensors file (YAML; backend/sensors.yaml is the default network).")
    var sensors: String

    @Option(help: "The truth element sets (TLE, 3LE or OMM KVN/XML).")
    var truth: String

    @Option(help: "An element-set file of post-manoeuvre sets, each in force from its epoch (repeatable).")
    var manoeuvres: [String] = []

    @Option(help: "The sensor's name in the sensors file.")
    var sensor: String

    @Option(help: "The object's NORAD catalogue number.")
    var norad: Int

    @Option(help: "Start of the first track, ISO 8601 UTC (e.g. 2026-11-24T22:00:00Z).")
    var start: String

    @Option(help: "How many tracks.")
    var tracks = 1

    @Option(help: "Seconds between the starts of two tracks.")
    var spacing = 600.0

    @Option(help: "The noise seed (any unsigned 64-bit integer).")
    var seed: UInt64 = 1

    @Flag(help: "Write the exact model values, without noise.")
    var noiseFree = false

    @Flag(help: "Simulate even below the elevation limit or beyond a radar's maximum range.")
    var ignoreLimits = false

    @Option(help: "Output encoding: kvn or xml.")
    var format: Format = .kvn

    @Option(help: "The TDM's ORIGINATOR.")
    var originator = "ESSOR"

    @Option(help: "The TDM's CREATION_DATE, ISO 8601 UTC (default: now).")
    var creation: String?

    @Option(help: "IERS Earth-orientation file (finals2000A.all or EOP C04); without it UT1 = UTC, no polar motion.")
    var eop: String?

    func validate() throws {
        guard tracks >= 1, tracks <= 100_000 else { throw ValidationError("--tracks must be between 1 and 100000") }
        guard spacing > 0, spacing.isFinite else {
            throw ValidationError("--spacing must be a positive number of seconds")
        }
    }

    func run() throws {
        let network: SensorNetwork
        do { network = try SensorNetwork.load(path: sensors) } catch {
            printError(error.description)
            throw ExitCode(1)
        }
        guard let chosen = network.sensor(named: sensor) else {
            throw ValidationFailure(
                "\(sensors): no sensor named \(sensor); the sensors are "
                    + network.sensors.map(\.name).joined(separator: ", "))
        }
        let catalogue: TruthCatalogue
        do { catalogue = try TruthCatalogue.load(truth: truth, manoeuvres: manoeuvres) } catch {
            printError(error.description)
            throw ExitCode(1)
        }
        let first = try epoch(start, option: "--start")
        guard let object = catalogue.object(norad, at: first) else {
            throw ValidationFailure("\(truth): object \(norad) is not in the truth file")
        }
        let created = try creation.map { try epoch($0, option: "--creation") } ?? Epoch.now()
        let simulator = MeasurementSimulator(transformer: FrameTransformer(eop: try eop.map(EarthOrientationFile.load)))
        var noise: MeasurementNoise? = noiseFree ? nil : MeasurementNoise(seed: seed)
        var simulated: [SimulatedTrack] = []
        for index in 0..<tracks {
            let trackStart = first.adding(seconds: Double(index) * spacing)
            let track: SimulatedTrack
            do {
                track = try simulator.track(of: norad, in: catalogue, by: chosen, startingAt: trackStart, noise: &noise)
            } catch {
                throw ValidationFailure("track \(index + 1): \(error.description)")
            }
            if !ignoreLimits { try checkLimits(track, chosen) }
            simulated.append(track)
        }
        let message = TDMComposer.message(
            tracks: simulated, network: network, originator: originator, creation: created,
            objectNames: object.name.map { [norad: $0] } ?? [:])
        let bytes = try MessageWriter.write(message, as: format == .kvn ? .kvn : .xml)
        FileHandle.standardOutput.write(Data(bytes))
    }

    /// Refuses a track that the sensor could not have observed.
    private func checkLimits(_ track: SimulatedTrack, _ sensor: Sensor) throws {
        for observation in track.observations {
            let time = observation.epoch.iso8601(fractionDigits: 3)
            if observation.elevationDegrees < sensor.minElevationDegrees {
                throw ValidationFailure(
                    "object \(norad) is at elevation \(String(format: "%.3f", observation.elevationDegrees)) deg from "
                        + "\(sensor.name) at \(time), below its limit of \(sensor.minElevationDegrees) deg "
                        + "(choose another --start, see `essor passes`, or give --ignore-limits)")
            }
            if case .radar(let range, _) = observation.measurement, let radar = sensor.radar,
                range > radar.maxRangeKilometres
            {
                throw ValidationFailure(
                    "object \(norad) is \(String(format: "%.1f", range)) km from \(sensor.name) at \(time), beyond its "
                        + "maximum range of \(radar.maxRangeKilometres) km (or give --ignore-limits)")
            }
        }
    }

    private func epoch(_ text: String, option: String) throws -> Epoch {
        do { return try Epoch(iso8601: text) } catch {
            throw ValidationError(
                "\(option) '\(text)' is not an ISO 8601 UTC time such as 2026-11-24T22:00:00Z: \(error)")
        }
    }
}
