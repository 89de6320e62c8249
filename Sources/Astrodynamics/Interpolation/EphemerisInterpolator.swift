/// A way of interpolating an ephemeris between its samples.
public protocol EphemerisInterpolator: Sendable {
    /// How many samples one interpolation uses.
    var windowSize: Int { get }

    /// The state at `seconds` (in the samples' time reference), inside the samples' span.
    func state(atSecondsSinceReference seconds: Double, in samples: EphemerisSamples) throws(InterpolationError)
        -> CartesianState
}

/// Lagrange interpolation (CCSDS 502.0-B-3 §5.2.3, `INTERPOLATION = LAGRANGE`): the polynomial of `degree`
/// through `degree + 1` samples centred on the requested time.
///
/// Positions are interpolated from positions; velocities from the samples' velocities when there are any (as an
/// OEM interpolates every component), otherwise by differentiating the position polynomial.
public struct LagrangeInterpolator: EphemerisInterpolator {
    /// The degrees accepted; 5 to 9 (6 to 10 samples) suit orbits sampled at a few percent of a period.
    public static let supportedDegrees = 1...15

    /// The polynomial degree (the OEM's `INTERPOLATION_DEGREE`).
    public let degree: Int

    /// An interpolator of `degree`.
    public init(degree: Int) throws(InterpolationError) {
        guard Self.supportedDegrees.contains(degree) else {
            throw .unsupportedDegree(degree, supported: Self.supportedDegrees)
        }
        self.degree = degree
    }

    /// `degree + 1`.
    public var windowSize: Int { degree + 1 }

    /// The interpolated state at `seconds`.
    public func state(atSecondsSinceReference seconds: Double, in samples: EphemerisSamples) throws(InterpolationError)
        -> CartesianState
    {
        let window = try samples.window(of: windowSize, around: seconds)
        let origin = samples.secondsSinceReference[window.lowerBound]
        let times = window.map { samples.secondsSinceReference[$0] - origin }
        let position = NewtonPolynomial(
            nodes: times, values: window.map { samples.positionsKilometres[$0] }, derivatives: nil)
        let (r, drdt) = position.valueAndDerivative(at: seconds - origin)
        guard let velocities = samples.velocitiesKilometresPerSecond else {
            return CartesianState(positionKilometres: r, velocityKilometresPerSecond: drdt)
        }
        let velocity = NewtonPolynomial(nodes: times, values: window.map { velocities[$0] }, derivatives: nil)
        return CartesianState(
            positionKilometres: r, velocityKilometresPerSecond: velocity.valueAndDerivative(at: seconds - origin).0)
    }
}

/// Hermite interpolation (CCSDS 502.0-B-3 §5.2.3, `INTERPOLATION = HERMITE`): the polynomial matching positions
/// and velocities at (degree + 1)/2 samples centred on the requested time; its derivative is the velocity.
public struct HermiteInterpolator: EphemerisInterpolator {
    /// The degrees accepted; an even degree d is raised to d + 1 (the Hermite polynomial on n samples has degree
    /// 2n − 1).
    public static let supportedDegrees = 1...19

    /// The polynomial degree asked for (the OEM's `INTERPOLATION_DEGREE`).
    public let degree: Int

    /// An interpolator of `degree`.
    public init(degree: Int) throws(InterpolationError) {
        guard Self.supportedDegrees.contains(degree) else {
            throw .unsupportedDegree(degree, supported: Self.supportedDegrees)
        }
        self.degree = degree
    }

    /// ⌈(degree + 1)/2⌉ samples.
    public var windowSize: Int { (degree + 2) / 2 }

    /// The interpolated state at `seconds`.
    public func state(atSecondsSinceReference seconds: Double, in samples: EphemerisSamples) throws(InterpolationError)
        -> CartesianState
    {
        guard let velocities = samples.velocitiesKilometresPerSecond else { throw .velocitiesRequired }
        let window = try samples.window(of: windowSize, around: seconds)
        let origin = samples.secondsSinceReference[window.lowerBound]
        let polynomial = NewtonPolynomial(
            nodes: window.map { samples.secondsSinceReference[$0] - origin },
            values: window.map { samples.positionsKilometres[$0] }, derivatives: window.map { velocities[$0] })
        let (r, v) = polynomial.valueAndDerivative(at: seconds - origin)
        return CartesianState(positionKilometres: r, velocityKilometresPerSecond: v)
    }
}

/// An interpolating polynomial in Newton's divided-difference form, through values (Lagrange) or through values
/// and first derivatives at doubled nodes (Hermite).
struct NewtonPolynomial {
    /// The nodes, each twice for Hermite.
    private var nodes: [Double]
    /// The divided differences f[z₀], f[z₀, z₁], ….
    private var coefficients: [SIMD3<Double>]

    init(nodes distinct: [Double], values: [SIMD3<Double>], derivatives: [SIMD3<Double>]?) {
        if let derivatives {
            nodes = distinct.flatMap { [$0, $0] }
            coefficients = values.flatMap { [$0, $0] }
            let m = nodes.count
            // First differences: at a doubled node f[zᵢ, zᵢ] = f′.
            for i in stride(from: m - 1, through: 1, by: -1) {
                coefficients[i] =
                    i % 2 == 1
                    ? derivatives[i / 2] : (coefficients[i] - coefficients[i - 1]) / (nodes[i] - nodes[i - 1])
            }
            Self.divide(&coefficients, nodes, fromOrder: 2)
        } else {
            nodes = distinct
            coefficients = values
            Self.divide(&coefficients, nodes, fromOrder: 1)
        }
    }

    /// Replaces `c` by its divided differences of order `fromOrder` and up (lower orders already done).
    private static func divide(_ c: inout [SIMD3<Double>], _ z: [Double], fromOrder first: Int) {
        let m = z.count
        guard first < m else { return }
        for order in first..<m {
            for i in stride(from: m - 1, through: order, by: -1) {
                c[i] = (c[i] - c[i - 1]) / (z[i] - z[i - order])
            }
        }
    }

    /// p(t) and p′(t), by Horner's scheme on the Newton form.
    func valueAndDerivative(at t: Double) -> (SIMD3<Double>, SIMD3<Double>) {
        var value = coefficients[coefficients.count - 1]
        var derivative = SIMD3<Double>.zero
        for k in stride(from: coefficients.count - 2, through: 0, by: -1) {
            let factor = t - nodes[k]
            derivative = derivative * factor + value
            value = value * factor + coefficients[k]
        }
        return (value, derivative)
    }
}
