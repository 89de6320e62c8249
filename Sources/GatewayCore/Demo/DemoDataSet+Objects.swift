import CCSDS
import Foundation

extension DemoDataSet {
    /// Earth's equatorial radius, km (WGS-72, the constants SGP4 uses).
    static let earthRadius = 6378.135
    /// Earth's gravitational parameter, km³/s² (WGS-72).
    static let mu = 398_600.8

    /// One object and its three element sets, drawing from `random` (always the same number of draws per object,
    /// so each object's orbit depends only on its NORAD id).
    static func object(_ noradID: Int, now: Date, random: inout DemoRandom) -> (CatalogueObject, [ElementSetRecord]) {
        let index = noradID - 90000
        let regime = DemoRegime.of(noradID)
        let (owner, marking) = ownership(noradID)
        let typeDraw = random.uniform(0...1)
        let type: ObjectType = owner != nil || typeDraw < 0.5 ? .payload : (typeDraw < 0.7 ? .rocketBody : .debris)
        let suffix = type == .rocketBody ? " R/B" : (type == .debris ? " DEB" : "")
        let number = String(index).leftPadded(to: 4)
        let name = "SYNTH \(regime.rawValue) \(number)\(suffix)"
        // Launch year 2056 (see the type's documentation), two pieces per launch.
        let launch = String((index - 1) / 2 + 1).leftPadded(to: 3)
        let designator = "56" + launch + (index % 2 == 1 ? "A" : "B")
        let object = CatalogueObject(
            noradID: noradID, cosparID: TLE.objectID(forDesignator: designator), name: name, type: type,
            owner: owner, marking: marking, updated: now)
        let base = elements(regime, random: &random)
        let latestAge = random.uniform(0.05...0.95)
        let revolution = Int(random.uniform(1_000...40_000))
        let creation = ccsdsEpoch(now)
        var sets: [ElementSetRecord] = []
        for daysBefore in [2, 1, 0] {
            let age = latestAge + Double(daysBefore)
            var tle = TLE(
                name: name, catalogueNumber: noradID, internationalDesignator: designator,
                epoch: tleEpoch(now.addingTimeInterval(-age * 86_400)), bstarPerEarthRadius: base.bstar,
                elementSetNumber: 100 + 2 - daysBefore, inclinationDegrees: base.inclination,
                rightAscensionOfAscendingNodeDegrees: base.node, eccentricity: base.eccentricity,
                argumentOfPerigeeDegrees: base.perigee,
                meanAnomalyDegrees: rounded(
                    angle(base.anomaly - 360 * base.meanMotion * Double(daysBefore)), digits: 4),
                meanMotionRevolutionsPerDay: base.meanMotion,
                revolutionNumberAtEpoch: max(0, revolution - Int(base.meanMotion * Double(daysBefore))))
            tle = fieldExact(tle)
            let omm = tle.ommMessage(creationDate: creation, originator: "ESSOR DEMO")
            // A TLE's OMM has exactly one segment, which is all the initialiser checks.
            let record = try! ElementSetRecord(
                noradID: noradID, epoch: tle.epoch.ccsdsEpoch, omm: omm,
                received: min(now, now.addingTimeInterval(-age * 86_400 + 1_800)), source: source)
            sets.append(record)
        }
        return (object, sets)
    }

    /// The set as a TLE file spells it: written and read back, so that every value is exactly its field's text
    /// (and the OMM made from it converts back to the same TLE). The values are chosen to fit their fields.
    static func fieldExact(_ tle: TLE) -> TLE {
        let written = TLECatalogue.write([tle])
        let read = TLECatalogue.parse(written.bytes)
        return read.sets.first ?? tle
    }

    /// Mean elements of a regime, each rounded to its TLE field.
    static func elements(_ regime: DemoRegime, random: inout DemoRandom) -> DemoElements {
        let node = rounded(random.uniform(0...359.9999), digits: 4)
        let anomaly = rounded(random.uniform(0...359.9999), digits: 4)
        var perigee = rounded(random.uniform(0...359.9999), digits: 4)
        let inclination: Double
        let eccentricity: Double
        let semiMajorAxis: Double
        var bstar = 0.0
        switch regime {
        case .leo:
            let perigeeHeight = random.uniform(520...1_200)
            eccentricity = rounded(random.uniform(0.0001...0.005), digits: 7)
            semiMajorAxis = (earthRadius + perigeeHeight) / (1 - eccentricity)
            inclination = rounded(random.uniform(45...99), digits: 4)
            // B* in 0.10000e-5 … 0.50000e-4: five mantissa digits, as line 1 spells it.
            bstar = rounded(random.uniform(1...50), digits: 3) * 1e-6
        case .meo:
            eccentricity = rounded(random.uniform(0.0005...0.01), digits: 7)
            semiMajorAxis = random.uniform(25_500...29_600)
            inclination = rounded(random.uniform(53...57), digits: 4)
        case .geo:
            eccentricity = rounded(random.uniform(0.0002...0.0006), digits: 7)
            semiMajorAxis = random.uniform(42_160...42_170)
            inclination = rounded(random.uniform(0.01...3), digits: 4)
        case .heo:
            eccentricity = rounded(random.uniform(0.70...0.72), digits: 7)
            semiMajorAxis = random.uniform(26_500...26_600)
            inclination = rounded(random.uniform(63.2...63.6), digits: 4)
            perigee = rounded(random.uniform(265...275), digits: 4)
        }
        let meanMotion = rounded((mu / pow(semiMajorAxis, 3)).squareRoot() * 86_400 / (2 * .pi), digits: 8)
        return DemoElements(
            inclination: inclination, node: node, eccentricity: eccentricity, perigee: perigee, anomaly: anomaly,
            meanMotion: meanMotion, bstar: bstar)
    }

    /// `value` rounded to `digits` decimals.
    static func rounded(_ value: Double, digits: Int) -> Double {
        let scale = pow(10, Double(digits))
        return (value * scale).rounded() / scale
    }

    /// An angle in [0, 360).
    static func angle(_ degrees: Double) -> Double {
        let reduced = degrees.truncatingRemainder(dividingBy: 360)
        return reduced < 0 ? reduced + 360 : reduced
    }
}

/// Mean elements of a demo orbit (degrees, revolutions per day, B* in 1/earth radii).
struct DemoElements {
    var inclination: Double
    var node: Double
    var eccentricity: Double
    var perigee: Double
    var anomaly: Double
    var meanMotion: Double
    var bstar: Double
}

extension String {
    /// The text with leading zeros up to `width` characters.
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
