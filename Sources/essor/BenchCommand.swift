import ArgumentParser
import CCSDS
import Foundation

/// `essor bench …`: benchmark executables' entry points (figures on standard output, never timed tests).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure parsing and writing speed.", subcommands: [BenchParse.self])
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
