import Astrodynamics
import Foundation
import Testing

@testable import Backend

/// Shared inputs of the measurement tests: the fixture network and truth.
enum MeasurementFixtures {
    static func text(_ name: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
        return try String(contentsOf: url, encoding: .utf8)
    }

    static func path(_ name: String) throws -> String {
        try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)).path
    }

    static func network() throws -> SensorNetwork {
        try SensorNetwork.load(yaml: text("sensors.yaml"), file: "sensors.yaml")
    }

    static func sensor(_ name: String) throws -> Sensor {
        try #require(try network().sensor(named: name))
    }

    /// 90001 (LEO, 98.7°) and 90002 (GEO at ~10° E, 39.5° high from Calern), epoch 2026-12-08T12:00Z.
    static func truth() throws -> ObjectCatalogue {
        try ObjectCatalogue.read(Array(text("measurement-truth.3le").utf8), file: "measurement-truth.3le")
    }

    static func object(_ noradID: Int) throws -> TrackedObject {
        try #require(try truth().object(noradID))
    }

    static func epoch(_ text: String) throws -> Epoch { try Epoch(iso8601: text) }
}

@Suite("Measurement simulator: light time, range rate, noise")
struct MeasurementSimulatorTests {
    let c = LightTime.speedOfLightKilometresPerSecond

    /// A straight-line motion along x: position x0 + v·offset.
    static func line(_ x0: Double, _ v: Double) -> (Double) -> CartesianState {
        { offset in
            CartesianState(
                positionKilometres: SIMD3(x0 + v * offset, 0, 0), velocityKilometresPerSecond: SIMD3(v, 0, 0))
        }
    }

    @Test("light time of a receding object seen by a moving sensor: the closed-form one- and two-way solutions")
    func lightTimeClosedForm() throws {
        // Object at X + v·t, sensor at w·t, on one line; reception at t = 0.
        let x = 36_000.0
        let v = 3.0
        let w = 0.4
        let object = Self.line(x, v)
        let sensor: (Double) -> CartesianState = Self.line(0, w)
        let oneWay = LightTime.solve(object: object, sensor: sensor, twoWay: false)
        let down = x / (c + v)
        #expect(abs(oneWay.downlegSeconds - down) < 1e-14)
        #expect(abs(oneWay.rangeKilometres - c * down) < 1e-9)
        // τ_d(t) = (X + (v − w)t)/(c + v): ρ̇ = c·(v − w)/(c + v).
        let downRate = (v - w) / (c + v)
        #expect(abs(oneWay.rangeRateKilometresPerSecond - c * downRate) < 1e-13)
        #expect(abs(oneWay.object.positionKilometres.x - (x - v * down)) < 1e-9)

        let twoWay = LightTime.solve(object: object, sensor: sensor, twoWay: true)
        // τ_u = (X + (v − w)(t − τ_d)) / (c − w).
        let up = (x - (v - w) * down) / (c - w)
        #expect(abs(twoWay.uplegSeconds - up) < 1e-14)
        #expect(abs(twoWay.rangeKilometres - c * (down + up) / 2) < 1e-9)
        let upRate = (v - w) * (1 - downRate) / (c - w)
        #expect(abs(twoWay.rangeRateKilometresPerSecond - c * (downRate + upRate) / 2) < 1e-13)
    }

    @Test("light time of a fixed object: τ = D/c, no rate")
    func lightTimeFixed() {
        let solution = LightTime.solve(object: Self.line(42_164, 0), sensor: Self.line(6378, 0), twoWay: true)
        #expect(abs(solution.downlegSeconds - (42_164 - 6378) / c) < 1e-15)
        #expect(abs(solution.rangeKilometres - (42_164 - 6378)) < 1e-9)
        #expect(solution.rangeRateKilometresPerSecond == 0)
    }

    @Test(
        "range rate equals the finite difference of the simulated range (LEO and GEO, one- and two-way)",
        arguments: [(90001, RangeMode.twoWay), (90001, .oneWay), (90002, .twoWay), (90002, .oneWay)])
    func rangeRateIsTheDerivative(noradID: Int, mode: RangeMode) throws {
        var radar = try MeasurementFixtures.sensor("radar-wachtberg")
        radar.radar?.rangeMode = mode
        radar.pointsPerTrack = 3
        radar.cadenceSeconds = 0.01
        let object = try MeasurementFixtures.object(noradID)
        var noise: MeasurementNoise? = nil
        for hour in stride(from: 0.0, to: 24, by: 1.5) {
            let start = try MeasurementFixtures.epoch("2026-12-08T12:00:00Z").adding(seconds: hour * 3600)
            let track = try MeasurementSimulator().track(of: object, by: radar, startingAt: start, noise: &noise)
            let values = track.observations.map { observation -> (Double, Double) in
                guard case .radar(let range, let rate) = observation.measurement else { return (0, 0) }
                return (range, rate)
            }
            let difference = (values[2].0 - values[0].0) / 0.02
            // SGP4's velocity is not exactly its position's derivative (a few mm/s along the line of sight, see
            // LightTime); a missing light-time term would be ~(û·v)²/c, 0.16 m/s in LEO.
            #expect(abs(difference - values[1].1) < 2e-5, "hour \(hour): \(difference) vs \(values[1].1) km/s")
        }
    }

    @Test("the site turned with the Earth over a signal's flight equals the full ITRF → TEME change then")
    func siteRotation() throws {
        let site = try MeasurementFixtures.sensor("radar-wachtberg").site
        let itrf = CartesianState(positionKilometres: site.itrfPositionKilometres, velocityKilometresPerSecond: .zero)
        let transformer = FrameTransformer()
        let epoch = try MeasurementFixtures.epoch("2026-12-08T22:00:00Z")
        let now = transformer.rotation(from: .itrf, to: .teme, at: epoch)
        for seconds in [-0.3, -0.02, 0.001, 0.25] {
            let turned = MeasurementSimulator.rotate(
                now.apply(itrf), by: -now.angularVelocityRadiansPerSecond, seconds: seconds)
            let exact = transformer.rotation(from: .itrf, to: .teme, at: epoch.adding(seconds: seconds)).apply(itrf)
            #expect(LightTime.length(turned.positionKilometres - exact.positionKilometres) < 1e-8)
            #expect(LightTime.length(turned.velocityKilometresPerSecond - exact.velocityKilometresPerSecond) < 1e-11)
        }
    }

    @Test("optical tags are mid-exposure on whole microseconds; radar tags at the cadence")
    func timeTags() throws {
        let telescope = try MeasurementFixtures.sensor("tarot-calern")
        let start = try MeasurementFixtures.epoch("2026-12-08T22:00:00.0000004Z")
        let tags = MeasurementSimulator.epochs(of: telescope, startingAt: start)
        #expect(tags.count == telescope.pointsPerTrack)
        #expect(tags[0].iso8601(fractionDigits: 6) == "2026-12-08T22:00:05.000000Z")
        #expect(tags[4].iso8601(fractionDigits: 6) == "2026-12-08T22:02:05.000000Z")
        let radar = try MeasurementFixtures.sensor("radar-wachtberg")
        let radarTags = MeasurementSimulator.epochs(of: radar, startingAt: start)
        #expect(radarTags[1].seconds(since: radarTags[0]) == radar.cadenceSeconds)
        #expect(radarTags.allSatisfy { $0.taiNanosecondsSinceJ2000 % 1000 == 0 })
    }

    @Test("the GEO test object stands 39.5° high from Calern (skyfield: 39.480° geometric at 22:00)")
    func elevation() throws {
        var noise: MeasurementNoise? = nil
        let track = try MeasurementSimulator().track(
            of: MeasurementFixtures.object(90002), by: MeasurementFixtures.sensor("tarot-calern"),
            startingAt: MeasurementFixtures.epoch("2026-12-08T21:59:55Z"), noise: &noise)
        #expect(abs(track.observations[0].elevationDegrees - 39.4804) < 0.01)
        #expect(track.sensorType == .optical && track.exposureSeconds == 10 && !track.isNoisy)
    }

    @Test("optical noise: 2,000 residuals have mean 0 and the sensor's σ on the sky (α·cos δ and δ)")
    func opticalNoise() throws {
        var telescope = try MeasurementFixtures.sensor("tarot-calern")
        telescope.pointsPerTrack = 2000
        telescope.cadenceSeconds = 15
        telescope.optical?.noiseArcseconds = 1.5
        let object = try MeasurementFixtures.object(90002)
        let start = try MeasurementFixtures.epoch("2026-12-08T20:00:00Z")
        var none: MeasurementNoise? = nil
        var noise: MeasurementNoise? = MeasurementNoise(seed: 5)
        let exact = try MeasurementSimulator().track(of: object, by: telescope, startingAt: start, noise: &none)
        let noisy = try MeasurementSimulator().track(of: object, by: telescope, startingAt: start, noise: &noise)
        var raResiduals: [Double] = []
        var decResiduals: [Double] = []
        for (a, b) in zip(exact.observations, noisy.observations) {
            guard case .angles(let ra0, let dec0) = a.measurement, case .angles(let ra1, let dec1) = b.measurement
            else { continue }
            var dRA = ra1 - ra0
            if dRA > 180 { dRA -= 360 }
            if dRA < -180 { dRA += 360 }
            raResiduals.append(dRA * cos(dec0 * .pi / 180) * 3600)
            decResiduals.append((dec1 - dec0) * 3600)
        }
        for residuals in [raResiduals, decResiduals] {
            try Self.expectGaussian(residuals, sigma: 1.5)
        }
    }

    @Test("radar noise: 2,000 residuals have mean 0 and the sensor's range and Doppler σ")
    func radarNoise() throws {
        var radar = try MeasurementFixtures.sensor("radar-wachtberg")
        radar.pointsPerTrack = 2000
        radar.cadenceSeconds = 1
        let object = try MeasurementFixtures.object(90002)
        let start = try MeasurementFixtures.epoch("2026-12-08T20:00:00Z")
        var none: MeasurementNoise? = nil
        var noise: MeasurementNoise? = MeasurementNoise(seed: 6)
        let exact = try MeasurementSimulator().track(of: object, by: radar, startingAt: start, noise: &none)
        let noisy = try MeasurementSimulator().track(of: object, by: radar, startingAt: start, noise: &noise)
        var ranges: [Double] = []
        var rates: [Double] = []
        for (a, b) in zip(exact.observations, noisy.observations) {
            guard case .radar(let r0, let v0) = a.measurement, case .radar(let r1, let v1) = b.measurement else {
                continue
            }
            ranges.append((r1 - r0) * 1000)
            rates.append((v1 - v0) * 1000)
        }
        try Self.expectGaussian(ranges, sigma: radar.radar!.rangeNoiseMetres)
        try Self.expectGaussian(rates, sigma: radar.radar!.dopplerNoiseMetresPerSecond)
    }

    @Test("a seed gives the same track every time; another seed another track")
    func seededTracks() throws {
        let telescope = try MeasurementFixtures.sensor("tarot-la-silla")
        let object = try MeasurementFixtures.object(90002)
        let start = try MeasurementFixtures.epoch("2026-12-09T03:00:00Z")
        func run(_ seed: UInt64) throws -> SimulatedTrack {
            var noise: MeasurementNoise? = MeasurementNoise(seed: seed)
            return try MeasurementSimulator().track(of: object, by: telescope, startingAt: start, noise: &noise)
        }
        #expect(try run(3) == run(3))
        #expect(try run(3) != run(4))
    }

    @Test("a sensor without the characteristics of its type is refused")
    func unconfiguredSensor() throws {
        var telescope = try MeasurementFixtures.sensor("tarot-calern")
        telescope.optical = nil
        var noise: MeasurementNoise? = nil
        #expect(throws: MeasurementError.sensorNotConfigured(sensor: "tarot-calern", type: .optical)) {
            try MeasurementSimulator().track(
                of: MeasurementFixtures.object(90002), by: telescope,
                startingAt: MeasurementFixtures.epoch("2026-12-08T22:00:00Z"), noise: &noise)
        }
    }

    /// Mean within 4σ/√n, standard deviation within 10 % of `sigma`.
    static func expectGaussian(_ values: [Double], sigma: Double) throws {
        try #require(values.count >= 2000)
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        let deviation = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)).squareRoot()
        #expect(abs(mean) < 4 * sigma / n.squareRoot(), "mean \(mean)")
        #expect(abs(deviation / sigma - 1) < 0.1, "σ \(deviation) for \(sigma)")
    }
}
