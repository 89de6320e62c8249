import Astrodynamics
import CCSDS
import Foundation
import Testing

@testable import Backend

/// The building blocks of `Visibility`: topocentric directions, the Earth's shadow, the magnitude model.
@Suite("Visibility geometry")
struct VisibilityGeometryTests {
    static let equator = SiteGeometry(GeodeticSite(latitudeDegrees: 0, longitudeDegrees: 0, heightMetres: 0))

    @Test("directions: zenith, east and north horizon points")
    func directions() {
        let zenith = Self.equator.direction(to: SIMD3(7000, 0, 0))
        #expect(abs(zenith.elevationDegrees - 90) < 1e-9)
        #expect(abs(zenith.rangeKilometres - (7000 - 6378.137)) < 1e-9)
        let east = Self.equator.direction(to: SIMD3(6378.137, 1000, 0))
        #expect(abs(east.azimuthDegrees - 90) < 1e-9 && abs(east.elevationDegrees) < 1e-9)
        let north = Self.equator.direction(to: SIMD3(6378.137, 0, 1000))
        #expect(abs(north.azimuthDegrees) < 1e-9 && abs(north.elevationDegrees) < 1e-9)
        let west = Self.equator.direction(to: SIMD3(6478.137, -100, 0))
        #expect(abs(west.azimuthDegrees - 270) < 1e-9 && abs(west.elevationDegrees - 45) < 1e-9)
    }

    @Test("the elevation margin is positive exactly above the limit")
    func elevationMargin() {
        let k = sin(30 * Double.pi / 180)
        // 45° and 20° elevation toward the west.
        #expect(Self.equator.elevationMarginKilometres(to: SIMD3(6478.137, -100, 0), sineOfLimit: k).margin > 0)
        let low = SIMD3(6378.137 + 100 * tan(20 * Double.pi / 180), -100, 0)
        #expect(Self.equator.elevationMarginKilometres(to: low, sineOfLimit: k).margin < 0)
    }

    @Test("the shadow is the cone of the Sun's centre, not a cylinder (skyfield's is_sunlit convention)")
    func shadow() {
        let sun = SIMD3(149_597_870.7, 0, 0)
        #expect(EarthShadow.isSunlit(objectKilometres: SIMD3(7000, 0, 0), sunKilometres: sun))
        #expect(!EarthShadow.isSunlit(objectKilometres: SIMD3(-7000, 0, 0), sunKilometres: sun))
        #expect(EarthShadow.isSunlit(objectKilometres: SIMD3(-7000, 6500, 0), sunKilometres: sun))
        // At GEO distance behind the Earth the line to the Sun's centre passes 1.8 km closer to the Earth's centre
        // than the object's distance from the axis: 6379.5 km off axis is in a cylinder's light but in shadow here.
        #expect(!EarthShadow.isSunlit(objectKilometres: SIMD3(-42_164, 6379.5, 0), sunKilometres: sun))
        #expect(EarthShadow.isSunlit(objectKilometres: SIMD3(-42_164, 6381, 0), sunKilometres: sun))
        let margin = EarthShadow.marginKilometres(objectKilometres: SIMD3(-7000, 0, 0), sunKilometres: sun)
        #expect(abs(margin + EarthShadow.earthRadiusKilometres) < 1e-6)
    }

    @Test("a 2 m sphere of albedo 0.175 at 36,000 km: magnitude 12.93 at full phase, 1.24 fainter at 90°")
    func magnitude() {
        let full = DiffuseSphere.visualMagnitude(
            diameterMetres: 2, albedo: 0.175, rangeKilometres: 36_000, sunDistanceKilometres: 149_597_870.7,
            phaseAngleRadians: 0)
        let expected = -26.74 - 2.5 * log10(0.175 * 0.001 * 0.001 / (36_000.0 * 36_000.0))
        #expect(abs(full - expected) < 1e-9)
        #expect(abs(full - 12.934) < 0.001)
        let quarter = DiffuseSphere.visualMagnitude(
            diameterMetres: 2, albedo: 0.175, rangeKilometres: 36_000, sunDistanceKilometres: 149_597_870.7,
            phaseAngleRadians: .pi / 2)
        #expect(abs(quarter - full - 2.5 * log10(Double.pi)) < 1e-9)
        #expect(DiffuseSphere.phaseFunction(phaseAngleRadians: 0) == 1)
        #expect(DiffuseSphere.phaseFunction(phaseAngleRadians: .pi) < 1e-12)
        let new = DiffuseSphere.visualMagnitude(
            diameterMetres: 2, albedo: 0.175, rangeKilometres: 36_000, sunDistanceKilometres: 149_597_870.7,
            phaseAngleRadians: .pi)
        #expect(new > 30)
    }

    @Test("the finest step: a LEO pass 0.01° above a 20° limit lasts a few seconds")
    func shortestPass() throws {
        let tle = try TLE(
            line1: "1 25544U 98067A   24075.50000000  .00016717  00000-0  30306-3 0  9990",
            line2: "2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.49815329 44565")
        let bounds = MotionBounds(elements: SGP4Elements(tle: tle))
        let seconds = bounds.shortestPassSeconds(siteRadiusKilometres: 6368, limitDegrees: 20, excessDegrees: 0.01)
        #expect(seconds > 2 && seconds < 15, "\(seconds) s")
    }
}
