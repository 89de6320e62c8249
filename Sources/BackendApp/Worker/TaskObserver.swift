import Astrodynamics
import Backend
import CCSDS
import Foundation

/// Observes a slot: the simulated sensor measures the truth orbit, and the track becomes a TDM 2.0 (KVN).
struct TaskObserver: Sendable {
    let network: SensorNetwork
    let truth: TruthCatalogue
    let seed: UInt64
    var simulator = MeasurementSimulator()

    /// The TDM of `slot`'s track. The noise is seeded by the backend's seed, the request id and the track number,
    /// so a slot observed again (after a crash) gives the same TDM.
    func tdm(for slot: TaskSlot, task: BackendTask) throws -> [UInt8] {
        guard let sensor = network.sensor(named: slot.sensor) else {
            throw BackendConfigurationError("the sensor \(slot.sensor) is no longer in the network")
        }
        let start = Epoch(date: slot.start)
        var noise: MeasurementNoise? = MeasurementNoise(seed: Self.seed(seed, task.id, slot.track))
        let track = try simulator.track(of: slot.noradID, in: truth, by: sensor, startingAt: start, noise: &noise)
        var names: [Int: String] = [:]
        if let name = truth.object(slot.noradID, at: start)?.name { names[slot.noradID] = name }
        let message = TDMComposer.message(
            tracks: [track], network: network, originator: "ESSOR REFERENCE BACKEND", creation: Epoch(date: slot.end),
            objectNames: names)
        return try MessageWriter.write(message, as: .kvn)
    }

    /// A stable seed (FNV-1a of the request id and track, mixed with the backend's seed): the same on every run.
    static func seed(_ base: UInt64, _ id: String, _ track: Int) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in Array(id.utf8) + [UInt8(truncatingIfNeeded: track), UInt8(truncatingIfNeeded: track >> 8)] {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash ^ (base &* 0x9e37_79b9_7f4a_7c15)
    }
}
