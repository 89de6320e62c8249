import Foundation
import Synchronization

/// Wakes the worker early (a request arrived, was accepted or cancelled) instead of at its next tick.
public final class WorkSignal: Sendable {
    private let pending = Mutex<(raised: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

    public init() {}

    /// Raises the signal: the current or next `wait` returns at once.
    public func raise() {
        let waiter = pending.withLock { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.raised = true
            return nil
        }
        waiter?.resume()
    }

    /// Waits until raised or `seconds` pass.
    public func wait(seconds: Double) async {
        let timer = Task { [weak self] in
            guard (try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))) != nil else { return }
            self?.raise()
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = pending.withLock { state -> Bool in
                if state.raised {
                    state.raised = false
                    return true
                }
                state.waiter = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
        timer.cancel()
    }
}
