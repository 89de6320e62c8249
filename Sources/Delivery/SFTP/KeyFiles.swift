import Foundation
import GatewayCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A subscription's key pair written as files for the length of one transfer (libcurl, through libssh2, only
/// reads keys from files): 0600 files with random names in a 0700 folder, removed afterwards.
struct KeyFiles {
    let privatePath: String
    let publicPath: String

    init(_ key: SSHKeyPair, folder: String) throws(DropFolderError) {
        if mkdir(folder, 0o700) != 0 && errno != EEXIST {
            throw DropFolderError.system("cannot create the key folder \(folder)")
        }
        var status = stat()
        guard lstat(folder, &status) == 0, status.st_mode & S_IFMT == S_IFDIR, status.st_uid == geteuid() else {
            throw DropFolderError("the key folder \(folder) is not a folder of this user")
        }
        chmod(folder, 0o700)
        let name = "\(folder)/key-\(UUID().uuidString)"
        privatePath = name
        publicPath = name + ".pub"
        try KeyFiles.write(key.privateKeyOpenSSH, to: privatePath)
        do {
            try KeyFiles.write(key.publicKeyAuthorized + "\n", to: publicPath)
        } catch {
            unlink(privatePath)
            throw error
        }
    }

    func remove() {
        unlink(privatePath)
        unlink(publicPath)
    }

    private static func write(_ text: String, to path: String) throws(DropFolderError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { throw DropFolderError.system("cannot create the key file \(path)") }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { systemWrite(descriptor, $0.baseAddress!, $0.count) }
        guard written == bytes.count else { throw DropFolderError.system("cannot write the key file \(path)") }
    }
}
