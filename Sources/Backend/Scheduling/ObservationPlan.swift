import Astrodynamics

/// A plan: the slots of every sensor over a period, and for each request what was decided and why.
public struct ObservationPlan: Sendable, Hashable {
    /// How catalogue maintenance fared.
    public struct MaintenanceSummary: Sendable, Hashable {
        /// Targets given.
        public var targets: Int
        /// Targets with at least one slot.
        public var observed: Int
        /// Targets no sensor could observe in the period (no interval on a clear night).
        public var notObservable: Int
    }

    /// The span the plan covers.
    public var period: EpochInterval
    /// When it was made (no slot it placed starts before).
    public var madeAt: Epoch
    /// The requests it plans, in planning order (priority, submission, id).
    public var tasks: [ObservationTask]
    /// Every slot, sorted by start (then by the sensors' order).
    public var slots: [PlannedSlot]
    /// The decision for each request, by id.
    public var decisions: [String: TaskDecision]
    /// Catalogue maintenance in figures.
    public var maintenance: MaintenanceSummary

    /// The slots of sensor `name`, in time order.
    public func slots(on name: String) -> [PlannedSlot] { slots.filter { $0.sensor == name } }

    /// The slots of request `id`, in time order.
    public func slots(of id: String) -> [PlannedSlot] { slots.filter { $0.purpose.requestID == id } }
}

extension PlanningRun {
    /// The plan as it stands. A fresh plan numbers each request's tracks in time order; a rescheduled one keeps
    /// the numbers (a re-placed track keeps its number).
    func finished(renumberingTracks: Bool) -> ObservationPlan {
        var slots = state.allSlots
        if renumberingTracks {
            var counts: [String: Int] = [:]
            for index in slots.indices {
                guard let id = slots[index].purpose.requestID else { continue }
                counts[id, default: 0] += 1
                slots[index].purpose = .request(id: id, track: counts[id]!)
            }
        }
        var byTask: [String: [PlannedSlot]] = [:]
        for slot in slots { if let id = slot.purpose.requestID { byTask[id, default: []].append(slot) } }
        let ordered = tasks.values.sorted(by: ObservationTask.plannedBefore)
        var decisions: [String: TaskDecision] = [:]
        for task in ordered {
            let held = byTask[task.id] ?? []
            switch drafts[task.id] ?? .rejected(reason: "not planned") {
            case .placed(let reason):
                if held.count >= task.tracksWanted {
                    decisions[task.id] = .scheduled(held, reason: reason)
                } else if !held.isEmpty {
                    decisions[task.id] = .partial(held, wanted: task.tracksWanted, reason: reason)
                } else {
                    decisions[task.id] = .rejected(reason: reason)
                }
            case .proposed(let window, let reason): decisions[task.id] = .proposed(window: window, reason: reason)
            case .rejected(let reason): decisions[task.id] = .rejected(reason: reason)
            case .deferred(let reason): decisions[task.id] = .deferred(reason: reason)
            }
        }
        let observed = Set(slots.filter { $0.purpose == .maintenance }.map(\.noradID))
        let notObservable = scheduler.maintenanceTargets.filter { target in
            !scheduler.sensors.indices.contains {
                !candidates(sensor: $0, noradID: target.noradID, within: scheduler.period).isEmpty
            }
        }.count
        return ObservationPlan(
            period: scheduler.period, madeAt: now, tasks: ordered, slots: slots, decisions: decisions,
            maintenance: ObservationPlan.MaintenanceSummary(
                targets: scheduler.maintenanceTargets.count, observed: observed.count, notObservable: notObservable))
    }
}
