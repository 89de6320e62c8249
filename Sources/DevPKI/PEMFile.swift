import Crypto
import Foundation
import X509

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reading and writing the PEM files of the dev PKI.
enum PEMFile {
    /// Writes `text` to `url` through a temporary file and a rename, so a reader never sees half a key and a
    /// private key is never readable by others, not even for a moment (the file is created with `mode`).
    static func write(_ text: String, to url: URL, mode: mode_t) throws {
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw DevPKIError.writeFailed(folder, reason: "\(error)")
        }
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UInt32.random(in: 0 ... .max))")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard descriptor >= 0 else { throw DevPKIError.writeFailed(url, reason: String(cString: strerror(errno))) }
        let bytes = Array(text.utf8)
        var written = 0
        var failure: String?
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { systemWrite(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                failure = String(cString: strerror(errno))
                break
            }
            written += count
        }
        // The umask can only take permissions away; fchmod makes the mode exact.
        if failure == nil, fchmod(descriptor, mode) != 0 { failure = String(cString: strerror(errno)) }
        if close(descriptor) != 0, failure == nil { failure = String(cString: strerror(errno)) }
        if failure == nil, rename(temporary.path, url.path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary.path)
            throw DevPKIError.writeFailed(url, reason: failure)
        }
    }

    /// Writes a certificate (mode 0644) and its private key (mode 0600), key first.
    static func write(
        certificate: Certificate, privateKey: P256.Signing.PrivateKey, to certificateURL: URL,
        keyURL: URL
    ) throws {
        try write(privateKey.pemRepresentation + "\n", to: keyURL, mode: 0o600)
        try write(certificate.serializeAsPEM().pemString + "\n", to: certificateURL, mode: 0o644)
    }

    /// Reads a certificate and its key and checks that they belong together.
    static func read(certificate certificateURL: URL, privateKey keyURL: URL) throws
        -> (Certificate, P256.Signing.PrivateKey)
    {
        let certificate: Certificate
        let key: P256.Signing.PrivateKey
        do {
            certificate = try Certificate(pemEncoded: String(contentsOf: certificateURL, encoding: .utf8))
        } catch {
            throw DevPKIError.unreadable(certificateURL, reason: "not a PEM certificate: \(error)")
        }
        do {
            key = try P256.Signing.PrivateKey(pemRepresentation: String(contentsOf: keyURL, encoding: .utf8))
        } catch {
            throw DevPKIError.unreadable(keyURL, reason: "not a PEM P-256 private key: \(error)")
        }
        guard certificate.publicKey == Certificate.PublicKey(key.publicKey) else {
            throw DevPKIError.keyMismatch(certificate: certificateURL, privateKey: keyURL)
        }
        return (certificate, key)
    }
}

/// POSIX write(2), named apart from ``PEMFile/write(_:to:mode:)``.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
        Glibc.write(descriptor, buffer, count)
    #elseif canImport(Musl)
        Musl.write(descriptor, buffer, count)
    #else
        Darwin.write(descriptor, buffer, count)
    #endif
}
