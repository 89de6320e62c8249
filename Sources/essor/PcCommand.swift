import ArgumentParser
import Astrodynamics
import CCSDS
import Foundation

/// `essor pc CDMFILE [--hbr METRES] [--method foster|chan]` (DESIGN.md §6): the 2D probability of collision.
struct PcCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pc",
        abstract: "Compute the 2D probability of collision of a CDM (Foster or Chan).",
        discussion: """
            Reads both objects' states and RTN position covariances at TCA, projects the combined covariance into \
            the encounter plane and integrates over the hard body. The first line is `probability=P` (15 \
            significant digits); the next lines give the method, the hard-body radius and where it came from \
            (--hbr, a CDM comment `HBR = 20 m`, or the 20 m default), miss distance, relative speed, the \
            covariance remediation CARA applies to a non-positive-definite projection (never hidden), and the \
            CDM's own COLLISION_PROBABILITY when it has one.
            """)

    @Argument(help: "A CDM (KVN, XML or JSON).")
    var file: String

    @Option(help: "Hard-body radius, metres (default: a CDM comment `HBR = …`, else 20 m).")
    var hbr: Double?

    @Option(help: "foster (numerical integration, default) or chan (series).")
    var method: PcMethod = .foster

    @Option(help: "Hard-body shape: circle (default), square (side 2·HBR, CARA) or squareOfEqualArea.")
    var shape: HardBodyShape = .circle

    @Flag(help: "Read the CDM in lenient mode (deviations become warnings).")
    var lenient = false

    func validate() throws {
        if let hbr, !(hbr.isFinite && hbr >= 0) {
            throw ArgumentParser.ValidationError("--hbr must be a non-negative number of metres, not \(hbr)")
        }
    }

    func run() throws {
        let loaded = try ElementSets.loadValid(file, strictness: lenient ? .lenient : .strict)
        guard let message = loaded.messages.first else {
            throw ValidationFailure("\(file): a TLE holds element sets, not a CDM")
        }
        let cdm: CDMConjunction
        let result: CollisionProbability
        do {
            cdm = try CDMConjunction(message: message, hardBodyRadiusKilometres: hbr.map { $0 / 1000 })
        } catch {
            throw ValidationFailure("\(file): \(error.description)")
        }
        do {
            result = try cdm.conjunction.probabilityOfCollision(method: method, shape: shape)
        } catch {
            throw ValidationFailure("\(file): \(error.description)")
        }
        print("probability=\(String(format: "%.15g", result.probability))")
        print("method=\(method.rawValue) shape=\(shape.rawValue)")
        print("hard_body_radius_m=\(result.hardBodyRadiusKilometres * 1000) source=\(source(cdm.hardBodyRadiusSource))")
        print("miss_distance_m=\(result.missDistanceKilometres * 1000)")
        print("relative_speed_m_s=\(result.relativeSpeedKilometresPerSecond * 1000)")
        print("reference_frame=\(cdm.referenceFrame)")
        switch result.remediation {
        case .none:
            print("remediation=none")
        case .clippedEigenvalues(let original, let floor):
            print("remediation=clipped_eigenvalues original_km2=\(original.x),\(original.y) floor_km2=\(floor)")
        }
        if let reported = cdm.reportedCollisionProbability {
            print("cdm_collision_probability=\(reported) cdm_method=\(cdm.reportedCollisionProbabilityMethod ?? "")")
        }
    }

    private func source(_ value: HardBodyRadiusSource) -> String {
        switch value {
        case .caller: "option"
        case .cdmComment: "cdm_comment"
        case .defaultValue: "default"
        }
    }
}

extension PcMethod: ExpressibleByArgument {}
extension HardBodyShape: ExpressibleByArgument {}
