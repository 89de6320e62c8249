extension SGP4Propagator {
    /// Where a batch propagation stopped: the first time at which SGP4 reported an error.
    public struct BatchFailure: Error, Sendable, Equatable {
        /// The index of the failing time; states before it were written.
        public let index: Int
        /// The failing time, minutes since epoch.
        public let minutesSinceEpoch: Double
        /// SGP4's error there.
        public let error: SGP4Error
    }

    /// Propagates to each of `minutesSinceEpoch` in turn, writing the states (TEME, km, km/s) to `states` at the
    /// same indices, without allocating. Stops at the first time SGP4 reports an error, like the reference's
    /// verification driver: the states before it are written and the failure is thrown.
    ///
    /// The results are those of `propagate(minutesSinceEpoch:)`; for deep-space resonant orbits (12 h and 24 h)
    /// the resonance integrator continues from one time to the next, which makes increasing times cheap.
    ///
    /// - Precondition: `states.count >= minutesSinceEpoch.count`.
    public func propagate(
        minutesSinceEpoch times: UnsafeBufferPointer<Double>, into states: UnsafeMutableBufferPointer<CartesianState>
    ) throws(BatchFailure) {
        precondition(states.count >= times.count, "SGP4Propagator.propagate(minutesSinceEpoch:into:): too few states")
        guard var time = times.baseAddress, var output = states.baseAddress else { return }
        var resonance = SGP4ResonanceState.start
        for index in 0..<times.count {
            do {
                output.initialize(to: try state(minutesSinceEpoch: time.pointee, resonance: &resonance))
            } catch {
                throw BatchFailure(index: index, minutesSinceEpoch: time.pointee, error: error)
            }
            time += 1
            output += 1
        }
    }

    /// Propagates to each of `minutesSinceEpoch` (see `propagate(minutesSinceEpoch:into:)` on buffers).
    ///
    /// - Returns: the states, as many as there are times unless an error stopped the propagation, and that error.
    public func propagate(minutesSinceEpoch times: [Double]) -> (states: [CartesianState], failure: BatchFailure?) {
        let zero = CartesianState(positionKilometres: .zero, velocityKilometresPerSecond: .zero)
        var states = [CartesianState](repeating: zero, count: times.count)
        var failure: BatchFailure?
        times.withUnsafeBufferPointer { times in
            states.withUnsafeMutableBufferPointer { states in
                do throws(BatchFailure) {
                    try propagate(minutesSinceEpoch: times, into: states)
                } catch {
                    failure = error
                }
            }
        }
        if let failure { states.removeSubrange(failure.index...) }
        return (states, failure)
    }
}
