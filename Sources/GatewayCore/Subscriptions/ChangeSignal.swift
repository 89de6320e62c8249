import Foundation
import Synchronization

/// A wake-up call between tasks: `signal()` wakes every task waiting in `wait(timeout:)`, and a signal sent while
/// nobody waits is remembered for the next waiter, so a change between two waits is never missed. Workers still
/// poll at their timeout: the signal makes them prompt, not correct.
public final class ChangeSignal: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var waiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextWaiter: UInt64 = 0
    }
    private let state = Mutex(State())

    /// Creates a signal.
    public init() {}

    /// The count of signals so far: pass it to `wait(after:timeout:)` to wait for the next one.
    public var generation: UInt64 { state.withLock { $0.generation } }

    /// Wakes every waiter.
    public func signal() {
        let woken = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.generation &+= 1
            let all = Array(state.waiters.values)
            state.waiters.removeAll()
            return all
        }
        for continuation in woken { continuation.resume() }
    }

    /// Returns when a signal comes after `generation`, when `timeout` passes or when the task is cancelled,
    /// whichever is first; true when signalled.
    @discardableResult
    public func wait(after generation: UInt64, timeout: Duration) async -> Bool {
        let id = state.withLock { state -> UInt64? in
            guard state.generation == generation else { return nil }
            state.nextWaiter &+= 1
            return state.nextWaiter
        }
        guard let id else { return true }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await withTaskCancellationHandler {
                    await withCheckedContinuation { continuation in
                        let resumeNow = self.state.withLock { state -> Bool in
                            if state.generation != generation || Task.isCancelled { return true }
                            state.waiters[id] = continuation
                            return false
                        }
                        if resumeNow { continuation.resume() }
                    }
                } onCancel: {
                    self.resume(id)
                }
                return true
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            self.resume(id)
            return first && self.generation != generation
        }
    }

    private func resume(_ id: UInt64) {
        let continuation = state.withLock { $0.waiters.removeValue(forKey: id) }
        continuation?.resume()
    }
}
