import Astrodynamics

/// Reads requests for `essor schedule`: a JSON array of the backend protocol's request objects
/// (docs/observation-requests.md), each
/// `{"id", "norad_id" (or "target": {"norad_id"}), "window": {"start", "stop"}, "tracks", "priority",
/// "measurements", "sensor", "created"}`. `tracks` (1–100) defaults to 1, `priority` to routine, `sensor` to
/// none; `created` (ISO 8601, optional) is the submission time that orders equal priorities. The protocol's other
/// members (`requester`, `purpose`, `marking`, `callbacks`, …) are allowed and ignored; any other member is an
/// error (a misspelt key should not pass silently). Every problem is reported as `file:line:column: message`.
public enum ObservationRequestFile {
    /// The protocol's members that do not concern the scheduler.
    static let ignoredKeys: Set<String> = [
        "requester", "organisation", "purpose", "marking", "callbacks", "href", "state", "proposed_window",
        "schedule", "history", "products", "updated",
    ]
    static let knownKeys: Set<String> = [
        "id", "norad_id", "target", "window", "tracks", "priority", "measurements", "sensor", "created",
    ]

    /// The tasks of the request file `bytes` (named `file` in messages).
    public static func read(_ bytes: [UInt8], file: String) throws(RequestFileError) -> [ObservationTask] {
        let root: LocatedJSON
        do {
            root = try LocatedJSON.parse(bytes)
        } catch {
            throw RequestFileError(problems: [
                "\(file):\(error.line):\(error.column): not well-formed JSON: \(error.message)"
            ])
        }
        var problems: [(line: Int, column: Int, message: String)] = []
        func report(_ node: LocatedJSON, _ message: String) {
            problems.append((node.line, node.column, message))
        }
        func error() -> RequestFileError {
            let sorted = problems.enumerated().sorted { a, b in
                (a.element.line, a.element.column, a.offset) < (b.element.line, b.element.column, b.offset)
            }
            return RequestFileError(
                problems: sorted.map { "\(file):\($0.element.line):\($0.element.column): \($0.element.message)" })
        }
        guard case .array(let items) = root.value else {
            report(root, "a request file is a JSON array of requests, not \(root.kind)")
            throw error()
        }
        var tasks: [ObservationTask] = []
        var seen: Set<String> = []
        for item in items {
            if let idNode = item["id"], case .string(let id) = idNode.value, !seen.insert(id).inserted {
                report(idNode, "the id \"\(id)\" is used twice; ids must be unique")
                continue
            }
            if let task = task(item, report: report) { tasks.append(task) }
        }
        guard problems.isEmpty else { throw error() }
        return tasks
    }

    private static func task(_ item: LocatedJSON, report: (LocatedJSON, String) -> Void) -> ObservationTask? {
        guard case .object(let members) = item.value else {
            report(item, "a request must be an object, not \(item.kind)")
            return nil
        }
        var ok = true
        func fail(_ node: LocatedJSON, _ message: String) {
            report(node, message)
            ok = false
        }
        for member in members where !knownKeys.contains(member.key) && !ignoredKeys.contains(member.key) {
            fail(
                member.value,
                "unknown member \"\(member.key)\" (expected \(knownKeys.sorted().joined(separator: ", ")))")
        }
        func text(_ key: String, in node: LocatedJSON, required: Bool) -> String? {
            guard let value = node[key] else {
                if required { fail(node, "the request lacks \"\(key)\"") }
                return nil
            }
            if case .null = value.value, !required { return nil }
            guard case .string(let string) = value.value, !string.isEmpty else {
                fail(value, "\"\(key)\" must be a non-empty string, not \(value.kind)")
                return nil
            }
            return string
        }
        func epoch(_ key: String, in node: LocatedJSON, required: Bool) -> Epoch? {
            guard let string = text(key, in: node, required: required), let value = node[key] else { return nil }
            guard let epoch = try? Epoch(iso8601: string) else {
                fail(value, "\"\(key)\" must be a UTC ISO 8601 time such as 2026-12-08T20:00:00Z, not \"\(string)\"")
                return nil
            }
            return epoch
        }
        func integer(_ node: LocatedJSON, _ name: String, in range: ClosedRange<Int>) -> Int? {
            guard case .number(let number) = node.value, number == number.rounded(),
                range.contains(Int(exactly: number) ?? -1)
            else {
                fail(node, "\"\(name)\" must be a whole number from \(range.lowerBound) to \(range.upperBound)")
                return nil
            }
            return Int(number)
        }

        let id = text("id", in: item, required: true)
        var noradID: Int?
        if let node = item["norad_id"] {
            noradID = integer(node, "norad_id", in: 1...999_999_999)
        } else if let target = item["target"], let node = target["norad_id"] {
            noradID = integer(node, "target.norad_id", in: 1...999_999_999)
        } else {
            fail(item, "the request lacks \"norad_id\" (or \"target\": {\"norad_id\": …})")
        }
        var window: EpochInterval?
        if let node = item["window"] {
            let start = epoch("start", in: node, required: true)
            let stop = epoch("stop", in: node, required: true)
            if let start, let stop {
                if stop > start {
                    window = EpochInterval(start: start, end: stop)
                } else {
                    fail(node["stop"] ?? node, "window.stop must be after window.start")
                }
            }
        } else {
            fail(item, "the request lacks \"window\": {\"start\": …, \"stop\": …}")
        }
        let tracks = item["tracks"].flatMap { integer($0, "tracks", in: 1...100) } ?? 1
        var priority = TaskPriority.routine
        if let name = text("priority", in: item, required: false), let node = item["priority"] {
            if let value = TaskPriority(rawValue: name) {
                priority = value
            } else {
                fail(node, "\"priority\" must be routine, urgent or emergency, not \"\(name)\"")
            }
        }
        var measurements: [MeasurementKind] = []
        if let node = item["measurements"], case .array(let list) = node.value, !list.isEmpty {
            for element in list {
                guard case .string(let name) = element.value, let kind = MeasurementKind(rawValue: name) else {
                    fail(element, "a measurement is optical-angles, radar-range or radar-doppler")
                    continue
                }
                measurements.append(kind)
            }
        } else {
            fail(
                item["measurements"] ?? item,
                "\"measurements\" must be a non-empty array (optical-angles, radar-range, radar-doppler)")
        }
        let sensor = text("sensor", in: item, required: false)
        let created = epoch("created", in: item, required: false)
        guard ok, let id, let noradID, let window else { return nil }
        return ObservationTask(
            id: id, noradID: noradID, window: window, tracksWanted: tracks, priority: priority,
            measurements: measurements,
            sensor: sensor, submitted: created ?? .j2000TAI)
    }
}

/// A request file that could not be read: every problem, as `file:line:column: message`.
public struct RequestFileError: Error, Sendable, CustomStringConvertible {
    /// The problems, in file order.
    public var problems: [String]
    /// One problem per line.
    public var description: String { problems.joined(separator: "\n") }
}
