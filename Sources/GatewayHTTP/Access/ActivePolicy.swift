import Policy
import Synchronization

/// The policy set in force: read by every request, replaced whole by a reload (SIGHUP). A reload that fails
/// leaves the current set in place, so the gateway never runs without a policy.
public final class ActivePolicy: Sendable {
    private let current: Mutex<PolicySet>

    /// Starts with `policy`.
    public init(_ policy: PolicySet) {
        current = Mutex(policy)
    }

    /// The set in force now.
    public var policy: PolicySet { current.withLock { $0 } }

    /// Puts `policy` in force for every request that starts from now on.
    public func replace(with policy: PolicySet) {
        current.withLock { $0 = policy }
    }
}
