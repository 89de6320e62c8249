import Astrodynamics

extension PlanningRun {
    /// A run that starts from `previous`: its slots, tasks and decisions.
    init(scheduler: ObservationScheduler, previous: ObservationPlan, now: Epoch) {
        self.init(scheduler: scheduler, now: now)
        for slot in previous.slots {
            guard let sensor = scheduler.sensorIndex[slot.sensor] else { continue }
            state.insert(slot, on: sensor, night: night(of: slot, on: sensor) ?? 0)
        }
        for task in previous.tasks { tasks[task.id] = task }
        for (id, decision) in previous.decisions {
            switch decision {
            case .scheduled(_, let reason), .partial(_, _, let reason): drafts[id] = .placed(reason: reason)
            case .proposed(let window, let reason): drafts[id] = .proposed(window, reason: reason)
            case .rejected(let reason): drafts[id] = .rejected(reason: reason)
            case .deferred(let reason): drafts[id] = .deferred(reason: reason)
            }
        }
    }

    /// Removes the tasks `ids`: their future slots go (past and executing ones stay in the plan, as what was
    /// observed), then tasks short of tracks try the freed time.
    mutating func remove(_ ids: Set<String>) {
        guard !ids.isEmpty else { return }
        var freed = false
        for sensor in scheduler.sensors.indices {
            for slot in state.timelines[sensor] where slot.start >= now {
                if let id = slot.purpose.requestID, ids.contains(id) {
                    state.remove(slot, on: sensor)
                    freed = true
                }
            }
        }
        for id in ids {
            tasks[id] = nil
            drafts[id] = nil
        }
        guard freed else { return }
        for task in tasks.values.sorted(by: ObservationTask.plannedBefore) where !ids.contains(task.id) {
            guard case .placed = drafts[task.id] else { continue }
            let held = slots(of: task)
            guard held.count < task.tracksWanted else { continue }
            let placements = placeTracks(of: task, numbers: missingNumbers(of: task, held: held))
            if !placements.isEmpty { decide(task, placements: placements) }
        }
    }

    /// Adds new tasks (highest priority first): free time first, then displacing lower priorities, and re-places
    /// what each displacement pushed out.
    mutating func add(_ newTasks: [ObservationTask]) {
        for task in newTasks.sorted(by: ObservationTask.plannedBefore) where tasks[task.id] == nil {
            tasks[task.id] = task
            if task.window.start >= scheduler.period.end {
                plan(task)
                continue
            }
            let displaced = placeDisplacing(task, numbers: Array(1...task.tracksWanted))
            replace(displaced, by: task)
        }
    }

    /// Places `numbers` of `task`: free time first, then over maintenance, then over requests of lower priority
    /// (never over a slot that has started). Decides the task and returns the request slots it displaced.
    mutating func placeDisplacing(
        _ task: ObservationTask, numbers: [Int], displacedBy: ObservationTask? = nil
    ) -> [PlannedSlot] {
        var placements = placeTracks(of: task, numbers: numbers)
        let now = self.now
        let tasks = self.tasks
        let tiers: [(PlannedSlot) -> Bool] = [
            { $0.start >= now && $0.purpose == .maintenance },
            { slot in
                guard slot.start >= now else { return false }
                guard let id = slot.purpose.requestID else { return true }
                return (tasks[id]?.priority ?? .routine) < task.priority
            },
        ]
        for passable in tiers {
            let placedNumbers = Set(
                placements.compactMap { p -> Int? in
                    if case .request(_, let n) = p.slot.purpose { return n }
                    return nil
                })
            let left = numbers.filter { !placedNumbers.contains($0) }
            guard !left.isEmpty else { break }
            placements += placeTracks(of: task, numbers: left, passable: passable)
        }
        decide(task, placements: placements, displacedBy: displacedBy)
        return placements.flatMap(\.displaced).filter { $0.purpose.requestID != nil }
    }

    /// Re-places the tracks of requests displaced by `cause`, highest priority first, each only over lower
    /// priorities than its own; repeats down the cascade.
    mutating func replace(_ displaced: [PlannedSlot], by cause: ObservationTask) {
        var pending: [(slots: [PlannedSlot], cause: ObservationTask)] = [(displaced, cause)]
        while let (slots, cause) = pending.popLast() {
            let ids = Set(slots.compactMap(\.purpose.requestID))
            for task in ids.compactMap({ tasks[$0] }).sorted(by: ObservationTask.plannedBefore) {
                let numbers = slots.compactMap { slot -> Int? in
                    if case .request(let id, let n) = slot.purpose, id == task.id { return n }
                    return nil
                }
                let pushed = placeDisplacing(task, numbers: numbers, displacedBy: cause)
                if !pushed.isEmpty { pending.append((pushed, task)) }
            }
        }
    }

    /// The track numbers of `task` not held, lowest first.
    func missingNumbers(of task: ObservationTask, held: [PlannedSlot]) -> [Int] {
        let have = Set(
            held.compactMap { slot -> Int? in
                if case .request(_, let n) = slot.purpose { return n }
                return nil
            })
        return (1...max(task.tracksWanted, have.max() ?? 1)).filter { !have.contains($0) }
            .prefix(max(task.tracksWanted - held.count, 0)).map { $0 }
    }
}
