import CCSDS
import Foundation
import GatewayCore
import Synchronization

/// A read-through cache of catalogue objects, their latest element sets and the element sets already written in
/// each format, tied to the store's `CatalogueRevision`.
///
/// The revision is re-read at most every `revalidationInterval` (by one request at a time; the others go on with
/// what is cached); when it differs, everything is dropped. So a change made by any gateway instance or by
/// `essor import` is served within that interval, and a hot object costs no store round trip (each one is a hop
/// to the database's threads and back, which dominated the per-request cost).
final class CatalogueReadCache: Sendable {
    /// What is known of one NORAD id.
    struct Entry {
        /// The object; nil when the store has none.
        var object: CatalogueObject?
        /// Its latest element set; nil when it has none; not yet read when `latestRead` is false.
        var latest: ElementSetRecord?
        var latestRead = false
        /// The latest set written per format.
        var rendered: [ElementSetFormat: [UInt8]] = [:]
    }

    private struct State {
        var revision: CatalogueRevision?
        var checked: ContinuousClock.Instant?
        var refreshing = false
        var entries: [Int: Entry] = [:]
    }

    private let store: any CatalogueStore
    private let state = Mutex(State())
    private let revalidationInterval: Duration
    private let mostEntries: Int

    init(store: any CatalogueStore, revalidationInterval: Duration = .milliseconds(250), mostEntries: Int = 200_000) {
        self.store = store
        self.revalidationInterval = revalidationInterval
        self.mostEntries = mostEntries
    }

    /// The store's revision, re-read when the one held is older than the interval.
    func revision() async throws(StoreError) -> CatalogueRevision {
        let now = ContinuousClock.now
        let (held, due) = state.withLock { state -> (CatalogueRevision?, Bool) in
            let stale = state.checked.map { now - $0 >= revalidationInterval } ?? true
            let due = stale && !state.refreshing
            if due { state.refreshing = true }
            return (state.revision, due)
        }
        if !due, let held { return held }
        do {
            let fresh = try await store.catalogueRevision()
            state.withLock { state in
                if state.revision != fresh { state.entries.removeAll(keepingCapacity: true) }
                state.revision = fresh
                state.checked = now
                if due { state.refreshing = false }
            }
            return fresh
        } catch {
            if due { state.withLock { $0.refreshing = false } }
            throw error
        }
    }

    /// The object with `noradID`; `notFound` when there is none.
    func object(noradID: Int) async throws(StoreError) -> CatalogueObject {
        _ = try await revision()
        if let entry = state.withLock({ $0.entries[noradID] }) {
            guard let object = entry.object else { throw .notFound(entity: "object", key: String(noradID)) }
            return object
        }
        var object: CatalogueObject?
        do {
            object = try await store.object(noradID: noradID)
        } catch .notFound {
            object = nil
        }
        update(noradID) { $0.object = object }
        guard let object else { throw .notFound(entity: "object", key: String(noradID)) }
        return object
    }

    /// The latest element set of `noradID`; `notFound` when there is none.
    func latestElementSet(noradID: Int) async throws(StoreError) -> ElementSetRecord {
        if let entry = state.withLock({ $0.entries[noradID] }), entry.latestRead {
            guard let latest = entry.latest else { throw .notFound(entity: "element set", key: String(noradID)) }
            return latest
        }
        var latest: ElementSetRecord?
        do {
            latest = try await store.latestElementSet(noradID: noradID)
        } catch .notFound {
            latest = nil
        }
        update(noradID) {
            $0.latest = latest
            $0.latestRead = true
        }
        guard let latest else { throw .notFound(entity: "element set", key: String(noradID)) }
        return latest
    }

    /// The latest set of `noradID` written in `format`, written by `write` the first time.
    func rendered(
        noradID: Int, format: ElementSetFormat, write: () throws(ValidationError) -> [UInt8]
    ) throws(ValidationError) -> [UInt8] {
        if let bytes = state.withLock({ $0.entries[noradID]?.rendered[format] }) { return bytes }
        let bytes = try write()
        update(noradID) { $0.rendered[format] = bytes }
        return bytes
    }

    private func update(_ noradID: Int, _ change: (inout Entry) -> Void) {
        state.withLock { state in
            if state.entries.count >= mostEntries, state.entries[noradID] == nil {
                state.entries.removeAll(keepingCapacity: true)
            }
            change(&state.entries[noradID, default: Entry()])
        }
    }
}
