/// Why SGP4 could not give a state: the error codes 1–6 of `sgp4init` and `sgp4` (Vallado et al. 2006,
/// AIAA 2006-6753), with the same numbers.
///
/// The propagator checks at initialisation (by propagating to the epoch, as `sgp4init` does) and at every
/// propagation; the first failing check of the reference's order is reported.
public enum SGP4Error: Error, Sendable, Hashable, CaseIterable {
    /// Code 1: the mean eccentricity, after drag, is ≥ 1 or < −0.001 (the reference's "mean elements, ecc >= 1.0
    /// or ecc < -0.001 or a < 0.95 er"; the semi-major axis test is disabled in the current revision). Also
    /// reported at initialisation for element sets whose eccentricity is outside that range or not a number.
    case meanElementsOutOfRange
    /// Code 2: the mean motion is ≤ 0 (after deep-space resonance or at initialisation).
    case nonPositiveMeanMotion
    /// Code 3: the eccentricity after the lunar-solar periodics is < 0 or > 1 (deep space only).
    case perturbedEccentricityOutOfRange
    /// Code 4: the semi-latus rectum is negative.
    case negativeSemiLatusRectum
    /// Code 5: the epoch elements are sub-orbital (perigee below the surface). The current revision of SGP4 no
    /// longer makes this check (the decay check, code 6, covers it), so it is never thrown; the case keeps the
    /// numbering complete.
    case subOrbitalEpochElements
    /// Code 6: the satellite has decayed: the radius is below one Earth radius.
    case decayed

    /// The reference's error number, 1–6.
    public var code: Int {
        switch self {
        case .meanElementsOutOfRange: 1
        case .nonPositiveMeanMotion: 2
        case .perturbedEccentricityOutOfRange: 3
        case .negativeSemiLatusRectum: 4
        case .subOrbitalEpochElements: 5
        case .decayed: 6
        }
    }

    /// What the code means, in a few words, e.g. for `NORAD: error N (meaning) at minute M`. Each starts with the
    /// same word as python-sgp4's `SGP4_ERRORS` message, or contains it (nm, mrt), so that the two read alike.
    public var meaning: String {
        switch self {
        case .meanElementsOutOfRange: "mean eccentricity is outside the range -0.001 <= e < 1"
        case .nonPositiveMeanMotion: "mean motion nm is zero or negative"
        case .perturbedEccentricityOutOfRange: "perturbed eccentricity is outside the range 0 <= e <= 1"
        case .negativeSemiLatusRectum: "semilatus rectum is negative"
        case .subOrbitalEpochElements: "epoch elements are sub-orbital (check no longer made)"
        case .decayed: "satellite has decayed: radius mrt is below 1 Earth radius"
        }
    }

    /// The error with the reference's number `code`; nil outside 1–6.
    public init?(code: Int) {
        guard let match = SGP4Error.allCases.first(where: { $0.code == code }) else { return nil }
        self = match
    }
}

extension SGP4Error: CustomStringConvertible {
    /// `error N (meaning)`.
    public var description: String { "error \(code) (\(meaning))" }
}
