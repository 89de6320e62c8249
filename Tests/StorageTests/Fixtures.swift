import CCSDS
import Foundation
import GatewayCore
import Policy

/// Test data shared by the conformance suites.
enum Fixtures {
    /// A fixed instant (2023-11-14T22:13:20Z) plus `seconds`: times in whole seconds survive every engine exactly.
    static func time(_ seconds: Int = 0) -> Date { Date(timeIntervalSince1970: 1_700_000_000 + Double(seconds)) }

    /// A TLE-based OMM for `noradID` at day `day` of 2024 (fractional days allowed, e.g. "12.50000000").
    static func omm(_ noradID: Int, day: String, meanMotion: Double = 15.5) -> Message {
        let epoch = TLEEpoch(text: "24" + day)!
        let tle = TLE(
            name: "SYNTHETIC \(noradID)", catalogueNumber: noradID, internationalDesignator: "24001A", epoch: epoch,
            bstarPerEarthRadius: 0.0001, inclinationDegrees: 51.6, rightAscensionOfAscendingNodeDegrees: 120,
            eccentricity: 0.0005, argumentOfPerigeeDegrees: 90, meanAnomalyDegrees: 270,
            meanMotionRevolutionsPerDay: meanMotion, revolutionNumberAtEpoch: 1234)
        return tle.ommMessage(creationDate: CCSDSEpoch(year: 2024, month: 2, day: 1), originator: "ESSOR TESTS")
    }

    /// An element-set record for `noradID` at day `day` of 2024, received at `time(received)`.
    static func elementSet(_ noradID: Int, day: String, received: Int = 0, source: String = "test")
        throws -> ElementSetRecord
    {
        try ElementSetRecord(omm: omm(noradID, day: day), received: time(received), source: source)
    }

    /// A catalogue object.
    static func object(_ noradID: Int, owner: String? = nil, updated: Int = 0) -> CatalogueObject {
        CatalogueObject(
            noradID: noradID, cosparID: "2024-001A", name: "SYNTHETIC \(noradID)", type: .payload, owner: owner,
            marking: owner == nil ? .public : .partners(["partner-1", "partner-2"]),
            launchDate: CalendarDate(year: 2024, month: 1, day: 1), decayDate: nil, updated: time(updated))
    }

    /// Organisations `operator-a` and `operator-b`, users of the same names (role operator) and `admin`.
    static func seedIdentities(_ store: some IdentityStore) async throws {
        for name in ["operator-a", "operator-b", "admin"] {
            try await store.createOrganisation(
                Organisation(name: name, displayName: name.uppercased(), created: time()))
        }
        try await store.createUser(
            User(name: "operator-a", organisation: "operator-a", roles: [.operator], created: time()))
        try await store.createUser(
            User(name: "operator-b", organisation: "operator-b", roles: [.operator], created: time()))
        try await store.createUser(
            User(name: "admin", organisation: "admin", roles: [.admin, .operator], created: time()))
    }
}
