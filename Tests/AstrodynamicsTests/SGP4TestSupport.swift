import CCSDS
import Foundation

@testable import Astrodynamics

/// Vallado's SGP4 verification set (`Fixtures/sgp4/`, see its README): the element sets of `SGP4-VER.TLE` with
/// their run parameters, and the reference states of `tcppver.out`.
enum SGP4VerificationSet {
    /// One run of `SGP4-VER.TLE`: an element set and the times `testcpp` propagates it to.
    struct Run {
        /// The element set (columns 1–69 of its lines).
        let tle: TLE
        /// Start, stop and step, minutes since epoch (the columns after 69 on line 2).
        let startMinutes, stopMinutes, stepMinutes: Double

        /// The times in `testcpp`'s order: the epoch, then from `start` (less one step when `start` ≠ 0) in steps
        /// up to `stop`, the last one clamped to `stop`.
        var times: [Double] {
            var times = [0.0]
            var t = startMinutes
            if abs(t) > 1e-8 { t -= stepMinutes }
            while t < stopMinutes {
                t += stepMinutes
                if t > stopMinutes { t = stopMinutes }
                times.append(t)
            }
            return times
        }
    }

    /// One block of `tcppver.out`: a satellite's states until its first error.
    struct Block {
        /// The catalogue number of the `NNNNN xx` header.
        let catalogueNumber: Int
        /// Minutes since epoch, position (km) and velocity (km/s) of each line.
        let rows: [(minutes: Double, position: SIMD3<Double>, velocity: SIMD3<Double>)]
    }

    /// `Fixtures/sgp4/`.
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/sgp4")

    /// The lines of a fixture, without line ends (the TLE file has CRLF).
    static func lines(_ name: String) throws -> [String] {
        let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        // "\r\n" is one Character in Swift: split on newline characters, not on "\n".
        return text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
    }

    /// The 33 runs of `SGP4-VER.TLE`, in file order, read with the CCSDS TLE parser (lenient: some sets carry
    /// wrong checksums or no designator on purpose).
    static func runs() throws -> [Run] {
        let lines = try lines("SGP4-VER.TLE")
        var runs: [Run] = []
        for (index, line) in lines.enumerated() where line.hasPrefix("1 ") {
            let line2 = lines[index + 1]
            let tle = try TLE(
                line1: String(line.prefix(69)), line2: String(line2.prefix(69)), strictness: .lenient)
            let parameters = line2.dropFirst(69).split(separator: " ").compactMap { Double($0) }
            guard parameters.count == 3 else { throw FixtureError.malformed(line2) }
            runs.append(
                Run(tle: tle, startMinutes: parameters[0], stopMinutes: parameters[1], stepMinutes: parameters[2]))
        }
        return runs
    }

    /// The blocks of `tcppver.out`, in file order (one per run).
    static func blocks() throws -> [Block] {
        var blocks: [Block] = []
        var number: Int?
        var rows: [(minutes: Double, position: SIMD3<Double>, velocity: SIMD3<Double>)] = []
        for line in try lines("tcppver.out") where !line.allSatisfy({ $0 == " " }) {
            let fields = line.split(separator: " ")
            if fields.count == 2, fields[1] == "xx" {
                if let number { blocks.append(Block(catalogueNumber: number, rows: rows)) }
                number = Int(fields[0])
                rows = []
                continue
            }
            let values = fields.prefix(7).compactMap { Double($0) }
            guard values.count == 7 else { throw FixtureError.malformed(line) }
            rows.append((values[0], SIMD3(values[1], values[2], values[3]), SIMD3(values[4], values[5], values[6])))
        }
        if let number { blocks.append(Block(catalogueNumber: number, rows: rows)) }
        return blocks
    }

    /// The element set of `SGP4-VER.TLE` with catalogue number `number` (its first run).
    static func tle(_ number: Int) throws -> TLE {
        guard let run = try runs().first(where: { $0.tle.catalogueNumber == number }) else {
            throw FixtureError.missing(number)
        }
        return run.tle
    }

    /// A fixture that does not read as expected.
    enum FixtureError: Error {
        case malformed(String)
        case missing(Int)
    }
}

/// |a − b|.
func vectorDistance(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double {
    let d = a - b
    return (d * d).sum().squareRoot()
}
