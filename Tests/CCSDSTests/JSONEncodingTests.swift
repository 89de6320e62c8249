import Foundation
import Testing

@testable import CCSDS

/// The JSON encoding: every example survives KVN/XML → JSON → model unchanged, the output is deterministic and
/// documented, and bad JSON is rejected with located diagnostics.
@Suite struct JSONEncodingTests {
    /// Blue Book examples and valid fixtures of every type, KVN and XML.
    static let validMessages: [URL] =
        FixturePaths.blueBookExamples
        + ["opm", "omm", "oem", "cdm", "tdm"].flatMap {
            FixturePaths.files(in: FixturePaths.fixtures.appendingPathComponent("\($0)/valid"), extensions: ["kvn", "xml"])
        }

    /// Reads JSON text.
    static func read(_ text: String, strictness: Strictness = .strict) -> ReadResult {
        MessageReader.read(Array(text.utf8), encoding: .json, strictness: strictness)
    }

    /// A small valid OPM in JSON, to break in the tests below.
    static let opm = """
        {
          "type": "OPM",
          "version": "3.0",
          "header": {
            "CREATION_DATE": "2022-11-06T09:23:57",
            "ORIGINATOR": "JAXA"
          },
          "segments": [
            {
              "metadata": {
                "OBJECT_NAME": "OSPREY 5",
                "OBJECT_ID": "1998-999A",
                "CENTER_NAME": "EARTH",
                "REF_FRAME": "ITRF2000",
                "TIME_SYSTEM": "UTC"
              },
              "data": {
                "stateVector": {
                  "EPOCH": "2022-12-18T14:28:15.1172",
                  "X": 6503.514,
                  "Y": 1239.647,
                  "Z": -717.49,
                  "X_DOT": -0.87316,
                  "Y_DOT": 8.74042,
                  "Z_DOT": -4.191076
                }
              }
            }
          ]
        }

        """

    // MARK: - Round trips

    @Test(arguments: validMessages)
    func roundTripsThroughJSON(_ url: URL) throws {
        let original = MessageReader.read(FixturePaths.bytes(url))
        let message = try #require(original.message, "\(url.lastPathComponent): \(original.diagnostics)")
        let json = JSONMessageWriter.write(message)
        #expect(Encoding.detect(json) == .json)
        let back = MessageReader.read(json)
        #expect(back.message == message, "\(url.lastPathComponent)")
        if original.isValid {
            #expect(back.isValid, "\(url.lastPathComponent): \(back.diagnostics)")
        }
        let again = try #require(back.message)
        #expect(JSONMessageWriter.write(again) == json, "\(url.lastPathComponent): the JSON is not canonical")
    }

    @Test func writesTheDocumentedShape() throws {
        let kvn = """
            CCSDS_OEM_VERS = 3.0
            COMMENT header comment
            CREATION_DATE = 1996-11-04T17:22:31
            ORIGINATOR = NASA/JPL
            META_START
            OBJECT_NAME = MARS GLOBAL SURVEYOR
            OBJECT_ID = 1996-062A
            CENTER_NAME = MARS BARYCENTER
            REF_FRAME = EME2000
            TIME_SYSTEM = UTC
            START_TIME = 1996-12-18T12:00:00.331
            STOP_TIME = 1996-12-18T12:01:00.331
            INTERPOLATION = HERMITE
            INTERPOLATION_DEGREE = 7
            META_STOP
            COMMENT data comment
            1996-12-18T12:00:00.331 2789.619 -280.045 -1746.755 4.73372 -2.49586 -1.04195
            1996-12-18T12:01:00.331 2783.419 -308.143 -1877.071 5.18604 -2.42124 -1.99608
            COVARIANCE_START
            EPOCH = 1996-12-18T12:00:00.331
            COV_REF_FRAME = RTN
            3.3313494e-04
            4.6189273e-04 6.7824216e-04
            -3.0700078e-04 -4.2212341e-04 3.2319319e-04
            -3.3493650e-07 -4.6860842e-07 2.4849495e-07 4.2960228e-10
            -2.2118325e-07 -2.8641868e-07 1.7980986e-07 2.6088992e-10 1.7675147e-10
            -3.0413460e-07 -4.9894969e-07 3.5403109e-07 1.8692631e-10 1.0088625e-10 6.2244443e-10
            COVARIANCE_STOP

            """
        let message = try MessageReader.message(from: Array(kvn.utf8))
        let json = String(decoding: JSONMessageWriter.write(message), as: UTF8.self)
        let expected = """
            {
              "type": "OEM",
              "version": "3.0",
              "header": {
                "COMMENT": ["header comment"],
                "CREATION_DATE": "1996-11-04T17:22:31",
                "ORIGINATOR": "NASA/JPL"
              },
              "segments": [
                {
                  "metadata": {
                    "OBJECT_NAME": "MARS GLOBAL SURVEYOR",
                    "OBJECT_ID": "1996-062A",
                    "CENTER_NAME": "MARS BARYCENTER",
                    "REF_FRAME": "EME2000",
                    "TIME_SYSTEM": "UTC",
                    "START_TIME": "1996-12-18T12:00:00.331",
                    "STOP_TIME": "1996-12-18T12:01:00.331",
                    "INTERPOLATION": "HERMITE",
                    "INTERPOLATION_DEGREE": 7
                  },
                  "data": {
                    "COMMENT": ["data comment"],
                    "stateVector": [
                      {"EPOCH": "1996-12-18T12:00:00.331", "X": 2789.619, "Y": -280.045, "Z": -1746.755, "X_DOT": 4.73372, "Y_DOT": -2.49586, "Z_DOT": -1.04195},
                      {"EPOCH": "1996-12-18T12:01:00.331", "X": 2783.419, "Y": -308.143, "Z": -1877.071, "X_DOT": 5.18604, "Y_DOT": -2.42124, "Z_DOT": -1.99608}
                    ],
                    "covarianceMatrix": [
                      {
                        "EPOCH": "1996-12-18T12:00:00.331",
                        "COV_REF_FRAME": "RTN",
                        "CX_X": 0.00033313494,
                        "CY_X": 0.00046189273,
                        "CY_Y": 0.00067824216,
                        "CZ_X": -0.00030700078,
                        "CZ_Y": -0.00042212341,
                        "CZ_Z": 0.00032319319,
                        "CX_DOT_X": -3.349365e-07,
                        "CX_DOT_Y": -4.6860842e-07,
                        "CX_DOT_Z": 2.4849495e-07,
                        "CX_DOT_X_DOT": 4.2960228e-10,
                        "CY_DOT_X": -2.2118325e-07,
                        "CY_DOT_Y": -2.8641868e-07,
                        "CY_DOT_Z": 1.7980986e-07,
                        "CY_DOT_X_DOT": 2.6088992e-10,
                        "CY_DOT_Y_DOT": 1.7675147e-10,
                        "CZ_DOT_X": -3.041346e-07,
                        "CZ_DOT_Y": -4.9894969e-07,
                        "CZ_DOT_Z": 3.5403109e-07,
                        "CZ_DOT_X_DOT": 1.8692631e-10,
                        "CZ_DOT_Y_DOT": 1.0088625e-10,
                        "CZ_DOT_Z_DOT": 6.2244443e-10
                      }
                    ]
                  }
                }
              ]
            }

            """
        #expect(json == expected)
        #expect(try MessageReader.message(from: Array(json.utf8)) == message)
    }

    @Test func keepsEveryDoubleAndEveryCharacter() throws {
        let numbers: [Double] = [
            .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude, 0.1, 1e-5, -0.0, 1e16, 1.2345678901234568e20,
            0.30000000000000004, -4.191076,
        ]
        let text = "quote \" backslash \\ tab \t newline \n bell \u{7} é 🚀"
        var message = try MessageReader.message(from: Array(Self.opm.utf8), encoding: .json)
        message.header["ORIGINATOR"] = .text(text)
        for number in numbers {
            message.segments[0].data.children[0]["X"] = .real(number)
            let json = JSONMessageWriter.write(message)
            let back = try MessageReader.message(from: json)
            #expect(back.segments[0].data.children[0]["X"] == .real(number))
            #expect(back.segments[0].data.children[0]["X"]?.double?.sign == number.sign)
            #expect(back.header["ORIGINATOR"] == .text(text))
        }
        let json = String(decoding: JSONMessageWriter.write(message), as: UTF8.self)
        #expect(json.contains(#""ORIGINATOR": "quote \" backslash \\ tab \t newline \n bell \u0007 é 🚀""#))
    }

    @Test func readsEscapesAndSurrogatePairs() throws {
        let json = Self.opm.replacing(#""JAXA""#, with: #""J\u0041XA \/ \ud83d\ude80""#)
        let message = try MessageReader.message(from: Array(json.utf8))
        #expect(message.header["ORIGINATOR"] == .text("JAXA / 🚀"))
    }

    @Test func distinguishesSpellingsThatTheModelDistinguishes() throws {
        let message = try MessageReader.message(from: Array(Self.opm.utf8))
        var other = message
        other.segments[0].data.children[0]["EPOCH"] = .epoch(try #require(CCSDSEpoch("2022-12-18T14:28:15.11720")))
        #expect(message != other)
        #expect(JSONMessageWriter.write(message) != JSONMessageWriter.write(other))
    }

    @Test func keepsCommentsOfABlockThatHoldsNothingElse() throws {
        let json = Self.opm.replacing(
            "-4.191076\n        }", with: "-4.191076\n        },\n        \"spacecraftParameters\": {\"COMMENT\": [\"only a comment\"]}")
        let message = try MessageReader.message(from: Array(json.utf8))
        let parameters = try #require(message.segments[0].data.child("spacecraftParameters"))
        #expect(parameters.comments == ["only a comment"])
        #expect(parameters.fields.isEmpty)
        #expect(try MessageReader.message(from: JSONMessageWriter.write(message)) == message)
    }

    @Test func writesUserDefinedParametersAndPhaseCountsAsStrings() throws {
        let tdm = """
            CCSDS_TDM_VERS = 2.0
            CREATION_DATE = 2005-160T20:15:00Z
            ORIGINATOR = NASA
            META_START
            TIME_SYSTEM = UTC
            PARTICIPANT_1 = DSS-25
            PARTICIPANT_2 = yyyy-nnnA
            MODE = SEQUENTIAL
            PATH = 2,1
            META_STOP
            DATA_START
            RECEIVE_PHASE_CT_1 = 2005-159T17:41:00 7175173383.615373
            RANGE = 2005-159T17:41:01 1234.5
            DATA_STOP

            """
        let message = try MessageReader.message(from: Array(tdm.utf8))
        let json = String(decoding: JSONMessageWriter.write(message), as: UTF8.self)
        #expect(json.contains(#"{"EPOCH": "2005-159T17:41:00", "RECEIVE_PHASE_CT_1": "7175173383.615373"}"#))
        #expect(json.contains(#"{"EPOCH": "2005-159T17:41:01", "RANGE": 1234.5}"#))
        #expect(try MessageReader.message(from: Array(json.utf8)) == message)

        let opm = Self.opm.replacing(
            "-4.191076\n        }",
            with: "-4.191076\n        },\n        \"userDefinedParameters\": {\"USER_DEFINED_EARTH_MODEL\": \"WGS-84\"}")
        let withParameters = try MessageReader.message(from: Array(opm.utf8))
        #expect(withParameters.segments[0].data.child("userDefinedParameters")?["USER_DEFINED_EARTH_MODEL"] == .text("WGS-84"))
    }

    // MARK: - Rejections

    /// A broken input, where its first error must be, and what kind of error it is.
    struct Breakage: CustomTestStringConvertible, Sendable {
        var name: String
        var json: String
        var line: Int
        var column: Int
        var code: Diagnostic.Code
        var testDescription: String { name }

        init(_ name: String, _ json: String, _ line: Int, _ column: Int, _ code: Diagnostic.Code) {
            self.name = name
            self.json = json
            self.line = line
            self.column = column
            self.code = code
        }

        init(_ name: String, replacing old: String, with new: String, _ line: Int, _ column: Int, _ code: Diagnostic.Code) {
            self.init(name, JSONEncodingTests.opm.replacing(old, with: new), line, column, code)
        }
    }

    static let breakages: [Breakage] = [
        Breakage("trailing comma", replacing: "\"JAXA\"\n", with: "\"JAXA\",\n", 7, 3, .syntax),
        Breakage("missing colon", replacing: "\"ORIGINATOR\": ", with: "\"ORIGINATOR\" ", 6, 18, .syntax),
        Breakage("leading zero", replacing: "6503.514", with: "06503.514", 20, 16, .syntax),
        Breakage("NaN", replacing: "6503.514", with: "NaN", 20, 16, .syntax),
        Breakage("unclosed string", replacing: "\"JAXA\"", with: "\"JAXA", 6, 19, .syntax),
        Breakage("raw tab in a string", replacing: "\"JAXA\"", with: "\"JA\tXA\"", 6, 22, .syntax),
        Breakage("bad escape", replacing: "\"JAXA\"", with: "\"JA\\xXA\"", 6, 22, .syntax),
        Breakage("content after the message", JSONEncodingTests.opm + "{}", 31, 1, .syntax),
        Breakage("not an object", "[\"OPM\"]", 1, 1, .syntax),
        Breakage("empty file", "\n  \n", 3, 1, .syntax),
        Breakage("unknown type", replacing: "\"OPM\"", with: "\"OCM\"", 2, 11, .unsupportedMessage),
        Breakage("unknown version", replacing: "\"3.0\"", with: "\"4.0\"", 3, 14, .unsupportedMessage),
        Breakage("version first", replacing: "\"type\": \"OPM\",\n  \"version\": \"3.0\"",
            with: "\"version\": \"3.0\",\n  \"type\": \"OPM\"", 2, 3, .unsupportedMessage),
        Breakage("unknown keyword", replacing: "\"ORIGINATOR\": \"JAXA\"", with: "\"ORIGINATOR\": \"JAXA\",\n    \"FOO\": 1",
            7, 5, .unknownKeyword),
        Breakage("keyword of another block", replacing: "\"ORIGINATOR\": \"JAXA\"",
            with: "\"ORIGINATOR\": \"JAXA\",\n    \"OBJECT_NAME\": \"X\"", 7, 5, .unknownKeyword),
        Breakage("unknown top-level member", replacing: "\"segments\"", with: "\"segmentz\"", 8, 3, .unknownKeyword),
        Breakage("number for text", replacing: "\"JAXA\"", with: "42", 6, 19, .invalidValue),
        Breakage("string for number", replacing: "6503.514", with: "\"6503.514\"", 20, 16, .invalidValue),
        Breakage("boolean for number", replacing: "6503.514", with: "true", 20, 16, .invalidValue),
        Breakage("null value", replacing: "6503.514", with: "null", 20, 16, .invalidValue),
        Breakage(
            "array for a single block",
            JSONEncodingTests.opm.replacing("\"stateVector\": {", with: "\"stateVector\": [{")
                .replacing("-4.191076\n        }", with: "-4.191076\n        }]"), 18, 24, .invalidValue),
        Breakage("impossible epoch", replacing: "2022-12-18T14:28:15.1172", with: "2022-13-18T14:28:15", 19, 20,
            .valueOutOfRange),
        Breakage("value out of range", replacing: "\"ITRF2000\"", with: "\"ITRF2000\",\n        \"REF_FRAME_EPOCH\": 3",
            15, 28, .invalidValue),
        Breakage("keyword out of order", replacing: "\"X\": 6503.514,\n          \"Y\": 1239.647,",
            with: "\"Y\": 1239.647,\n          \"X\": 6503.514,", 20, 11, .missingKeyword),
        Breakage("keyword given twice", replacing: "\"Y\": 1239.647,", with: "\"Y\": 1239.647,\n          \"Y\": 1.0,",
            22, 11, .duplicateKeyword),
        Breakage("required keyword missing", replacing: "\"ORIGINATOR\": \"JAXA\"", with: "\"MESSAGE_ID\": \"1\"", 6, 5,
            .missingKeyword),
        Breakage("comment not first", replacing: "\"ORIGINATOR\": \"JAXA\"",
            with: "\"ORIGINATOR\": \"JAXA\",\n    \"COMMENT\": [\"late\"]", 7, 5, .structure),
        Breakage("no segments", replacing: "\"segments\": [", with: "\"segments\": [] , \"x\": [", 8, 3, .structure),
        Breakage(
            "no data",
            #"{"type": "OPM", "version": "3.0", "header": {"CREATION_DATE": "2022-11-06T09:23:57", "ORIGINATOR": "J"},"#
                + #" "segments": [{"metadata": {"OBJECT_NAME": "O", "OBJECT_ID": "1998-999A", "CENTER_NAME": "EARTH","#
                + #" "REF_FRAME": "ITRF2000", "TIME_SYSTEM": "UTC"}}]}"#, 1, 249, .missingKeyword),
    ]

    @Test(arguments: breakages)
    func rejectsWithALocatedDiagnostic(_ breakage: Breakage) throws {
        let result = Self.read(breakage.json)
        #expect(!result.isValid)
        let error = try #require(result.diagnostics.first { $0.severity == .error }, "\(result.diagnostics)")
        #expect(error.code == breakage.code, "\(error)")
        #expect(error.location == SourceLocation(line: breakage.line, column: breakage.column), "\(error)")
        if breakage.code == .syntax {
            #expect(result.message == nil)
        }
    }

    @Test func acceptsAStringForANumberOnlyWhenLenient() throws {
        let json = Self.opm.replacing("6503.514", with: "\"6503.514\"")
        #expect(!Self.read(json).isValid)
        let lenient = Self.read(json, strictness: .lenient)
        #expect(lenient.isValid)
        #expect(lenient.diagnostics.map(\.severity) == [.warning])
        #expect(lenient.message?.segments[0].data.children[0]["X"] == .real(6503.514))
    }

    @Test func checksOEMStatesLikeKVN() throws {
        let json = """
            {"type": "OEM", "version": "3.0",
             "header": {"CREATION_DATE": "1996-11-04T17:22:31", "ORIGINATOR": "NASA/JPL"},
             "segments": [{
              "metadata": {"OBJECT_NAME": "M", "OBJECT_ID": "1996-062A", "CENTER_NAME": "MARS BARYCENTER",
               "REF_FRAME": "EME2000", "TIME_SYSTEM": "UTC", "START_TIME": "2019-12-18T12:00:00",
               "STOP_TIME": "2019-12-18T13:00:00"},
              "data": {"stateVector": [
               {"EPOCH": "2019-12-18T12:00:00", "X": 1, "Y": 2, "Z": 3, "X_DOT": 4, "Y_DOT": 5, "Z_DOT": 6},
               {"EPOCH": "2019-12-18T12:01:00", "X": 1, "Y": 2, "Z": 3, "X_DOT": 4, "Y_DOT": 5, "Z_DOT": 6, "X_DDOT": 0, "Y_DDOT": 0, "Z_DDOT": 0},
               {"EPOCH": "2019-12-18T12:02:00", "X": 1, "Y": 2, "X_DOT": 4, "Y_DOT": 5, "Z_DOT": 6},
               {"EPOCH": "2019-12-18T12:03:00", "X": 1, "Y": 2, "Z": 3, "X_DOT": 4, "Y_DOT": 5, "Z_DOT": 6, "W": 0},
               {"EPOCH": "2019-12-18T12:04:00", "X": 1, "Y": 2, "Z": 3, "X_DOT": 4, "Y_DOT": 5, "Z_DOT": 6, "X_DDOT": 0},
               {"EPOCH": "2019-12-18T12:00:00", "X": 1, "Y": 2, "Z": 3, "X_DOT": 4, "Y_DOT": 5, "Z_DOT": 6},
               {"EPOCH": "2019-12-18T14:00:00", "X": 1, "Y": 2, "Z": 3, "X_DOT": 4, "Y_DOT": 5, "Z_DOT": 6}
              ]}}]}
            """
        let result = Self.read(json)
        let found = result.diagnostics.map { "\($0.location!.line) \($0.code)" }
        #expect(
            found == [
                "9 structure", "10 missingKeyword", "11 unknownKeyword", "12 missingKeyword", "13 consistency",
                "14 consistency",
            ], "\(result.diagnostics)")
        #expect(result.message?.segments[0].ephemeris.count == 3)
    }

    @Test func runsTheConsistencyChecks() throws {
        let json = Self.opm.replacing(
            "\"Z_DOT\": -4.191076\n        }",
            with: "\"Z_DOT\": -4.191076\n        },\n        \"keplerianElements\": {\"SEMI_MAJOR_AXIS\": 6655.9942, "
                + "\"ECCENTRICITY\": 0.020842611, \"INCLINATION\": 139.8937, \"RA_OF_ASC_NODE\": 164.8427, "
                + "\"ARG_OF_PERICENTER\": 304.7939, \"GM\": 398600.4415}")
        let result = Self.read(json)
        let error = try #require(result.diagnostics.first { $0.severity == .error }, "\(result.diagnostics)")
        #expect(error.code == .missingKeyword)
        #expect(error.message.contains("TRUE_ANOMALY"))
    }
}
