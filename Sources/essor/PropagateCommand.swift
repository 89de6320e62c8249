import ArgumentParser
import Astrodynamics
import CCSDS
import Foundation

/// `essor propagate FILE (--minutes A:B:STEP|M1,M2,… | --from ISO --to ISO --step SECONDS) [--frame F]
/// [--format csv|oem-kvn|oem-xml]` (DESIGN.md §6).
struct PropagateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "propagate",
        abstract: "Propagate element sets with SGP4/SDP4 and print the states (CSV or an OEM).",
        discussion: """
            Times are either minutes relative to each set's epoch (--minutes) or a UTC window shared by all sets \
            (--from/--to/--step). SGP4 errors go to standard error as `NORAD: error N (meaning) at minute M`; the \
            set stops there and the exit status is 1.
            """)

    /// Output formats.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv
        case oemKVN = "oem-kvn"
        case oemXML = "oem-xml"
    }

    @Argument(help: "TLE, 3LE or OMM (KVN, XML, JSON, CSV) element sets (`-` reads standard input).")
    var file: String

    @Option(help: "Minutes since each set's epoch: START:STOP:STEP (STOP included) or a list M1,M2,….")
    var minutes: String?

    @Option(help: "Start of the window, ISO 8601 UTC (e.g. 2026-11-24T00:00:00Z).")
    var from: String?

    @Option(help: "End of the window (included when on the grid), ISO 8601 UTC.")
    var to: String?

    @Option(help: "Step of the window, seconds.")
    var step: Double?

    @Option(help: "Frame of the states: TEME (SGP4's own), GCRF, EME2000 or ITRF.")
    var frame: Frame = .teme

    @Option(help: "Output: csv, oem-kvn or oem-xml.")
    var format: Format = .csv

    @Option(help: "IERS Earth-orientation file (finals2000A.all or EOP C04) for UT1, polar motion and pole offsets.")
    var eop: String?

    @Option(help: "SGP4 constants: wgs72 (the default, as distributed element sets assume), wgs72old or wgs84.")
    var gravity: SGP4GravityModel = .wgs72

    @Option(help: "SGP4 operation mode: improved (default, as python-sgp4) or afspc.")
    var mode: SGP4OperationMode = .improved

    @Option(name: .shortAndLong, help: "Write here instead of standard output.")
    var output: String?

    func validate() throws {
        let window = [from, to].compactMap { $0 }.count + (step == nil ? 0 : 1)
        switch (minutes, window) {
        case (.some, 0), (nil, 3): break
        case (.some, _): throw ArgumentParser.ValidationError("give either --minutes or --from/--to/--step, not both")
        case (nil, 0): throw ArgumentParser.ValidationError("give the times: --minutes A:B:STEP, --minutes M1,M2,… or --from/--to/--step")
        default: throw ArgumentParser.ValidationError("--from, --to and --step go together")
        }
    }

    func run() throws {
        let times = try requestedTimes()
        let transformer = FrameTransformer(eop: try eop.map(EarthOrientationFile.load))
        let sets = try ElementSets.validTLEs(file)
        var failed = false
        var sink = PropagationSink(format: format)
        for set in sets {
            let propagator: SGP4Propagator
            do {
                propagator = try SGP4Propagator(elements: SGP4Elements(tle: set), gravityModel: gravity, operationMode: mode)
            } catch {
                printError("\(set.catalogueNumber): \(error.description) at minute 0")
                failed = true
                continue
            }
            let ephemeris: SampledEphemeris
            switch times {
            case .minutes(let list):
                ephemeris = try propagator.sample(minutesSinceEpoch: list, in: frame, transformer: transformer)
            case .window(let epochs):
                ephemeris = propagator.sample(at: epochs, in: frame, transformer: transformer)
            }
            try sink.add(ephemeris, of: set, propagator: propagator)
            if let failure = ephemeris.failure {
                printError("\(set.catalogueNumber): \(failure.error.description) at minute \(failure.minutesSinceEpoch)")
                failed = true
            }
        }
        try write(try sink.finish())
        if failed { throw ExitCode(1) }
    }

    /// The times asked for.
    enum Times {
        case minutes([Double])
        case window([Epoch])
    }

    private func requestedTimes() throws -> Times {
        if let minutes { return .minutes(try MinutesList.parse(minutes)) }
        guard let from, let to, let step else { throw ArgumentParser.ValidationError("--from, --to and --step go together") }
        let start = try parseEpoch(from, option: "--from")
        let stop = try parseEpoch(to, option: "--to")
        do {
            return .window(try SGP4Propagator.grid(from: start, to: stop, stepSeconds: step))
        } catch {
            throw ArgumentParser.ValidationError(error.description)
        }
    }

    private func parseEpoch(_ text: String, option: String) throws -> Epoch {
        do { return try Epoch(iso8601: text) } catch {
            throw ArgumentParser.ValidationError("\(option) '\(text)' is not an ISO 8601 UTC time such as 2026-11-24T00:00:00Z: \(error)")
        }
    }

    private func write(_ bytes: [UInt8]) throws {
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: Data(bytes)) else {
                throw ValidationFailure("\(output): cannot write the file")
            }
        } else {
            FileHandle.standardOutput.write(Data(bytes))
        }
    }
}

/// Collects propagated sets as CSV rows or OEM segments.
struct PropagationSink {
    let format: PropagateCommand.Format
    private var csv: [UInt8] = []
    private var segments: [Segment] = []

    init(format: PropagateCommand.Format) {
        self.format = format
        if format == .csv {
            csv.append(contentsOf: "norad_id,epoch,minutes_since_epoch,x_km,y_km,z_km,vx_km_s,vy_km_s,vz_km_s\n".utf8)
        }
    }

    mutating func add(_ ephemeris: SampledEphemeris, of set: TLE, propagator: SGP4Propagator) throws {
        switch format {
        case .csv:
            for index in 0..<ephemeris.count {
                let r = ephemeris.states[index].positionKilometres
                let v = ephemeris.states[index].velocityKilometresPerSecond
                let epoch = ephemeris.epochs[index].iso8601(fractionDigits: 6)
                let row = "\(set.catalogueNumber),\(epoch),\(ephemeris.minutesSinceEpoch[index]),"
                    + "\(r.x),\(r.y),\(r.z),\(v.x),\(v.y),\(v.z)\n"
                csv.append(contentsOf: row.utf8)
            }
        case .oemKVN, .oemXML:
            guard ephemeris.count > 0 else { return }
            segments.append(
                try OrbitProducts.oemSegment(
                    ephemeris, object: ObjectIdentity(tle: set), comments: [OrbitProducts.provenance(of: propagator)]))
        }
    }

    func finish() throws -> [UInt8] {
        switch format {
        case .csv: return csv
        case .oemKVN, .oemXML:
            guard !segments.isEmpty else { throw ValidationFailure("no state was computed: nothing to write as an OEM") }
            let message = OrbitProducts.oem(segments: segments, creationDate: Epoch.now(), originator: ElementSets.originator)
            return try MessageWriter.write(message, as: format == .oemKVN ? .kvn : .xml)
        }
    }
}

/// `--minutes` values: `START:STOP:STEP` (STOP included when on the grid) or `M1,M2,…`.
enum MinutesList {
    static func parse(_ text: String) throws -> [Double] {
        if text.contains(":") {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { Double($0) }
            guard parts.count == 3, let start = parts[0], let stop = parts[1], let step = parts[2],
                start.isFinite, stop.isFinite, step.isFinite
            else { throw ArgumentParser.ValidationError("--minutes '\(text)': write START:STOP:STEP, e.g. 0:1440:10") }
            guard step > 0 else { throw ArgumentParser.ValidationError("--minutes '\(text)': the step must be positive") }
            guard stop >= start else { throw ArgumentParser.ValidationError("--minutes '\(text)': STOP is before START") }
            let count = Int(((stop - start) / step + 1e-9).rounded(.down)) + 1
            guard count <= SGP4Propagator.maximumSampledStates else {
                throw ArgumentParser.ValidationError("--minutes '\(text)' gives \(count) times; at most \(SGP4Propagator.maximumSampledStates)")
            }
            return (0..<count).map { start + Double($0) * step }
        }
        let values = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0?.isFinite == true }) else {
            throw ArgumentParser.ValidationError("--minutes '\(text)': write numbers separated by commas, e.g. 0,60,120")
        }
        return values.map { $0! }
    }
}

/// Loads an IERS Earth-orientation file, finals (USNO fixed columns) or EOP C04 (whitespace, `#` comments).
enum EarthOrientationFile {
    static func load(_ path: String) throws -> EarthOrientationData {
        do {
            let name = (path as NSString).lastPathComponent.lowercased()
            let head = (try? FileHandle(forReadingFrom: URL(fileURLWithPath: path)).read(upToCount: 256)) ?? nil
            let startsWithComment = head.map { $0.first == UInt8(ascii: "#") } ?? false
            if name.contains("c04") || startsWithComment {
                return try EarthOrientationData(c04File: path)
            }
            return try EarthOrientationData(finalsFile: path)
        } catch {
            throw ValidationFailure("--eop: \(error)")
        }
    }
}

extension Frame: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.uppercased()) }
}

extension SGP4GravityModel: ExpressibleByArgument {}
extension SGP4OperationMode: ExpressibleByArgument {}
