import Foundation
import GatewayCore
import PostgresNIO
import Testing

@testable import Storage

/// The feed's commit-order guarantee on PostgreSQL, made deterministic: a writer that took an id and has not
/// committed holds back every later writer, so no reader can see id 2 while id 1 may still appear. (With a sequence,
/// the second writer would commit id 2 at once and a reader at the head would skip id 1 forever.)
@Suite struct PostgresFeedOrderTests {
    @Test func aLaterWriterWaitsUntilTheEarlierCommits() async throws {
        try await PostgresTestServer.withSchema { url, schema in
            let store = try await PostgresStore(url: url, schema: schema, logger: PostgresTestServer.logger)
            let (entered, enteredSignal) = AsyncStream<Void>.makeStream()
            let (release, releaseSignal) = AsyncStream<Void>.makeStream()
            let first = Task {
                try await store.transaction { db in
                    let record = try FeedRecord(FeedEvent(type: "first", time: Fixtures.time()))
                    let id = try await PostgresStore.appendEvent(db, record, store.logger)
                    enteredSignal.yield()
                    for await _ in release { break }
                    return id
                }
            }
            for await _ in entered { break }
            let second = Task { try await store.appendFeedEvent(FeedEvent(type: "second", time: Fixtures.time(1))) }
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await store.feedEvents(FeedFilter()).isEmpty, "nothing is visible before the first commits")
            #expect(try await store.latestFeedEventID() == nil)
            releaseSignal.yield()
            #expect(try await first.value == 1)
            #expect(try await second.value.id == 2)
            #expect(try await store.feedEvents(FeedFilter()).map(\.type) == ["first", "second"])
            await store.shutdown()
        }
    }

    @Test func aRolledBackWriterLeavesNoGap() async throws {
        try await PostgresTestServer.withSchema { url, schema in
            let store = try await PostgresStore(url: url, schema: schema, logger: PostgresTestServer.logger)
            struct Abandon: Error {}
            await #expect(throws: StoreError.self) {
                try await store.transaction { db in
                    _ = try await PostgresStore.appendEvent(
                        db, try FeedRecord(FeedEvent(type: "abandoned", time: Fixtures.time())), store.logger)
                    throw Abandon()
                }
            }
            #expect(try await store.appendFeedEvent(FeedEvent(type: "kept", time: Fixtures.time())).id == 1)
            await store.shutdown()
        }
    }
}
