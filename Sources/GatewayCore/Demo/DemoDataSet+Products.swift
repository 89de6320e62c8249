import Astrodynamics
import Foundation
import Policy

/// One product of the demo data set: the bytes a submitter sends and how they are marked.
public struct DemoProduct: Sendable {
    /// The CCSDS message, KVN.
    public var text: String
    /// Who submits it (a demo user).
    public var submitter: String
    /// The submitter's organisation (the provider).
    public var provider: String
    /// Its sharing marking.
    public var marking: Marking
}

extension DemoDataSet {
    /// The demo products (issue 5 §5), built around `now`:
    /// - CDMs from the backend: five for each operator between one of its objects and a public debris object, and
    ///   one between operator-a's 90008 and operator-b's 90018 (both operators see it); marked `restricted`, so
    ///   each is seen by the owners of its objects (and administrators) only;
    /// - TDMs from both partners on public object 90500: partner-1's first is shared with partner-2
    ///   (`partners:partner-2`), its second is not (`restricted`); partner-2's first is `public`, its second
    ///   `restricted`.
    public static func products(now: Date) -> [DemoProduct] {
        var products: [DemoProduct] = []
        let creation = now.addingTimeInterval(-3_600)
        for (index, owned) in (Array(90001...90005) + Array(90011...90015)).enumerated() {
            let debris = 90_100 + index
            let tca = now.addingTimeInterval(Double(index + 1) * 21_600)
            products.append(
                DemoProduct(
                    text: cdm(
                        object1: owned, object2: debris, tca: tca, created: creation,
                        missMetres: 120 + Double(index) * 85,
                        probability: 1e-4 / Double(index + 1), messageID: "DEMO-CDM-\(index + 1)"),
                    submitter: "backend", provider: "backend", marking: .restricted))
        }
        products.append(
            DemoProduct(
                text: cdm(
                    object1: 90008, object2: 90018, tca: now.addingTimeInterval(172_800), created: creation,
                    missMetres: 45, probability: 3.2e-3, messageID: "DEMO-CDM-11"),
                submitter: "backend", provider: "backend", marking: .restricted))
        let tdms: [(String, Marking, String)] = [
            ("partner-1", .partners(["partner-2"]), "RANGE"), ("partner-1", .restricted, "RANGE"),
            ("partner-2", .public, "ANGLES"), ("partner-2", .restricted, "ANGLES"),
        ]
        for (index, (partner, marking, kind)) in tdms.enumerated() {
            products.append(
                DemoProduct(
                    text: tdm(
                        partner: partner, object: 90500, start: now.addingTimeInterval(-Double(index + 1) * 7_200),
                        created: creation, kind: kind, serial: index + 1),
                    submitter: partner, provider: partner, marking: marking))
        }
        return products
    }

    /// A CDM 1.0 (CCSDS 508.0-B-1) between two catalogue objects, with the obligatory keywords.
    public static func cdm(
        object1: Int, object2: Int, tca: Date, created: Date, missMetres: Double, probability: Double,
        messageID: String
    ) -> String {
        var text = """
            CCSDS_CDM_VERS = 1.0
            COMMENT Synthetic demo conjunction (Essor demo data set)
            CREATION_DATE = \(epoch(created))
            ORIGINATOR = ESSOR-DEMO
            MESSAGE_ID = \(messageID)
            TCA = \(epoch(tca))
            MISS_DISTANCE = \(String(format: "%.1f", missMetres)) [m]
            COLLISION_PROBABILITY = \(String(format: "%.3e", probability))
            COLLISION_PROBABILITY_METHOD = FOSTER-1992

            """
        for (name, norad, sign) in [("OBJECT1", object1, 1.0), ("OBJECT2", object2, -1.0)] {
            text += """
                OBJECT = \(name)
                OBJECT_DESIGNATOR = \(norad)
                CATALOG_NAME = SATCAT
                OBJECT_NAME = SYNTH \(norad)
                INTERNATIONAL_DESIGNATOR = 2056-\(String(format: "%03d", norad % 1000))A
                EPHEMERIS_NAME = NONE
                COVARIANCE_METHOD = CALCULATED
                MANEUVERABLE = \(name == "OBJECT1" ? "YES" : "NO")
                REF_FRAME = EME2000
                X = 2570.097065 [km]
                Y = 2244.654904 [km]
                Z = \(String(format: "%.6f", 6281.497978 + sign * missMetres / 2000)) [km]
                X_DOT = \(String(format: "%.9f", sign * 4.418769571)) [km/s]
                Y_DOT = \(String(format: "%.9f", sign * 4.833547743)) [km/s]
                Z_DOT = -3.526774282 [km/s]
                CR_R = 4.142E+01 [m**2]
                CT_R = -8.579E+00 [m**2]
                CT_T = 2.533E+03 [m**2]
                CN_R = -2.313E+01 [m**2]
                CN_T = 1.336E+01 [m**2]
                CN_N = 7.098E+01 [m**2]
                CRDOT_R = 2.520E-03 [m**2/s]
                CRDOT_T = -5.476E+00 [m**2/s]
                CRDOT_N = 8.626E-04 [m**2/s]
                CRDOT_RDOT = 5.744E-03 [m**2/s**2]
                CTDOT_R = -1.006E-02 [m**2/s]
                CTDOT_T = 4.041E-03 [m**2/s]
                CTDOT_N = -1.359E-03 [m**2/s]
                CTDOT_RDOT = -1.502E-05 [m**2/s**2]
                CTDOT_TDOT = 1.049E-05 [m**2/s**2]
                CNDOT_R = 1.053E-03 [m**2/s]
                CNDOT_T = -3.412E-03 [m**2/s]
                CNDOT_N = 1.213E-02 [m**2/s]
                CNDOT_RDOT = -3.004E-06 [m**2/s**2]
                CNDOT_TDOT = -1.091E-06 [m**2/s**2]
                CNDOT_NDOT = 5.529E-05 [m**2/s**2]

                """
        }
        return text
    }

    /// A TDM 2.0 (CCSDS 503.0-B-2) of a partner's sensor tracking `object`: ranges or RA/Dec angles every minute
    /// for ten minutes from `start`.
    public static func tdm(partner: String, object: Int, start: Date, created: Date, kind: String, serial: Int)
        -> String
    {
        let times = (0..<10).map { start.addingTimeInterval(Double($0) * 60) }
        var text = """
            CCSDS_TDM_VERS = 2.0
            COMMENT Synthetic demo measurements (Essor demo data set)
            CREATION_DATE = \(epoch(created))
            ORIGINATOR = \(partner.uppercased())
            MESSAGE_ID = DEMO-TDM-\(serial)
            META_START
            TIME_SYSTEM = UTC
            START_TIME = \(epoch(times[0]))
            STOP_TIME = \(epoch(times[9]))
            PARTICIPANT_1 = \(partner.uppercased())-SENSOR
            PARTICIPANT_2 = \(object)
            MODE = SEQUENTIAL
            PATH = 1,2,1

            """
        text += kind == "RANGE" ? "RANGE_UNITS = km\n" : "ANGLE_TYPE = RADEC\nREFERENCE_FRAME = EME2000\n"
        text += "META_STOP\nDATA_START\n"
        for (index, time) in times.enumerated() {
            if kind == "RANGE" {
                text += "RANGE = \(epoch(time)) \(String(format: "%.6f", 1_200 + Double(index) * 7.25))\n"
            } else {
                text += "ANGLE_1 = \(epoch(time)) \(String(format: "%.7f", 120 + Double(index) * 0.31))\n"
                text += "ANGLE_2 = \(epoch(time)) \(String(format: "%.7f", 12 - Double(index) * 0.17))\n"
            }
        }
        return text + "DATA_STOP\n"
    }

    /// `YYYY-MM-DDThh:mm:ss.sss` (UTC, milliseconds).
    public static func epoch(_ date: Date) -> String {
        let text = Epoch(date: date).iso8601(fractionDigits: 3)
        return String(text.dropLast())  // no `Z`: CCSDS epochs carry their scale in TIME_SYSTEM
    }
}
