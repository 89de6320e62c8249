import Foundation

/// An SFTP destination URL and the names of one upload under it.
struct SFTPURL {
    /// The host (IPv6 without brackets).
    var host: String
    /// The port (22 unless given).
    var port: Int
    /// The remote folder, absolute, ending with `/`.
    var folder: String
    /// The final file name.
    var fileName: String

    init(_ text: String, fileName: String) throws(AddressRefusal) {
        guard let url = URL(string: text), url.scheme?.lowercased() == "sftp" else {
            throw AddressRefusal(.badURL, "'\(text)' is not an sftp:// URL")
        }
        guard url.user == nil, url.password == nil else {
            throw AddressRefusal(.badURL, "an SFTP URL may not carry user information; the user is given apart")
        }
        guard var host = url.host, !host.isEmpty else { throw AddressRefusal(.badURL, "\(text) has no host") }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let invalid =
            fileName.isEmpty || fileName.hasPrefix(".") || fileName.contains("/")
            || fileName.unicodeScalars.contains { $0.value < 0x20 || $0 == "\"" || $0 == "\\" }
        guard !invalid else {
            throw AddressRefusal(.badURL, "'\(fileName)' cannot be an uploaded file name")
        }
        self.host = host
        self.port = url.port ?? 22
        let path = url.path.isEmpty ? "/" : url.path
        self.folder = path.hasSuffix("/") ? path : path + "/"
        self.fileName = fileName
    }

    /// The host as a URL writes it.
    var hostLiteral: String { IPAddress(host).map(\.hostLiteral) ?? host }

    /// The temporary name the bytes are written under: hidden, and not the final name.
    var partName: String { ".\(fileName).part" }

    /// The URL libcurl uploads to (the temporary name).
    var uploadURL: String {
        let path = (folder + partName).addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? folder
        return "sftp://\(hostLiteral):\(port)\(path)"
    }

    /// The URL of the final name (to check a file already in place).
    var finalURL: String {
        let path = (folder + fileName).addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? folder
        return "sftp://\(hostLiteral):\(port)\(path)"
    }

    /// The quote command that removes the temporary file, ignoring a failure (`*`: it may not exist).
    var removePartCommand: String { "*rm \"\(folder)\(partName)\"" }

    /// The post-quote command that gives the file its final name (paths quoted for libcurl's quote parser).
    var renameCommand: String { "rename \"\(folder)\(partName)\" \"\(folder)\(fileName)\"" }
}
