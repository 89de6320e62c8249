import Astrodynamics

extension PlanningRun {
    /// Fills free time with maintenance: targets in service order (least certain, then oldest, first), at most one
    /// tracklet per target per plan day (24 h from the period's start), each at the earliest free time of any
    /// sensor that can observe it that day (ties: the earlier span, then the sensor listed first).
    mutating func fillMaintenance() {
        let period = scheduler.period
        let days = Int((period.durationSeconds / 86_400).rounded(.up))
        let future = EpochInterval(start: max(now, period.start), end: max(now, period.end))
        for target in scheduler.maintenanceTargets {
            for day in 0..<max(days, 1) {
                if state.maintenanceServed.contains(SchedulingState.TargetDay(noradID: target.noradID, day: day)) {
                    continue
                }
                let dayStart = period.start.adding(seconds: Double(day) * 86_400)
                guard
                    let bounds = EpochInterval(start: dayStart, end: dayStart.adding(seconds: 86_400))
                        .clipped(to: future)
                else { continue }
                var spans: [Candidate] = []
                for sensor in scheduler.sensors.indices {
                    spans += candidates(sensor: sensor, noradID: target.noradID, within: bounds)
                }
                spans.sort { $0.span.start != $1.span.start ? $0.span.start < $1.span.start : $0.sensor < $1.sensor }
                for candidate in spans {
                    if place(target.noradID, purpose: .maintenance, in: candidate, from: candidate.span.start) != nil {
                        break
                    }
                }
            }
        }
    }
}
