/// A part of a product that an allow rule may withhold (`hide_fields:` in a policy file; issue 5 §3): the caller
/// gets the product without it.
public enum HiddenField: String, Sendable, Hashable, CaseIterable, Comparable {
    /// A CDM's covariance matrices (`CR_R` … `CNDOT_NDOT` and the drag/SRP/thrust terms).
    case covariance
    /// A CDM's operator contacts (`OPERATOR_CONTACT_POSITION`, `OPERATOR_ORGANIZATION`, `OPERATOR_PHONE`,
    /// `OPERATOR_EMAIL`).
    case operatorContacts = "operator_contacts"

    /// Orders by raw value, for stable listings.
    public static func < (lhs: HiddenField, rhs: HiddenField) -> Bool { lhs.rawValue < rhs.rawValue }
}
