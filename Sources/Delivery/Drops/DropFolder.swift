import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The hosted drop folder (issue 10 §4): each delivery is one file under `ROOT/<user>/<subscription id>/`, which
/// the user collects over SFTP from Essor's host, served read-only by OpenSSH (see ``sshdConfig(root:)``).
///
/// Files appear atomically: written under a hidden temporary name in the same folder, flushed (`fsync`), renamed,
/// then the folder is flushed, so a reader never sees a partial file and a crash leaves either nothing or the
/// whole file. Folders are created 0755 and files 0644 whatever the umask: the SFTP user reads them, nobody else
/// writes them.
///
/// Ownership: OpenSSH's `ChrootDirectory ROOT/%u` requires `ROOT` and `ROOT/<user>` (every component of the path)
/// to be owned by root and not writable by group or others. Run the writer as root, or have the operator create
/// `ROOT/<user>` (root, 0755) and `ROOT/<user>/<subscription id>` owned by the gateway's user; the files then belong
/// to the gateway's user and are world-readable, so the SFTP user reads them without being able to change them.
///
/// The calls block (disk writes and `fsync`): the `async` ones run on a dedicated queue, never on Swift's
/// cooperative pool.
public struct DropFolder: Sendable {
    /// The root of every user's folder.
    public var root: String

    /// A drop folder rooted at `root` (created on first write when missing).
    public init(root: String) {
        self.root = root
    }

    private static let queue = DispatchQueue(label: "essor.delivery.drops")

    /// The folder of a user's subscription: `ROOT/<user>/<subscription id>`.
    /// - Throws: ``DropFolderError`` when a part is empty, `.`/`..` or contains `/` or a NUL.
    public func folder(user: String, subscriptionID: String) throws(DropFolderError) -> String {
        try Self.validate(user, "user")
        try Self.validate(subscriptionID, "subscription id")
        return "\(root)/\(user)/\(subscriptionID)"
    }

    /// Writes `bytes` as `fileName` in the subscription's folder, atomically, on the drop queue.
    /// - Returns: the file's path.
    @discardableResult
    public func write(user: String, subscriptionID: String, fileName: String, bytes: [UInt8])
        async throws(DropFolderError) -> String
    {
        let result: Result<String, DropFolderError> = await withCheckedContinuation { continuation in
            Self.queue.async {
                continuation.resume(
                    returning: Result { () throws(DropFolderError) in
                        try writeSynchronously(
                            user: user, subscriptionID: subscriptionID, fileName: fileName, bytes: bytes)
                    })
            }
        }
        return try result.get()
    }

    /// Writes `bytes` as `fileName` in the subscription's folder, atomically, on the calling thread.
    @discardableResult
    public func writeSynchronously(
        user: String, subscriptionID: String, fileName: String, bytes: [UInt8]
    ) throws(DropFolderError) -> String {
        try Self.validate(fileName, "file name")
        guard !fileName.hasPrefix(".") else {
            throw DropFolderError("a drop file name may not start with '.' (hidden names are temporary files)")
        }
        try Self.makeFolder(root)
        try Self.makeFolder("\(root)/\(user)")
        let folder = try folder(user: user, subscriptionID: subscriptionID)
        try Self.makeFolder(folder)

        let final = "\(folder)/\(fileName)"
        let temporary = "\(folder)/.\(fileName).\(UInt32.random(in: .min ... .max)).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw DropFolderError.system("cannot create \(temporary)") }
        var closed = false
        defer {
            if !closed { close(descriptor) }
        }
        do throws(DropFolderError) {
            fchmod(descriptor, 0o644)  // the umask may have taken bits away
            let complete = bytes.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let written = systemWrite(descriptor, raw.baseAddress! + offset, raw.count - offset)
                    if written < 0 && errno == EINTR { continue }
                    guard written > 0 else { return false }
                    offset += written
                }
                return true
            }
            guard complete else { throw DropFolderError.system("cannot write \(temporary)") }
            guard fsync(descriptor) == 0 else { throw DropFolderError.system("cannot flush \(temporary)") }
            closed = true
            guard close(descriptor) == 0 else { throw DropFolderError.system("cannot close \(temporary)") }
            guard rename(temporary, final) == 0 else { throw DropFolderError.system("cannot rename to \(final)") }
        } catch {
            unlink(temporary)
            throw error
        }
        try Self.syncFolder(folder)
        return final
    }

    /// Removes the files last modified before `cutoff` (the retention), in every user's and subscription's
    /// folder, on the drop queue. Folders stay.
    /// - Returns: the number of files removed.
    @discardableResult
    public func prune(olderThan cutoff: Date) async -> Int {
        await withCheckedContinuation { continuation in
            Self.queue.async { continuation.resume(returning: pruneSynchronously(olderThan: cutoff)) }
        }
    }

    /// ``prune(olderThan:)`` on the calling thread.
    @discardableResult
    public func pruneSynchronously(olderThan cutoff: Date) -> Int {
        let manager = FileManager.default
        var removed = 0
        for user in (try? manager.contentsOfDirectory(atPath: root)) ?? [] {
            let userFolder = "\(root)/\(user)"
            for subscription in (try? manager.contentsOfDirectory(atPath: userFolder)) ?? [] {
                let folder = "\(userFolder)/\(subscription)"
                for name in (try? manager.contentsOfDirectory(atPath: folder)) ?? [] {
                    let path = "\(folder)/\(name)"
                    var status = stat()
                    guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { continue }
                    let modified = Date(timeIntervalSince1970: TimeInterval(status.st_mtim.tv_sec))
                    if modified < cutoff && unlink(path) == 0 { removed += 1 }
                }
            }
        }
        return removed
    }

    static func validate(_ part: String, _ what: String) throws(DropFolderError) {
        guard !part.isEmpty, part != ".", part != "..", !part.contains("/"), !part.utf8.contains(0) else {
            throw DropFolderError("the \(what) '\(part)' cannot be a folder or file name (empty, '.', '..' or '/')")
        }
    }

    static func makeFolder(_ path: String) throws(DropFolderError) {
        if mkdir(path, 0o755) == 0 {
            chmod(path, 0o755)  // the umask may have taken bits away
        } else if errno != EEXIST {
            throw DropFolderError.system("cannot create the folder \(path)")
        }
    }

    static func syncFolder(_ path: String) throws(DropFolderError) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw DropFolderError.system("cannot open the folder \(path)") }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw DropFolderError.system("cannot flush the folder \(path)") }
    }
}

/// A drop file that could not be written.
public struct DropFolderError: Error, Sendable, CustomStringConvertible {
    /// What failed, with the path and the system's reason.
    public var message: String

    /// Creates an error.
    public init(_ message: String) {
        self.message = message
    }

    static func system(_ what: String) -> DropFolderError {
        DropFolderError("\(what): \(String(cString: strerror(errno)))")
    }

    /// The message.
    public var description: String { message }
}

/// `write(2)`, named apart from ``DropFolder/write(user:subscriptionID:fileName:bytes:)``.
func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
