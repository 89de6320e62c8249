import CCSDS
import Foundation
import GatewayCore
import Testing

/// The engine-independent parts of the domain types.
@Suite struct GatewayCoreTests {
    @Test func generatedKeysAreUniqueAndParseBack() {
        let keys = (0..<200).map { _ in APIKey.generate(for: "u") }
        #expect(Set(keys.map(\.text)).count == 200)
        #expect(Set(keys.map(\.key.id)).count == 200)
        for issued in keys {
            #expect(APIKey.id(inText: issued.text) == issued.key.id)
            #expect(issued.key.matches(text: issued.text))
            #expect(!issued.key.matches(text: issued.text + "x"))
        }
    }

    @Test(arguments: [
        "", "essor_", "essor_0123456789abcdef", "essor_0123456789abcdef_", "essor_0123456789ABCDEF_x",
        "essor_0123456789abcde_xx", "essor-0123456789abcdef_x", "token_0123456789abcdef_x",
    ])
    func rejectsMalformedKeyTexts(_ text: String) {
        #expect(APIKey.id(inText: text) == nil)
    }

    @Test func calendarDatesParseAndPrint() {
        #expect(CalendarDate("2024-02-29") == CalendarDate(year: 2024, month: 2, day: 29))
        #expect(CalendarDate("0999-01-01")?.description == "0999-01-01")
        for bad in ["2024-13-01", "2024-1-01", "20240101", "2024-01-32", "2024-01-01T00"] {
            #expect(CalendarDate(bad) == nil)
        }
        #expect(CalendarDate(year: 2023, month: 12, day: 31) < CalendarDate(year: 2024, month: 1, day: 1))
    }

    @Test func elementSetRecordsTakeTheirIDAndEpochFromTheOMM() throws {
        let record = try Fixtures.elementSet(90001, day: "001.50000000")
        #expect(record.noradID == 90001)
        #expect(record.epoch.description == "2024-01-01T12:00:00.000000")
        // 2024-01-01T12:00:00Z = 1704110400 s since 1970.
        #expect(record.epochMicroseconds == 1_704_110_400_000_000)
        #expect(
            ElementSetRecord.microseconds(of: CCSDSEpoch(year: 1970, month: 1, day: 1, fractionDigits: "0000019"))
                == 1)
    }

    @Test func elementSetRecordsMustHoldAnOMM() {
        let opm = Message(type: .opm, version: "3.0", header: Block(name: "header"), segments: [])
        #expect(throws: StoreError.invalid("the OMM has no segment")) {
            try ElementSetRecord(omm: opm, received: Date(), source: "x")
        }
        #expect(throws: StoreError.invalid("an element set must be an OMM with one segment, not OPM")) {
            try ElementSetRecord(
                noradID: 1, epoch: CCSDSEpoch(year: 2024, month: 1, day: 1), omm: opm, received: Date(), source: "x")
        }
    }
}
