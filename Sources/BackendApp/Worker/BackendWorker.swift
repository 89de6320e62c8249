import Astrodynamics
import Backend
import CCSDS
import Foundation
import Logging
import ServiceLifecycle

/// The backend's worker: every tick (a second, or at once when a request arrives) it plans what was received or
/// accepted, observes the slots whose time has come (simulated sensors on the truth), and sends the outbox.
///
/// Each task's reports follow the gateway's state machine: `ACCEPTED` then `SCHEDULED` (with the slots), or
/// `PROPOSED` (another window) or `REJECTED`; then one TDM product per observed track (the gateway moves the
/// request to `PARTIAL` with the first), `COLLECTED` and `DELIVERED` after the last; `FAILED` when clouds took every
/// slot and no other fits in the window.
struct BackendWorker: Service {
    let store: any BackendStore
    let link: GatewayLink
    let clock: BackendClock
    let network: SensorNetwork
    let truth: TruthCatalogue
    var transformer = FrameTransformer()
    let seed: UInt64
    let weather: Bool
    let retryMaxSeconds: Double
    let signal: WorkSignal
    let logger: Logger

    func run() async throws {
        let sender = OutboxSender(store: store, link: link, retryMaxSeconds: retryMaxSeconds, logger: logger)
        let planner = TaskPlanner(network: network, truth: truth, seed: seed, weather: weather, transformer: transformer)
        let observer = TaskObserver(
            network: network, truth: truth, seed: seed, simulator: MeasurementSimulator(transformer: transformer))
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let now = Date()
                    try await plan(planner, now: now)
                    try await observe(observer, planner: planner, now: now)
                    _ = try await sender.sendDue()
                } catch is CancellationError {
                    return
                } catch {
                    logger.error("backend tick failed", metadata: ["error": "\(error)"])
                }
                await signal.wait(seconds: clock.factor > 1 ? 0.25 : 1)
            }
        }
    }

    /// Plans the received tasks and those whose proposal was accepted (or who lost slots to clouds), highest
    /// priority first, each in its own round at its own simulated time.
    func plan(_ planner: TaskPlanner, now: Date) async throws {
        let waiting = try await store.tasks(in: [.received, .replan])
        for var task in waiting.sorted(by: TaskPlanner.order) {
            let scheduled = try await store.tasks(in: [.scheduled])
            let simulatedNow = clock.simulated(receivedAt: task.clockBase, now: now)
            let round = planner.round(waiting: [task], scheduled: scheduled, now: simulatedNow)
            for (id, slots) in round.moved {
                guard var other = scheduled.first(where: { $0.id == id }) else { continue }
                other.slots = other.slots.filter { $0.outcome != .planned || $0.start < simulatedNow } + slots
                try await store.save(other, enqueue: [])
                logger.info("rescheduled by a higher priority", metadata: ["request": "\(id)", "by": "\(task.id)"])
            }
            let silent = task.reported == "SCHEDULED" || task.reported == "PARTIAL"
            var messages: [StatusReport] = []
            switch round.decisions[task.id] ?? .rejected(reason: "not planned") {
            case .scheduled(let slots, let note) where !slots.isEmpty:
                task.slots = task.slots.filter { $0.outcome != .planned } + slots
                task.state = .scheduled
                task.reason = note
                if task.reported == nil { messages.append(StatusReport(state: "ACCEPTED")) }
                if !silent {
                    messages.append(
                        StatusReport(
                            state: "SCHEDULED", reason: note,
                            schedule: slots.map { .init(sensor: $0.sensor, start: $0.start, stop: $0.end) }))
                }
            case .proposed(let window, let reason) where !silent:
                task.state = .proposed
                task.proposedWindow = window
                task.reason = reason
                messages.append(StatusReport(state: "PROPOSED", reason: reason, proposedWindow: window))
            case .scheduled(_, let reason), .proposed(_, let reason), .rejected(let reason):
                messages += closing(&task, reason: reason)
            }
            if let last = messages.last { task.reported = last.state }
            try await store.save(task, enqueue: try messages.map { try Self.message(task.id, $0) })
            logger.info(
                "planned",
                metadata: [
                    "request": "\(task.id)", "reported": "\(task.reported ?? "")",
                    "slots": "\(task.slots.filter { $0.outcome == .planned }.count)",
                ])
        }
    }

    /// The reports that end a task that cannot be (further) planned: what was observed is delivered; with nothing
    /// observed it is rejected (never answered yet) or failed.
    func closing(_ task: inout BackendTask, reason: String) -> [StatusReport] {
        task.state = .finished
        task.reason = reason
        let observed = task.slots.filter { $0.outcome == .observed }.count
        if observed > 0 {
            let note = "\(observed) of \(task.submission.tracks) tracks observed: \(reason)"
            return [StatusReport(state: "COLLECTED", reason: note), StatusReport(state: "DELIVERED", reason: note)]
        }
        return [StatusReport(state: task.reported == nil ? "REJECTED" : "FAILED", reason: reason)]
    }

    /// Observes every planned slot that has ended by `now`.
    func observe(_ observer: TaskObserver, planner: TaskPlanner, now: Date) async throws {
        for var task in try await store.tasks(in: [.scheduled]) {
            var messages: [OutboxMessage] = []
            var changed = false
            let simulatedNow = clock.simulated(receivedAt: task.clockBase, now: now)
            for index in task.slots.indices
            where task.slots[index].outcome == .planned && task.slots[index].end <= simulatedNow {
                changed = true
                let slot = task.slots[index]
                if planner.isClouded(slot) {
                    task.slots[index].outcome = .clouded
                    logger.info("clouded out", metadata: ["request": "\(task.id)", "sensor": "\(slot.sensor)"])
                    continue
                }
                do {
                    let tdm = try observer.tdm(for: slot, task: task)
                    task.slots[index].outcome = .observed
                    messages.append(OutboxMessage(taskID: task.id, kind: .product, body: tdm))
                } catch {
                    task.slots[index].outcome = .failed
                    logger.warning("observation failed", metadata: ["request": "\(task.id)", "error": "\(error)"])
                }
            }
            guard changed else { continue }
            if !task.slots.contains(where: { $0.outcome == .planned }) {
                let observed = task.slots.filter { $0.outcome == .observed }.count
                let wanted = task.submission.tracks
                if observed >= wanted || (observed > 0 && !planner.canReplan(task, now: simulatedNow)) {
                    let note = observed >= wanted ? nil : "\(observed) of \(wanted) tracks observed; clouds took the rest"
                    messages.append(try Self.message(task.id, StatusReport(state: "COLLECTED", reason: note)))
                    messages.append(try Self.message(task.id, StatusReport(state: "DELIVERED", reason: note)))
                    task.state = .finished
                    task.reported = "DELIVERED"
                } else if planner.canReplan(task, now: simulatedNow) {
                    task.state = .replan
                    task.replans += 1
                } else {
                    let lost = task.slots.filter { $0.outcome == .clouded }.map(\.sensor)
                    let reason = "no track observed: clouds at \(Set(lost).sorted().joined(separator: ", ")) and no "
                        + "other visible slot left in the window"
                    messages.append(try Self.message(task.id, StatusReport(state: "FAILED", reason: reason)))
                    task.state = .finished
                    task.reason = reason
                    task.reported = "FAILED"
                }
            }
            try await store.save(task, enqueue: messages)
            if task.state == .replan { signal.raise() }
        }
    }

    /// A status report as an outbox message.
    static func message(_ taskID: String, _ report: StatusReport) throws -> OutboxMessage {
        OutboxMessage(taskID: taskID, kind: .status, body: Array(try ProtocolJSON.encoder().encode(report)))
    }
}
