import Foundation
import GatewayCore

/// Where an SFTP subscription uploads (issue 10 §3): the server, the login, the pinned host key and the key pair.
public struct SFTPDestination: Sendable, Equatable {
    /// `sftp://host[:port]/folder` (the folder is created when missing).
    public var url: String
    /// The login name.
    public var username: String
    /// The server's host key fingerprint, base64 SHA-256 as `ssh-keygen -l -E sha256` prints it (`SHA256:` and
    /// trailing `=` are accepted and dropped). Mandatory: no upload is attempted without it.
    public var hostKeySHA256: String
    /// The subscription's ed25519 key pair.
    public var key: SSHKeyPair

    /// Creates a destination.
    public init(url: String, username: String, hostKeySHA256: String, key: SSHKeyPair) {
        self.url = url
        self.username = username
        self.hostKeySHA256 = hostKeySHA256
        self.key = key
    }

    /// The fingerprint as libcurl takes it, or nil when there is none.
    var pinnedFingerprint: String? {
        var text = Substring(hostKeySHA256.trimmingCharacters(in: .whitespaces))
        if text.hasPrefix("SHA256:") { text = text.dropFirst(7) }
        while text.hasSuffix("=") { text = text.dropLast() }
        return text.isEmpty ? nil : String(text)
    }
}

/// What one SFTP upload came to.
public struct SFTPOutcome: Sendable, Equatable {
    /// libcurl's result code (0 on success), when libcurl ran.
    public var curlCode: Int?
    /// Nil on success; else `host-key` (CURLE 60: the server's key is not the pinned one, or none is pinned),
    /// `auth` (67), `connect`, `timeout`, `address-refused`, `dns`, `bad-url` or `io`.
    public var errorClass: String?
    /// What went wrong, in one line.
    public var message: String?
    /// How long the upload took, in seconds.
    public var seconds: Double

    /// Creates an outcome.
    public init(curlCode: Int? = nil, errorClass: String? = nil, message: String? = nil, seconds: Double = 0) {
        self.curlCode = curlCode
        self.errorClass = errorClass
        self.message = message
        self.seconds = seconds
    }

    /// Whether the file is in place under its final name.
    public var delivered: Bool { errorClass == nil }
}

/// How SFTP uploads are made.
public struct SFTPTransportConfiguration: Sendable {
    /// How long the TCP connection and SSH handshake may take.
    public var connectTimeout: Duration
    /// An upload slower than this many bytes per second for ``lowSpeedSeconds`` is abandoned (`timeout`).
    public var lowSpeedBytesPerSecond: Int
    /// See ``lowSpeedBytesPerSecond``.
    public var lowSpeedSeconds: Int
    /// A handle (and its SSH connection) unused this long is closed.
    public var idleSeconds: Double
    /// At most this many destinations keep a handle.
    public var maximumHandles: Int
    /// Uploads in flight at once to one destination (each with its own SSH connection, kept for reuse).
    public var connectionsPerDestination = 2
    /// The private folder key files are written to for the length of a transfer (created 0700); by default a
    /// folder of the process under the temporary directory.
    public var runtimeFolder: String?

    /// Creates a configuration: connect timeout 10 s, abandon below 1 KiB/s for 30 s, idle handles closed after 60 s.
    public init(
        connectTimeout: Duration = .seconds(10), lowSpeedBytesPerSecond: Int = 1024, lowSpeedSeconds: Int = 30,
        idleSeconds: Double = 60, maximumHandles: Int = 32, runtimeFolder: String? = nil
    ) {
        self.connectTimeout = connectTimeout
        self.lowSpeedBytesPerSecond = lowSpeedBytesPerSecond
        self.lowSpeedSeconds = lowSpeedSeconds
        self.idleSeconds = idleSeconds
        self.maximumHandles = maximumHandles
        self.runtimeFolder = runtimeFolder
    }
}
