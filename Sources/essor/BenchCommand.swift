import ArgumentParser
import Astrodynamics
import CCSDS
import Foundation

/// `essor bench …`: benchmark executables' entry points (figures on standard output, never timed tests).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure parsing and writing speed.", subcommands: [BenchParse.self, BenchSGP4.self])
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
        let input = try InputFile(path: file)
        let loaded = ElementSets.load(input, strictness: .strict)
        guard !loaded.diagnostics.contains(where: { $0.severity == .error }) else {
            for diagnostic in loaded.diagnostics.prefix(5) { report(diagnostic, file: file) }
            throw ExitCode(1)
        }
        let propagators = try ElementSets.tles(loaded).compactMap { try? SGP4Propagator(elements: SGP4Elements(tle: $0)) }
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
