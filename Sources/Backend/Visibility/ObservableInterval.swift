import Astrodynamics

/// One interval in which a sensor can observe an object: every condition of `Visibility` holds from `start` to
/// `end`; `culmination` is the instant of highest elevation inside it.
public struct ObservableInterval: Sendable, Hashable {
    /// The sensor's name.
    public var sensor: String
    /// The object.
    public var noradID: Int
    /// The first instant the object is observable.
    public var start: Epoch
    /// The instant of the highest elevation within the interval.
    public var culmination: Epoch
    /// The last instant the object is observable.
    public var end: Epoch
    /// The elevation at `culmination`, degrees.
    public var maxElevationDegrees: Double

    /// An interval from its fields.
    public init(sensor: String, noradID: Int, start: Epoch, culmination: Epoch, end: Epoch, maxElevationDegrees: Double) {
        self.sensor = sensor
        self.noradID = noradID
        self.start = start
        self.culmination = culmination
        self.end = end
        self.maxElevationDegrees = maxElevationDegrees
    }

    /// The interval's length, seconds.
    public var durationSeconds: Double { end.seconds(since: start) }
}
