import ArgumentParser
import Foundation
import GatewayCore
import Policy
import Synchronization

/// `essor bench products --database URL [--cdms N] [--tdm-lines N]` (issue 5 performance): on an empty store,
/// - ingest: N distinct CDMs parsed, validated and stored one by one (each in its own transaction with its feed
///   event), by `--writers` concurrent tasks; a TDM of `--tdm-lines` observations likewise;
/// - query: the first page (100) of one operator's CDMs among all of them (the store scope the gateway uses for an
///   operator), median of `--queries` runs: as listings read it (`productSummaries`), and complete (`products`,
///   every message decoded);
/// - feed: reading 1,000 events after a cursor, median of `--queries` runs.
/// Last line: `cdms_per_second=X tdm_lines_per_second=Y operator_query_ms=Z feed_1000_ms=W
/// operator_full_query_ms=V`.
struct BenchProducts: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "products", abstract: "Measure product ingest, CDM queries and feed reads on a store.")

    @OptionGroup var database: DatabaseOption

    @Option(help: "How many distinct CDMs to ingest.")
    var cdms = 2_000

    @Option(help: "How many catalogue objects the CDMs spread over (operator-a owns 10 of them).")
    var objects = 2_000

    @Option(name: .customLong("tdm-lines"), help: "Observation lines of the TDM to ingest.")
    var tdmLines = 100_000

    @Option(help: "Concurrent ingest tasks.")
    var writers = 4

    @Option(help: "Repetitions of each query (the median is reported).")
    var queries = 21

    func run() async throws {
        try await database.withStore { opened in
            let store = opened.store
            guard try await store.latestFeedEventID() == nil else {
                throw ValidationError("the store already holds products: benchmark on an empty database")
            }
            let owned = Set(90001...90010)
            let now = Date()
            // Inputs, built before the clock starts.
            let texts: [[UInt8]] = (0..<cdms).map { index in
                let object1 = 90001 + index % objects
                let object2 = 200_000 + index
                return Array(
                    DemoDataSet.cdm(
                        object1: object1, object2: object2, tca: now.addingTimeInterval(Double(index) * 60),
                        created: now, missMetres: Double(index % 5000), probability: 1e-6 * Double(index % 100 + 1),
                        messageID: "BENCH-\(index)"
                    ).utf8)
            }
            let counter = Counter(texts.count)
            let start = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<max(writers, 1) {
                    group.addTask {
                        while let index = counter.next() {
                            let parsed = try ProductSubmission.parse(texts[index])
                            let owners = parsed.facts.noradIDs.contains { owned.contains($0) } ? ["operator-a"] : []
                            let submission = ProductSubmission(
                                submitter: "backend", provider: "backend", marking: .restricted, received: now)
                            _ = try await store.storeProduct(submission.product(parsed, ownerOrganisations: owners))
                        }
                    }
                }
                try await group.waitForAll()
            }
            let cdmSeconds = (ContinuousClock.now - start).seconds
            print("engine=\(opened.engine) cdms=\(cdms) writers=\(writers) ingest_seconds=\(cdmSeconds)")

            let tdm = Array(Self.tdm(lines: tdmLines, start: now).utf8)
            let tdmStart = ContinuousClock.now
            let parsed = try ProductSubmission.parse(tdm)
            _ = try await store.storeProduct(
                ProductSubmission(submitter: "partner-1", provider: "partner-1", marking: .restricted, received: now)
                    .product(parsed, ownerOrganisations: []))
            let tdmSeconds = (ContinuousClock.now - tdmStart).seconds
            print("tdm_lines=\(tdmLines) tdm_bytes=\(tdm.count) tdm_seconds=\(tdmSeconds)")

            let scope = ProductScope(
                organisation: "operator-a", ownedByOrganisation: true, providedByOrganisation: false,
                sharedWithOrganisation: false, markings: [])
            let page = ProductFilter(kinds: [.cdm], scope: scope, limit: 100)
            var found = 0
            let queryMilliseconds = try await Self.median(queries) {
                found = try await store.productSummaries(page).count
            }
            let fullQueryMilliseconds = try await Self.median(queries) {
                found = try await store.products(page).count
            }
            print("operator_cdms_in_first_page=\(found) of \(cdms) stored")
            let latest = try await store.latestFeedEventID() ?? 0
            var events = 0
            let feedMilliseconds = try await Self.median(queries) {
                events = try await store.feedEvents(FeedFilter(afterID: max(latest - 1000, 0), limit: 1000)).count
            }
            print("feed_events_read=\(events)")
            print(
                "cdms_per_second=\(Double(cdms) / cdmSeconds) tdm_lines_per_second=\(Double(tdmLines) / tdmSeconds) "
                    + "operator_query_ms=\(queryMilliseconds) feed_1000_ms=\(feedMilliseconds) "
                    + "operator_full_query_ms=\(fullQueryMilliseconds)")
        }
    }

    /// The median duration of `runs` calls of `body`, in milliseconds.
    static func median(_ runs: Int, _ body: () async throws -> Void) async throws -> Double {
        var times: [Double] = []
        for _ in 0..<max(runs, 1) {
            let start = ContinuousClock.now
            try await body()
            times.append((ContinuousClock.now - start).seconds * 1000)
        }
        return times.sorted()[times.count / 2]
    }

    /// A TDM with `lines` range observations, one per second.
    static func tdm(lines: Int, start: Date) -> String {
        var text = """
            CCSDS_TDM_VERS = 2.0
            CREATION_DATE = \(DemoDataSet.epoch(start))
            ORIGINATOR = BENCH
            META_START
            TIME_SYSTEM = UTC
            PARTICIPANT_1 = BENCH-SENSOR
            PARTICIPANT_2 = 90500
            MODE = SEQUENTIAL
            PATH = 1,2,1
            RANGE_UNITS = km
            META_STOP
            DATA_START

            """
        text.reserveCapacity(lines * 48)
        for index in 0..<lines {
            text +=
                "RANGE = \(DemoDataSet.epoch(start.addingTimeInterval(Double(index)))) \(1200.0 + Double(index) * 0.001)\n"
        }
        return text + "DATA_STOP\n"
    }

    /// A shared work counter for the ingest tasks.
    final class Counter: Sendable {
        private let state: Mutex<Int>
        private let count: Int
        init(_ count: Int) {
            self.count = count
            state = Mutex(0)
        }
        /// The next index to ingest; nil when all are taken.
        func next() -> Int? {
            state.withLock { index in
                guard index < count else { return nil }
                index += 1
                return index - 1
            }
        }
    }
}
