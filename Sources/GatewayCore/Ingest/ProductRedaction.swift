import CCSDS
import Policy

/// Withholds the parts of a product that a policy hides from a caller (`hide_fields`, issue 5 §3).
public enum ProductRedaction {
    /// Operator contact keywords of a CDM object's metadata (CCSDS 508.0-B-1 §3.5.1).
    static let operatorContactKeywords: Set<String> = [
        "OPERATOR_CONTACT_POSITION", "OPERATOR_ORGANIZATION", "OPERATOR_PHONE", "OPERATOR_EMAIL",
    ]

    /// Whether a keyword is part of a CDM covariance matrix (CCSDS 508.0-B-1 §3.5.3: the 6×6 RTN position and
    /// velocity terms, and the drag, SRP and thrust rows `CDRG_*`, `CSRP_*`, `CTHR_*`).
    static func isCovariance(_ keyword: String) -> Bool {
        guard keyword.hasPrefix("C") else { return false }
        return ["CR_", "CT_", "CN_", "CRDOT_", "CTDOT_", "CNDOT_", "CDRG_", "CSRP_", "CTHR_"].contains {
            keyword.hasPrefix($0)
        }
    }

    /// `message` without `fields` (only CDMs have fields to hide; other messages are returned as they are). Each
    /// object segment whose content changed gets a comment naming what was withheld.
    public static func redact(_ message: Message, hiding fields: Set<HiddenField>) -> Message {
        guard message.type == .cdm, !fields.isEmpty else { return message }
        var copy = message
        for index in copy.segments.indices {
            var removed: Set<HiddenField> = []
            if fields.contains(.operatorContacts) {
                let before = copy.segments[index].metadata.fields.count
                copy.segments[index].metadata.fields.removeAll { operatorContactKeywords.contains($0.keyword) }
                if copy.segments[index].metadata.fields.count != before { removed.insert(.operatorContacts) }
            }
            if fields.contains(.covariance), strip(&copy.segments[index].data, where: isCovariance) {
                removed.insert(.covariance)
            }
            if !removed.isEmpty {
                copy.segments[index].metadata.comments.append(
                    "Withheld by the access policy: " + removed.sorted().map(\.rawValue).joined(separator: ", "))
            }
        }
        return copy
    }

    /// Removes matching fields from `block` and its children; true when any was removed.
    private static func strip(_ block: inout Block, where matches: (String) -> Bool) -> Bool {
        let before = block.fields.count
        block.fields.removeAll { matches($0.keyword) }
        var changed = block.fields.count != before
        for index in block.children.indices where strip(&block.children[index], where: matches) { changed = true }
        return changed
    }
}
