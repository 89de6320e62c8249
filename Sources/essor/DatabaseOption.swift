import ArgumentParser
import Foundation
import GatewayCore
import Logging
import Storage

/// `--database URL` (environment `ESSOR_DATABASE`, default `sqlite:data/essor.sqlite`), shared by every command
/// that reads or writes the gateway's store.
struct DatabaseOption: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The store: sqlite:PATH or postgres://USER:PASSWORD@HOST:PORT/DATABASE (environment ESSOR_DATABASE).",
            valueName: "URL"))
    var database = ProcessInfo.processInfo.environment["ESSOR_DATABASE"] ?? StoreConnection.defaultURL

    /// Runs `body` on the opened (and migrated) store, then closes it. A `StoreError` becomes one line on standard
    /// error and exit status 1.
    func withStore<T>(_ body: (OpenedStore) async throws -> T) async throws -> T {
        _ = CommandLogging.bootstrap
        var logger = Logger(label: "essor.storage")
        logger.logLevel = .warning
        let opened: OpenedStore
        do {
            opened = try await StoreConnection.open(url: database, logger: logger)
        } catch {
            throw ValidationFailure("\(database): \(error)")
        }
        do {
            let result = try await body(opened)
            await opened.close()
            return result
        } catch let error as StoreError {
            await opened.close()
            throw ValidationFailure(error.description)
        } catch {
            await opened.close()
            throw error
        }
    }
}

/// The command line's one logging bootstrap: every log line goes to standard error, so standard output carries
/// only what a command prints (a key text, a listing).
enum CommandLogging {
    /// Done once, on first use.
    static let bootstrap: Void = LoggingSystem.bootstrap(StreamLogHandler.standardError)

    /// A long-running service's logging (`essor serve`, `essor backend`): standard error, at `ESSOR_LOG_LEVEL`
    /// (default `info`).
    static func bootstrapServer() {
        let level =
            ProcessInfo.processInfo.environment["ESSOR_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
