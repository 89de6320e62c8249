import ArgumentParser
import Astrodynamics
import Backend
import Foundation

/// `essor bench schedule [--requests N] [--targets M] [--seed S] [--repeat R]`: a full night's plan for 3 telescopes
/// and 1 radar from a synthetic workload (issue 12 target: 300 requests and 1,000 GEO maintenance targets in ≤ 1 s).
/// Also times rescheduling that plan for one arriving emergency (3 tracks) and one withdrawn request. Last line
/// `seconds=X` (building the scheduler and planning the night).
struct BenchSchedule: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule", abstract: "Measure the reference backend's night planning.",
        discussion: """
            The workload is SyntheticWorkload (Sources/Backend/Scheduling): deterministic per seed, observable \
            intervals drawn without orbits over the night and 7 days either side (for proposals), GEO objects fixed \
            in the sky, LEO objects sweeping at 0.3°/s. Timed: building the scheduler (spans in nights, weather) \
            and planning; the best of the runs.
            """)

    @Option(help: "Requests.")
    var requests = 300

    @Option(help: "GEO maintenance targets.")
    var targets = 1000

    @Option(help: "LEO objects (request targets only).")
    var leo = 300

    @Option(help: "Workload seed.")
    var seed: UInt64 = 12

    @Option(help: "Weather seed (default: every night clear, the heaviest plan).")
    var weatherSeed: UInt64?

    @Option(name: .customLong("repeat"), help: "Runs; the best is reported.")
    var repetitions = 5

    func run() throws {
        let noon = try Epoch(iso8601: "2026-12-08T12:00:00Z")
        let workload = SyntheticWorkload(
            seed: seed, opticalSensors: 3, radars: 1, requests: requests, geoObjects: targets, leoObjects: leo,
            maintenanceTargets: targets, periodStart: noon, days: 1, marginDays: 7)
        var best = Double.infinity
        var plan: ObservationPlan?
        for _ in 0..<max(repetitions, 1) {
            let start = ContinuousClock.now
            let scheduler = workload.scheduler(weather: weatherSeed.map(Weather.init(seed:)) ?? .clear)
            plan = scheduler.plan(workload.tasks, now: noon)
            best = min(best, (ContinuousClock.now - start).seconds)
        }
        guard let plan else { return }
        // One emergency arriving and one request withdrawn, into the full plan.
        let scheduler = workload.scheduler(weather: weatherSeed.map(Weather.init(seed:)) ?? .clear)
        let arriving = ObservationTask(
            id: "req_arriving", noradID: 1,
            window: EpochInterval(start: noon.adding(seconds: 6 * 3600), end: noon.adding(seconds: 18 * 3600)),
            tracksWanted: 3, priority: .emergency, submitted: noon)
        var rescheduleBest = Double.infinity
        var changed = 0
        for _ in 0..<max(repetitions, 1) {
            let start = ContinuousClock.now
            let next = scheduler.rescheduled(
                previous: plan, adding: [arriving], removing: [workload.tasks[0].id], now: noon.adding(seconds: 3600))
            rescheduleBest = min(rescheduleBest, (ContinuousClock.now - start).seconds)
            changed = Set(plan.slots).symmetricDifference(next.slots).count
        }
        var counts: [String: Int] = [:]
        for decision in plan.decisions.values { counts[decision.word, default: 0] += 1 }
        let requestSlots = plan.slots.filter { $0.purpose.requestID != nil }.count
        print(
            "sensors=\(workload.sensors.count) requests=\(requests) targets=\(targets) leo_objects=\(leo) "
                + "intervals=\(workload.intervals.count) seed=\(seed) weather_seed=\(weatherSeed.map(String.init) ?? "clear") "
                + "repeat=\(repetitions)")
        print(
            "slots=\(plan.slots.count) request_slots=\(requestSlots) maintenance_slots=\(plan.slots.count - requestSlots) "
                + "targets_observed=\(plan.maintenance.observed)")
        print(
            ["scheduled", "partial", "proposed", "rejected", "deferred"].map { "\($0)=\(counts[$0] ?? 0)" }
                .joined(separator: " "))
        print("reschedule_seconds=\(rescheduleBest) reschedule_changed_slots=\(changed)")
        print("seconds=\(best)")
    }
}
