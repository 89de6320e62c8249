/// One night of one sensor: the span in which it may observe (for a telescope, the site's darkness; for a radar,
/// its operating period, e.g. a whole day). A radar's duty cycle is counted per night.
public struct ObservingNight: Sendable, Hashable {
    /// The sensor's name.
    public var sensor: String
    /// When the night begins and ends.
    public var span: EpochInterval

    /// A night of `sensor`.
    public init(sensor: String, span: EpochInterval) {
        self.sensor = sensor
        self.span = span
    }
}
