import ArgumentParser
import Astrodynamics
import Backend
import Foundation

/// `essor schedule --sensors FILE --objects ELEMENTS --requests FILE.json --night DATE [--explain] [--seed S]`:
/// one night's observation plan for the network (issue 12, "Scheduler"), as CSV on standard output.
struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule", abstract: "Build a night's observation plan for the sensor network.",
        discussion: """
            The night of DATE is the period from DATE 12:00 UTC to the next day's 12:00 UTC (every site's evening \
            and night of that date). Requests (a JSON array of {id, norad_id, window{start,stop}, tracks, priority, \
            measurements, sensor?, created?}, the backend protocol's shape) are planned first by priority; the GEO \
            objects of ELEMENTS fill the remaining time as catalogue maintenance (oldest element set first). A \
            request that cannot be met is proposed the nearest window (within 7 days) or rejected. Output: \
            sensor,norad_id,start,end,purpose (purpose request:ID:TRACK or maintenance), UTC to the millisecond, \
            sorted by start; with --explain, a blank line and then the plan's explanation (one line per request).
            """)

    @Option(help: "The sensors file (YAML, see backend/sensors.yaml).")
    var sensors: String

    @Option(help: "The objects: TLE, 3LE or OMM element sets (requested objects and maintenance targets).")
    var objects: String

    @Option(help: "The requests: a JSON array (see the discussion).")
    var requests: String

    @Option(help: "The night to plan: an ISO date such as 2026-12-08 (12:00 UTC to 12:00 UTC the next day).")
    var night: String

    @Flag(help: "After the CSV, explain why each request got its slots or did not.")
    var explain = false

    @Option(help: "Weather seed: each optical night is clouded out with its site's cloud_probability (default: clear).")
    var seed: UInt64?

    @Option(help: "Object sizes: CSV norad_id,diameter_m[,albedo] (default 2 m, albedo 0.175).")
    var sizes: String?

    @Option(help: "IERS Earth-orientation file (finals2000A.all or EOP C04) for UT1 and polar motion.")
    var eop: String?

    func run() throws {
        let day = try PassesCommand.epoch(night, option: "--night")
        let period = EpochInterval(start: day.adding(seconds: 43_200), end: day.adding(seconds: 129_600))
        let network: SensorNetwork
        do { network = try SensorNetwork.load(path: sensors) } catch { throw ValidationFailure(error.description) }
        let catalogue = try loadCatalogue()
        let tasks = try loadTasks(known: Set(catalogue.objects.map(\.noradID)))
        let visibility = Visibility(
            network: network, transformer: FrameTransformer(eop: try eop.map(EarthOrientationFile.load)))
        let scheduler = ObservationScheduler(
            visibility: visibility, network: network, catalogue: catalogue, period: period, tasks: tasks,
            weather: seed.map(Weather.init(seed:)) ?? .clear)
        let plan = scheduler.plan(tasks, now: period.start)
        var text = "sensor,norad_id,start,end,purpose\n"
        for slot in plan.slots {
            text += "\(slot.sensor),\(slot.noradID),\(slot.start.iso8601(fractionDigits: 3)),"
            text += "\(slot.end.iso8601(fractionDigits: 3)),\(slot.purpose)\n"
        }
        if explain { text += "\n" + plan.explanation + "\n" }
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    private func loadCatalogue() throws -> ObjectCatalogue {
        do {
            var catalogue = try ObjectCatalogue.load(path: objects)
            if let sizes {
                guard let data = FileManager.default.contents(atPath: sizes),
                    let text = String(data: data, encoding: .utf8)
                else { throw ValidationFailure("\(sizes): cannot read the file") }
                try catalogue.applySizes(csv: text, file: sizes)
            }
            return catalogue
        } catch let error as ObjectCatalogueError {
            throw ValidationFailure(error.description)
        }
    }

    private func loadTasks(known: Set<Int>) throws -> [ObservationTask] {
        guard let data = FileManager.default.contents(atPath: requests) else {
            throw ValidationFailure("\(requests): cannot read the file")
        }
        let tasks: [ObservationTask]
        do { tasks = try ObservationRequestFile.read(Array(data), file: requests) } catch {
            throw ValidationFailure(error.description)
        }
        let unknown = tasks.filter { !known.contains($0.noradID) }
        guard unknown.isEmpty else {
            throw ValidationFailure(
                unknown.map { "\(requests): \($0.id): object \($0.noradID) is not in \(objects)" }
                    .joined(separator: "\n"))
        }
        return tasks
    }
}
