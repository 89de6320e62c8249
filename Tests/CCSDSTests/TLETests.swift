import Foundation
import Testing

@testable import CCSDS

// Reference material: CelesTrak, "Frequently Asked Questions: Two-Line Element Set Format"
// (https://celestrak.org/columns/v04n03/, the ISS example); python-sgp4 2.27 test data (VANGUARD 1, MARIO, the
// CelesTrak GP CSV of MARIO); Vallado's SGP4-VER.TLE (deep-space cases); CCSDS 502.0-B-3 Annex G (GOES 9 OMM).

/// The bytes of a fixture under `Fixtures/tle/`.
private func tleFixture(_ path: String) throws -> [UInt8] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tle").appendingPathComponent(path)
    return Array(try Data(contentsOf: url))
}

/// Columns 1–68 of a line plus its checksum, computed here independently of the library (digits count their
/// value, '-' counts 1, modulo 10).
private func withChecksum(_ line: String) -> String {
    let body = String(line.prefix(68)).padding(toLength: 68, withPad: " ", startingAt: 0)
    var sum = 0
    for character in body {
        if let digit = character.wholeNumberValue { sum += digit } else if character == "-" { sum += 1 }
    }
    return body + String(sum % 10)
}

private let issName = "ISS (ZARYA)"
private let issLine1 = "1 25544U 98067A   08264.51782528 -.00002182  00000-0 -11606-4 0  2927"
private let issLine2 = "2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391563537"
private let molniyaLine1 = "1 08195U 75081A   06176.33215444  .00000099  00000-0  11873-3 0   813"
private let molniyaLine2 = "2 08195  64.1586 279.0717 6877146 264.7651  20.2257  2.00491383225656"
private let marioLines = [
    "MARIO                   ",
    "1 55123U 98067UQ  23115.44827133  .00787702  29408-3  15680-2 0  9999",
    "2 55123  51.6242 216.2930 0014649 331.8976  28.1241 15.99081912 18396",
]
private let created = CCSDSEpoch(year: 2024, month: 1, day: 2, hour: 3, minute: 4, second: 5)

@Suite struct TLEParserTests {
    @Test func issKnownValues() throws {
        let tle = try TLE(line1: issLine1, line2: issLine2, name: issName)
        #expect(tle.name == "ISS (ZARYA)")
        #expect(tle.catalogueNumber == 25544)
        #expect(tle.classification == "U")
        #expect(tle.internationalDesignator == "98067A")
        #expect(tle.epoch.text == "08264.51782528")
        #expect(tle.epoch.year == 2008)
        #expect(tle.epoch.dayOfYear == 264)
        #expect(tle.epoch.dayFractionHundredMillionths == 51_782_528)
        // 0.51782528 day = 44740.104192 s exactly.
        #expect(tle.ccsdsEpoch.description == "2008-09-20T12:25:40.104192")
        #expect(tle.meanMotionDotOver2RevolutionsPerDaySquared == -0.00002182)
        #expect(tle.meanMotionDdotOver6RevolutionsPerDayCubed == 0)
        #expect(tle.bstarPerEarthRadius == -0.11606e-4)
        #expect(tle.ephemerisType == 0)
        #expect(tle.elementSetNumber == 292)
        #expect(tle.inclinationDegrees == 51.6416)
        #expect(tle.rightAscensionOfAscendingNodeDegrees == 247.4627)
        #expect(tle.eccentricity == 0.0006703)
        #expect(tle.argumentOfPerigeeDegrees == 130.5360)
        #expect(tle.meanAnomalyDegrees == 325.0288)
        #expect(tle.meanMotionRevolutionsPerDay == 15.72125391)
        #expect(tle.revolutionNumberAtEpoch == 56353)
    }

    @Test func deepSpaceKnownValues() throws {
        // MOLNIYA 2-14: 12 h resonant orbit, period 718 min (deep space: above 225 min).
        let tle = try TLE(line1: molniyaLine1, line2: molniyaLine2)
        #expect(tle.name == nil)
        #expect(tle.catalogueNumber == 8195)
        #expect(tle.internationalDesignator == "75081A")
        #expect(tle.ccsdsEpoch.description == "2006-06-25T07:58:18.143616")
        #expect(tle.meanMotionDotOver2RevolutionsPerDaySquared == 0.00000099)
        #expect(tle.bstarPerEarthRadius == 0.11873e-3)
        #expect(tle.elementSetNumber == 81)
        #expect(tle.inclinationDegrees == 64.1586)
        #expect(tle.eccentricity == 0.6877146)
        #expect(tle.meanMotionRevolutionsPerDay == 2.00491383)
        #expect(tle.revolutionNumberAtEpoch == 22565)
        #expect(1440 / tle.meanMotionRevolutionsPerDay > 225)
    }

    @Test func checksumFailureIsAnErrorWhenStrict() {
        let corrupted = String(issLine1.dropLast()) + "8"
        let (tle, diagnostics) = TLE.parse(line1: corrupted, line2: issLine2)
        #expect(tle == nil)
        let error = diagnostics.first { $0.severity == .error }
        #expect(error?.code == .consistency)
        #expect(error?.location == SourceLocation(line: 1, column: 69))
        #expect(error?.message.contains("checksum (column 69) is 8") == true)
        #expect(error?.message.contains("7") == true)
    }

    @Test func checksumFailureIsAWarningWhenLenient() throws {
        let corrupted = String(issLine1.dropLast()) + "8"
        let (tle, diagnostics) = TLE.parse(line1: corrupted, line2: issLine2, strictness: .lenient)
        #expect(tle?.catalogueNumber == 25544)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.severity == .warning)
    }

    @Test(arguments: [("A0001", 100_001), ("Z9999", 339_999), ("J2931", 182_931), ("A0000", 100_000), ("00005", 5)])
    func alpha5Numbers(text: String, number: Int) throws {
        #expect(Alpha5.decode(text) == number)
        #expect(Alpha5.encode(number) == text)
        let line1 = withChecksum("1 \(text)" + issLine1.dropFirst(7))
        let line2 = withChecksum("2 \(text)" + issLine2.dropFirst(7))
        let tle = try TLE(line1: line1, line2: line2)
        #expect(tle.catalogueNumber == number)
        #expect(try tle.lines() == (line1, line2))
    }

    @Test func alpha5Rejects() {
        #expect(Alpha5.decode("I0001") == nil)  // I and O are skipped
        #expect(Alpha5.decode("O0001") == nil)
        #expect(Alpha5.decode("a0001") == nil)
        #expect(Alpha5.decode("A001") == nil)
        #expect(Alpha5.encode(340_000) == nil)
        #expect(Alpha5.encode(-1) == nil)
    }

    @Test(arguments: [
        (" 12345-3", 0.12345e-3), ("-11606-4", -0.11606e-4), ("+00000+0", 0.0), (" 00000-0", 0.0),
        (" 13519-0", 0.13519), ("-30915-6", -0.30915e-6), (" 99999+9", 0.99999e9),
    ])
    func exponentFields(field: String, value: Double) throws {
        // The same eight characters in the second-derivative (45-52) and B* (54-61) columns.
        let line1 = withChecksum(String(issLine1.prefix(44)) + field + " " + field + String(issLine1.dropFirst(61)))
        let tle = try TLE(line1: line1, line2: issLine2)
        #expect(tle.meanMotionDdotOver6RevolutionsPerDayCubed == value)
        #expect(tle.bstarPerEarthRadius == value)
    }

    @Test func exponentNormalisation() throws {
        let value = TLEFields.exponential(-0.000011606)
        #expect(try value.get() == TLEFields.Exponential(mantissa: 11606, exponent: -4, negative: true))
        #expect(
            try TLEFields.exponential(0.1).get() == TLEFields.Exponential(mantissa: 10000, exponent: 0, negative: false)
        )
        #expect(try TLEFields.exponential(0.0999999).get().exponent == 0)  // rounds up to 0.10000e0
        #expect((try? TLEFields.exponential(2e9).get()) == nil)
    }

    @Test func shortLineIsAnError() {
        let (tle, diagnostics) = TLE.parse(line1: issLine1, line2: String(issLine2.prefix(60)), strictness: .lenient)
        #expect(tle == nil)
        let error = diagnostics.first { $0.severity == .error }
        #expect(error?.code == .structure)
        #expect(error?.location == SourceLocation(line: 2, column: 61))
        #expect(error?.message.contains("60 characters") == true)
        #expect(error?.message.contains("69") == true)
    }

    @Test func trailingWhitespaceAndCarriageReturnAreAccepted() throws {
        let tle = try TLE(line1: issLine1 + "   \r", line2: issLine2 + "\t\r\n")
        #expect(tle.catalogueNumber == 25544)
    }

    @Test func textAfterColumn69() {
        let long = issLine2 + "      0.00      4320.0        360.00"
        #expect(TLE.parse(line1: issLine1, line2: long).tle == nil)
        let (tle, diagnostics) = TLE.parse(line1: issLine1, line2: long, strictness: .lenient)
        #expect(tle != nil)
        #expect(diagnostics.map(\.location) == [SourceLocation(line: 2, column: 70)])
    }

    @Test func catalogueNumbersMustMatch() {
        let line2 = withChecksum("2 25545" + issLine2.dropFirst(7))
        let (tle, diagnostics) = TLE.parse(line1: issLine1, line2: line2, strictness: .lenient)
        #expect(tle == nil)
        #expect(diagnostics.first?.code == .consistency)
        #expect(diagnostics.first?.location == SourceLocation(line: 2, column: 3))
        #expect(diagnostics.first?.keyword == "NORAD_CAT_ID")
    }

    @Test func fieldErrorsNameTheirColumns() {
        let line2 = withChecksum(String(issLine2.prefix(8)) + "181.0000" + String(issLine2.dropFirst(16)))
        let (_, diagnostics) = TLE.parse(line1: issLine1, line2: line2)
        #expect(diagnostics.first?.code == .valueOutOfRange)
        #expect(diagnostics.first?.location == SourceLocation(line: 2, column: 9))
        #expect(diagnostics.first?.keyword == "INCLINATION")
        #expect(diagnostics.first?.message.contains("180") == true)
    }

    @Test func nameLines() throws {
        #expect(try TLE(line1: issLine1, line2: issLine2, name: "0 ISS (ZARYA)").name == "ISS (ZARYA)")
        #expect(try TLE(line1: issLine1, line2: issLine2, name: "ISS (ZARYA)             ").name == "ISS (ZARYA)")
    }

    @Test func epochRules() throws {
        // Two-digit years: 57-99 are 1957-1999, 00-56 are 2000-2056.
        #expect(TLEEpoch(text: "57001.00000000")?.year == 1957)
        #expect(TLEEpoch(text: "56366.99999999")?.ccsdsEpoch.description == "2056-12-31T23:59:59.999136")
        #expect(TLEEpoch(text: "00001.5       ")?.ccsdsEpoch.description == "2000-01-01T12:00:00.000000")
        #expect(TLEEpoch(text: "08000.50000000") == nil)
        #expect(TLEEpoch(text: "08367.50000000") == nil)
        let issEpoch = try #require(CCSDSEpoch("2008-264T12:25:40.104192"))
        let nearest = try #require(TLEEpoch.nearest(to: issEpoch))
        #expect(nearest.epoch.text == "08264.51782528")
        #expect(nearest.exact)
        let lateEpoch = try #require(CCSDSEpoch("2008-12-31T23:59:59.9999"))
        let rounded = try #require(TLEEpoch.nearest(to: lateEpoch))
        #expect(rounded.epoch.text == "09001.00000000")
        #expect(!rounded.exact)
        #expect(TLEEpoch.nearest(to: try #require(CCSDSEpoch("2057-01-01T00:00:00"))) == nil)
    }
}

@Suite struct TLECatalogueTests {
    @Test func validFixturesParseAndWriteBackExactly() throws {
        for file in ["iss.3le", "celestrak.3le", "deep_space.tle", "alpha5.3le", "mixed.txt", "goes9.3le"] {
            let bytes = try tleFixture("valid/" + file)
            let (sets, diagnostics) = TLECatalogue.parse(bytes)
            #expect(diagnostics.isEmpty, "\(file): \(diagnostics)")
            #expect(!sets.isEmpty, "\(file)")
            // Every element line of the input is reproduced byte for byte.
            let text = String(decoding: bytes, as: UTF8.self)
            let inputLines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map {
                String($0).replacingOccurrences(of: "\r", with: "")
            }.map { line in
                var line = line
                while line.last == " " || line.last == "\t" { line.removeLast() }
                return line
            }.filter { $0.hasPrefix("1 ") || $0.hasPrefix("2 ") }
            var written: [String] = []
            for tle in sets {
                let (line1, line2) = try tle.lines()
                written += [line1, line2]
            }
            #expect(written == inputLines, "\(file)")
        }
    }

    @Test func threeLineRoundTripIsByteExact() throws {
        let text = try String(decoding: tleFixture("valid/iss.3le"), as: UTF8.self)
        let (sets, _) = TLECatalogue.parse(text)
        #expect(TLECatalogue.text(sets).text == text)
        let celesTrak = try tleFixture("valid/celestrak.3le")
        let (padded, _) = TLECatalogue.parse(celesTrak)
        #expect(padded.map(\.name) == ["VANGUARD 1", "MARIO"])
        #expect(TLECatalogue.write(padded, nameStyle: .celesTrak, lineEnding: "\r\n").bytes == celesTrak)
        let spaceTrack = try tleFixture("valid/alpha5.3le")
        let (alpha5, _) = TLECatalogue.parse(spaceTrack)
        #expect(alpha5.map(\.catalogueNumber) == [100_001, 339_999, 182_931])
        #expect(alpha5.first?.name == "ALPHA-5 FIRST")
        #expect(TLECatalogue.write(alpha5, nameStyle: .spaceTrack).bytes == spaceTrack)
    }

    @Test func zeroExponentSpellingIsKept() throws {
        // Vallado's SL-12 R/B writes B* zero as 00000+0; the ISS example writes 00000-0.
        let bytes = try tleFixture("valid/deep_space.tle")
        let (sets, _) = TLECatalogue.parse(bytes)
        let slR = try #require(sets.first { $0.catalogueNumber == 20413 })
        #expect(try slR.lines().line1.contains(" 00000-0  00000+0 "))
        var copy = slR
        copy.spelling = TLE.Spelling()
        #expect(copy == slR)  // spelling is not part of equality
    }

    @Test func mixedFileFindsNamesAndBareSets() throws {
        let (sets, diagnostics) = TLECatalogue.parse(try tleFixture("valid/mixed.txt"))
        #expect(diagnostics.isEmpty)
        #expect(sets.map(\.name) == ["ISS (ZARYA)", nil, "MARIO"])
        #expect(sets.map(\.catalogueNumber) == [25544, 8195, 55123])
    }

    @Test func invalidFixturesReportTheirLine() throws {
        let expected = String(decoding: try tleFixture("invalid/expected.txt"), as: UTF8.self)
        var checked = 0
        for entry in expected.split(separator: "\n") {
            let parts = entry.split(separator: " ")
            guard parts.count == 2, let line = Int(parts[1]) else { continue }
            let file = String(parts[0])
            let (_, diagnostics) = TLECatalogue.parse(try tleFixture("invalid/" + file))
            let firstError = diagnostics.first { $0.severity == .error }
            #expect(firstError?.location?.line == line, "\(file): \(diagnostics)")
            #expect(firstError?.message.isEmpty == false)
            checked += 1
        }
        #expect(checked >= 10)
    }

    @Test func setsWithErrorsAreSkippedOthersKept() throws {
        let (sets, diagnostics) = TLECatalogue.parse(try tleFixture("invalid/missing_line2.3le"))
        #expect(sets.map(\.name) == ["SAT B"])
        #expect(diagnostics.count == 1)
    }

    @Test func writerRoundsAndRefuses() throws {
        var tle = try TLE(line1: issLine1, line2: issLine2)
        tle.inclinationDegrees = 51.64164
        tle.meanAnomalyDegrees = 359.99996  // rounds to 360.0000, written as 0.0000
        let (_, line2) = try tle.lines()
        #expect(line2.contains("  51.6416 "))
        #expect(line2.contains("   0.0000 15.72125391"))
        tle.eccentricity = 1.2
        tle.catalogueNumber = 400_000
        #expect(throws: ValidationError.self) { try tle.lines() }
        do {
            _ = try tle.lines()
        } catch {
            #expect(error.diagnostics.map(\.keyword) == ["NORAD_CAT_ID", "ECCENTRICITY"])
            #expect(error.diagnostics.allSatisfy { $0.code == .notRepresentable })
        }
    }

    @Test func largeCatalogueParsesQuickly() throws {
        let base = try TLE(line1: issLine1, line2: issLine2, name: issName)
        var sets: [TLE] = []
        for index in 0..<30_000 {
            var tle = base
            tle.catalogueNumber = (index * 11) % 339_999
            tle.name = "OBJECT \(index)"
            tle.revolutionNumberAtEpoch = index
            sets.append(tle)
        }
        let (bytes, problems) = TLECatalogue.write(sets, nameStyle: .spaceTrack)
        #expect(problems.isEmpty)
        let clock = ContinuousClock()
        var result: (sets: [TLE], diagnostics: [Diagnostic]) = ([], [])
        let elapsed = clock.measure { result = TLECatalogue.parse(bytes) }
        #expect(result.sets == sets)
        // Release builds take about 15 ms; the bound leaves room for debug builds.
        #expect(elapsed < .seconds(2))
    }
}

@Suite struct TLEOMMTests {
    @Test func ommStructureFollowsTheXSD() throws {
        let tle = try TLE(line1: issLine1, line2: issLine2, name: issName)
        let message = tle.ommMessage(creationDate: created, originator: "ESSOR")
        #expect(message.type == .omm)
        #expect(message.version == "3.0")
        #expect(message.header.fields.map(\.keyword) == ["CREATION_DATE", "ORIGINATOR"])
        let segment = try #require(message.segments.first)
        #expect(
            segment.metadata.fields.map(\.keyword) == [
                "OBJECT_NAME", "OBJECT_ID", "CENTER_NAME", "REF_FRAME", "TIME_SYSTEM", "MEAN_ELEMENT_THEORY",
            ])
        #expect(segment.metadata["OBJECT_NAME"] == .text("ISS (ZARYA)"))
        #expect(segment.metadata["OBJECT_ID"] == .text("1998-067A"))
        #expect(segment.metadata["REF_FRAME"] == .text("TEME"))
        #expect(segment.metadata["MEAN_ELEMENT_THEORY"] == .text("SGP4"))
        #expect(segment.data.children.map(\.name) == ["meanElements", "tleParameters"])
        let mean = try #require(segment.data.child("meanElements"))
        #expect(
            mean.fields.map(\.keyword) == [
                "EPOCH", "MEAN_MOTION", "ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE", "ARG_OF_PERICENTER",
                "MEAN_ANOMALY",
            ])
        #expect(mean["EPOCH"]?.epoch?.description == "2008-09-20T12:25:40.104192")
        #expect(mean["MEAN_MOTION"] == .real(15.72125391))
        let parameters = try #require(segment.data.child("tleParameters"))
        #expect(
            parameters.fields.map(\.keyword) == [
                "EPHEMERIS_TYPE", "CLASSIFICATION_TYPE", "NORAD_CAT_ID", "ELEMENT_SET_NO", "REV_AT_EPOCH", "BSTAR",
                "MEAN_MOTION_DOT", "MEAN_MOTION_DDOT",
            ])
        #expect(parameters["NORAD_CAT_ID"] == .integer(25544))
        #expect(parameters["BSTAR"] == .real(-0.11606e-4))
        #expect(parameters["MEAN_MOTION_DOT"] == .real(-0.00002182))
        var xp = tle
        xp.ephemerisType = 4
        #expect(
            xp.ommMessage(creationDate: created, originator: "ESSOR").segments[0].metadata["MEAN_ELEMENT_THEORY"]
                == .text("SGP4-XP"))
    }

    @Test func tleToOMMToTLEIsExact() throws {
        for file in ["iss.3le", "celestrak.3le", "deep_space.tle", "alpha5.3le", "goes9.3le"] {
            let (sets, _) = TLECatalogue.parse(try tleFixture("valid/" + file))
            for tle in sets {
                let message = tle.ommMessage(creationDate: created, originator: "ESSOR")
                let (back, diagnostics) = TLE.fromOMM(message, precision: .exact)
                #expect(back == tle, "\(file) \(tle.catalogueNumber)")
                #expect(diagnostics.isEmpty, "\(diagnostics)")
                // The OMM carries values, not spelling: a zero exponent written 00000+0 comes back as 00000-0.
                if let back, !tle.spelling.ddotZeroExponentPlus, !tle.spelling.bstarZeroExponentPlus {
                    #expect(try back.lines() == tle.lines())
                }
            }
        }
    }

    @Test func noradAbove339999IsNotRepresentable() throws {
        var message = try TLE(line1: issLine1, line2: issLine2).ommMessage(creationDate: created, originator: "X")
        message.segments[0].data.children[1]["NORAD_CAT_ID"] = .integer(400_000)
        let (tle, diagnostics) = TLE.fromOMM(message)
        #expect(tle == nil)
        let error = try #require(diagnostics.first { $0.severity == .error })
        #expect(error.code == .notRepresentable)
        #expect(error.keyword == "NORAD_CAT_ID")
        #expect(error.message.contains("400000"))
    }

    @Test(arguments: [
        ("metadata", "REF_FRAME", Value.text("GCRF")), ("metadata", "TIME_SYSTEM", .text("TAI")),
        ("metadata", "MEAN_ELEMENT_THEORY", .text("DSST")), ("metadata", "CENTER_NAME", .text("MOON")),
        ("meanElements", "ECCENTRICITY", .real(1.0)), ("meanElements", "MEAN_MOTION", .real(100.0)),
        ("meanElements", "EPOCH", .epoch(CCSDSEpoch(year: 2060, month: 1, day: 1))),
        ("tleParameters", "BSTAR", .real(3e9)), ("tleParameters", "ELEMENT_SET_NO", .integer(10_000)),
        ("tleParameters", "REV_AT_EPOCH", .integer(100_000)), ("tleParameters", "EPHEMERIS_TYPE", .integer(12)),
        ("tleParameters", "CLASSIFICATION_TYPE", .text("SECRET")),
    ])
    func valuesATLECannotCarry(block: String, keyword: String, value: Value) throws {
        var message = try TLE(line1: issLine1, line2: issLine2).ommMessage(creationDate: created, originator: "X")
        switch block {
        case "metadata": message.segments[0].metadata[keyword] = value
        case "meanElements": message.segments[0].data.children[0][keyword] = value
        default: message.segments[0].data.children[1][keyword] = value
        }
        let (tle, diagnostics) = TLE.fromOMM(message)
        #expect(tle == nil)
        let error = try #require(diagnostics.first { $0.severity == .error })
        #expect(error.code == .notRepresentable)
        #expect(error.keyword == keyword)
    }

    @Test func extraDigitsAreRoundedOrRefused() throws {
        var message = try TLE(line1: issLine1, line2: issLine2).ommMessage(creationDate: created, originator: "X")
        message.segments[0].data.children[0]["MEAN_MOTION"] = .real(15.721253914)
        message.segments[0].data.children[0]["EPOCH"] = .epoch(try #require(CCSDSEpoch("2008-09-20T12:25:40.1")))
        let (rounded, warnings) = TLE.fromOMM(message)
        #expect(rounded?.meanMotionRevolutionsPerDay == 15.72125391)
        #expect(rounded?.epoch.text == "08264.51782523")
        #expect(Set(warnings.compactMap(\.keyword)) == ["MEAN_MOTION", "EPOCH"])
        #expect(warnings.allSatisfy { $0.severity == .warning && $0.code == .notRepresentable })
        let (exact, errors) = TLE.fromOMM(message, precision: .exact)
        #expect(exact == nil)
        #expect(errors.filter { $0.severity == .error }.count == 2)
    }

    @Test func blueBookGOES9() throws {
        // CCSDS 502.0-B-3 Figure G-7, as a model (MEAN_ELEMENT_THEORY = SGP/SGP4, GM = 398600.8).
        let message = Message(
            type: .omm, version: "3.0",
            header: Block(
                name: "header",
                fields: [
                    Field("CREATION_DATE", .epoch(try #require(CCSDSEpoch("2020-065T16:00:00")))),
                    Field("ORIGINATOR", .text("NOAA")), Field("MESSAGE_ID", .text("OMM 202013719185")),
                ]),
            segments: [
                Segment(
                    metadata: Block(
                        name: "metadata",
                        fields: [
                            Field("OBJECT_NAME", .text("GOES 9")), Field("OBJECT_ID", .text("1995-025A")),
                            Field("CENTER_NAME", .text("EARTH")), Field("REF_FRAME", .text("TEME")),
                            Field("TIME_SYSTEM", .text("UTC")), Field("MEAN_ELEMENT_THEORY", .text("SGP/SGP4")),
                        ]),
                    data: Block(
                        name: "data",
                        children: [
                            Block(
                                name: "meanElements",
                                fields: [
                                    Field("EPOCH", .epoch(try #require(CCSDSEpoch("2020-064T10:34:41.4264")))),
                                    Field("MEAN_MOTION", .real(1.00273272)), Field("ECCENTRICITY", .real(0.0005013)),
                                    Field("INCLINATION", .real(3.0539)), Field("RA_OF_ASC_NODE", .real(81.7939)),
                                    Field("ARG_OF_PERICENTER", .real(249.2363)), Field("MEAN_ANOMALY", .real(150.1602)),
                                    Field("GM", .real(398_600.8)),
                                ]),
                            Block(
                                name: "tleParameters",
                                fields: [
                                    Field("EPHEMERIS_TYPE", .integer(0)), Field("CLASSIFICATION_TYPE", .text("U")),
                                    Field("NORAD_CAT_ID", .integer(23581)), Field("ELEMENT_SET_NO", .integer(925)),
                                    Field("REV_AT_EPOCH", .integer(4316)), Field("BSTAR", .real(0.0001)),
                                    Field("MEAN_MOTION_DOT", .real(-0.00000113)), Field("MEAN_MOTION_DDOT", .real(0.0)),
                                ]),
                        ]))
            ])
        let (tle, diagnostics) = TLE.fromOMM(message, precision: .exact)
        #expect(diagnostics.isEmpty)
        let expected = String(decoding: try tleFixture("valid/goes9.3le"), as: UTF8.self)
        #expect(try tle?.text() == expected)
    }

    @Test func designatorsAndObjectIDs() {
        #expect(TLE.objectID(forDesignator: "98067A") == "1998-067A")
        #expect(TLE.objectID(forDesignator: "57001A") == "1957-001A")
        #expect(TLE.objectID(forDesignator: "56001ABC") == "2056-001ABC")
        #expect(TLE.objectID(forDesignator: "") == "UNKNOWN")
        #expect(TLE.designator(forObjectID: "1998-067UQ")?.designator == "98067UQ")
        #expect(TLE.designator(forObjectID: "UNKNOWN")?.designator == "")
        #expect(TLE.designator(forObjectID: "1956-001A") == nil)
    }

    @Test func namelessAndUndesignatedSetsSurvive() throws {
        let line1 = withChecksum("1 11801U          80230.29629788  .01431103  00000-0  14311-1 0    13")
        let line2 = "2 11801  46.7916 230.4354 7318036  47.4722  10.4117  2.28537848    13"
        let tle = try TLE(line1: line1, line2: withChecksum(line2))
        let message = tle.ommMessage(creationDate: created, originator: "X")
        #expect(message.segments[0].metadata["OBJECT_NAME"] == .text("UNKNOWN"))
        #expect(message.segments[0].metadata["OBJECT_ID"] == .text("UNKNOWN"))
        #expect(try TLE(omm: message, precision: .exact) == tle)
    }
}

@Suite struct OMMCSVTests {
    @Test func headerIsTheGPHeader() {
        let text = OMMCSV.write([TLE]())
        #expect(
            text == "OBJECT_NAME,OBJECT_ID,EPOCH,MEAN_MOTION,ECCENTRICITY,INCLINATION,RA_OF_ASC_NODE,"
                + "ARG_OF_PERICENTER,MEAN_ANOMALY,EPHEMERIS_TYPE,CLASSIFICATION_TYPE,NORAD_CAT_ID,ELEMENT_SET_NO,"
                + "REV_AT_EPOCH,BSTAR,MEAN_MOTION_DOT,MEAN_MOTION_DDOT\r\n")
    }

    @Test func csvRoundTrip() throws {
        var sets: [TLE] = []
        for file in ["iss.3le", "celestrak.3le", "deep_space.tle", "alpha5.3le"] {
            sets += TLECatalogue.parse(try tleFixture("valid/" + file)).sets
        }
        sets[0].name = "NAME, WITH \"QUOTES\""
        let messages = sets.map { $0.ommMessage(creationDate: created, originator: "ESSOR") }
        let (text, problems) = OMMCSV.write(messages)
        #expect(problems.isEmpty)
        #expect(text == OMMCSV.write(sets))
        #expect(text.contains("\"NAME, WITH \"\"QUOTES\"\"\""))
        let (read, diagnostics) = OMMCSV.read(text, creationDate: created, originator: "ESSOR")
        #expect(diagnostics.isEmpty)
        #expect(read == messages)
        #expect(try read.map { try TLE(omm: $0, precision: .exact) } == sets)
    }

    @Test func readsCelesTrakGPCSV() throws {
        // https://celestrak.org/NORAD/elements/gp.php?CATNR=55123&FORMAT=CSV (as quoted by python-sgp4's tests).
        let csv = """
            OBJECT_NAME,OBJECT_ID,EPOCH,MEAN_MOTION,ECCENTRICITY,INCLINATION,RA_OF_ASC_NODE,ARG_OF_PERICENTER,\
            MEAN_ANOMALY,EPHEMERIS_TYPE,CLASSIFICATION_TYPE,NORAD_CAT_ID,ELEMENT_SET_NO,REV_AT_EPOCH,BSTAR,\
            MEAN_MOTION_DOT,MEAN_MOTION_DDOT
            MARIO,1998-067UQ,2023-04-25T10:45:30.642912,15.99081912,.0014649,51.6242,216.2930,331.8976,28.1241,0,\
            U,55123,999,1839,.1568E-2,.787702E-2,.29408E-3

            """
        let (messages, diagnostics) = OMMCSV.read(csv, creationDate: created, originator: "CelesTrak")
        #expect(diagnostics.isEmpty)
        let message = try #require(messages.first)
        let tle = try TLE(omm: message, precision: .exact)
        #expect(tle == (try TLE(line1: marioLines[1], line2: marioLines[2], name: marioLines[0])))
        #expect(try tle.lines() == (marioLines[1], marioLines[2]))
    }

    @Test func csvErrorsHaveLocations() {
        let header = OMMCSV.columns.joined(separator: ",")
        let row =
            "ISS,1998-067A,2008-09-20T12:25:40.104192,15.7x,0.0006703,51.6416,247.4627,130.536,325.0288,0,U,"
            + "25544,292,56353,-1.1606e-05,-2.182e-05,0.0"
        let (messages, diagnostics) = OMMCSV.read(header + "\n" + row + "\n", creationDate: created, originator: "X")
        #expect(messages.isEmpty)
        #expect(diagnostics.first?.code == .invalidValue)
        #expect(diagnostics.first?.location == SourceLocation(line: 2, column: 42))
        #expect(diagnostics.first?.keyword == "MEAN_MOTION")
        let (none, missing) = OMMCSV.read(
            "OBJECT_NAME,EPOCH\nX,2020-01-01T00:00:00\n", creationDate: created,
            originator: "X")
        #expect(none.isEmpty)
        #expect(missing.first?.code == .missingKeyword)
    }

    @Test func epochIsWrittenForPythonSGP4() throws {
        // python-sgp4 parses EPOCH with strptime('%Y-%m-%dT%H:%M:%S.%f'): calendar form, at most six digits.
        var message = try TLE(line1: issLine1, line2: issLine2).ommMessage(creationDate: created, originator: "X")
        message.segments[0].data.children[0]["EPOCH"] = .epoch(try #require(CCSDSEpoch("2020-064T10:34:41.4264")))
        #expect(OMMCSV.write([message]).text.contains(",2020-03-04T10:34:41.426400,"))
        message.segments[0].data.children[0]["EPOCH"] = .epoch(try #require(CCSDSEpoch("2020-12-31T23:59:59.9999996Z")))
        let (text, warnings) = OMMCSV.write([message])
        #expect(text.contains(",2021-01-01T00:00:00.000000,"))
        #expect(warnings.first?.keyword == "EPOCH")
    }
}
