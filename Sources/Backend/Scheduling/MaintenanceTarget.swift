import Astrodynamics

/// A catalogue object the network keeps observing when no request needs the time (routine catalogue maintenance):
/// GEO objects whose orbit is the least certain, or the oldest, come first.
public struct MaintenanceTarget: Sendable, Hashable {
    /// The object.
    public var noradID: Int
    /// Days from its latest orbit's epoch to the planning time.
    public var orbitAgeDays: Double
    /// Its position uncertainty, km (1σ, the largest axis).
    public var positionUncertaintyKilometres: Double

    /// A target from its fields.
    public init(noradID: Int, orbitAgeDays: Double, positionUncertaintyKilometres: Double) {
        self.noradID = noradID
        self.orbitAgeDays = orbitAgeDays
        self.positionUncertaintyKilometres = positionUncertaintyKilometres
    }

    /// A target whose only knowledge is its element set's epoch: the age is `now − elementEpoch`, and the
    /// uncertainty grows from 1 km by 1 km per day of age. That growth is a round figure of the order Flohrer et al.
    /// (2008, "Assessment and categorization of TLE orbit errors for the US SSN catalogue", AMOS) report for GEO
    /// element sets; only the ordering it induces matters here, which is the ordering by age.
    public init(noradID: Int, elementEpoch: Epoch, now: Epoch) {
        let age = max(now.seconds(since: elementEpoch) / 86_400, 0)
        self.init(noradID: noradID, orbitAgeDays: age, positionUncertaintyKilometres: 1 + age)
    }

    /// The maintenance order: the least certain first, then the oldest, then the NORAD id.
    static func servedBefore(_ a: MaintenanceTarget, _ b: MaintenanceTarget) -> Bool {
        if a.positionUncertaintyKilometres != b.positionUncertaintyKilometres {
            return a.positionUncertaintyKilometres > b.positionUncertaintyKilometres
        }
        if a.orbitAgeDays != b.orbitAgeDays { return a.orbitAgeDays > b.orbitAgeDays }
        return a.noradID < b.noradID
    }
}

extension TrackedObject {
    /// Whether the object is geosynchronous in the catalogue sense: 0.9–1.1 revolutions per day and eccentricity
    /// below 0.1 (the GEO region's usual bounds, e.g. ESA's "Classification of Geosynchronous Objects" reports).
    public var isGeosynchronous: Bool {
        let revolutionsPerDay = tle.meanMotionRevolutionsPerDay
        return (0.9...1.1).contains(revolutionsPerDay) && tle.eccentricity < 0.1
    }
}
