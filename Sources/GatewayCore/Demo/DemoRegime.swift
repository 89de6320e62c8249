/// An orbit regime of the demo catalogue.
enum DemoRegime: String, CaseIterable {
    /// Low Earth orbit.
    case leo = "LEO"
    /// Medium Earth orbit (navigation-like).
    case meo = "MEO"
    /// Geostationary orbit.
    case geo = "GEO"
    /// Highly elliptical (Molniya-like) orbit.
    case heo = "HEO"

    /// The regime of a demo NORAD id: by position in each block of 20 ids, 12 LEO, 3 MEO, 3 GEO, 2 HEO.
    static func of(_ noradID: Int) -> DemoRegime {
        switch (noradID - 90001) % 20 {
        case 0..<12: .leo
        case 12..<15: .meo
        case 15..<18: .geo
        default: .heo
        }
    }
}
