import Foundation
import GatewayCore
import Policy
import Testing

@testable import Delivery

/// Who receives an observation request's state changes by push (issue 11 §2): its requester's
/// `observation-request` subscriptions and administrators', no one else's.
@Suite struct PushAccessTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func user(_ name: String, _ role: Role) -> User {
        User(name: name, organisation: name, roles: [role])
    }

    func subscription(_ owner: String) -> Subscription {
        Subscription(
            owner: owner, topic: .observationRequest, format: .json,
            channel: .webhook(url: "https://receiver.example/\(owner)"), created: now)
    }

    @Test func aRequestsEventsReachItsRequesterAndAdministratorsOnly() {
        let request = ObservationRequest(
            requester: "requester", organisation: "requester", target: RequestTarget(noradID: 90500),
            window: DateInterval(start: now, duration: 3600), measurements: [.opticalAngles], tracks: 1,
            marking: .partners(["requester"]), created: now)
        let event = FeedEvent(
            request: request, entry: RequestHistoryEntry(state: .accepted, time: now, actor: .backend, user: "backend"),
            previous: .submitted)
        #expect(event.type == "observation-request.accepted" && event.requester == "requester")
        #expect(event.requestID == request.id && event.detail("previous") == "SUBMITTED")
        let access = PushAccess(policy: PushWorkerTests.defaultPolicy, time: now)
        let requester = user("requester", .requester)
        #expect(access.decide(owner: requester, subscription: subscription("requester"), event: event) == [])
        let admin = user("admin", .admin)
        #expect(access.decide(owner: admin, subscription: subscription("admin"), event: event) == [])
        let other = user("requester-2", .requester)
        #expect(access.decide(owner: other, subscription: subscription("requester-2"), event: event) == nil)
        let operatorA = user("operator-a", .operator)
        #expect(access.decide(owner: operatorA, subscription: subscription("operator-a"), event: event) == nil)
    }
}
