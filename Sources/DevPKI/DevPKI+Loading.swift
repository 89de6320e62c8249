import Crypto
import Foundation
import X509

extension DevPKI {
    /// The folder's CA when it is usable; a new one when there is none (or, with `force`, when it is unusable).
    static func loadOrCreateCA(files: inout DevPKIFiles, force: Bool, now: Date) throws -> CertificateAuthority {
        do {
            if let (certificate, key) = try existingPair(files.caCertificate, files.caPrivateKey) {
                guard certificate.notValidAfter > now else {
                    throw DevPKIError.expired(files.caCertificate, notValidAfter: certificate.notValidAfter)
                }
                return CertificateAuthority(certificate: certificate, privateKey: key)
            }
        } catch let error as DevPKIError {
            guard force else { throw error }
        }
        let ca = try CertificateAuthority.make(now: now)
        try PEMFile.write(
            certificate: ca.certificate, privateKey: ca.privateKey, to: files.caCertificate,
            keyURL: files.caPrivateKey)
        files.written += [files.caPrivateKey, files.caCertificate]
        return ca
    }

    /// Keeps a usable leaf certificate issued by `ca`, or issues one; with `force`, always issues one.
    static func ensureLeaf(
        _ profile: LeafProfile, certificate: URL, privateKey: URL, ca: CertificateAuthority,
        files: inout DevPKIFiles, force: Bool, now: Date
    ) throws {
        if case .client(let user) = profile { try LeafProfile.validate(userName: user) }
        if !force, let (existing, _) = try existingPair(certificate, privateKey) {
            guard ca.signed(existing) else { throw DevPKIError.notIssuedByCA(certificate) }
            guard existing.notValidAfter > now else {
                throw DevPKIError.expired(certificate, notValidAfter: existing.notValidAfter)
            }
            return
        }
        try issue(profile, certificate: certificate, privateKey: privateKey, ca: ca, now: now)
        files.written += [privateKey, certificate]
    }

    /// Issues a leaf certificate and writes it with its key (replacing whatever is there).
    static func issue(
        _ profile: LeafProfile, certificate: URL, privateKey: URL, ca: CertificateAuthority, now: Date
    ) throws {
        let (leaf, key) = try ca.issue(profile, now: now)
        try PEMFile.write(certificate: leaf, privateKey: key, to: certificate, keyURL: privateKey)
    }

    /// The certificate and key when both files exist, nil when neither does.
    private static func existingPair(_ certificate: URL, _ privateKey: URL) throws
        -> (Certificate, P256.Signing.PrivateKey)?
    {
        let manager = FileManager.default
        switch (manager.fileExists(atPath: certificate.path), manager.fileExists(atPath: privateKey.path)) {
        case (false, false): return nil
        case (true, false): throw DevPKIError.incompletePair(present: certificate, missing: privateKey)
        case (false, true): throw DevPKIError.incompletePair(present: privateKey, missing: certificate)
        case (true, true): return try PEMFile.read(certificate: certificate, privateKey: privateKey)
        }
    }
}
