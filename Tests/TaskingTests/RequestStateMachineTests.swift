import GatewayCore
import Testing

@Suite struct RequestStateMachineTests {
    /// The happy path of DESIGN §7, each step by the actor who makes it.
    @Test func aRequestGoesFromSubmittedToDelivered() throws {
        var state = RequestState.submitted
        let steps: [(RequestState, RequestActor)] = [
            (.accepted, .backend), (.scheduled, .backend), (.partial, .gateway), (.partial, .backend),
            (.collected, .backend), (.delivered, .backend),
        ]
        for (next, actor) in steps { state = try RequestStateMachine.apply(next, from: state, by: actor) }
        #expect(state == .delivered && state.isTerminal)
    }

    @Test func aProposalIsAcceptedOrDeclinedByTheRequester() throws {
        let proposed = try RequestStateMachine.apply(.proposed, from: .submitted, by: .backend)
        #expect(try RequestStateMachine.apply(.accepted, from: proposed, by: .requester) == .accepted)
        #expect(try RequestStateMachine.apply(.cancelled, from: proposed, by: .requester) == .cancelled)
        #expect(throws: IllegalTransition.self) { try RequestStateMachine.apply(.accepted, from: proposed, by: .backend) }
    }

    @Test(arguments: RequestState.allCases.filter(\.isTerminal))
    func nothingLeavesAFinalState(_ state: RequestState) {
        for actor in RequestActor.allCases {
            #expect(RequestStateMachine.successors(of: state, by: actor).isEmpty)
        }
        #expect(throws: IllegalTransition(from: state, to: .cancelled, actor: .admin)) {
            try RequestStateMachine.apply(.cancelled, from: state, by: .admin)
        }
    }

    @Test func everyOpenStateCanBeCancelledAndFailed() {
        for state in RequestState.allCases where state.isOpen {
            #expect(RequestStateMachine.successors(of: state, by: .requester).contains(.cancelled))
            #expect(RequestStateMachine.successors(of: state, by: .admin).isSuperset(of: [.cancelled, .failed]))
        }
    }

    /// Random sequences of moves by random actors (a fixed-seed generator): a refused move changes nothing, an
    /// accepted one is always a successor, and every accepted move is one event, in order.
    @Test func randomSequencesNeverReachAnIllegalState() {
        var random = SplitMix64(seed: 0x5EED_0B5E)
        for _ in 0..<2_000 {
            var state = RequestState.submitted
            var events: [String] = []
            for _ in 0..<20 {
                let actor = RequestActor.allCases[Int(random.next() % UInt64(RequestActor.allCases.count))]
                let target = RequestState.allCases[Int(random.next() % UInt64(RequestState.allCases.count))]
                let before = state
                do {
                    state = try RequestStateMachine.apply(target, from: state, by: actor)
                    #expect(RequestStateMachine.successors(of: before, by: actor).contains(state))
                    events.append(state.eventType)
                } catch {
                    #expect(state == before)
                    #expect(error == IllegalTransition(from: before, to: target, actor: actor))
                }
                if state.isTerminal { break }
            }
            // Nothing follows a final state: when one is reached, its event is the last.
            let finals = Set(RequestState.allCases.filter(\.isTerminal).map(\.eventType))
            if let final = events.firstIndex(where: finals.contains) { #expect(final == events.count - 1) }
        }
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny, seedable generator for repeatable property tests.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
