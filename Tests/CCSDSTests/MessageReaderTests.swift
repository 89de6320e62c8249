import Foundation
import Testing

@testable import CCSDS

/// Every Blue Book example is accepted; every deliberately broken fixture is rejected at the right line.
@Suite struct MessageReaderTests {
    /// The one Blue Book example the shared copy gets wrong (see `exampleThatBreaksTheStandardIsRejected`).
    static let knownBadExample = "tdm_e3.kvn"

    @Test(arguments: FixturePaths.blueBookExamples.filter { $0.lastPathComponent != knownBadExample })
    func acceptsBlueBookExample(_ url: URL) {
        let result = MessageReader.read(FixturePaths.bytes(url))
        #expect(result.isValid, "\(url.lastPathComponent): \(result.diagnostics)")
    }

    /// The shared copy of TDM example E-3 puts MODE before PARTICIPANT_2, against the keyword order of
    /// CCSDS 503.0-B-2 §3.3.1.8 (the book's own Figure E-3 has the right order): the text of the standard wins.
    @Test func exampleThatBreaksTheStandardIsRejected() throws {
        let url = FixturePaths.shared.appendingPathComponent("examples/kvn/\(Self.knownBadExample)")
        let result = MessageReader.read(FixturePaths.bytes(url))
        let error = try #require(result.diagnostics.first { $0.severity == .error })
        #expect(error.code == .keywordOrder)
        #expect(error.location?.line == 11)
        #expect(MessageReader.read(FixturePaths.bytes(url), strictness: .lenient).message != nil)
    }

    @Test(arguments: ["opm", "omm", "oem", "cdm", "tdm"])
    func acceptsValidFixtures(_ type: String) {
        for url in FixturePaths.files(in: FixturePaths.fixtures.appendingPathComponent("\(type)/valid")) {
            let result = MessageReader.read(FixturePaths.bytes(url))
            #expect(result.isValid, "\(url.lastPathComponent): \(result.diagnostics)")
        }
    }

    @Test(arguments: ["opm", "omm", "oem", "cdm", "tdm"])
    func rejectsEachBrokenFixtureAtItsLine(_ type: String) {
        for expectation in FixturePaths.expectations(for: type) {
            let result = MessageReader.read(FixturePaths.bytes(expectation.file))
            let errors = result.diagnostics.filter { $0.severity == .error }
            let name = expectation.file.lastPathComponent
            #expect(!errors.isEmpty, "\(name) should be rejected")
            #expect(
                errors.contains { $0.location?.line == expectation.line },
                "\(name): expected an error on line \(expectation.line), got \(errors)")
            if let keyword = expectation.keyword {
                #expect(errors.contains { $0.keyword == keyword || $0.message.contains(keyword) }, "\(name): \(errors)")
            }
        }
    }

    @Test func readsOEMStatesExactly() throws {
        let url = FixturePaths.shared.appendingPathComponent("examples/kvn/oem_g11.kvn")
        let message = try MessageReader.message(from: FixturePaths.bytes(url))
        #expect(message.type == .oem)
        #expect(message.segments.count == 2)
        let first = message.segments[0].ephemeris[0]
        #expect(first.epoch.description == "2019-12-18T12:00:00.331")
        #expect(first.positionKilometres.0 == 2789.619)
        #expect(first.velocityKilometresPerSecond.2 == -1.04195)
        #expect(message.segments[0].metadata["INTERPOLATION_DEGREE"] == .integer(7))
    }

    @Test func keepsEpochSpellingAndComparesInstants() throws {
        let dayOfYear = try #require(CCSDSEpoch("2006-354T01:38:00.1250Z"))
        #expect(dayOfYear.description == "2006-354T01:38:00.1250Z")
        #expect(dayOfYear.month == 12 && dayOfYear.day == 20)
        let calendar = try #require(CCSDSEpoch("2006-12-20T01:38:00.125"))
        #expect(dayOfYear != calendar)
        #expect(dayOfYear.sameInstant(as: calendar))
        #expect(CCSDSEpoch("2023-02-29T00:00:00") == nil)
        #expect(CCSDSEpoch("2024-366T00:00:00") != nil)
        #expect(CCSDSEpoch("2024-367T00:00:00") == nil)
        #expect(CCSDSEpoch("2024-01-01T00:00:00.123456789012345678901234")?.fractionDigits.count == 24)
    }

    @Test func lenientModeTurnsDeviationsIntoWarnings() throws {
        let text = """
            CCSDS_OPM_VERS = 3.0
            CREATION_DATE = 2021-06-03T05:33:00.000
            ORIGINATOR = GSOC
            OBJECT_NAME = EUTELSAT W4
            OBJECT_ID = 2021-028A
            CENTER_NAME = EARTH
            REF_FRAME = eme2000
            TIME_SYSTEM = utc
            EPOCH = 2021-06-03T00:00:00.000
            X = 6655.9942 [KM]
            Y = -40218.5751
            Z = -82.9177
            X_DOT = 3.11548208
            Y_DOT = 0.47042605
            Z_DOT = -0.00101495
            """
        let strict = MessageReader.read(Array(text.utf8))
        #expect(!strict.isValid)
        #expect(strict.diagnostics.contains { $0.keyword == "TIME_SYSTEM" && $0.location?.line == 8 })
        let lenient = MessageReader.read(Array(text.utf8), strictness: .lenient)
        #expect(lenient.isValid, "\(lenient.diagnostics)")
        #expect(lenient.diagnostics.filter { $0.severity == .warning }.count == 3)
        #expect(lenient.message?.segments[0].metadata["TIME_SYSTEM"] == .text("UTC"))
    }

    @Test func reportsGarbageWithoutCrashing() {
        for text in ["", "\n\n", "CCSDS_OEM_VERS = 9.9", "<oem", "<?xml version=\"1.0\"?><oem id='CCSDS_OEM_VERS' version='3.0'>",
            "{", "CCSDS_OEM_VERS = 3.0\nMETA_START\n", "1 25544U"] {
            let result = MessageReader.read(Array(text.utf8))
            #expect(!result.isValid)
            #expect(result.diagnostics.allSatisfy { $0.location != nil }, "\(text): \(result.diagnostics)")
        }
    }
}
