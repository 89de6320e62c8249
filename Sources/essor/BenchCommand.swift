import ArgumentParser
import Astrodynamics
import CCSDS
import Foundation

/// `essor bench …`: benchmark executables' entry points (figures on standard output, never timed tests).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure parsing and writing speed.", subcommands: [
            BenchParse.self, BenchSGP4.self, BenchPc.self, BenchOEM.self, BenchProducts.self, BenchVisibility.self,
            BenchSchedule.self, BenchTDM.self,
        ])
}

/// `essor bench parse FILE [--repeat N]`: last line `megabytes_per_second=X records_per_second=Y`.
struct BenchParse: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse FILE N times (and write it back in its own encoding N times); print throughput and memory.")

    @Argument(help: "A CCSDS message or a TLE/3LE catalogue.")
    var file: String

    @Option(name: .customLong("repeat"), help: "How many times to parse.")
    var repetitions = 5

    func run() throws {
        let input = try InputFile(path: file)
        var best = Double.infinity
        var loaded = LoadedInput()
        for _ in 0..<max(repetitions, 1) {
            loaded = LoadedInput()  // free the previous model first: peak memory is one input + one model
            let start = ContinuousClock.now
            loaded = ElementSets.load(input, strictness: .strict)
            best = min(best, (ContinuousClock.now - start).seconds)
        }
        if loaded.diagnostics.contains(where: { $0.severity == .error }) {
            for diagnostic in loaded.diagnostics.prefix(5) { report(diagnostic, file: file) }
            throw ExitCode(1)
        }
        let megabytes = Double(input.bytes.count) / 1_000_000
        let parsePeak = peakResidentMegabytes()
        // Writing the same content back in its own encoding, for the "writing at least as fast" target.
        var writeBest = Double.infinity
        var written = 0
        for _ in 0..<max(repetitions, 1) {
            let start = ContinuousClock.now
            written = try writeBack(loaded, input.content)
            writeBest = min(writeBest, (ContinuousClock.now - start).seconds)
        }
        print("file=\(file) bytes=\(input.bytes.count) records=\(loaded.records) repeat=\(repetitions)")
        print("parse_seconds=\(best) write_seconds=\(writeBest)")
        print("write_megabytes_per_second=\(Double(written) / 1_000_000 / writeBest)")
        // parse_peak: input bytes + one parsed model (+ the runtime); peak: also the written copy.
        print("parse_peak_rss_megabytes=\(parsePeak) peak_rss_megabytes=\(peakResidentMegabytes())")
        print("input_megabytes=\(megabytes)")
        print("megabytes_per_second=\(megabytes / best) records_per_second=\(Double(loaded.records) / best)")
    }

    private func writeBack(_ loaded: LoadedInput, _ content: InputFile.Content) throws -> Int {
        switch content {
        case .message(let encoding):
            return try MessageWriter.write(loaded.messages[0], as: encoding).count
        case .tle:
            return TLECatalogue.write(loaded.tles, nameStyle: .plain).bytes.count
        case .ommCSV:
            return OMMCSV.write(loaded.messages).text.utf8.count
        }
    }

    /// Peak resident set size (VmHWM) from /proc, in MB; 0 where /proc is missing.
    private func peakResidentMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kilobytes = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
            return kilobytes / 1000
        }
        return 0
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

/// `essor bench sgp4 FILE --steps N --step SECONDS [--threads T]`: last line `props_per_second=X`.
struct BenchSGP4: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sgp4",
        abstract: "Propagate every element set of FILE N times (STEP seconds apart from its epoch); print the rate.",
        discussion: "Compare with python-sgp4's C++ SatrecArray: Benchmarks/run-sgp4-bench runs both on one file.")

    @Argument(help: "TLE, 3LE or OMM element sets.")
    var file: String

    @Option(help: "Propagations per set.")
    var steps = 100

    @Option(help: "Seconds between a set's propagations.")
    var step = 60.0

    @Option(help: "Threads (the sets are split between them).")
    var threads = 1

    @Option(name: .customLong("repeat"), help: "Runs; the best is reported.")
    var repetitions = 3

    func run() throws {
        let propagators = try ElementSets.validTLEs(file).compactMap { try? SGP4Propagator(elements: SGP4Elements(tle: $0)) }
        guard !propagators.isEmpty, steps > 0, threads > 0 else {
            throw ValidationFailure("nothing to propagate: no usable element set, or --steps/--threads below 1")
        }
        let minutes = (0..<steps).map { Double($0) * step / 60 }
        var best = Double.infinity
        var outcome = SGP4BenchOutcome()
        for _ in 0..<max(repetitions, 1) {
            let start = ContinuousClock.now
            outcome = SGP4BenchOutcome.run(propagators, minutes: minutes, threads: threads)
            best = min(best, (ContinuousClock.now - start).seconds)
        }
        let propagations = Double(outcome.propagations)
        print("file=\(file) sets=\(propagators.count) steps=\(steps) step_seconds=\(step) threads=\(threads)")
        print("seconds=\(best) propagations=\(outcome.propagations) stopped_sets=\(outcome.stoppedSets)")
        print("checksum_km=\(outcome.checksum)")
        print("nanoseconds_per_propagation=\(best / propagations * 1e9 * Double(threads))")
        print("props_per_second=\(propagations / best)")
    }
}

/// What one benchmark run did (the checksum keeps the optimiser from dropping the work).
struct SGP4BenchOutcome: Sendable {
    var propagations = 0
    var stoppedSets = 0
    var checksum = 0.0

    /// Propagates the sets, split into `threads` contiguous shares, each thread with its own state buffer.
    static func run(_ propagators: [SGP4Propagator], minutes: [Double], threads: Int) -> SGP4BenchOutcome {
        let shares = min(threads, propagators.count)
        let results = UnsafeMutableBufferPointer<SGP4BenchOutcome>.allocate(capacity: shares)
        results.initialize(repeating: SGP4BenchOutcome())
        defer { results.deallocate() }
        nonisolated(unsafe) let output = results
        DispatchQueue.concurrentPerform(iterations: shares) { share in
            var outcome = SGP4BenchOutcome()
            let states = UnsafeMutableBufferPointer<CartesianState>.allocate(capacity: minutes.count)
            defer { states.deallocate() }
            let range = (propagators.count * share / shares)..<(propagators.count * (share + 1) / shares)
            minutes.withUnsafeBufferPointer { times in
                for index in range {
                    var written = times.count
                    do throws(SGP4Propagator.BatchFailure) {
                        try propagators[index].propagate(minutesSinceEpoch: times, into: states)
                    } catch {
                        written = error.index
                        outcome.stoppedSets += 1
                    }
                    outcome.propagations += written
                    if written > 0 { outcome.checksum += states[written - 1].positionKilometres.x }
                }
            }
            output[share] = outcome
        }
        return results.reduce(into: SGP4BenchOutcome()) {
            $0.propagations += $1.propagations
            $0.stoppedSets += $1.stoppedSets
            $0.checksum += $1.checksum
        }
    }
}

/// `essor bench pc [CDMFILE] [--calls N]`: time of one 2D Pc; last line `microseconds_per_pc=X`.
struct BenchPc: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pc",
        abstract: "Time the 2D probability of collision (default: NASA CARA's Omitron case 01, HBR 20 m).")

    @Argument(help: "A CDM to use instead of the built-in case.")
    var file: String?

    @Option(help: "Calls per run (best of 5 runs).")
    var calls = 100_000

    @Option(help: "foster or chan.")
    var method: PcMethod = .foster

    func run() throws {
        let conjunction: Conjunction
        if let file {
            let loaded = ElementSets.load(try InputFile(path: file), strictness: .lenient)
            guard let message = loaded.messages.first else { throw ValidationFailure("\(file): not a readable CDM") }
            conjunction = try CDMConjunction(message: message).conjunction
        } else {
            conjunction = Self.omitronCase01
        }
        var best = Double.infinity
        var probability = 0.0
        for _ in 0..<5 {
            var sum = 0.0
            let start = ContinuousClock.now
            for _ in 0..<max(calls, 1) {
                sum += try conjunction.probabilityOfCollision(method: method).probability
            }
            best = min(best, (ContinuousClock.now - start).seconds)
            probability = sum / Double(max(calls, 1))
        }
        print("method=\(method.rawValue) calls=\(calls) probability=\(String(format: "%.15g", probability))")
        print("microseconds_per_pc=\(best / Double(max(calls, 1)) * 1e6)")
    }

    /// NASA CARA Analysis Tools, Pc2D_Foster unit test, Omitron case 01 (km, km/s, km²); Pc = 2.70601573490125e-05.
    static let omitronCase01 = Conjunction(
        primary: CartesianState(
            positionKilometres: SIMD3(378.39559, 4305.721887, 5752.767554),
            velocityKilometresPerSecond: SIMD3(2.360800244, 5.580331936, -4.322349039)),
        primaryCovarianceKilometres2: Matrix3([
            [44.5757544811362, 81.6751751052616, -67.8687662707124],
            [81.6751751052616, 158.453402956163, -128.616921644857],
            [-67.8687662707124, -128.616921644858, 105.490542562701],
        ]),
        secondary: CartesianState(
            positionKilometres: SIMD3(374.5180598, 4307.560983, 5751.130418),
            velocityKilometresPerSecond: SIMD3(-5.388125081, -3.946827739, 3.322820358)),
        secondaryCovarianceKilometres2: Matrix3([
            [2.31067077720423, 1.69905293875632, -1.4170164577661],
            [1.69905293875632, 1.24957388457206, -1.04174164279599],
            [-1.4170164577661, -1.04174164279599, 0.869260558223714],
        ]),
        hardBodyRadiusKilometres: 0.020)
}

/// `essor bench oem FILE [--hours H] [--step S] [--frame F]`: time to compute one object's OEM from its element set;
/// last line `milliseconds_per_oem=X`.
struct BenchOEM: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oem",
        abstract: "Time one SGP4 ephemeris (default: one day at 60 s) for the first set of FILE, sampled and written as KVN.")

    @Argument(help: "TLE, 3LE or OMM element sets (the first is used).")
    var file: String

    @Option(help: "Span from the set's epoch, hours.")
    var hours = 24.0

    @Option(help: "Step, seconds.")
    var step = 60.0

    @Option(help: "Frame: TEME, GCRF, EME2000 or ITRF.")
    var frame: Frame = .teme

    @Option(name: .customLong("repeat"), help: "Runs; the best is reported.")
    var repetitions = 200

    func run() throws {
        guard let set = try ElementSets.validTLEs(file).first else { throw ValidationFailure("\(file): no element set") }
        let propagator = try SGP4Propagator(elements: SGP4Elements(tle: set))
        let start = try propagator.epoch()
        let stop = start.adding(seconds: hours * 3600)
        let transformer = FrameTransformer()
        var bestSample = Double.infinity
        var bestTotal = Double.infinity
        var bytes = 0
        var states = 0
        for _ in 0..<max(repetitions, 1) {
            let began = ContinuousClock.now
            let grid = try SGP4Propagator.grid(from: start, to: stop, stepSeconds: step)
            let ephemeris = propagator.sample(at: grid, in: frame, transformer: transformer)
            let sampled = ContinuousClock.now
            let segment = try OrbitProducts.oemSegment(ephemeris, object: ObjectIdentity(tle: set))
            let message = OrbitProducts.oem(segments: [segment], creationDate: start, originator: "ESSOR")
            bytes = try MessageWriter.write(message, as: .kvn).count
            let written = ContinuousClock.now
            states = ephemeris.count
            bestSample = min(bestSample, (sampled - began).seconds)
            bestTotal = min(bestTotal, (written - began).seconds)
        }
        print("states=\(states) frame=\(frame.rawValue) kvn_bytes=\(bytes)")
        print("sample_milliseconds=\(bestSample * 1e3)")
        print("milliseconds_per_oem=\(bestTotal * 1e3)")
    }
}
