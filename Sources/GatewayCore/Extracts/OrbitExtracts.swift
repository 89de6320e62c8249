import Astrodynamics
import CCSDS

/// The computed extracts of one object: an ephemeris (OEM) or a state (OPM) propagated with SGP4 from its latest
/// element set (issue 4 §7). Pure: the caller passes the records and the time.
public enum OrbitExtracts {
    /// The `ORIGINATOR` of computed messages.
    public static let originator = "ESSOR"

    /// An OEM 3.0 with one segment: the states of `query`'s grid in its frame, from `elements`.
    public static func ephemeris(
        of object: CatalogueObject, elements: ElementSetRecord, query: EphemerisQuery, encoding: Encoding,
        now: Epoch, transformer: FrameTransformer = FrameTransformer()
    ) throws(ExtractError) -> [UInt8] {
        let propagator = try propagator(for: elements)
        let sampled = propagator.sample(at: query.grid, in: query.frame, transformer: transformer)
        if let failure = sampled.failure {
            throw .propagationFailed(
                reason: "\(failure.error) at \(failure.epoch.iso8601(fractionDigits: 3)) "
                    + "(\(failure.minutesSinceEpoch) min from the element set's epoch)")
        }
        do {
            let segment = try OrbitProducts.oemSegment(
                sampled, object: identity(of: object), comments: [OrbitProducts.provenance(of: propagator)])
            let message = OrbitProducts.oem(segments: [segment], creationDate: now, originator: originator)
            return try MessageWriter.write(message, as: encoding)
        } catch {
            throw .propagationFailed(reason: error.diagnostics.map(\.message).joined(separator: "; "))
        }
    }

    /// An OPM 3.0 holding the state at `epoch` in `frame`, from `elements`.
    public static func state(
        of object: CatalogueObject, elements: ElementSetRecord, at epoch: Epoch, frame: Frame,
        encoding: Encoding, now: Epoch, transformer: FrameTransformer = FrameTransformer()
    ) throws(ExtractError) -> [UInt8] {
        let propagator = try propagator(for: elements)
        let state: CartesianState
        do {
            state = try propagator.state(at: epoch, in: frame, transformer: transformer)
        } catch {
            throw .propagationFailed(reason: "\(error) at \(epoch.iso8601(fractionDigits: 3))")
        }
        let message = OrbitProducts.opm(
            state: state, at: epoch, frame: frame, object: identity(of: object), creationDate: now,
            originator: originator, comments: [OrbitProducts.provenance(of: propagator)])
        do {
            return try MessageWriter.write(message, as: encoding)
        } catch {
            throw .propagationFailed(reason: error.diagnostics.map(\.message).joined(separator: "; "))
        }
    }

    /// The SGP4 propagator of a stored element set (its OMM read as a TLE: SGP4 is defined on TLE fields).
    static func propagator(for elements: ElementSetRecord) throws(ExtractError) -> SGP4Propagator {
        let tle: TLE
        do {
            tle = try TLE(omm: elements.omm)
        } catch {
            throw .propagationFailed(
                reason: "the element set is not an SGP4 mean-element set: "
                    + error.diagnostics.map(\.message).joined(separator: "; "))
        }
        do {
            return try SGP4Propagator(tle: tle)
        } catch {
            throw .propagationFailed(reason: "SGP4 rejects the element set: \(error)")
        }
    }

    /// `OBJECT_NAME` and `OBJECT_ID` of the object's messages.
    static func identity(of object: CatalogueObject) -> ObjectIdentity {
        ObjectIdentity(name: object.name, id: object.cosparID ?? "UNKNOWN")
    }
}
