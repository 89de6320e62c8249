import ArgumentParser
import Astrodynamics
import Backend
import Foundation

/// `essor passes --sensors FILE --objects ELEMENTS [--sensor NAME]… --from ISO --to ISO [--sizes CSV] [--eop FILE]`:
/// when each object is observable by each sensor (issue 12, "Visibility"), as CSV on standard output.
struct PassesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passes", abstract: "List when each object is observable by each sensor (CSV).",
        discussion: """
            One row per observable interval: sensor,norad_id,start,culmination,end,max_elevation_deg, UTC to the \
            millisecond, sorted by sensor (file order), start, NORAD id. Optical sensors need darkness, a sunlit \
            object within the limiting magnitude and the Moon far enough; radars the elevation and range limits.
            """)

    @Option(help: "The sensors file (YAML, see backend/sensors.yaml).")
    var sensors: String

    @Option(help: "The objects: TLE, 3LE or OMM element sets.")
    var objects: String

    @Option(name: .customLong("sensor"), help: "Only this sensor (repeatable); default: every sensor of the file.")
    var sensorNames: [String] = []

    @Option(help: "Start of the window, ISO 8601 UTC (e.g. 2026-11-24T18:00:00Z).")
    var from: String

    @Option(help: "End of the window, ISO 8601 UTC.")
    var to: String

    @Option(help: "Object sizes: CSV norad_id,diameter_m[,albedo] (default 2 m, albedo 0.175).")
    var sizes: String?

    @Option(help: "IERS Earth-orientation file (finals2000A.all or EOP C04) for UT1 and polar motion.")
    var eop: String?

    func run() throws {
        let start = try Self.epoch(from, option: "--from")
        let end = try Self.epoch(to, option: "--to")
        guard end > start else { throw ValidationError("--to must be after --from") }
        let network: SensorNetwork
        do { network = try SensorNetwork.load(path: sensors) } catch { throw ValidationFailure(error.description) }
        for name in sensorNames where network.sensor(named: name) == nil {
            let known = network.sensors.map(\.name).joined(separator: ", ")
            throw ValidationFailure("\(sensors): no sensor named \"\(name)\" (the file has \(known))")
        }
        var catalogue: ObjectCatalogue
        do {
            catalogue = try ObjectCatalogue.load(path: objects)
            if let sizes {
                guard let data = FileManager.default.contents(atPath: sizes),
                    let text = String(data: data, encoding: .utf8)
                else { throw ValidationFailure("\(sizes): cannot read the file") }
                try catalogue.applySizes(csv: text, file: sizes)
            }
        } catch let error as ObjectCatalogueError {
            throw ValidationFailure(error.description)
        }
        let transformer = FrameTransformer(eop: try eop.map(EarthOrientationFile.load))
        let visibility = Visibility(network: network, transformer: transformer)
        let rows = visibility.intervals(
            of: catalogue.objects, sensors: sensorNames.isEmpty ? nil : sensorNames, from: start, to: end)
        FileHandle.standardOutput.write(Data(Self.csv(rows).utf8))
    }

    /// The CSV: a header, then one row per interval, times in UTC to the millisecond.
    static func csv(_ rows: [ObservableInterval]) -> String {
        var text = "sensor,norad_id,start,culmination,end,max_elevation_deg\n"
        for row in rows {
            text += "\(row.sensor),\(row.noradID),\(row.start.iso8601(fractionDigits: 3)),"
            text += "\(row.culmination.iso8601(fractionDigits: 3)),\(row.end.iso8601(fractionDigits: 3)),"
            text += String(format: "%.3f", row.maxElevationDegrees) + "\n"
        }
        return text
    }

    static func epoch(_ text: String, option: String) throws -> Epoch {
        do { return try Epoch(iso8601: text) } catch {
            throw ValidationError(
                "\(option) '\(text)' is not an ISO 8601 UTC time such as 2026-11-24T18:00:00Z: \(error)")
        }
    }
}
