import ArgumentParser
import Astrodynamics
import Backend
import CCSDS
import Foundation

/// `essor bench visibility [--sensors FILE] [--geo N] [--leo N] [--from ISO] [--hours H]`: the observable
/// intervals of a synthetic catalogue (deterministic: the same seed, the same objects) for every sensor over one
/// night, on one thread. Issue 12's target: 1,000 GEO + 5,000 LEO × 4 sensors × 24 h ≤ 2 s.
struct BenchVisibility: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "visibility", abstract: "Measure visibility computation for the reference backend.")

    @Option(help: "The sensors file.")
    var sensors = "backend/sensors.yaml"

    @Option(help: "Geostationary objects in the synthetic catalogue.")
    var geo = 1000

    @Option(help: "Low-Earth-orbit objects in the synthetic catalogue.")
    var leo = 5000

    @Option(help: "Start of the window, ISO 8601 UTC.")
    var from = "2026-11-24T12:00:00Z"

    @Option(help: "Length of the window, hours.")
    var hours = 24.0

    @Option(name: .customLong("repeat"), help: "Runs; the best is reported.")
    var repetitions = 3

    @Option(help: "Also write the intervals here (the CSV of `essor passes`).")
    var csv: String?

    func run() throws {
        let network: SensorNetwork
        do { network = try SensorNetwork.load(path: sensors) } catch { throw ValidationFailure(error.description) }
        let start = try PassesCommand.epoch(from, option: "--from")
        let end = start.adding(seconds: hours * 3600)
        var catalogue = SyntheticCatalogue(start: start)
        let objects = try catalogue.objects(geo: geo, leo: leo)
        let visibility = Visibility(network: network)
        var best = Double.infinity
        var rows: [ObservableInterval] = []
        for _ in 0..<max(repetitions, 1) {
            let clock = ContinuousClock.now
            rows = visibility.intervals(of: objects, from: start, to: end)
            let elapsed = ContinuousClock.now - clock
            best = min(best, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
        }
        print("objects=\(objects.count) geo=\(geo) leo=\(leo) sensors=\(network.sensors.count) hours=\(hours)")
        print("intervals=\(rows.count)")
        if let csv {
            guard FileManager.default.createFile(atPath: csv, contents: Data(PassesCommand.csv(rows).utf8)) else {
                throw ValidationFailure("\(csv): cannot write the file")
            }
        }
        print("seconds=\(best)")
    }
}

/// A deterministic synthetic catalogue: GEO objects spread in longitude (inclination 0–15°, e ≤ 0.001) and LEO
/// objects at 400–1,500 km (inclination 0–100°, e ≤ 0.01), epoch at the window's start, from a fixed-seed
/// linear congruential generator (Knuth's MMIX constants).
struct SyntheticCatalogue {
    let start: Epoch
    private var state: UInt64 = 0x2545_F491_4F6C_DD1D

    init(start: Epoch) { self.start = start }

    private mutating func uniform(_ low: Double, _ high: Double) -> Double {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return low + (high - low) * Double(state >> 11) / Double(1 << 53)
    }

    mutating func objects(geo: Int, leo: Int) throws -> [TrackedObject] {
        let c = start.components(in: .utc)
        let dayOfYear =
            Double(GregorianDays.utcDayOfYear(year: c.year, month: c.month, day: c.day))
            + (Double(c.hour) * 3600 + Double(c.minute) * 60 + Double(c.second)) / 86400
        guard let epoch = TLEEpoch(text: String(format: "%02d%012.8f", c.year % 100, dayOfYear)) else {
            throw ValidationFailure("cannot write the epoch \(start) as a TLE epoch")
        }
        var objects: [TrackedObject] = []
        for index in 0..<(geo + leo) {
            let isGEO = index < geo
            let altitude = uniform(400, 1500)
            let meanMotion =
                isGEO
                ? 1.002_7 + uniform(-0.000_5, 0.000_5)
                : 86_400 / (2 * .pi * pow(pow(6378.135 + altitude, 3) / 398_600.8, 0.5))
            let tle = TLE(
                catalogueNumber: 10_000 + index, epoch: epoch, bstarPerEarthRadius: isGEO ? 0 : 1e-5,
                inclinationDegrees: isGEO ? uniform(0, 15) : uniform(0, 100),
                rightAscensionOfAscendingNodeDegrees: uniform(0, 360),
                eccentricity: isGEO ? uniform(0, 0.001) : uniform(0, 0.01),
                argumentOfPerigeeDegrees: uniform(0, 360), meanAnomalyDegrees: uniform(0, 360),
                meanMotionRevolutionsPerDay: meanMotion)
            objects.append(try TrackedObject(tle: tle))
        }
        return objects
    }
}

enum GregorianDays {
    /// The day of the year (1-based) of a Gregorian date.
    static func utcDayOfYear(year: Int, month: Int, day: Int) -> Int {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let before = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334][month - 1]
        return before + day + (leap && month > 2 ? 1 : 0)
    }
}
