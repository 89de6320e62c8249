/// States of one object at successive epochs, in one frame: what an OEM segment carries.
///
/// Made by sampling a propagator (`SGP4Propagator.sample…`); SGP4 can stop part-way (a decayed object, an
/// eccentricity out of range): the states before the stop are kept and `failure` says where and why.
public struct SampledEphemeris: Sendable {
    /// The frame of the states.
    public var frame: Frame
    /// The epochs, increasing.
    public var epochs: [Epoch]
    /// Minutes since the element set's epoch (UTC Julian-date difference, Vallado's convention), one per state.
    public var minutesSinceEpoch: [Double]
    /// The states (km, km/s), one per epoch.
    public var states: [CartesianState]
    /// Where propagation stopped early, nil when every requested epoch was reached.
    public var failure: SamplingFailure?

    /// An empty ephemeris in `frame`.
    public init(frame: Frame) {
        self.frame = frame
        epochs = []
        minutesSinceEpoch = []
        states = []
    }

    /// The number of states.
    public var count: Int { states.count }
}

/// Where and why SGP4 stopped while sampling.
public struct SamplingFailure: Error, Sendable, Equatable {
    /// The epoch SGP4 could not reach.
    public var epoch: Epoch
    /// That epoch in minutes since the element set's epoch.
    public var minutesSinceEpoch: Double
    /// SGP4's error (code and meaning).
    public var error: SGP4Error
}

/// A request that cannot be sampled: the window or step is wrong, or asks for too many states.
public enum SamplingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The step is not a positive, finite number of seconds of at least one nanosecond.
    case invalidStep(seconds: Double)
    /// The stop is before the start.
    case stopBeforeStart
    /// The grid would hold more than `limit` states.
    case tooManyStates(count: Int, limit: Int)

    /// A sentence saying what is wrong and how to fix it.
    public var description: String {
        switch self {
        case .invalidStep(let seconds): "the step must be a positive number of seconds (at least 1 ns), not \(seconds)"
        case .stopBeforeStart: "the stop time is before the start time"
        case .tooManyStates(let count, let limit):
            "the window and step give \(count) states, more than the \(limit) allowed: widen the step"
        }
    }
}

extension SGP4Propagator {
    /// Most states one sampling call produces (a day at 10 ms; protects memory against a mistyped step).
    public static let maximumSampledStates = 10_000_000

    /// The epochs of the grid start, start + step, … up to and including stop (exact to the nanosecond: the step
    /// is rounded to a whole number of nanoseconds once, then added as an integer).
    public static func grid(from start: Epoch, to stop: Epoch, stepSeconds: Double) throws(SamplingError) -> [Epoch] {
        guard stepSeconds.isFinite, stepSeconds > 0, stepSeconds < 1e9 else { throw .invalidStep(seconds: stepSeconds) }
        let stepNanoseconds = Int64((stepSeconds * 1e9).rounded())
        guard stepNanoseconds > 0 else { throw .invalidStep(seconds: stepSeconds) }
        guard stop >= start else { throw .stopBeforeStart }
        let span = stop.nanoseconds(since: start)
        let count = Int(span / stepNanoseconds) + 1
        guard count <= maximumSampledStates else { throw .tooManyStates(count: count, limit: maximumSampledStates) }
        return (0..<count).map { start.adding(nanoseconds: Int64($0) * stepNanoseconds) }
    }

    /// Minutes from the element set's epoch to `epoch` (the difference of UTC Julian dates, as python-sgp4's
    /// `sgp4(jd, fr)`: Vallado's convention, in which a leap second inside the span is not counted).
    public func minutesSinceEpoch(at epoch: Epoch, leapSeconds: LeapSecondTable = .builtIn) -> Double {
        let (day, fraction) = epoch.julianDate(in: .utc, leapSeconds: leapSeconds)
        return elements.minutesSinceEpoch(julianDay: day, fraction: fraction)
    }

    /// The element set's epoch as an instant (UTC).
    public func epoch(leapSeconds: LeapSecondTable = .builtIn) throws -> Epoch {
        try Epoch(
            julianDate: elements.epochJulianDay, fraction: elements.epochJulianDayFraction, in: .utc,
            leapSeconds: leapSeconds)
    }

    /// The state at `epoch` in `frame`.
    public func state(
        at epoch: Epoch, in frame: Frame = .teme, transformer: FrameTransformer = FrameTransformer()
    ) throws(SGP4Error) -> CartesianState {
        let teme = try propagate(minutesSinceEpoch: minutesSinceEpoch(at: epoch))
        return transformer.transform(teme, from: .teme, to: frame, at: epoch)
    }

    /// Samples the propagator at `epochs` (increasing), in `frame`; stops at the first SGP4 error.
    public func sample(
        at epochs: [Epoch], in frame: Frame = .teme, transformer: FrameTransformer = FrameTransformer()
    ) -> SampledEphemeris {
        sample(epochs: epochs, minutes: epochs.map { minutesSinceEpoch(at: $0) }, frame: frame, transformer: transformer)
    }

    /// Samples the propagator at minutes since the element set's epoch (any order), in `frame`; stops at the
    /// first SGP4 error. Each state's epoch is the instant whose UTC Julian date is the set's plus the minutes.
    public func sample(
        minutesSinceEpoch minutes: [Double], in frame: Frame = .teme,
        transformer: FrameTransformer = FrameTransformer()
    ) throws -> SampledEphemeris {
        let epochs = try minutes.map { minute in
            try Epoch(
                julianDate: elements.epochJulianDay, fraction: elements.epochJulianDayFraction + minute / 1440.0,
                in: .utc)
        }
        return sample(epochs: epochs, minutes: minutes, frame: frame, transformer: transformer)
    }

    private func sample(epochs: [Epoch], minutes: [Double], frame: Frame, transformer: FrameTransformer)
        -> SampledEphemeris
    {
        var result = SampledEphemeris(frame: frame)
        let (states, failure) = propagate(minutesSinceEpoch: minutes)
        if let failure {
            result.failure = SamplingFailure(
                epoch: epochs[failure.index], minutesSinceEpoch: failure.minutesSinceEpoch, error: failure.error)
        }
        result.epochs = Array(epochs.prefix(states.count))
        result.minutesSinceEpoch = Array(minutes.prefix(states.count))
        result.states = frame == .teme
            ? states : transformer.transform(states, from: .teme, to: frame, at: result.epochs)
        return result
    }
}

extension SampledEphemeris {
    /// The ephemeris prepared for interpolation (the samples are built once, then any number of epochs read).
    public func interpolation() throws(InterpolationError) -> InterpolatedEphemeris {
        guard let first = epochs.first else { throw .tooFewSamples(needed: 1, available: 0) }
        let samples = try EphemerisSamples(
            secondsSinceReference: epochs.map { $0.seconds(since: first) },
            positionsKilometres: states.map(\.positionKilometres),
            velocitiesKilometresPerSecond: states.map(\.velocityKilometresPerSecond))
        return InterpolatedEphemeris(reference: first, samples: samples)
    }
}

/// A sampled ephemeris ready to be read at any epoch inside it (CCSDS 502.0-B-3 §5.2.3 `INTERPOLATION` /
/// `INTERPOLATION_DEGREE`: Lagrange or Hermite).
public struct InterpolatedEphemeris: Sendable {
    /// The first sample's epoch; sample times are seconds since it.
    public let reference: Epoch
    /// The samples.
    public let samples: EphemerisSamples

    /// The state at `epoch` (inside the span) by `interpolator`.
    public func state(at epoch: Epoch, interpolator: some EphemerisInterpolator) throws(InterpolationError)
        -> CartesianState
    {
        try interpolator.state(atSecondsSinceReference: epoch.seconds(since: reference), in: samples)
    }
}
