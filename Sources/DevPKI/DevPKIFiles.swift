import Foundation

/// Where the files of a dev PKI are, and which of them one call wrote.
public struct DevPKIFiles: Sendable, Equatable {
    /// The PKI folder.
    public var directory: URL
    /// Files written (created or re-issued) by the call that returned this value, in writing order.
    public var written: [URL] = []

    /// Paths in `directory`; nothing is read or written.
    public init(directory: URL) {
        self.directory = directory
    }

    /// `ca.pem`: the dev CA certificate (the trust root for `--client-ca` and for clients).
    public var caCertificate: URL { directory.appendingPathComponent("ca.pem") }
    /// `ca-key.pem`: the dev CA's private key (mode 0600).
    public var caPrivateKey: URL { directory.appendingPathComponent("ca-key.pem") }
    /// `server.pem`: the server certificate (localhost, 127.0.0.1, ::1).
    public var serverCertificate: URL { directory.appendingPathComponent("server.pem") }
    /// `server-key.pem`: the server's private key (mode 0600).
    public var serverPrivateKey: URL { directory.appendingPathComponent("server-key.pem") }
    /// `clients/`: one certificate and key per user.
    public var clientsDirectory: URL { directory.appendingPathComponent("clients") }

    /// `clients/<user>.pem`.
    public func clientCertificate(for user: String) -> URL {
        clientsDirectory.appendingPathComponent("\(user).pem")
    }

    /// `clients/<user>-key.pem` (mode 0600).
    public func clientPrivateKey(for user: String) -> URL {
        clientsDirectory.appendingPathComponent("\(user)-key.pem")
    }
}
