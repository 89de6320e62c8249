import Foundation

/// A place on the WGS 84 ellipsoid (geodetic latitude and longitude, height above the ellipsoid).
public struct GeodeticSite: Sendable, Hashable {
    /// Geodetic latitude, degrees (north positive).
    public var latitudeDegrees: Double
    /// Longitude, degrees (east positive).
    public var longitudeDegrees: Double
    /// Height above the ellipsoid, metres.
    public var heightMetres: Double

    /// WGS 84 semi-major axis, km (NIMA TR8350.2, table 3.1).
    public static let equatorialRadiusKilometres = 6378.137
    /// WGS 84 flattening (NIMA TR8350.2, table 3.1).
    public static let flattening = 1 / 298.257223563

    /// A site from its coordinates.
    public init(latitudeDegrees: Double, longitudeDegrees: Double, heightMetres: Double) {
        self.latitudeDegrees = latitudeDegrees
        self.longitudeDegrees = longitudeDegrees
        self.heightMetres = heightMetres
    }

    /// The site's Earth-fixed (ITRF) position, km (Vallado 4th ed. algorithm 51).
    public var itrfPositionKilometres: SIMD3<Double> {
        let phi = latitudeDegrees * .pi / 180
        let lambda = longitudeDegrees * .pi / 180
        let e2 = Self.flattening * (2 - Self.flattening)
        let sinPhi = sin(phi)
        let n = Self.equatorialRadiusKilometres / (1 - e2 * sinPhi * sinPhi).squareRoot()
        let h = heightMetres / 1000
        return SIMD3(
            (n + h) * cos(phi) * cos(lambda), (n + h) * cos(phi) * sin(lambda), (n * (1 - e2) + h) * sinPhi)
    }

    /// The local east, north and up unit vectors in ITRF components (geodetic up).
    public var eastNorthUp: (east: SIMD3<Double>, north: SIMD3<Double>, up: SIMD3<Double>) {
        let phi = latitudeDegrees * .pi / 180
        let lambda = longitudeDegrees * .pi / 180
        let east = SIMD3(-sin(lambda), cos(lambda), 0)
        let north = SIMD3(-sin(phi) * cos(lambda), -sin(phi) * sin(lambda), cos(phi))
        let up = SIMD3(cos(phi) * cos(lambda), cos(phi) * sin(lambda), sin(phi))
        return (east, north, up)
    }
}
