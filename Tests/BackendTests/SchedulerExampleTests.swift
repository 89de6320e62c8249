import Astrodynamics
import Testing

@testable import Backend

/// Worked examples: one telescope like TAROT Calern (130 s tracklets, 20°/s, 5 s settle), one night, objects
/// whose intervals and pointings are written by hand.
@Suite("Scheduler worked examples")
struct SchedulerExampleTests {
    static func time(_ text: String) -> Epoch { try! Epoch(iso8601: text) }

    static let telescope = Sensor(
        name: "tarot-calern", type: .optical,
        site: GeodeticSite(latitudeDegrees: 43.75, longitudeDegrees: 6.92, heightMetres: 1270), minElevationDegrees: 20,
        slewRateDegreesPerSecond: 20, settleSeconds: 5, pointsPerTrack: 5, cadenceSeconds: 30,
        optical: OpticalCharacteristics(
            fieldOfViewDegrees: 1.86, limitingMagnitude: 16, noiseArcseconds: 1, exposureSeconds: 10))
    static let period = EpochInterval(start: time("2026-12-08T12:00:00Z"), end: time("2026-12-09T12:00:00Z"))
    static let nights = (0..<3).map { day in
        ObservingNight(
            sensor: "tarot-calern",
            span: EpochInterval(start: time("2026-12-08T18:00:00Z"), end: time("2026-12-09T05:00:00Z"))
                .shifted(bySeconds: Double(day) * 86_400))
    }
    /// Every object stands at azimuth 180°, elevation 45° except object 4 (azimuth 90°).
    static let pointing: PointingFunction = { _, norad, _ in
        PointingDirection(azimuthDegrees: norad == 4 ? 90 : 180, elevationDegrees: 45)
    }

    static func interval(_ norad: Int, _ start: String, _ end: String, days: Int = 1) -> [ObservableInterval] {
        (0..<days).map { day in
            ObservableInterval(
                sensor: "tarot-calern", noradID: norad, start: time(start).adding(seconds: Double(day) * 86_400),
                culmination: time(start).adding(seconds: Double(day) * 86_400),
                end: time(end).adding(seconds: Double(day) * 86_400), maxElevationDegrees: 45)
        }
    }

    static func scheduler(
        _ intervals: [ObservableInterval], maintenance: [MaintenanceTarget] = [], sensor: Sensor = telescope,
        weather: Weather = .clear
    ) -> ObservationScheduler {
        ObservationScheduler(
            sensors: [sensor], intervals: intervals, nights: nights, pointing: pointing, maintenance: maintenance,
            period: period, weather: weather)
    }

    static let night = EpochInterval(start: time("2026-12-08T18:00:00Z"), end: time("2026-12-09T05:00:00Z"))

    @Test("an emergency takes the only slot; the routine request it conflicts with is proposed the next night")
    func emergencyFirst() throws {
        let intervals =
            Self.interval(1, "2026-12-08T20:00:00Z", "2026-12-08T20:03:00Z", days: 2)
            + Self.interval(2, "2026-12-08T20:00:00Z", "2026-12-08T20:03:00Z")
        let window = EpochInterval(start: Self.time("2026-12-08T19:00:00Z"), end: Self.time("2026-12-08T21:00:00Z"))
        let routine = ObservationTask(
            id: "req_routine", noradID: 1, window: window, submitted: Self.time("2026-12-07T00:00:00Z"))
        let emergency = ObservationTask(
            id: "req_emergency", noradID: 2, window: window, priority: .emergency,
            submitted: Self.time("2026-12-08T10:00:00Z"))
        let plan = Self.scheduler(intervals).plan([routine, emergency], now: Self.period.start)
        #expect(
            plan.slots == [
                PlannedSlot(
                    sensor: "tarot-calern", noradID: 2, start: Self.time("2026-12-08T20:00:00Z"),
                    end: Self.time("2026-12-08T20:02:10Z"), purpose: .request(id: "req_emergency", track: 1))
            ])
        guard case .proposed(let proposed, let reason) = plan.decisions["req_routine"] else {
            Issue.record("expected a proposal, got \(String(describing: plan.decisions["req_routine"]))")
            return
        }
        #expect(proposed == window.shifted(bySeconds: 86_400))
        #expect(reason.contains("req_emergency (emergency)"))
        #expect(
            reason == "no track fits in the window: the free time of its observable intervals in the window is taken "
                + "by requests planned before it: req_emergency (emergency); proposed "
                + "2026-12-09T19:00:00Z–2026-12-09T21:00:00Z, the nearest window (1 day later) in which its track "
                + "fits (tarot-calern)")
        let text = try #require(plan.explanation(for: "req_emergency"))
        #expect(
            text.contains(
                "scheduled: placed on tarot-calern 2026-12-08T20:00:00Z–2026-12-08T20:02:10Z, the earliest free time"))
        #expect(plan.explanation.contains("requests: 1 scheduled, 0 partial, 1 proposed, 0 rejected, 0 deferred"))
    }

    @Test("a request after a higher one starts after its slew and settle, and says so")
    func slewAfterHigherPriority() throws {
        let intervals =
            Self.interval(2, "2026-12-08T20:00:00Z", "2026-12-08T20:30:00Z")
            + Self.interval(4, "2026-12-08T20:00:00Z", "2026-12-08T20:30:00Z")
        let window = EpochInterval(start: Self.time("2026-12-08T20:00:00Z"), end: Self.time("2026-12-08T20:30:00Z"))
        let plan = Self.scheduler(intervals).plan(
            [
                ObservationTask(id: "req_b", noradID: 4, window: window),
                ObservationTask(id: "req_a", noradID: 2, window: window, priority: .urgent),
            ], now: Self.period.start)
        // 90° of azimuth at 45° elevation is 60° of arc: 3 s at 20°/s, plus 5 s settle: 8 s after 20:02:10.
        #expect(plan.slots(of: "req_b").map(\.start) == [Self.time("2026-12-08T20:02:18Z")])
        let text = try #require(plan.explanation(for: "req_b"))
        #expect(text.contains("after the urgent request req_a"), "\(text)")
    }

    @Test("three tracks of a GEO object are spread over the night")
    func tracksSpread() {
        let intervals = Self.interval(1, "2026-12-08T17:00:00Z", "2026-12-09T06:00:00Z")
        let plan = Self.scheduler(intervals).plan(
            [ObservationTask(id: "req_geo", noradID: 1, window: Self.night, tracksWanted: 3)], now: Self.period.start)
        let starts = plan.slots(of: "req_geo").map(\.start)
        #expect(starts.count == 3)
        for k in 1..<starts.count { #expect(starts[k].seconds(since: starts[k - 1]) >= 3 * 3600) }
        #expect(plan.slots(of: "req_geo").map(\.purpose) == (1...3).map { .request(id: "req_geo", track: $0) })
    }

    @Test("rejections say why: no sensor of the type, never observable, clouded out")
    func rejections() throws {
        let radarTask = ObservationTask(
            id: "req_radar", noradID: 1, window: Self.night, measurements: [.radarRange])
        let unseen = ObservationTask(id: "req_unseen", noradID: 3, window: Self.night)
        var plan = Self.scheduler(Self.interval(1, "2026-12-08T20:00:00Z", "2026-12-08T21:00:00Z"))
            .plan([radarTask, unseen], now: Self.period.start)
        #expect(plan.decisions["req_radar"] == .rejected(reason: "the network has no radar sensor"))
        let reason = try #require(plan.decisions["req_unseen"]?.reason)
        #expect(reason.hasPrefix("it is never observable by any optical sensor (tarot-calern) within its window"))
        #expect(reason.hasSuffix("and no window within 7 days before or after it has room for 1 track"))

        var cloudy = Self.telescope
        cloudy.cloudProbability = 1
        plan = Self.scheduler(
            Self.interval(1, "2026-12-08T20:00:00Z", "2026-12-08T21:00:00Z"), sensor: cloudy, weather: Weather(seed: 7)
        ).plan([ObservationTask(id: "req_cloud", noradID: 1, window: Self.night)], now: Self.period.start)
        #expect(plan.slots.isEmpty)
        let clouded = try #require(plan.decisions["req_cloud"]?.reason)
        #expect(clouded.hasPrefix("it is observable within its window only on nights clouded out at tarot-calern"))
    }

    @Test("fewer tracks than wanted fit: the plan keeps them and says how many")
    func partial() throws {
        let intervals = Self.interval(1, "2026-12-08T20:00:00Z", "2026-12-08T20:04:00Z")
        let plan = Self.scheduler(intervals).plan(
            [ObservationTask(id: "req_p", noradID: 1, window: Self.night, tracksWanted: 2)], now: Self.period.start)
        guard case .partial(let slots, let wanted, let reason) = plan.decisions["req_p"] else {
            Issue.record("expected partial, got \(String(describing: plan.decisions["req_p"]))")
            return
        }
        #expect(slots.count == 1 && wanted == 2)
        #expect(reason.contains("1 of 2 tracks planned"))
    }

    @Test("a window after the period is left to a later plan")
    func deferred() {
        let later = Self.night.shifted(bySeconds: 86_400)
        let plan = Self.scheduler([]).plan(
            [ObservationTask(id: "req_d", noradID: 1, window: later)], now: Self.period.start)
        #expect(plan.decisions["req_d"]?.word == "deferred")
    }

    /// Ten GEO maintenance targets at one pointing fill 18:00 onwards, 5 s apart (settle only).
    static func maintenancePlan() -> (ObservationScheduler, ObservationPlan) {
        var intervals = Self.interval(4, "2026-12-08T17:00:00Z", "2026-12-09T06:00:00Z")
        var targets: [MaintenanceTarget] = []
        for norad in 10..<20 {
            intervals += Self.interval(norad, "2026-12-08T17:00:00Z", "2026-12-09T06:00:00Z")
            targets.append(
                MaintenanceTarget(noradID: norad, orbitAgeDays: Double(norad), positionUncertaintyKilometres: 1))
        }
        let scheduler = Self.scheduler(intervals, maintenance: targets)
        return (scheduler, scheduler.plan([], now: Self.period.start))
    }

    @Test("maintenance: oldest first, one tracklet per target, back to back")
    func maintenanceOrder() {
        let (_, plan) = Self.maintenancePlan()
        #expect(plan.slots.map(\.noradID) == Array((10..<20).reversed()))
        #expect(plan.slots[1].start == Self.time("2026-12-08T18:02:15Z"))
        #expect(plan.maintenance == .init(targets: 10, observed: 10, notObservable: 0))
    }

    @Test(
        "rescheduling: an emergency displaces the two maintenance slots it conflicts with, both refilled: 5 slots change"
    )
    func reschedulingCounts() throws {
        let (scheduler, plan) = Self.maintenancePlan()
        let window = EpochInterval(start: Self.time("2026-12-08T18:00:00Z"), end: Self.time("2026-12-08T18:05:00Z"))
        // Object 4 at azimuth 90°: 60° of arc, 3 s of slew from the others, so it displaces the first two slots.
        let emergency = ObservationTask(id: "req_e", noradID: 4, window: window, priority: .emergency)
        let next = scheduler.rescheduled(previous: plan, adding: [emergency], removing: [], now: Self.period.start)
        let gone = Set(plan.slots).subtracting(next.slots)
        let new = Set(next.slots).subtracting(plan.slots)
        #expect(gone.map(\.noradID).sorted() == [18, 19])
        #expect(new.count == 3)
        #expect(next.slots(of: "req_e").first?.start == Self.time("2026-12-08T18:00:00Z"))
        #expect(Set(next.slots.filter { $0.purpose == .maintenance }.map(\.noradID)) == Set(10..<20))
        let reason = try #require(next.decisions["req_e"]?.reason)
        #expect(reason.contains("displacing 2 maintenance slots"), "\(reason)")

        // A routine request that fits in free time changes nothing else.
        let routine = ObservationTask(id: "req_r", noradID: 4, window: Self.night)
        let calm = scheduler.rescheduled(previous: plan, adding: [routine], removing: [], now: Self.period.start)
        #expect(Set(calm.slots).subtracting(plan.slots).count == 1)
        #expect(Set(plan.slots).subtracting(calm.slots).isEmpty)

        // Removing the emergency frees its slot: every target is served already, so only that slot changes.
        let removed = scheduler.rescheduled(previous: next, adding: [], removing: ["req_e"], now: Self.period.start)
        #expect(Set(next.slots).subtracting(removed.slots).map(\.purpose) == [.request(id: "req_e", track: 1)])
        #expect(Set(removed.slots).subtracting(next.slots).isEmpty)
        #expect(removed.decisions["req_e"] == nil)
    }

    @Test("rescheduling replaces a task removed and added at once (an accepted window)")
    func replaced() {
        let (scheduler, plan) = Self.maintenancePlan()
        let first = ObservationTask(id: "req_r", noradID: 4, window: Self.night)
        let planned = scheduler.rescheduled(previous: plan, adding: [first], removing: [], now: Self.period.start)
        var moved = first
        moved.window = EpochInterval(start: Self.time("2026-12-09T03:00:00Z"), end: Self.time("2026-12-09T04:00:00Z"))
        let next = scheduler.rescheduled(
            previous: planned, adding: [moved], removing: ["req_r"], now: Self.period.start)
        #expect(next.slots(of: "req_r").map(\.start) == [Self.time("2026-12-09T03:00:00Z")])
        #expect(next.tasks.first { $0.id == "req_r" }?.window == moved.window)
        #expect(Set(planned.slots).symmetricDifference(next.slots).count == 2)
    }

    @Test("rescheduling never moves the past or what is executing")
    func pastStays() {
        let (scheduler, plan) = Self.maintenancePlan()
        let window = EpochInterval(start: Self.time("2026-12-08T18:00:00Z"), end: Self.time("2026-12-08T18:10:00Z"))
        let now = Self.time("2026-12-08T18:03:00Z")  // the second slot (18:02:15–18:04:25) is executing
        let next = scheduler.rescheduled(
            previous: plan, adding: [ObservationTask(id: "req_e", noradID: 4, window: window, priority: .emergency)],
            removing: [], now: now)
        #expect(next.slots.prefix(2) == plan.slots.prefix(2))
        let slot = next.slots(of: "req_e").first
        #expect(slot.map { $0.start >= Self.time("2026-12-08T18:04:25Z") } == true)
    }
}

@Suite("Scheduler weather")
struct SchedulerWeatherTests {
    @Test("clouded nights are seeded: the same seed gives the same nights, at the sensor's rate")
    func seeded() {
        var sensor = SchedulerExampleTests.telescope
        sensor.cloudProbability = 0.35
        let first = SchedulerExampleTests.time("2026-12-08T18:00:00Z")
        let nights = (0..<2000).map { first.adding(seconds: Double($0) * 86_400) }
        let a = nights.map { Weather(seed: 42).isClouded(sensor: sensor, nightStart: $0) }
        let b = nights.map { Weather.isClouded(sensor: sensor, nightStart: $0, seed: 42) }
        let c = nights.map { Weather(seed: 43).isClouded(sensor: sensor, nightStart: $0) }
        #expect(a == b)
        #expect(a != c)
        let rate = Double(a.filter { $0 }.count) / Double(a.count)
        #expect(abs(rate - 0.35) < 0.035, "clouded share \(rate)")  // 3.3σ of a binomial share over 2,000 nights
        // A night start moved by an hour is the same night.
        #expect(nights.map { Weather(seed: 42).isClouded(sensor: sensor, nightStart: $0.adding(seconds: 3600)) } == a)
        #expect(!Weather.clear.isClouded(sensor: sensor, nightStart: first))
    }
}
