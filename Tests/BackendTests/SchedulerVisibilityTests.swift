import Astrodynamics
import Foundation
import Testing

@testable import Backend

/// The scheduler fed by the real `Visibility`: backend/sensors.yaml (its copy in the fixtures), 24 GEO test objects
/// 15° apart and one LEO object, the night of 2026-12-08 with clouds drawn from seed 3.
@Suite("Scheduler with Visibility")
struct SchedulerVisibilityTests {
    @Test("a night of the shipped network keeps every rule and explains each request")
    func night() throws {
        let network = try SensorNetwork.load(yaml: SensorNetworkTests.fixture("sensors.yaml"), file: "sensors.yaml")
        let catalogue = try ObjectCatalogue.read(
            SchedulingRequestFileTests.fixture("schedule-objects.3le"), file: "schedule-objects.3le")
        let tasks = try ObservationRequestFile.read(
            SchedulingRequestFileTests.fixture("schedule-night.json"), file: "schedule-night.json")
        let start = try Epoch(iso8601: "2026-12-08T12:00:00Z")
        let period = EpochInterval(start: start, end: start.adding(seconds: 86_400))
        let visibility = Visibility(network: network)
        let weather = Weather(seed: 3)
        let scheduler = ObservationScheduler(
            visibility: visibility, network: network, catalogue: catalogue, period: period, tasks: tasks,
            weather: weather)
        let plan = scheduler.plan(tasks, now: start)

        let checks = SchedulingChecks(
            sensors: network.sensors, nights: scheduler.observingNights, intervals: scheduler.intervals,
            pointing: ObservationScheduler.pointing(visibility, network: network, catalogue: catalogue),
            weather: weather)
        let problems = checks.problems(in: plan, now: start)
        #expect(problems.isEmpty, "\(problems.prefix(5))")

        let leo = plan.slots(of: "req_leo")
        #expect(leo.count == 2 && leo.allSatisfy { $0.sensor == "radar-wachtberg" })
        #expect(plan.slots(of: "req_urgent").map(\.sensor) == ["tarot-calern"])
        #expect(plan.decisions["req_leo_optical"]?.word == "rejected")
        #expect(
            plan.decisions["req_none"]?.reason.hasPrefix("it is never observable by any optical sensor (tarot-calern)")
                == true)
        #expect(plan.maintenance.targets == 24 && plan.maintenance.observed > 0)
        #expect(plan.explanation.split(separator: "\n").count == 2 + tasks.count + 1)
        #expect(scheduler.plan(tasks, now: start) == plan)
    }
}
