import Astrodynamics
import CCSDS
import Foundation
import GatewayCore
import Policy
import Testing

/// The demo data set: its contents are a contract (DESIGN §6) that the policies and the oracle tests rely on.
@Suite struct DemoDataSetTests {
    static let now = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
    static let data = DemoDataSet(now: now)

    @Test func holdsTheOrganisationsAndOneUserEach() {
        let data = Self.data
        #expect(
            data.organisations.map(\.name) == [
                "operator-a", "operator-b", "partner-1", "partner-2", "requester", "admin", "backend",
            ])
        #expect(data.users.allSatisfy { $0.organisation == $0.name && $0.roles.count == 1 })
        let roles = Dictionary(uniqueKeysWithValues: data.users.map { ($0.name, $0.roles.first!) })
        #expect(roles["operator-a"] == .operator && roles["operator-b"] == .operator)
        #expect(roles["partner-1"] == .partner && roles["partner-2"] == .partner)
        #expect(roles["requester"] == .requester && roles["admin"] == .admin && roles["backend"] == .backend)
    }

    @Test func holdsElevenHundredSyntheticObjectsWithThreeSetsEach() {
        let data = Self.data
        #expect(data.objects.map(\.noradID) == Array(90001...91100))
        #expect(data.elementSets.count == 3_300)
        for object in data.objects {
            #expect(object.name.hasPrefix("SYNTH "))
            #expect(object.cosparID?.hasPrefix("2056-") == true)
            #expect(data.elementSets.filter { $0.noradID == object.noradID }.count == 3)
        }
        #expect(Set(data.objects.map(\.type)).isSuperset(of: [.payload, .rocketBody, .debris]))
        #expect(data.elementSets.allSatisfy { $0.source == "demo" })
    }

    @Test func ownershipAndMarkingsAreExact() {
        func expect(_ ids: ClosedRange<Int>, _ owner: String?, _ marking: Marking) {
            for object in Self.data.objects where ids.contains(object.noradID) {
                #expect(object.owner == owner && object.marking == marking, "\(object.noradID)")
            }
        }
        expect(90001...90004, "operator-a", .restricted)
        expect(90005...90007, "operator-a", .operators)
        expect(90008...90010, "operator-a", .public)
        expect(90011...90014, "operator-b", .restricted)
        expect(90015...90017, "operator-b", .operators)
        expect(90018...90020, "operator-b", .public)
        expect(90021...91090, nil, .public)
        expect(91091...91100, nil, .restricted)
    }

    @Test func mixesOrbitRegimes() {
        var counts: [String: Int] = [:]
        for object in Self.data.objects { counts[String(object.name.split(separator: " ")[1]), default: 0] += 1 }
        #expect(counts == ["LEO": 660, "MEO": 165, "GEO": 165, "HEO": 110])
    }

    @Test func isDeterministic() {
        let again = DemoDataSet(now: Self.now)
        #expect(again.objects == Self.data.objects)
        #expect(again.elementSets == Self.data.elementSets)
    }

    @Test func latestEpochIsWithinTheLastDayAndTheOthersOneAndTwoDaysEarlier() throws {
        for index in stride(from: 0, to: Self.data.elementSets.count, by: 3) {
            let sets = Self.data.elementSets[index..<index + 3].map { seconds(of: $0.epoch) }
            let now = Self.now.timeIntervalSince1970
            #expect(sets[2] < now && sets[2] > now - 86_400)
            #expect(abs(sets[2] - sets[1] - 86_400) < 0.001 && abs(sets[1] - sets[0] - 86_400) < 0.001)
            #expect(Self.data.elementSets[index + 2].received <= Self.now)
        }
    }

    @Test func ommToTLERoundTripIsLossless() throws {
        for record in Self.data.elementSets {
            let tle = try TLE(omm: record.omm, precision: .exact)
            let text = TLECatalogue.write([tle])
            #expect(text.diagnostics.isEmpty)
            let reread = try #require(TLECatalogue.parse(text.bytes).sets.first)
            #expect(reread == tle)
            let creation = try #require(record.omm.header.find("CREATION_DATE")?.epoch)
            #expect(reread.ommMessage(creationDate: creation, originator: "ESSOR DEMO") == record.omm)
        }
    }

    @Test func everySetPropagatesTenDaysEitherSideOfItsEpoch() throws {
        let minutes = Array(stride(from: -14_400.0, through: 14_400.0, by: 360.0))
        for record in Self.data.elementSets {
            let propagator = try SGP4Propagator(tle: try TLE(omm: record.omm))
            for minute in minutes {
                let state = try propagator.propagate(minutesSinceEpoch: minute)
                let radius = (state.positionKilometres * state.positionKilometres).sum().squareRoot()
                #expect(radius > 6_378 + 450, "\(record.noradID) at minute \(minute)")
            }
        }
    }

    /// Seconds since 1970 of a UTC epoch (leap seconds ignored).
    func seconds(of epoch: CCSDSEpoch) -> Double {
        Double(ElementSetRecord.microseconds(of: epoch)) / 1_000_000
    }
}
