import Foundation

/// The Earth gravity constants SGP4 runs with (Vallado et al. 2006, AIAA 2006-6753, §"Gravitational constants",
/// `getgravconst`).
///
/// Element sets are fitted with WGS-72, which is the default and what CelesTrak and Space-Track assume; WGS-84 is
/// offered for comparison studies only.
public enum SGP4GravityModel: String, Sendable, Hashable, CaseIterable {
    /// WGS-72 with the low-precision constants of Spacetrack Report #3 (μ = 398600.79964 km³/s², xke given
    /// directly as 0.0743669161).
    case wgs72old
    /// WGS-72 (μ = 398600.8 km³/s², R = 6378.135 km); the standard for TLEs.
    case wgs72
    /// WGS-84 (μ = 398600.5 km³/s², R = 6378.137 km).
    case wgs84

    /// The constants of the model.
    public var constants: SGP4GravityConstants {
        switch self {
        case .wgs72old:
            SGP4GravityConstants(
                gravitationalParameterKilometresCubedPerSecondSquared: 398_600.79964,
                earthRadiusKilometres: 6378.135, xkePerMinute: 0.0743669161, j2: 0.001082616, j3: -0.00000253881,
                j4: -0.00000165597)
        case .wgs72:
            SGP4GravityConstants(
                gravitationalParameterKilometresCubedPerSecondSquared: 398_600.8, earthRadiusKilometres: 6378.135,
                j2: 0.001082616, j3: -0.00000253881, j4: -0.00000165597)
        case .wgs84:
            SGP4GravityConstants(
                gravitationalParameterKilometresCubedPerSecondSquared: 398_600.5, earthRadiusKilometres: 6378.137,
                j2: 0.00108262998905, j3: -0.00000253215306, j4: -0.00000161098761)
        }
    }
}

/// One set of SGP4 Earth constants. SGP4 works in Earth radii and minutes; `xke` converts: it is
/// √(μ / R³) in 1/min (the mean motion of a circular orbit at one Earth radius).
public struct SGP4GravityConstants: Sendable, Equatable {
    /// Earth's gravitational parameter μ, km³/s².
    public let gravitationalParameterKilometresCubedPerSecondSquared: Double
    /// Earth's equatorial radius R, km (SGP4's distance unit).
    public let earthRadiusKilometres: Double
    /// √(μ / R³), 1/min.
    public let xkePerMinute: Double
    /// Minutes in one SGP4 time unit, 1 / xke.
    public let minutesPerTimeUnit: Double
    /// Zonal harmonic J2 (unnormalised).
    public let j2: Double
    /// Zonal harmonic J3 (unnormalised).
    public let j3: Double
    /// Zonal harmonic J4 (unnormalised).
    public let j4: Double
    /// J3 / J2.
    public let j3OverJ2: Double

    /// Constants with xke derived from μ and R as `getgravconst` does: 60 / √(R³ / μ).
    init(
        gravitationalParameterKilometresCubedPerSecondSquared mu: Double, earthRadiusKilometres radius: Double,
        xkePerMinute: Double? = nil, j2: Double, j3: Double, j4: Double
    ) {
        gravitationalParameterKilometresCubedPerSecondSquared = mu
        earthRadiusKilometres = radius
        let xke = xkePerMinute ?? 60.0 / (radius * radius * radius / mu).squareRoot()
        self.xkePerMinute = xke
        minutesPerTimeUnit = 1.0 / xke
        self.j2 = j2
        self.j3 = j3
        self.j4 = j4
        j3OverJ2 = j3 / j2
    }
}
