import Astrodynamics

extension PlanningRun {
    /// Plans a new task in free time: its tracks, else a proposal or a rejection (or deferral past the period).
    mutating func plan(_ task: ObservationTask) {
        tasks[task.id] = task
        if task.window.start >= scheduler.period.end {
            drafts[task.id] = .deferred(
                reason: "its window opens at \(task.window.start.iso8601(fractionDigits: 0)), after this plan's "
                    + "period (\(scheduler.period)); the plan for that night takes it")
            return
        }
        let placements = placeTracks(of: task, numbers: Array(1...task.tracksWanted))
        decide(task, placements: placements)
    }

    /// The bounds a task's slots must lie in: its window, the plan's period, and not before `now`.
    func bounds(of task: ObservationTask) -> EpochInterval? {
        task.window.clipped(to: scheduler.period)?.clipped(
            to: EpochInterval(start: now, end: max(now, scheduler.period.end)))
    }

    /// Places the tracks `numbers` of `task` in free time, spread out: first one per span (different passes, or
    /// different sensors' nights), in time order; then more per span, each at least the span's length over the
    /// tracks wanted after the task's previous track there; then anywhere free. Returns what it placed.
    mutating func placeTracks(
        of task: ObservationTask, numbers: [Int], within given: EpochInterval? = nil,
        passable: (PlannedSlot) -> Bool = { _ in false }
    ) -> [Placement] {
        guard let bounds = given ?? bounds(of: task) else { return [] }
        let spans = candidates(for: task, within: bounds)
        var remaining = numbers
        var placed: [Placement] = []
        // The end of this task's latest track in each span (tracks already in the plan count too).
        let holdsSlots = (state.requestSlotCounts[task.id] ?? 0) > 0
        var lastEnd: [Epoch?] = spans.map { candidate in
            guard holdsSlots else { return nil }
            return state.timelines[candidate.sensor].filter {
                $0.purpose.requestID == task.id && $0.start >= candidate.span.start && $0.end <= candidate.span.end
            }.map(\.end).max()
        }
        func attempt(_ k: Int, from: Epoch) -> Bool {
            guard let number = remaining.first,
                let placement = place(
                    task.noradID, purpose: .request(id: task.id, track: number), in: spans[k], from: from,
                    passable: passable)
            else { return false }
            remaining.removeFirst()
            placed.append(placement)
            lastEnd[k] = placement.slot.end
            return true
        }
        for k in spans.indices where !remaining.isEmpty && lastEnd[k] == nil {
            _ = attempt(k, from: spans[k].span.start)
        }
        for spacingShare in [1.0, 0.0] {
            var progress = true
            while progress, !remaining.isEmpty {
                progress = false
                for k in spans.indices where !remaining.isEmpty {
                    guard let end = lastEnd[k] else { continue }
                    let spacing = spacingShare * spans[k].span.durationSeconds / Double(task.tracksWanted)
                    if attempt(k, from: end.adding(seconds: spacing)) { progress = true }
                }
            }
        }
        return placed
    }

    /// The slots `task` holds in the plan now, in time order.
    func slots(of task: ObservationTask) -> [PlannedSlot] {
        state.timelines.flatMap { $0.filter { $0.purpose.requestID == task.id } }.sorted { $0.start < $1.start }
    }

    /// Records the decision for `task` after placing `placements` (and any tracks it already held).
    mutating func decide(_ task: ObservationTask, placements: [Placement], displacedBy: ObservationTask? = nil) {
        let held = slots(of: task)
        let placedText = placements.map(describe).joined(separator: "; ")
        var prefix = ""
        if let displacedBy {
            prefix =
                "displaced by the \(displacedBy.priority.rawValue) request \(displacedBy.id)"
                + (placements.isEmpty ? "" : ", re-placed: \(placedText)") + "; "
        }
        if held.count >= task.tracksWanted {
            let text = displacedBy == nil ? "placed \(placedText)" : String(prefix.dropLast(2))
            drafts[task.id] = .placed(reason: text)
        } else if !held.isEmpty {
            let placedPart = displacedBy == nil ? "placed \(placedText); " : prefix
            drafts[task.id] = .placed(
                reason: "\(placedPart)\(held.count) of \(task.tracksWanted) tracks planned: "
                    + "no room for the others, as \(diagnosis(of: task, within: bounds(of: task)))")
        } else {
            drafts[task.id] = proposalOrRejection(for: task, prefix: prefix)
        }
    }

    /// Why a placed slot is where it is.
    func describe(_ placement: Placement) -> String {
        let slot = placement.slot
        let others = placement.pushedBy.filter { $0 != slot.purpose.requestID }
        var text = "on \(slot.described)"
        if others.isEmpty {
            text += ", the earliest free time of an observable interval in its window"
        } else {
            let named = others.prefix(3).map { id in
                tasks[id].map { "the \($0.priority.rawValue) request \(id)" } ?? "request \(id)"
            }
            let more = others.count > 3 ? " and \(others.count - 3) more" : ""
            text += ", the first free time of that interval after \(named.joined(separator: ", "))\(more)"
        }
        if !placement.displaced.isEmpty {
            let requests = placement.displaced.compactMap(\.purpose.requestID)
            let maintenance = placement.displaced.count - requests.count
            var parts: [String] = []
            if maintenance > 0 { parts.append("\(maintenance) maintenance slot\(maintenance == 1 ? "" : "s")") }
            if !requests.isEmpty { parts.append("lower-priority \(requests.joined(separator: ", "))") }
            text += " (displacing \(parts.joined(separator: " and ")))"
        }
        return text
    }
}
