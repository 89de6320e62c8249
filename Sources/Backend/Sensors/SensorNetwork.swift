import Foundation
import Yams

/// The sensors of the reference backend, read from a YAML file (`backend/sensors.yaml`).
public struct SensorNetwork: Sendable, Hashable {
    /// The sensors, in file order; names are unique.
    public var sensors: [Sensor]

    /// A network of `sensors` (names must be unique).
    public init(sensors: [Sensor]) {
        self.sensors = sensors
    }

    /// The sensor named `name`, if any.
    public func sensor(named name: String) -> Sensor? {
        sensors.first { $0.name == name }
    }

    /// Reads the YAML text of a sensors file; every problem is reported with its line and column.
    public static func load(yaml text: String, file: String) throws(SensorFileError) -> SensorNetwork {
        var reader = SensorFileReader(file: file)
        let sensors = reader.read(text)
        guard reader.problems.isEmpty else { throw SensorFileError(problems: reader.problems) }
        return SensorNetwork(sensors: sensors)
    }

    /// Reads the sensors file at `path`.
    public static func load(path: String) throws(SensorFileError) -> SensorNetwork {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw SensorFileError(problems: [
                SensorFileProblem(file: path, line: 1, column: 1, message: "cannot read the file (missing, or not UTF-8)")
            ])
        }
        return try load(yaml: text, file: path)
    }
}

/// One mistake in a sensors file, at its place.
public struct SensorFileProblem: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    /// `file:line:column: message`.
    public var description: String { "\(file):\(line):\(column): \(message)" }
}

/// A sensors file that could not be read: every problem found.
public struct SensorFileError: Error, Sendable, CustomStringConvertible {
    public var problems: [SensorFileProblem]
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// Reads a sensors file's YAML tree, collecting every problem with its place.
struct SensorFileReader {
    let file: String
    private(set) var problems: [SensorFileProblem] = []

    init(file: String) { self.file = file }

    static let commonKeys = [
        "name", "type", "latitude_deg", "longitude_deg", "height_m", "min_elevation_deg", "slew_rate_deg_s",
        "settle_s", "points", "cadence_s", "cloud_probability",
    ]
    static let opticalKeys = [
        "max_sun_elevation_deg", "field_of_view_deg", "limiting_magnitude", "noise_arcsec", "exposure_s",
        "min_moon_separation_deg",
    ]
    static let radarKeys = ["range_noise_m", "doppler_noise_m_s", "max_range_km", "duty_cycle", "range_mode"]

    mutating func read(_ text: String) -> [Sensor] {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, .default, .default, .utf8)
        } catch {
            var line = 1
            var column = 1
            var message = "not well-formed YAML"
            if let error = error as? YamlError {
                switch error {
                case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
                    .composer(_, let problem, let mark, _):
                    line = mark.line
                    column = mark.column
                    message = "not well-formed YAML: \(problem)"
                default: break
                }
            }
            problems.append(SensorFileProblem(file: file, line: line, column: column, message: message))
            return []
        }
        guard let root, case .mapping = root else {
            problems.append(
                SensorFileProblem(
                    file: file, line: root?.mark?.line ?? 1, column: root?.mark?.column ?? 1,
                    message: "a sensors file is a mapping with the key `sensors:` (a list of sensors)"))
            return []
        }
        guard let keys = mapping(root, of: "the file", allowed: ["sensors"], required: ["sensors"]),
            let list = keys["sensors"]
        else { return [] }
        guard case .sequence(let items) = list, !items.isEmpty else {
            report("sensors must be a non-empty list of sensors (each item starting with `- name:`)", at: list)
            return []
        }
        var sensors: [Sensor] = []
        var seen: Set<String> = []
        for item in items {
            guard let sensor = sensor(item) else { continue }
            if !seen.insert(sensor.name).inserted {
                report("the sensor name \"\(sensor.name)\" is used twice; names must be unique", at: item)
                continue
            }
            sensors.append(sensor)
        }
        return sensors
    }

    private mutating func sensor(_ node: Node) -> Sensor? {
        let allowed = Self.commonKeys + Self.opticalKeys + Self.radarKeys
        guard
            let keys = mapping(
                node, of: "a sensor", allowed: allowed,
                required: ["name", "type", "latitude_deg", "longitude_deg", "height_m", "min_elevation_deg"])
        else { return nil }
        let before = problems.count
        let name = keys["name"].flatMap { text($0, of: "name") }
        if let name, let node = keys["name"],
            name.count > 64 || name.contains(where: { !($0.isLetter || $0.isNumber || "-_.".contains($0)) })
        {
            report("name must be 1–64 letters, digits, '-', '_' or '.'", at: node)
        }
        var type: SensorType?
        if let node = keys["type"], let value = text(node, of: "type") {
            type = SensorType(rawValue: value)
            if type == nil { report("type must be optical or radar, not \"\(value)\"", at: node) }
        }
        let latitude = number(keys["latitude_deg"], "latitude_deg", in: -90...90)
        let longitude = number(keys["longitude_deg"], "longitude_deg", in: -180...360)
        let height = number(keys["height_m"], "height_m", in: -500...10_000)
        let minElevation = number(keys["min_elevation_deg"], "min_elevation_deg", in: 0...89)
        let isOptical = type == .optical
        let slew = number(keys["slew_rate_deg_s"], "slew_rate_deg_s", in: 0.01...100, default: isOptical ? 3 : 2)
        let settle = number(keys["settle_s"], "settle_s", in: 0...600, default: isOptical ? 10 : 5)
        let points = number(keys["points"], "points", in: 1...1000, default: isOptical ? 5 : 10)
        let cadence = number(keys["cadence_s"], "cadence_s", in: 0.1...3600, default: isOptical ? 30 : 10)
        let clouds = number(keys["cloud_probability"], "cloud_probability", in: 0...1, default: 0)
        var optical: OpticalCharacteristics?
        var radar: RadarCharacteristics?
        if let type {
            let foreign = type == .optical ? Self.radarKeys : Self.opticalKeys
            for key in foreign {
                if let node = keys[key] { report("\(key) does not apply to a \(type.rawValue) sensor", at: node) }
            }
            switch type {
            case .optical:
                let sun = number(keys["max_sun_elevation_deg"], "max_sun_elevation_deg", in: -90...0, default: -18)
                let fov = number(keys["field_of_view_deg"], "field_of_view_deg", in: 0.001...60, default: 1)
                let magnitude = number(keys["limiting_magnitude"], "limiting_magnitude", in: -5...30, default: 16)
                let noise = number(keys["noise_arcsec"], "noise_arcsec", in: 0...3600, default: 1)
                let exposure = number(keys["exposure_s"], "exposure_s", in: 0...3600, default: 10)
                let moon = number(keys["min_moon_separation_deg"], "min_moon_separation_deg", in: 0...180, default: 20)
                if let sun, let fov, let magnitude, let noise, let exposure, let moon {
                    optical = OpticalCharacteristics(
                        maxSunElevationDegrees: sun, fieldOfViewDegrees: fov, limitingMagnitude: magnitude,
                        noiseArcseconds: noise, exposureSeconds: exposure, minMoonSeparationDegrees: moon)
                }
                if let exposure, let cadence, exposure > cadence, let node = keys["exposure_s"] {
                    report("exposure_s (\(exposure)) must not exceed cadence_s (\(cadence))", at: node)
                }
            case .radar:
                let range = number(keys["range_noise_m"], "range_noise_m", in: 0...100_000, default: 10)
                let doppler = number(keys["doppler_noise_m_s"], "doppler_noise_m_s", in: 0...10_000, default: 1)
                let maxRange = number(keys["max_range_km"], "max_range_km", in: 1...500_000, default: 3000)
                let duty = number(keys["duty_cycle"], "duty_cycle", in: 0.001...1, default: 0.25)
                var mode: RangeMode? = .twoWay
                if let node = keys["range_mode"], let value = text(node, of: "range_mode") {
                    mode = RangeMode(rawValue: value)
                    if mode == nil { report("range_mode must be one-way or two-way, not \"\(value)\"", at: node) }
                }
                if let range, let doppler, let maxRange, let duty, let mode {
                    radar = RadarCharacteristics(
                        rangeNoiseMetres: range, dopplerNoiseMetresPerSecond: doppler, maxRangeKilometres: maxRange,
                        dutyCycle: duty, rangeMode: mode)
                }
            }
        }
        guard problems.count == before, let name, let type, let latitude, let longitude, let height,
            let minElevation, let slew, let settle, let points, let cadence, let clouds,
            (optical != nil) != (radar != nil)
        else { return nil }
        if points != points.rounded(), let node = keys["points"] {
            report("points must be a whole number", at: node)
            return nil
        }
        return Sensor(
            name: name, type: type,
            site: GeodeticSite(
                latitudeDegrees: latitude, longitudeDegrees: longitude > 180 ? longitude - 360 : longitude,
                heightMetres: height),
            minElevationDegrees: minElevation, slewRateDegreesPerSecond: slew, settleSeconds: settle,
            pointsPerTrack: Int(points), cadenceSeconds: cadence, cloudProbability: clouds, optical: optical,
            radar: radar)
    }

    // MARK: - Typed reads

    private mutating func mapping(_ node: Node, of context: String, allowed: [String], required: [String])
        -> [String: Node]?
    {
        guard case .mapping(let mapping) = node else {
            report("\(context) must be a mapping of keys", at: node)
            return nil
        }
        var entries: [String: Node] = [:]
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                report("a key in \(context) must be plain text", at: key)
                continue
            }
            guard allowed.contains(scalar.string) else {
                report(
                    "unknown key \"\(scalar.string)\" in \(context); expected one of \(allowed.joined(separator: ", "))",
                    at: key)
                continue
            }
            if entries[scalar.string] != nil { report("the key \"\(scalar.string)\" is given twice", at: key) }
            entries[scalar.string] = value
        }
        for key in required where entries[key] == nil {
            report("\(context) lacks the required key \"\(key)\"", at: node)
        }
        return entries
    }

    private mutating func text(_ node: Node, of context: String) -> String? {
        guard case .scalar(let scalar) = node, !scalar.string.isEmpty else {
            report("\(context) must be non-empty text", at: node)
            return nil
        }
        return scalar.string
    }

    /// A number in `range`; `fallback` when the key is absent (nil, and a problem, when required).
    private mutating func number(
        _ node: Node?, _ key: String, in range: ClosedRange<Double>, default fallback: Double? = nil
    ) -> Double? {
        guard let node else { return fallback }
        guard case .scalar(let scalar) = node, let value = Double(scalar.string), value.isFinite else {
            report("\(key) must be a number", at: node)
            return nil
        }
        guard range.contains(value) else {
            report("\(key) must be between \(range.lowerBound) and \(range.upperBound), not \(scalar.string)", at: node)
            return nil
        }
        return value
    }

    private mutating func report(_ message: String, at node: Node) {
        problems.append(
            SensorFileProblem(
                file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1, message: message))
    }
}
