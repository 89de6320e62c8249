import GatewayCore
import NIOCore
import Policy
import Synchronization

/// A catalogue rendered for one caller and format.
struct RenderedCatalogue: Sendable {
    /// The response body.
    let body: ByteBuffer
    /// The number of element sets in it.
    let count: Int
    /// The quotas the caller's first readable object was granted (nil when nothing is readable).
    let quotas: Quotas?
}

/// The most recently rendered catalogues by ETag, bounded in count and bytes; the oldest go first.
final class RenderedCatalogues: Sendable {
    private struct State {
        var entries: [String: RenderedCatalogue] = [:]
        var order: [String] = []
        var bytes = 0
    }

    private let state = Mutex(State())
    private let mostEntries: Int
    private let mostBytes: Int

    init(mostEntries: Int = 32, mostBytes: Int = 256 << 20) {
        self.mostEntries = mostEntries
        self.mostBytes = mostBytes
    }

    func entry(etag: String) -> RenderedCatalogue? {
        state.withLock { $0.entries[etag] }
    }

    func store(_ entry: RenderedCatalogue, etag: String) {
        state.withLock { state in
            guard state.entries[etag] == nil, entry.body.readableBytes <= mostBytes else { return }
            state.entries[etag] = entry
            state.order.append(etag)
            state.bytes += entry.body.readableBytes
            while state.order.count > mostEntries || state.bytes > mostBytes, !state.order.isEmpty {
                let oldest = state.order.removeFirst()
                if let removed = state.entries.removeValue(forKey: oldest) { state.bytes -= removed.body.readableBytes }
            }
        }
    }
}
