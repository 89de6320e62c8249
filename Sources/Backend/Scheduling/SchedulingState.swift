import Astrodynamics

/// The slots placed so far, per sensor, with what they use up: radar duty per night and maintenance targets
/// served per plan day. Changed only through `insert` and `remove`, which keep the bookkeeping exact.
struct SchedulingState {
    /// A sensor's night.
    struct NightKey: Hashable {
        var sensor: Int
        var night: Int
    }

    /// A maintenance target on one day of the plan (days of 24 h from the period's start).
    struct TargetDay: Hashable {
        var noradID: Int
        var day: Int
    }

    /// Each sensor's slots, sorted by start, never overlapping (slew and settle gaps included).
    private(set) var timelines: [[PlannedSlot]]
    /// Track seconds used per radar night.
    private(set) var dutyUsedSeconds: [NightKey: Double] = [:]
    /// Maintenance targets observed, per plan day.
    private(set) var maintenanceServed: Set<TargetDay> = []
    /// How many slots each request holds.
    private(set) var requestSlotCounts: [String: Int] = [:]
    /// The night index of each slot (for the duty bookkeeping on removal).
    private var nightOfSlot: [PlannedSlot: Int] = [:]
    /// The plan's first instant (plan days count from it).
    let periodStart: Epoch

    /// An empty state for `sensorCount` sensors.
    init(sensorCount: Int, periodStart: Epoch) {
        timelines = Array(repeating: [], count: sensorCount)
        self.periodStart = periodStart
    }

    /// The plan day of `epoch`: whole days of 24 h since the period's start.
    func day(of epoch: Epoch) -> Int {
        Int((epoch.seconds(since: periodStart) / 86_400).rounded(.down))
    }

    /// The index of the first slot of `sensor` that starts at or after `epoch` (binary search).
    func firstIndex(on sensor: Int, startingAtOrAfter epoch: Epoch) -> Int {
        let slots = timelines[sensor]
        var low = 0
        var high = slots.count
        while low < high {
            let mid = (low + high) / 2
            if slots[mid].start < epoch { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Adds `slot` to `sensor`'s timeline, in the sensor's night `night`.
    mutating func insert(_ slot: PlannedSlot, on sensor: Int, night: Int) {
        let index = firstIndex(on: sensor, startingAtOrAfter: slot.start)
        timelines[sensor].insert(slot, at: index)
        nightOfSlot[slot] = night
        dutyUsedSeconds[NightKey(sensor: sensor, night: night), default: 0] += slot.end.seconds(since: slot.start)
        if let id = slot.purpose.requestID { requestSlotCounts[id, default: 0] += 1 }
        if slot.purpose == .maintenance {
            maintenanceServed.insert(TargetDay(noradID: slot.noradID, day: day(of: slot.start)))
        }
    }

    /// Removes `slot` from `sensor`'s timeline (nothing when it is not there).
    mutating func remove(_ slot: PlannedSlot, on sensor: Int) {
        let index = firstIndex(on: sensor, startingAtOrAfter: slot.start)
        guard index < timelines[sensor].count, timelines[sensor][index] == slot else { return }
        timelines[sensor].remove(at: index)
        if let night = nightOfSlot.removeValue(forKey: slot) {
            dutyUsedSeconds[NightKey(sensor: sensor, night: night), default: 0] -= slot.end.seconds(since: slot.start)
        }
        if let id = slot.purpose.requestID { requestSlotCounts[id, default: 0] -= 1 }
        if slot.purpose == .maintenance {
            maintenanceServed.remove(TargetDay(noradID: slot.noradID, day: day(of: slot.start)))
        }
    }

    /// Every slot, sorted by start then sensor index.
    var allSlots: [PlannedSlot] {
        var indexed: [(Int, PlannedSlot)] = []
        for (sensor, slots) in timelines.enumerated() { indexed += slots.map { (sensor, $0) } }
        return indexed.sorted { $0.1.start != $1.1.start ? $0.1.start < $1.1.start : $0.0 < $1.0 }.map(\.1)
    }
}
