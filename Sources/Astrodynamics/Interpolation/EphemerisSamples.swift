/// The states of an ephemeris at increasing times: seconds from any reference the caller chooses (the OEM's first
/// epoch, J2000 …), positions in km and, optionally, velocities in km/s, all in one frame.
///
/// The type knows no time scale or epoch type: the caller turns its epochs into seconds and back.
public struct EphemerisSamples: Sendable, Equatable {
    /// Sample times, strictly increasing, s.
    public let secondsSinceReference: [Double]
    /// Positions, km.
    public let positionsKilometres: [SIMD3<Double>]
    /// Velocities, km/s, when the ephemeris has them (Hermite interpolation needs them).
    public let velocitiesKilometresPerSecond: [SIMD3<Double>]?

    /// Checks and stores the samples: equal counts, finite values, strictly increasing times.
    public init(
        secondsSinceReference: [Double], positionsKilometres: [SIMD3<Double>],
        velocitiesKilometresPerSecond: [SIMD3<Double>]? = nil
    ) throws(InterpolationError) {
        guard secondsSinceReference.count == positionsKilometres.count,
            velocitiesKilometresPerSecond.map({ $0.count == positionsKilometres.count }) ?? true
        else {
            throw .countMismatch(
                times: secondsSinceReference.count, positions: positionsKilometres.count,
                velocities: velocitiesKilometresPerSecond?.count)
        }
        for index in secondsSinceReference.indices {
            let p = positionsKilometres[index]
            let v = velocitiesKilometresPerSecond?[index] ?? .zero
            guard secondsSinceReference[index].isFinite, p.x.isFinite, p.y.isFinite, p.z.isFinite, v.x.isFinite,
                v.y.isFinite, v.z.isFinite
            else { throw .nonFiniteSample(index: index) }
            if index > 0, secondsSinceReference[index] <= secondsSinceReference[index - 1] {
                throw .timesNotIncreasing(index: index)
            }
        }
        self.secondsSinceReference = secondsSinceReference
        self.positionsKilometres = positionsKilometres
        self.velocitiesKilometresPerSecond = velocitiesKilometresPerSecond
    }

    /// The number of samples.
    public var count: Int { secondsSinceReference.count }

    /// The first and last sample times, s (nil when empty).
    public var spanSeconds: ClosedRange<Double>? {
        guard let first = secondsSinceReference.first, let last = secondsSinceReference.last else { return nil }
        return first...last
    }

    /// The `size` consecutive samples whose centre is nearest `seconds`: an even window has as many samples on
    /// each side of the interval holding `seconds`, an odd one is centred on the nearest sample; near the ends the
    /// window slides inwards rather than shrinking.
    public func window(of size: Int, around seconds: Double) throws(InterpolationError) -> Range<Int> {
        guard count >= size else { throw .tooFewSamples(needed: size, available: count) }
        guard let span = spanSeconds, span.contains(seconds) else {
            throw .outsideSpan(
                secondsSinceReference: seconds, firstSeconds: secondsSinceReference.first ?? .nan,
                lastSeconds: secondsSinceReference.last ?? .nan)
        }
        // The last sample at or before `seconds`, by bisection.
        var low = 0
        var high = count - 1
        while high - low > 1 {
            let middle = (low + high) / 2
            if secondsSinceReference[middle] <= seconds { low = middle } else { high = middle }
        }
        let start: Int
        if size % 2 == 0 {
            start = low - size / 2 + 1
        } else {
            let nearest =
                high < count && seconds - secondsSinceReference[low] > secondsSinceReference[high] - seconds
                ? high : low
            start = nearest - size / 2
        }
        let clamped = Swift.min(Swift.max(start, 0), count - size)
        return clamped..<(clamped + size)
    }
}

/// Why an ephemeris could not be interpolated.
public enum InterpolationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The time is before the first sample or after the last.
    case outsideSpan(secondsSinceReference: Double, firstSeconds: Double, lastSeconds: Double)
    /// The method needs more samples than the ephemeris has.
    case tooFewSamples(needed: Int, available: Int)
    /// Sample `index` is not later than the one before.
    case timesNotIncreasing(index: Int)
    /// The arrays differ in length.
    case countMismatch(times: Int, positions: Int, velocities: Int?)
    /// Sample `index` holds a NaN or an infinity.
    case nonFiniteSample(index: Int)
    /// The interpolation degree is outside what the method supports.
    case unsupportedDegree(Int, supported: ClosedRange<Int>)
    /// Hermite interpolation needs velocities and the samples have none.
    case velocitiesRequired

    /// What went wrong and how to fix it.
    public var description: String {
        switch self {
        case .outsideSpan(let t, let first, let last):
            "t = \(t) s is outside the ephemeris, which spans \(first) s to \(last) s; interpolation does not "
                + "extrapolate"
        case .tooFewSamples(let needed, let available):
            "the interpolation needs \(needed) samples and the ephemeris has \(available); lower the degree"
        case .timesNotIncreasing(let index):
            "sample \(index) is not later than sample \(index - 1); sort the samples and remove duplicates"
        case .countMismatch(let times, let positions, let velocities):
            "\(times) times, \(positions) positions" + (velocities.map { " and \($0) velocities" } ?? "")
                + "; give one of each per sample"
        case .nonFiniteSample(let index):
            "sample \(index) has a NaN or infinite value"
        case .unsupportedDegree(let degree, let supported):
            "degree \(degree) is not supported; use \(supported.lowerBound) to \(supported.upperBound)"
        case .velocitiesRequired:
            "Hermite interpolation uses the velocities and these samples have none; use Lagrange"
        }
    }
}
