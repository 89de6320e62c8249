import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Finding and running the command-line tools the tests use as oracles and servers.
enum Tools {
    /// The path of an executable on PATH or in the system folders, or nil.
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let folders = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/bin", "/sbin", "/bin"]
        return folders.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs a tool to completion, its output and errors collected in files.
    ///
    /// Spawned with `posix_spawn` and reaped with `waitpid`, not with Foundation's `Process.waitUntilExit()`: that
    /// one waits for a SIGCHLD handler scheduled on the same global dispatch threads as Swift's cooperative pool,
    /// so with every pool thread in a waiting test (2 on a 2-core machine) the whole test run deadlocked.
    static func run(_ executable: String, _ arguments: [String]) throws -> (
        status: Int32, output: String, error: String
    ) {
        let folder = try temporaryFolder("essor-tool-run")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let outputPath = folder + "/out", errorPath = folder + "/err"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "cannot run \(executable): \(spawned)"])
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let output = FileManager.default.contents(atPath: outputPath) ?? Data()
        let error = FileManager.default.contents(atPath: errorPath) ?? Data()
        return (exitStatus, String(decoding: output, as: UTF8.self), String(decoding: error, as: UTF8.self))
    }

    /// Waits (at most 5 s) until a signalled child is gone, without `Process.waitUntilExit()` (see `run`): polls
    /// `waitpid` without blocking; Foundation may reap it first, which ends the wait too.
    static func reap(_ pid: pid_t) {
        var status: Int32 = 0
        for _ in 0..<500 {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid || (result == -1 && errno == ECHILD) { return }
            usleep(10_000)
        }
    }

    /// A new private temporary folder.
    static func temporaryFolder(_ prefix: String = "essor-delivery-tests") throws -> String {
        let path = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
