import Astrodynamics

extension ObservationPlan {
    /// Why request `taskID` got its slots or did not, in one paragraph; nil for an unknown id.
    ///
    /// `req_a (emergency, 1 track, optical, object 25544, window 2026-12-08T20:00:00Z–2026-12-09T04:00:00Z):
    /// scheduled: placed on tarot-calern 2026-12-08T21:04:10Z–2026-12-08T21:06:20Z, the first free time of that
    /// interval after the emergency request req_b`.
    public func explanation(for taskID: String) -> String? {
        guard let task = tasks.first(where: { $0.id == taskID }), let decision = decisions[taskID] else { return nil }
        let tracks = "\(task.tracksWanted) track\(task.tracksWanted == 1 ? "" : "s")"
        let named = task.sensor.map { ", sensor \($0)" } ?? ""
        let head =
            "\(task.id) (\(task.priority.rawValue), \(tracks), \(task.sensorTypesText)\(named), object "
            + "\(task.noradID), window \(task.window))"
        switch decision {
        case .partial(let slots, let wanted, let reason):
            return "\(head): partial (\(slots.count) of \(wanted)): \(reason)"
        default:
            return "\(head): \(decision.word): \(decision.reason)"
        }
    }

    /// The whole plan explained: a summary line, each request's explanation in planning order, and maintenance.
    public var explanation: String {
        var lines: [String] = []
        let requestSlots = slots.filter { $0.purpose.requestID != nil }.count
        lines.append(
            "plan for \(period) made at \(madeAt.iso8601(fractionDigits: 0)): \(slots.count) slots, "
                + "\(requestSlots) for \(tasks.count) requests and \(slots.count - requestSlots) for maintenance")
        var counts: [String: Int] = [:]
        for task in tasks { counts[decisions[task.id]?.word ?? "undecided", default: 0] += 1 }
        lines.append(
            "requests: "
                + ["scheduled", "partial", "proposed", "rejected", "deferred"].map { "\(counts[$0] ?? 0) \($0)" }
                .joined(separator: ", "))
        for task in tasks {
            if let text = explanation(for: task.id) { lines.append(text) }
        }
        let m = maintenance
        lines.append(
            "maintenance: \(m.observed) of \(m.targets) targets observed (least certain orbit first, one tracklet per "
                + "target per day); \(m.notObservable) not observable by any sensor on a clear night of the period, "
                + "\(max(m.targets - m.observed - m.notObservable, 0)) left for lack of free time")
        return lines.joined(separator: "\n")
    }
}
