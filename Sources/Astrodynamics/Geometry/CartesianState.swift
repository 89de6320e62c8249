/// A position and velocity in one frame, kilometres and kilometres per second.
///
/// The frame is not carried by the value: APIs name it (`stateTEME`, `toGCRF(_:)`), as STYLE asks.
public struct CartesianState: Sendable, Equatable {
    /// Position, km.
    public var positionKilometres: SIMD3<Double>
    /// Velocity, km/s.
    public var velocityKilometresPerSecond: SIMD3<Double>

    /// A state from its position (km) and velocity (km/s).
    public init(positionKilometres: SIMD3<Double>, velocityKilometresPerSecond: SIMD3<Double>) {
        self.positionKilometres = positionKilometres
        self.velocityKilometresPerSecond = velocityKilometresPerSecond
    }
}
