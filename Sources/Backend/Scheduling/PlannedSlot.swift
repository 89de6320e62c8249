import Astrodynamics

/// Why a slot is in the plan.
public enum SlotPurpose: Sendable, Hashable, CustomStringConvertible {
    /// Track `track` (1-based) of the request `id`.
    case request(id: String, track: Int)
    /// Routine catalogue maintenance.
    case maintenance

    /// The request id, nil for maintenance.
    public var requestID: String? {
        if case .request(let id, _) = self { return id }
        return nil
    }

    /// `request:req_…:2` or `maintenance` (the CSV column).
    public var description: String {
        switch self {
        case .request(let id, let track): "request:\(id):\(track)"
        case .maintenance: "maintenance"
        }
    }
}

/// One tracklet (or radar track) of the plan: a sensor observes an object from `start` to `end`.
///
/// `start` is the first observation with the sensor already pointed and settled: the slew from the previous
/// slot's pointing and the settle time lie before it, in the gap the scheduler leaves between slots.
/// `end − start` is the sensor's `trackDurationSeconds`.
public struct PlannedSlot: Sendable, Hashable, CustomStringConvertible {
    /// The sensor's name.
    public var sensor: String
    /// The object observed.
    public var noradID: Int
    /// The first observation.
    public var start: Epoch
    /// The end of the last observation.
    public var end: Epoch
    /// A request's track, or maintenance.
    public var purpose: SlotPurpose

    /// A slot from its fields.
    public init(sensor: String, noradID: Int, start: Epoch, end: Epoch, purpose: SlotPurpose) {
        self.sensor = sensor
        self.noradID = noradID
        self.start = start
        self.end = end
        self.purpose = purpose
    }

    /// `request:req_a:1 25544 on tarot-calern 2026-12-08T21:04:10Z–2026-12-08T21:06:20Z`.
    public var description: String { "\(purpose) \(noradID) on \(described)" }

    /// `sensor start–end` with times to the second, for reasons.
    var described: String {
        "\(sensor) \(start.iso8601(fractionDigits: 0))–\(end.iso8601(fractionDigits: 0))"
    }
}
