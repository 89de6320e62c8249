/// The ephemeris lines of an OEM segment, stored densely (an epoch and 6 or 9 numbers per state), so that a
/// 200,000-state file costs about 100 bytes of memory per state.
public struct Ephemeris: Sendable, Equatable {
    /// The epochs, one per state.
    public private(set) var epochs: [CCSDSEpoch]
    /// Position (km), velocity (km/s) and, when `hasAcceleration`, acceleration (km/s²), state after state.
    public private(set) var components: [Double]
    /// Whether each state carries an acceleration (9 numbers instead of 6).
    public private(set) var hasAcceleration: Bool

    /// An empty ephemeris.
    public init() {
        epochs = []
        components = []
        hasAcceleration = false
    }

    /// The number of states.
    public var count: Int { epochs.count }
    /// Whether there are no states.
    public var isEmpty: Bool { epochs.isEmpty }
    /// Numbers per state: 6, or 9 with accelerations.
    public var stride: Int { hasAcceleration ? 9 : 6 }

    /// Appends a state; all states of an ephemeris have accelerations or none do.
    public mutating func append(epoch: CCSDSEpoch, components values: some Collection<Double>) {
        precondition(values.count == 6 || values.count == 9, "an OEM state has 6 or 9 components")
        if epochs.isEmpty { hasAcceleration = values.count == 9 }
        precondition(values.count == stride, "every state of an ephemeris has the same number of components")
        epochs.append(epoch)
        components.append(contentsOf: values)
    }

    /// Reserves room for `count` states.
    public mutating func reserve(_ count: Int, withAcceleration: Bool) {
        epochs.reserveCapacity(count)
        components.reserveCapacity(count * (withAcceleration ? 9 : 6))
    }

    /// The state at `index`.
    public subscript(index: Int) -> StateVector {
        let base = index * stride
        return StateVector(
            epoch: epochs[index],
            positionKilometres: (components[base], components[base + 1], components[base + 2]),
            velocityKilometresPerSecond: (components[base + 3], components[base + 4], components[base + 5]),
            accelerationKilometresPerSecondSquared: hasAcceleration
                ? (components[base + 6], components[base + 7], components[base + 8]) : nil)
    }
}

/// One state of an ephemeris.
public struct StateVector: Sendable {
    /// The epoch.
    public var epoch: CCSDSEpoch
    /// Position (x, y, z), km.
    public var positionKilometres: (Double, Double, Double)
    /// Velocity (ẋ, ẏ, ż), km/s.
    public var velocityKilometresPerSecond: (Double, Double, Double)
    /// Acceleration (ẍ, ÿ, z̈), km/s², when given.
    public var accelerationKilometresPerSecondSquared: (Double, Double, Double)?

    /// Creates a state.
    public init(
        epoch: CCSDSEpoch, positionKilometres: (Double, Double, Double),
        velocityKilometresPerSecond: (Double, Double, Double),
        accelerationKilometresPerSecondSquared: (Double, Double, Double)? = nil
    ) {
        self.epoch = epoch
        self.positionKilometres = positionKilometres
        self.velocityKilometresPerSecond = velocityKilometresPerSecond
        self.accelerationKilometresPerSecondSquared = accelerationKilometresPerSecondSquared
    }
}

/// One tracking observation of a TDM data section: `KEYWORD = epoch value` (CCSDS 503.0-B-2 §3.5).
public struct Observation: Sendable, Equatable {
    /// The data keyword (`RANGE`, `ANGLE_1`, `RECEIVE_FREQ_2` …).
    public var keyword: String
    /// The time tag.
    public var epoch: CCSDSEpoch
    /// The measurement: a number, or text for values a double cannot hold exactly (phase counts).
    public var value: Value

    /// Creates an observation.
    public init(keyword: String, epoch: CCSDSEpoch, value: Value) {
        self.keyword = keyword
        self.epoch = epoch
        self.value = value
    }
}
