import Astrodynamics

extension ObservationPlan {
    /// A plan rebuilt from stored slots (a service keeps its plan in a database, not in memory): `tasks` are the
    /// requests the slots belong to, each counted as scheduled with the slots it holds; no maintenance. This is the
    /// `previous` of `ObservationScheduler.rescheduled` after a restart, or between two rounds.
    public init(stored slots: [PlannedSlot], tasks: [ObservationTask], period: EpochInterval, madeAt: Epoch) {
        var decisions: [String: TaskDecision] = [:]
        for task in tasks {
            decisions[task.id] = .scheduled(
                slots.filter { $0.purpose.requestID == task.id }, reason: "planned in an earlier round")
        }
        self.init(
            period: period, madeAt: madeAt, tasks: tasks, slots: slots, decisions: decisions,
            maintenance: MaintenanceSummary(targets: 0, observed: 0, notObservable: 0))
    }
}
