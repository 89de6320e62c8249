import Astrodynamics
import Foundation

/// Where a sensor points: azimuth (from north through east) and elevation, degrees.
public struct PointingDirection: Sendable, Hashable {
    /// Azimuth, degrees from north through east.
    public var azimuthDegrees: Double
    /// Elevation above the horizon, degrees.
    public var elevationDegrees: Double

    /// A direction from its angles.
    public init(azimuthDegrees: Double, elevationDegrees: Double) {
        self.azimuthDegrees = azimuthDegrees
        self.elevationDegrees = elevationDegrees
    }

    /// The great-circle angle to `other`, degrees: Vincenty's formula on the sphere (well conditioned at 0° and
    /// 180°, unlike the arc cosine of the dot product).
    public func angleDegrees(to other: PointingDirection) -> Double {
        let radians = Double.pi / 180
        let e1 = elevationDegrees * radians
        let e2 = other.elevationDegrees * radians
        let dAz = (other.azimuthDegrees - azimuthDegrees) * radians
        let a = cos(e2) * sin(dAz)
        let b = cos(e1) * sin(e2) - sin(e1) * cos(e2) * cos(dAz)
        let c = sin(e1) * sin(e2) + cos(e1) * cos(e2) * cos(dAz)
        return atan2((a * a + b * b).squareRoot(), c) / radians
    }
}

/// Where sensor `sensor` must point to see object `noradID` at `epoch`, or nil when it cannot (below the horizon,
/// no orbit). The scheduler calls it for slew times only: at the end of one tracklet and the start of the next.
/// `Visibility.pointing(of:from:at:)` is the real one; tests and benchmarks use synthetic ones.
public typealias PointingFunction = @Sendable (_ sensor: String, _ noradID: Int, _ epoch: Epoch) -> PointingDirection?
