import Astrodynamics
import Foundation
import Testing

@testable import Backend

/// `Sun` and `Moon` against JPL DE421 (skyfield) at 200 instants over 2020–2030
/// (`Fixtures/visibility-sky-de421.csv`, from `Tests/oracles/generate_visibility_sky_fixture.py`), and the Moon
/// against Meeus's worked example.
@Suite("Sun and Moon")
struct SkyTests {
    /// One fixture row.
    struct Reference {
        var epoch: Epoch
        var sun: SIMD3<Double>
        var apparentSun: SIMD3<Double>
        var moon: SIMD3<Double>
        var sunAltitudeCalernDegrees: Double
    }

    static func references() throws -> [Reference] {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/visibility-sky-de421.csv", withExtension: nil))
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst()
        return try lines.map { line in
            let f = line.split(separator: ",").map(String.init)
            let v = f.dropFirst().compactMap(Double.init)
            #expect(v.count == 10)
            return Reference(
                epoch: try Epoch(iso8601: f[0]), sun: SIMD3(v[0], v[1], v[2]), apparentSun: SIMD3(v[3], v[4], v[5]),
                moon: SIMD3(v[6], v[7], v[8]), sunAltitudeCalernDegrees: v[9])
        }
    }

    /// The angle between two vectors, degrees.
    static func angleDegrees(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double {
        let c = (a * b).sum() / ((a * a).sum() * (b * b).sum()).squareRoot()
        return acos(min(1, max(-1, c))) * 180 / .pi
    }

    static func length(_ a: SIMD3<Double>) -> Double { (a * a).sum().squareRoot() }

    @Test("the Sun's directions are within 1.5″ of DE421 (required 0.01° = 36″; measured 0.39″) and R within 3·10⁻⁶")
    func sunAgainstDE421() throws {
        var worst = (geometric: 0.0, apparent: 0.0, distance: 0.0)
        for r in try Self.references() {
            let geometric = Sun.positionEME2000Kilometres(at: r.epoch, correction: .geometric)
            let apparent = Sun.positionEME2000Kilometres(at: r.epoch, correction: .apparent)
            worst.geometric = max(worst.geometric, Self.angleDegrees(geometric, r.sun))
            worst.apparent = max(worst.apparent, Self.angleDegrees(apparent, r.apparentSun))
            worst.distance = max(worst.distance, abs(Self.length(geometric) / Self.length(r.sun) - 1))
        }
        #expect(worst.geometric < 1.5 / 3600, "geometric: \(worst.geometric * 3600)″")
        #expect(worst.apparent < 1.5 / 3600, "apparent: \(worst.apparent * 3600)″")
        #expect(worst.distance < 3e-6, "distance: \(worst.distance)")
    }

    @Test(
        "the Moon's direction is within 0.005° of DE421 (required 0.1°; measured 8.3″) and its distance within 20 km (9.5)"
    )
    func moonAgainstDE421() throws {
        var worst = (angle: 0.0, distance: 0.0)
        for r in try Self.references() {
            let moon = Moon.positionEME2000Kilometres(at: r.epoch)
            worst.angle = max(worst.angle, Self.angleDegrees(moon, r.moon))
            worst.distance = max(worst.distance, abs(Self.length(moon) - Self.length(r.moon)))
        }
        #expect(worst.angle < 0.005, "angle: \(worst.angle * 3600)″")
        #expect(worst.distance < 20, "distance: \(worst.distance) km")
    }

    @Test("Meeus example 47.a: 1992-04-12 0h TD gives λ 133.162655°, β −3.229126°, Δ 368409.7 km")
    func moonMeeusExample() {
        // JDE 2448724.5 → T = −0.077221081451.
        let c = Moon.eclipticOfDate(ttCenturies: (2_448_724.5 - 2_451_545.0) / 36_525)
        #expect(abs(c.longitudeDegrees - 133.162655) < 2e-6)
        #expect(abs(c.latitudeDegrees - -3.229126) < 2e-6)
        #expect(abs(c.distanceKilometres - 368_409.7) < 0.1)
    }

    @Test(
        "the apparent Sun's elevation at Calern is within 0.002° of skyfield's altitude (UT1 = UTC here: ≤ 0.9 s of rotation)"
    )
    func sunElevationAtSite() throws {
        let calern = GeodeticSite(latitudeDegrees: 43.7525, longitudeDegrees: 6.9228, heightMetres: 1270)
        var worst = 0.0
        for r in try Self.references() {
            worst = max(worst, abs(Sun.elevationDegrees(at: calern, epoch: r.epoch) - r.sunAltitudeCalernDegrees))
        }
        #expect(worst < 0.002, "worst: \(worst)°")
    }
}
