import Foundation
import Testing

@testable import Backend

@Suite("Sensor network file")
struct SensorNetworkTests {
    static func fixture(_ name: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
        return try String(contentsOf: url, encoding: .utf8)
    }

    @Test("the shipped file reads: three TAROT-like telescopes and one radar")
    func shippedFile() throws {
        let network = try SensorNetwork.load(yaml: Self.fixture("sensors.yaml"), file: "sensors.yaml")
        #expect(network.sensors.map(\.name) == ["tarot-calern", "tarot-la-silla", "tarot-reunion", "radar-wachtberg"])
        let calern = try #require(network.sensor(named: "tarot-calern"))
        #expect(calern.type == .optical)
        #expect(calern.optical?.maxSunElevationDegrees == -18)
        #expect(calern.optical?.fieldOfViewDegrees == 1.86)
        #expect(abs(calern.site.latitudeDegrees - 43.7525) < 1e-9)
        let radar = try #require(network.sensor(named: "radar-wachtberg"))
        #expect(radar.radar?.rangeMode == .twoWay)
        #expect(radar.optical == nil)
    }

    @Test("every mistake is reported with file:line:column")
    func problemsWithPlaces() {
        let text = """
            sensors:
              - name: a
                type: optical
                latitude_deg: 95
                longitude_deg: 0
                height_m: 0
                min_elevation_deg: 10
                range_noise_m: 3
              - name: a
                type: sonar
                latitude_deg: 0
                longitude_deg: 0
                height_m: 0
              - name: b
                type: radar
                latitude_deg: 0
                longitude_deg: 0
                height_m: 0
                min_elevation_deg: 5
                colour: blue
            """
        do {
            _ = try SensorNetwork.load(yaml: text, file: "s.yaml")
            Issue.record("expected problems")
        } catch {
            let lines = error.problems.map(\.description)
            #expect(lines.contains { $0.hasPrefix("s.yaml:4:19: latitude_deg must be between -90.0 and 90.0") })
            #expect(lines.contains { $0.hasPrefix("s.yaml:8:20: range_noise_m does not apply to a optical") })
            #expect(lines.contains { $0.hasPrefix("s.yaml:10:11: type must be optical or radar") })
            #expect(lines.contains { $0.contains("lacks the required key \"min_elevation_deg\"") })
            #expect(lines.contains { $0.hasPrefix("s.yaml:20:5: unknown key \"colour\"") })
        }
    }

    @Test("not YAML at all: the place libyaml reports")
    func syntax() {
        #expect(throws: SensorFileError.self) { try SensorNetwork.load(yaml: "sensors: [\n  - {", file: "x.yaml") }
    }

    @Test("site position: WGS 84 geodetic to ITRF (astropy's EarthLocation.from_geodetic, WGS84)")
    func sitePosition() {
        // Vallado 4th ed. example 7-1's site (φ = 39.007°, λ = −104.883°, h = 2194.56 m); the reference is
        // astropy 6 (ERFA gd2gc): r = (−1275.1234189, −4797.9947045, 3994.3022096) km.
        let site = GeodeticSite(latitudeDegrees: 39.007, longitudeDegrees: -104.883, heightMetres: 2194.56)
        let r = site.itrfPositionKilometres
        #expect(abs(r.x - -1275.1234189) < 1e-6)
        #expect(abs(r.y - -4797.9947045) < 1e-6)
        #expect(abs(r.z - 3994.3022096) < 1e-6)
    }
}
