import Astrodynamics
import Testing

@testable import Backend

/// The rules every plan must keep, checked from the outside (the inputs and the plan, not the scheduler's state).
struct SchedulingChecks {
    let sensors: [Sensor]
    let nights: [ObservingNight]
    let intervals: [ObservableInterval]
    let pointing: PointingFunction
    let weather: Weather

    init(
        sensors: [Sensor], nights: [ObservingNight], intervals: [ObservableInterval],
        pointing: @escaping PointingFunction,
        weather: Weather
    ) {
        self.sensors = sensors
        self.nights = nights
        self.intervals = intervals
        self.pointing = pointing
        self.weather = weather
    }

    init(workload: SyntheticWorkload, weather: Weather) {
        self.init(
            sensors: workload.sensors, nights: workload.nights, intervals: workload.intervals,
            pointing: workload.pointing, weather: weather)
    }

    /// The problems found in `plan` (empty when it keeps every rule). With `keepsPast` (a rescheduled plan),
    /// slots before `now` are allowed: they are the previous plan's past.
    func problems(in plan: ObservationPlan, now: Epoch, keepsPast: Bool = false) -> [String] {
        var problems: [String] = []
        let tasks = Dictionary(uniqueKeysWithValues: plan.tasks.map { ($0.id, $0) })
        for sensor in sensors {
            let slots = plan.slots(on: sensor.name)
            let nights = self.nights.filter { $0.sensor == sensor.name }
            var dutyUsed: [EpochInterval: Double] = [:]
            for (k, slot) in slots.enumerated() {
                if abs(slot.end.seconds(since: slot.start) - sensor.trackDurationSeconds) > 1e-6 {
                    problems.append("\(slot): lasts \(slot.end.seconds(since: slot.start)) s")
                }
                if k > 0 {
                    let previous = slots[k - 1]
                    let angle: Double
                    if let a = pointing(sensor.name, previous.noradID, previous.end),
                        let b = pointing(sensor.name, slot.noradID, slot.start)
                    {
                        angle = a.angleDegrees(to: b)
                    } else {
                        angle = 180
                    }
                    let gap = slot.start.seconds(since: previous.end)
                    if gap < sensor.repointSeconds(angleDegrees: angle) - 1e-6 {
                        problems.append("\(previous) → \(slot): \(gap) s for slew and settle")
                    }
                }
                let visible = intervals.contains {
                    $0.sensor == sensor.name && $0.noradID == slot.noradID && $0.start <= slot.start
                        && slot.end <= $0.end
                }
                if !visible { problems.append("\(slot): not inside an observable interval") }
                if let night = nights.first(where: { $0.span.start <= slot.start && slot.end <= $0.span.end }) {
                    if weather.isClouded(sensor: sensor, nightStart: night.span.start) {
                        problems.append("\(slot): on a clouded night")
                    }
                    dutyUsed[night.span, default: 0] += slot.end.seconds(since: slot.start)
                } else {
                    problems.append("\(slot): not inside a night")
                }
                if slot.start < plan.period.start || slot.end > plan.period.end {
                    problems.append("\(slot): outside the period")
                }
                if slot.start < now, !keepsPast {
                    problems.append("\(slot): before now")
                }
                if let id = slot.purpose.requestID, let task = tasks[id] {
                    if slot.start < task.window.start || slot.end > task.window.end {
                        problems.append("\(slot): outside the window \(task.window)")
                    }
                    if !task.accepts(sensor) { problems.append("\(slot): a sensor the request does not accept") }
                }
            }
            if let radar = sensor.radar {
                for (night, used) in dutyUsed where used > radar.dutyCycle * night.durationSeconds + 1e-6 {
                    problems.append("\(sensor.name) night \(night): \(used) s of track over the duty cycle")
                }
            }
        }
        for task in plan.tasks {
            let held = plan.slots(of: task.id)
            if held.count > task.tracksWanted { problems.append("\(task.id): \(held.count) tracks") }
            if plan.decisions[task.id]?.slots != held { problems.append("\(task.id): decision slots differ") }
        }
        var served: Set<[Int]> = []
        for slot in plan.slots where slot.purpose == .maintenance {
            let day = Int((slot.start.seconds(since: plan.period.start) / 86_400).rounded(.down))
            if !served.insert([slot.noradID, day]).inserted {
                problems.append("\(slot): a second maintenance tracklet of that target that day")
            }
        }
        return problems
    }
}
