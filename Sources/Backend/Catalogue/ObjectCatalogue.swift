import Astrodynamics
import CCSDS
import Foundation

/// A set of tracked objects read from an element-set file: TLE, 3LE, or OMM (KVN, or XML, one message or an
/// `<ndm>` of several), with optional per-object sizes.
public struct ObjectCatalogue: Sendable {
    /// The objects, in file order, one per NORAD id (a later element set of the same object replaces an earlier).
    public var objects: [TrackedObject]

    /// A catalogue of `objects`.
    public init(objects: [TrackedObject]) {
        self.objects = objects
    }

    /// The object with `noradID`, if any.
    public func object(_ noradID: Int) -> TrackedObject? {
        objects.first { $0.noradID == noradID }
    }

    /// Reads the element-set file `bytes` (named `file` in errors).
    public static func read(_ bytes: [UInt8], file: String) throws(ObjectCatalogueError) -> ObjectCatalogue {
        let head = String(decoding: bytes.prefix(512), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        var tles: [TLE] = []
        var problems: [String] = []
        func note(_ diagnostics: [Diagnostic]) {
            for d in diagnostics where d.severity == .error {
                problems.append("\(file):\(d.location.map { "\($0.line):\($0.column)" } ?? "1:1"): \(d.message)")
            }
        }
        if head.hasPrefix("<") {
            let fragments = CombinedNDM.isCombined(bytes) ? CombinedNDM.split(bytes) : [bytes]
            for fragment in fragments {
                let result = MessageReader.read(fragment, encoding: .xml, strictness: .lenient)
                note(result.diagnostics)
                if let message = result.message { append(message, to: &tles, problems: &problems, file: file) }
            }
        } else if head.hasPrefix("CCSDS_OMM_VERS") {
            for fragment in kvnMessages(bytes) {
                let result = MessageReader.read(fragment, encoding: .kvn, strictness: .lenient)
                note(result.diagnostics)
                if let message = result.message { append(message, to: &tles, problems: &problems, file: file) }
            }
        } else {
            let result = TLECatalogue.parse(bytes, strictness: .lenient)
            note(result.diagnostics)
            tles = result.sets
        }
        guard problems.isEmpty else { throw ObjectCatalogueError(problems: problems) }
        var objects: [TrackedObject] = []
        var index: [Int: Int] = [:]
        for tle in tles {
            do {
                let object = try TrackedObject(tle: tle)
                if let at = index[object.noradID] {
                    if object.elementEpoch >= objects[at].elementEpoch { objects[at] = object }
                } else {
                    index[object.noradID] = objects.count
                    objects.append(object)
                }
            } catch {
                problems.append("\(file): object \(tle.catalogueNumber): SGP4 refuses the element set: \(error)")
            }
        }
        guard problems.isEmpty else { throw ObjectCatalogueError(problems: problems) }
        guard !objects.isEmpty else { throw ObjectCatalogueError(problems: ["\(file): no element set found"]) }
        return ObjectCatalogue(objects: objects)
    }

    /// Reads the element-set file at `path`.
    public static func load(path: String) throws(ObjectCatalogueError) -> ObjectCatalogue {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ObjectCatalogueError(problems: ["\(path): cannot read the file"])
        }
        return try read(Array(data), file: path)
    }

    /// Applies sizes from CSV text `norad_id,diameter_m[,albedo]` (a header line is allowed; `#` comments).
    public mutating func applySizes(csv text: String, file: String) throws(ObjectCatalogueError) {
        var problems: [String] = []
        var sizes: [Int: (Double, Double?)] = [:]
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("norad_id") { continue }
            let fields = line.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 2 || fields.count == 3, let id = Int(fields[0]), let diameter = Double(fields[1]),
                diameter > 0, diameter < 1000
            else {
                problems.append("\(file):\(number + 1): expected norad_id,diameter_m[,albedo] with 0 < diameter_m < 1000")
                continue
            }
            var albedo: Double?
            if fields.count == 3 {
                guard let value = Double(fields[2]), value > 0, value <= 1 else {
                    problems.append("\(file):\(number + 1): albedo must be in (0, 1]")
                    continue
                }
                albedo = value
            }
            sizes[id] = (diameter, albedo)
        }
        guard problems.isEmpty else { throw ObjectCatalogueError(problems: problems) }
        for index in objects.indices {
            if let (diameter, albedo) = sizes[objects[index].noradID] {
                objects[index].diameterMetres = diameter
                if let albedo { objects[index].albedo = albedo }
            }
        }
    }

    private static func append(_ message: Message, to tles: inout [TLE], problems: inout [String], file: String) {
        guard message.type == .omm else {
            problems.append("\(file): a \(message.type.rawValue) is not an element set (expected OMM, TLE or 3LE)")
            return
        }
        do {
            tles.append(try TLE(omm: message))
        } catch {
            problems.append("\(file): the OMM is not an SGP4 element set: \(error)")
        }
    }

    /// Splits concatenated KVN OMMs at each `CCSDS_OMM_VERS` line, padding each with blank lines so that line
    /// numbers stay those of the file.
    private static func kvnMessages(_ bytes: [UInt8]) -> [[UInt8]] {
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        var starts: [Int] = []
        for (index, line) in lines.enumerated()
        where line.trimmingCharacters(in: .whitespaces).hasPrefix("CCSDS_OMM_VERS") {
            starts.append(index)
        }
        return starts.enumerated().map { n, start in
            let end = n + 1 < starts.count ? starts[n + 1] : lines.count
            let text = String(repeating: "\n", count: start) + lines[start..<end].joined(separator: "\n")
            return Array(text.utf8)
        }
    }
}

/// An element-set file that could not be read: every problem, with its place.
public struct ObjectCatalogueError: Error, Sendable, CustomStringConvertible {
    public var problems: [String]
    public var description: String { problems.joined(separator: "\n") }
}
