import GatewayCore

extension User {
    /// The user as every engine stores it: `invalid` for an empty name or a certificate subject that is not a
    /// distinguished name; the subject in `CertificateSubject.canonical(_:)` form.
    static func validated(_ user: User) throws(StoreError) -> User {
        guard !user.name.isEmpty else { throw .invalid("a user needs a name") }
        var stored = user
        if let subject = user.certificateSubject {
            do {
                stored.certificateSubject = try CertificateSubject.canonical(subject)
            } catch {
                throw .invalid("the certificate subject '\(subject)' is not a distinguished name: \(error.message)")
            }
        }
        return stored
    }

    /// `conflict`: the user's certificate subject belongs to `holder`.
    func subjectConflict(holder: String) -> StoreError {
        .conflict(
            entity: "user", key: name,
            reason: "the certificate subject '\(certificateSubject ?? "")' belongs to user '\(holder)'")
    }

    /// `subject` in canonical form for a lookup; `notFound` when it is not a distinguished name (no user has it).
    static func canonicalSubject(forLookup subject: String) throws(StoreError) -> String {
        do {
            return try CertificateSubject.canonical(subject)
        } catch {
            throw .notFound(entity: "certificate subject", key: subject)
        }
    }
}
