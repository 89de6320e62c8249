import Foundation

/// One question put to the policy: may `principal` do `action` on `resource` at `time`?
public struct AccessRequest: Sendable, Hashable {
    /// Who asks.
    public var principal: Principal
    /// What they want to do.
    public var action: Action
    /// On what.
    public var resource: Resource
    /// When (the gateway's clock; the `valid` condition tests it). Evaluation never reads a clock itself.
    public var time: Date

    /// Creates a request.
    public init(principal: Principal, action: Action, resource: Resource, time: Date) {
        self.principal = principal
        self.action = action
        self.resource = resource
        self.time = time
    }
}
