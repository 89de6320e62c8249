import Foundation
import Policy

/// The demo data set (DESIGN §6): organisations, one user per organisation, and a synthetic catalogue of 1,100
/// objects with three element sets each. Pure and deterministic: the same `now` gives the same data (a fixed-seed
/// generator draws the orbits; only the epochs move with `now`).
///
/// **How the objects are marked synthetic**: NORAD ids 90001–91100, names `SYNTH <REGIME> <NNNN>` (with ` R/B`
/// or ` DEB` for rocket bodies and debris), and COSPAR ids of launch year 2056 (`2056-LLLP`): a year no real
/// object has, and the last one a TLE's two-digit year can carry, so the OMM ↔ TLE round trip stays lossless.
///
/// **Ownership and markings**: 90001–90004 `operator-a` restricted, 90005–90007 `operator-a` operators,
/// 90008–90010 `operator-a` public; 90011–90014 `operator-b` restricted, 90015–90017 `operator-b` operators,
/// 90018–90020 `operator-b` public; 90021–91090 no owner, public; 91091–91100 no owner, restricted.
///
/// **Orbits**: by position in each block of 20 ids, 12 LEO (perigee 520–1,200 km, B* ≤ 5·10⁻⁵), 3 MEO
/// (semi-major axis 25,500–29,600 km), 3 GEO, 2 HEO (Molniya-like, perigee above 1,000 km): 60/15/15/10 %. Each object has sets at
/// epochs `latest`, `latest − 1 d`, `latest − 2 d`, `latest` drawn in [now − 0.95 d, now − 0.05 d]; each set is a
/// TLE (values at field precision) converted to a TLE-based OMM (`TLE.ommMessage`), source `demo`.
public struct DemoDataSet: Sendable {
    /// The time the data set is built around.
    public let now: Date
    /// The organisations: `operator-a`, `operator-b`, `partner-1`, `partner-2`, `requester`, `admin`, `backend`.
    public let organisations: [Organisation]
    /// One user per organisation, of the same name.
    public let users: [User]
    /// The catalogue, in ascending NORAD id order.
    public let objects: [CatalogueObject]
    /// Three element sets per object, by object then epoch (oldest first).
    public let elementSets: [ElementSetRecord]

    /// The NORAD ids of the synthetic catalogue.
    public static let noradIDs = 90001...91100
    /// The `ElementSetRecord.source` of the demo element sets.
    public static let source = "demo"
    /// The generator's seed ("ESSOR" in ASCII).
    static let seed: UInt64 = 0x45_5353_4F52

    /// The users (name = organisation) and their roles.
    public static let userRoles: [(name: String, role: Role)] = [
        ("operator-a", .operator), ("operator-b", .operator), ("partner-1", .partner), ("partner-2", .partner),
        ("requester", .requester), ("admin", .admin), ("backend", .backend),
    ]

    /// Builds the data set around `now`.
    public init(now: Date) {
        self.now = now
        organisations = Self.userRoles.map { user in
            Organisation(name: user.name, displayName: Self.displayName(user.name), created: now)
        }
        users = Self.userRoles.map { User(name: $0.name, organisation: $0.name, roles: [$0.role], created: now) }
        var random = DemoRandom(seed: Self.seed)
        var objects: [CatalogueObject] = []
        var sets: [ElementSetRecord] = []
        for noradID in Self.noradIDs {
            let (object, history) = Self.object(noradID, now: now, random: &random)
            objects.append(object)
            sets += history
        }
        self.objects = objects
        self.elementSets = sets
    }

    /// The owner and marking of a demo object.
    public static func ownership(_ noradID: Int) -> (owner: String?, marking: Marking) {
        switch noradID {
        case 90001...90004: ("operator-a", .restricted)
        case 90005...90007: ("operator-a", .operators)
        case 90008...90010: ("operator-a", .public)
        case 90011...90014: ("operator-b", .restricted)
        case 90015...90017: ("operator-b", .operators)
        case 90018...90020: ("operator-b", .public)
        case 91091...91100: (nil, .restricted)
        default: (nil, .public)
        }
    }

    /// `operator-a` → `Operator A (demo)`, `partner-1` → `Partner 1 (demo)`.
    static func displayName(_ name: String) -> String {
        name.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
            + " (demo)"
    }
}
