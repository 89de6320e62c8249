import Astrodynamics
import CCSDS
import Foundation

/// Simulated tracks as a CCSDS Tracking Data Message, version 2.0 (CCSDS 503.0-B-2), built on the `CCSDS` model so
/// that `MessageWriter` writes it in KVN or XML and `MessageReader` reads it back strictly.
///
/// One segment per track:
/// - `PARTICIPANT_1` is the sensor's name as in the sensors file (an orbit-determination step maps it back to the
///   site there; the site's coordinates are also in a metadata `COMMENT`); `PARTICIPANT_2` is the object's NORAD
///   catalogue number in decimal (its name, when known, in a `COMMENT`).
/// - `MODE = SEQUENTIAL`; `PATH = 2,1` for a telescope and a one-way radar (the signal goes from the object to the
///   sensor), `1,2,1` for a two-way radar (§3.3.2.2).
/// - Optical: `ANGLE_TYPE = RADEC`, `REFERENCE_FRAME = EME2000`, `ANGLE_1`/`ANGLE_2` in degrees, with
///   `INTEGRATION_INTERVAL` = the exposure and `INTEGRATION_REF = MIDDLE` (the tag is mid-exposure).
/// - Radar: `RANGE_UNITS = km`, `RANGE` and `DOPPLER_INSTANTANEOUS` (km/s: the range rate, §3.5.2.2). For two-way
///   data the book leaves to the ICD whether RANGE is the round trip or half of it (§3.5.2.7, Annex item 32): here
///   it is half the round-trip light time times c, said in a `COMMENT`. `RANGE_MODE` is not written: its values
///   describe ranging tones (COHERENT, CONSTANT, ONE_WAY), which a skin-tracking radar does not use.
/// - `TIME_SYSTEM = UTC`, `START_TIME`/`STOP_TIME` the first and last tags, `TIMETAG_REF = RECEIVE`,
///   `DATA_QUALITY = RAW`, `TRACK_ID` and `DATA_TYPES` (TDM 2.0).
/// The header's `COMMENT` states the conventions, with the ESA example's words on aberration (Figure E-16).
public enum TDMComposer {
    /// The TDM version written.
    public static let version = "2.0"
    /// The sentence of the Blue Book's ESA example (CCSDS 503.0-B-2 Figure E-16) for aberration-free angles.
    public static let aberrationComment = "All the angular data provided are free of any aberration effect."

    /// A TDM 2.0 of `tracks` (tracks without observations are left out), created at `creation` by `originator`.
    /// `network` gives the sites for the comments; `objectNames` the objects' names, by NORAD id.
    public static func message(
        tracks: [SimulatedTrack], network: SensorNetwork, originator: String, creation: Epoch,
        objectNames: [Int: String] = [:]
    ) -> Message {
        let kept = tracks.filter { !$0.observations.isEmpty }
        var comments = ["Simulated by Essor's reference backend from SGP4 truth orbits (not real measurements)."]
        if kept.contains(where: { $0.sensorType == .optical }) {
            comments.append(aberrationComment)
            comments.append(
                "Angles: topocentric astrometric RA/Dec, light time applied (object at t - tau, sensor at t), "
                    + "no refraction.")
        }
        let header = Block(
            name: "header", comments: comments,
            fields: [
                Field("CREATION_DATE", .epoch(creation.ccsdsEpoch(in: .utc, fractionDigits: 0))),
                Field("ORIGINATOR", .text(originator)),
            ])
        // Each sensor's and object's comment once, not once per track (a night holds thousands of tracks).
        var siteComments: [String: String] = [:]
        for sensor in network.sensors { siteComments[sensor.name] = siteComment(sensor) }
        var objectComments: [Int: String] = [:]
        var segments: [Segment] = []
        segments.reserveCapacity(kept.count)
        for track in kept {
            let object = objectComments[track.noradID] ?? objectComment(objectNames[track.noradID])
            objectComments[track.noradID] = object
            segments.append(segment(track, comments: siteComments[track.sensor].map { [$0, object] } ?? [object]))
        }
        return Message(type: .tdm, version: version, header: header, segments: segments)
    }

    /// The segment of one track (see the type's comment); `sensor` and `objectName` feed the comments only.
    public static func segment(_ track: SimulatedTrack, sensor: Sensor?, objectName: String?) -> Segment {
        segment(track, comments: (sensor.map { [siteComment($0)] } ?? []) + [objectComment(objectName)])
    }

    /// The metadata comment naming a sensor's site.
    static func siteComment(_ sensor: Sensor) -> String {
        let site = sensor.site
        return "PARTICIPANT_1 \(sensor.name): geodetic latitude \(site.latitudeDegrees) deg, longitude "
            + "\(site.longitudeDegrees) deg, height \(site.heightMetres) m (WGS 84)"
    }

    /// The metadata comment saying what PARTICIPANT_2 is.
    static func objectComment(_ name: String?) -> String {
        "PARTICIPANT_2 is the NORAD catalogue number" + (name.map { " of \($0)" } ?? "")
    }

    /// The segment of one track with the first metadata comments given.
    static func segment(_ track: SimulatedTrack, comments first: [String]) -> Segment {
        let digits = fractionDigits(track.observations.map(\.epoch))
        let tags = track.observations.map { $0.epoch.ccsdsEpoch(in: .utc, fractionDigits: digits) }
        var comments = first
        var fields = [Field("TRACK_ID", .text(trackID(track.sensor, track.noradID, first: tags.first)))]
        var observations: [Observation] = []
        switch track.sensorType {
        case .optical:
            fields.append(Field("DATA_TYPES", .text("ANGLE_1,ANGLE_2")))
            observations.reserveCapacity(2 * tags.count)
            for (observation, tag) in zip(track.observations, tags) {
                guard case .angles(let ra, let dec) = observation.measurement else { continue }
                observations.append(Observation(keyword: "ANGLE_1", epoch: tag, value: .real(ra)))
                observations.append(Observation(keyword: "ANGLE_2", epoch: tag, value: .real(dec)))
            }
        case .radar:
            fields.append(Field("DATA_TYPES", .text("RANGE,DOPPLER_INSTANTANEOUS")))
            comments.append(
                track.rangeMode == .twoWay
                    ? "RANGE: half the round-trip light time times c (km); DOPPLER_INSTANTANEOUS: its rate (km/s)"
                    : "RANGE: the one-way light time times c (km); DOPPLER_INSTANTANEOUS: its rate (km/s)")
            observations.reserveCapacity(2 * tags.count)
            for (observation, tag) in zip(track.observations, tags) {
                guard case .radar(let range, let rate) = observation.measurement else { continue }
                observations.append(Observation(keyword: "RANGE", epoch: tag, value: .real(range)))
                observations.append(Observation(keyword: "DOPPLER_INSTANTANEOUS", epoch: tag, value: .real(rate)))
            }
        }
        if !track.isNoisy { comments.append("Noise-free: exact to the models, for testing") }
        fields += [
            Field("TIME_SYSTEM", .text("UTC")),
            Field("START_TIME", .epoch(tags.first!)),
            Field("STOP_TIME", .epoch(tags.last!)),
            Field("PARTICIPANT_1", .text(track.sensor)),
            Field("PARTICIPANT_2", .text(String(track.noradID))),
            Field("MODE", .text("SEQUENTIAL")),
            Field("PATH", .text(track.rangeMode == .twoWay ? "1,2,1" : "2,1")),
            Field("TIMETAG_REF", .text("RECEIVE")),
        ]
        switch track.sensorType {
        case .optical:
            if let exposure = track.exposureSeconds, exposure > 0 {
                fields.append(Field("INTEGRATION_INTERVAL", .real(exposure)))
                fields.append(Field("INTEGRATION_REF", .text("MIDDLE")))
            }
            fields.append(Field("ANGLE_TYPE", .text("RADEC")))
            fields.append(Field("REFERENCE_FRAME", .text("EME2000")))
        case .radar:
            fields.append(Field("RANGE_UNITS", .text("km")))
        }
        fields.append(Field("DATA_QUALITY", .text("RAW")))
        return Segment(
            metadata: Block(name: "metadata", comments: comments, fields: fields), data: Block(name: "data"),
            observations: observations)
    }

    /// `SENSOR-NORAD-YYYYMMDDThhmmssZ` of the first tag (UTC): unique per sensor, object and start second.
    static func trackID(_ sensor: String, _ noradID: Int, first: CCSDSEpoch?) -> String {
        guard let first else { return "\(sensor)-\(noradID)" }
        var digits: [UInt8] = []
        digits.reserveCapacity(16)
        func append(_ value: Int, width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            while divisor > 0 {
                digits.append(UInt8(48 + value / divisor % 10))
                divisor /= 10
            }
        }
        append(Int(first.year), width: 4)
        append(Int(first.month), width: 2)
        append(Int(first.day), width: 2)
        digits.append(UInt8(ascii: "T"))
        append(Int(first.hour), width: 2)
        append(Int(first.minute), width: 2)
        append(Int(first.second), width: 2)
        digits.append(UInt8(ascii: "Z"))
        return "\(sensor)-\(noradID)-" + String(decoding: digits, as: UTF8.self)
    }

    /// 3 when every tag is on a whole millisecond, else 6 (the simulator tags on whole microseconds).
    static func fractionDigits(_ epochs: [Epoch]) -> Int {
        epochs.allSatisfy { $0.taiNanosecondsSinceJ2000 % 1_000_000 == 0 } ? 3 : 6
    }
}
