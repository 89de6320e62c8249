import Astrodynamics

/// One ephemeris request, checked: a UTC window, a step and a frame (issue 4 §7; DESIGN §6
/// `GET /api/v1/objects/{norad}/ephemeris`).
public struct EphemerisQuery: Sendable, Equatable {
    /// The first state's epoch.
    public var start: Epoch
    /// The last epoch of the window (a state falls on it when it is on the grid).
    public var stop: Epoch
    /// Seconds between states.
    public var stepSeconds: Double
    /// The reference frame of the states.
    public var frame: Frame

    /// The most states one request may ask for.
    public static let mostStates = 100_000
    /// The smallest and largest step, in seconds.
    public static let stepBounds: ClosedRange<Double> = 1...86_400
    /// The window used when `stop` is not given.
    public static let defaultSpanSeconds: Double = 86_400
    /// The step used when none is given.
    public static let defaultStepSeconds: Double = 60

    /// Checks a request's parameters (absent ones take their defaults: `start` = `now` floored to the minute,
    /// `stop` = start + 1 day, `step` = 60 s, `frame` = GCRF) against the bounds and the caller's longest span.
    public init(
        start startText: String?, stop stopText: String?, step stepText: String?, frame frameText: String?,
        now: Epoch, longestSpanSeconds: Int?
    ) throws(ExtractError) {
        let start =
            try startText.map { text throws(ExtractError) in try Self.epoch(text, parameter: "start") }
            ?? Self.flooredToMinute(now)
        let stop =
            try stopText.map { text throws(ExtractError) in try Self.epoch(text, parameter: "stop") }
            ?? start.adding(seconds: Self.defaultSpanSeconds)
        var step = Self.defaultStepSeconds
        if let stepText {
            guard let value = Double(stepText), value.isFinite, Self.stepBounds.contains(value) else {
                throw .badParameter(name: "step", reason: "give seconds between 1 and 86400, not '\(stepText)'")
            }
            step = value
        }
        var frame = Frame.gcrf
        if let frameText {
            guard let value = Frame(rawValue: frameText.uppercased()) else {
                throw .badParameter(
                    name: "frame", reason: "'\(frameText)' is not one of GCRF, EME2000, TEME, ITRF")
            }
            frame = value
        }
        guard stop > start else {
            throw .badParameter(name: "stop", reason: "the stop time must be after the start time")
        }
        let span = stop.seconds(since: start)
        try Self.checkSpan(span, longest: longestSpanSeconds)
        let states = Int(span / step) + 1
        guard states <= Self.mostStates else {
            throw .badParameter(
                name: "step",
                reason: "\(states) states asked; at most \(Self.mostStates) per request: use a larger step")
        }
        self.start = start
        self.stop = stop
        self.stepSeconds = step
        self.frame = frame
    }

    /// Seconds from start to stop.
    public var spanSeconds: Double { stop.seconds(since: start) }

    /// Throws `spanTooLong` when the window is longer than `longest` seconds (the caller's
    /// `longest_ephemeris_span_seconds`; nil: no limit).
    public func checkSpan(longest: Int?) throws(ExtractError) {
        try Self.checkSpan(spanSeconds, longest: longest)
    }

    private static func checkSpan(_ span: Double, longest: Int?) throws(ExtractError) {
        if let longest, span > Double(longest) {
            throw .spanTooLong(requestedSeconds: span, limitSeconds: longest)
        }
    }

    /// The epochs of the states: from start to stop every step.
    public var grid: [Epoch] {
        // Cannot fail: the step and count were checked in init.
        (try? SGP4Propagator.grid(from: start, to: stop, stepSeconds: stepSeconds)) ?? [start]
    }

    /// A UTC instant parsed from ISO 8601, naming `parameter` when it is malformed.
    public static func epoch(_ text: String, parameter: String) throws(ExtractError) -> Epoch {
        do {
            return try Epoch(iso8601: text)
        } catch {
            throw .badParameter(
                name: parameter, reason: "'\(text)' is not a UTC ISO 8601 time such as 2026-11-24T12:00:00Z")
        }
    }

    /// `epoch` with the seconds of its UTC minute dropped.
    static func flooredToMinute(_ epoch: Epoch) -> Epoch {
        let text = epoch.iso8601(fractionDigits: 9)  // 2026-11-24T12:34:56.123456789Z: no rounding up
        return (try? Epoch(iso8601: String(text.prefix(16)) + "Z")) ?? epoch
    }
}
