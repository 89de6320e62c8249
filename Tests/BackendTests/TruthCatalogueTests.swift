import Astrodynamics
import CCSDS
import Foundation
import Testing

@testable import Backend

@Suite("Truth catalogue: element sets in force, manoeuvres")
struct TruthCatalogueTests {
    /// The GEO test object's set with its epoch moved to `day` (TLE day of 2026) and mean anomaly `anomaly`.
    static func geo(day: String, anomaly: Double) throws -> TrackedObject {
        var tle = try MeasurementFixtures.object(90002).tle
        tle.epoch = try #require(TLEEpoch(text: "26\(day)"))
        tle.meanAnomalyDegrees = anomaly
        return try TrackedObject(tle: tle)
    }

    @Test("the set in force is the latest at or before the instant; before all, the first")
    func setInForce() throws {
        let sets = [
            try Self.geo(day: "343.00000000", anomaly: 20), try Self.geo(day: "341.00000000", anomaly: 10),
            try Self.geo(day: "345.00000000", anomaly: 30),
        ]
        let truth = TruthCatalogue(objects: sets)
        #expect(truth.noradIDs == [90002])
        #expect(truth.elementSets(of: 90002).map(\.tle.meanAnomalyDegrees) == [10, 20, 30])
        func anomaly(_ iso: String) throws -> Double? {
            truth.object(90002, at: try Epoch(iso8601: iso))?.tle.meanAnomalyDegrees
        }
        #expect(try anomaly("2026-12-01T00:00:00Z") == 10)
        #expect(try anomaly("2026-12-07T00:00:00Z") == 10)
        #expect(try anomaly("2026-12-08T23:59:59.999Z") == 10)
        #expect(try anomaly("2026-12-09T00:00:00Z") == 20)
        #expect(try anomaly("2026-12-11T00:00:00Z") == 30)
        #expect(try anomaly("2027-06-01T00:00:00Z") == 30)
        #expect(truth.object(12345, at: .j2000TAI) == nil)
    }

    @Test("of two sets with the same epoch, the one given later wins")
    func ties() throws {
        let truth = TruthCatalogue(objects: [
            try Self.geo(day: "343.00000000", anomaly: 1), try Self.geo(day: "343.00000000", anomaly: 2),
        ])
        #expect(truth.object(90002, at: try Epoch(iso8601: "2026-12-10T00:00:00Z"))?.tle.meanAnomalyDegrees == 2)
    }

    @Test("a manoeuvres file's sets take over from their epochs")
    func manoeuvresFile() throws {
        let truth = try TruthCatalogue.load(
            truth: MeasurementFixtures.path("measurement-truth.3le"),
            manoeuvres: MeasurementFixtures.path("measurement-manoeuvres.3le"))
        #expect(truth.noradIDs == [90001, 90002])
        let before = try #require(truth.object(90002, at: try Epoch(iso8601: "2026-12-08T23:59:00Z")))
        let after = try #require(truth.object(90002, at: try Epoch(iso8601: "2026-12-09T00:00:00Z")))
        #expect(before.tle.meanAnomalyDegrees == 277.5)
        #expect(after.tle.meanAnomalyDegrees == 99)
        #expect(truth.elementSets(of: 90001).count == 1)
    }

    @Test("a manoeuvre of an object the truth lacks is refused, naming it")
    func unknownManoeuvre() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("truth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let truthFile = directory.appendingPathComponent("truth.3le").path
        let text = try MeasurementFixtures.text("measurement-truth.3le")
        // Keep only the LEO (the first three lines) in the truth.
        try text.split(separator: "\n").prefix(3).joined(separator: "\n").appending("\n")
            .write(toFile: truthFile, atomically: true, encoding: .utf8)
        #expect {
            try TruthCatalogue.load(
                truth: truthFile, manoeuvres: MeasurementFixtures.path("measurement-manoeuvres.3le"))
        } throws: { error in
            "\(error)".contains("object 90002 has a manoeuvre but is not in the truth file")
        }
    }

    @Test("a track across a manoeuvre observes the old orbit before it and the new one after")
    func trackAcrossManoeuvre() throws {
        let truth = try TruthCatalogue.load(
            truth: MeasurementFixtures.path("measurement-truth.3le"),
            manoeuvres: MeasurementFixtures.path("measurement-manoeuvres.3le"))
        let telescope = try MeasurementFixtures.sensor("tarot-calern")
        let start = try Epoch(iso8601: "2026-12-08T23:58:00Z")  // tags 23:58:05 … 00:00:05
        var noise: MeasurementNoise? = nil
        let simulator = MeasurementSimulator()
        let across = try simulator.track(of: 90002, in: truth, by: telescope, startingAt: start, noise: &noise)
        let old = try simulator.track(
            of: truth.elementSets(of: 90002)[0], by: telescope, startingAt: start, noise: &noise)
        let new = try simulator.track(
            of: truth.elementSets(of: 90002)[1], by: telescope, startingAt: start, noise: &noise)
        #expect(Array(across.observations.prefix(4)) == Array(old.observations.prefix(4)))
        #expect(across.observations[4] == new.observations[4])
        #expect(across.observations[4] != old.observations[4])
        #expect(throws: MeasurementError.unknownObject(noradID: 1)) {
            try simulator.track(of: 1, in: truth, by: telescope, startingAt: start, noise: &noise)
        }
    }
}
