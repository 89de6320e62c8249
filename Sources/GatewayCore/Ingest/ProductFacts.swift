import Astrodynamics
import CCSDS
import Foundation

/// What the gateway indexes about a submitted CCSDS product, read from its parsed message: the objects and
/// participants it concerns, the time it covers, and for conjunctions the reported probability and miss distance.
///
/// - CDM (CCSDS 508.0-B-1): OBJECT1/OBJECT2 `OBJECT_DESIGNATOR` (a NORAD id when `CATALOG_NAME = SATCAT`), `TCA`
///   (the time window is that instant), `MISS_DISTANCE` (m), `COLLISION_PROBABILITY`.
/// - TDM (CCSDS 503.0-B-2): `PARTICIPANT_n` of every segment (numeric participants are taken as NORAD ids), the
///   first and last observation time tags; the record count is the number of observation lines.
/// - OEM/OPM/OMM: `OBJECT_ID`/`NORAD_CAT_ID`, the ephemeris span or the state's epoch.
public struct ProductFacts: Sendable, Equatable {
    /// The product kind.
    public var kind: ProductKind
    /// Catalogue objects concerned, ascending.
    public var noradIDs: [Int]
    /// Participants (TDM) or object designators (CDM), in message order without repeats.
    public var participants: [String]
    /// The covered time: first and last observation, TCA (start = stop), ephemeris span, state epoch.
    public var timeStart: Date?
    /// The end of the covered time.
    public var timeStop: Date?
    /// CDM `COLLISION_PROBABILITY`.
    public var collisionProbability: Double?
    /// CDM `MISS_DISTANCE`, metres.
    public var missDistanceMetres: Double?
    /// The header's `CREATION_DATE`.
    public var created: Date?
    /// The header's `ORIGINATOR`.
    public var originator: String?
    /// Observation lines (TDM), states (OEM), else 1.
    public var recordCount: Int

    /// Reads the facts of `message`.
    public init(message: Message) {
        kind = ProductKind(message.type)
        created = Self.date(message.header.find("CREATION_DATE")?.epoch, scale: .utc)
        originator = message.header.find("ORIGINATOR")?.text
        noradIDs = []
        participants = []
        recordCount = 1
        switch message.type {
        case .cdm: readCDM(message)
        case .tdm: readTDM(message)
        case .oem: readOEM(message)
        default: readState(message)
        }
        noradIDs = Array(Set(noradIDs)).sorted()
    }

    private mutating func readCDM(_ message: Message) {
        let relative = message.relativeMetadata
        let tca = Self.date(relative?.find("TCA")?.epoch, scale: .utc)
        timeStart = tca
        timeStop = tca
        missDistanceMetres = relative?.find("MISS_DISTANCE")?.double
        collisionProbability = relative?.find("COLLISION_PROBABILITY")?.double
        for segment in message.segments {
            guard let designator = segment.metadata.find("OBJECT_DESIGNATOR").flatMap(Self.text) else { continue }
            append(participant: designator)
            let catalogue = segment.metadata.find("CATALOG_NAME")?.text?.uppercased()
            if catalogue == nil || catalogue == "SATCAT", let norad = Int(designator), norad > 0 {
                noradIDs.append(norad)
            }
        }
    }

    private mutating func readTDM(_ message: Message) {
        var first: Date?
        var last: Date?
        var count = 0
        for segment in message.segments {
            let scale = segment.metadata.find("TIME_SYSTEM")?.text.flatMap(TimeScale.init(ccsdsTimeSystem:)) ?? .utc
            for index in 1...5 {
                guard let participant = segment.metadata.find("PARTICIPANT_\(index)").flatMap(Self.text) else {
                    continue
                }
                append(participant: participant)
                if let norad = Int(participant), norad > 0 { noradIDs.append(norad) }
            }
            count += segment.observations.count
            if let head = segment.observations.first, let date = Self.date(head.epoch, scale: scale) {
                first = min(first ?? date, date)
            }
            if let tail = segment.observations.last, let date = Self.date(tail.epoch, scale: scale) {
                last = max(last ?? date, date)
            }
        }
        timeStart = first
        timeStop = last
        recordCount = count
    }

    private mutating func readOEM(_ message: Message) {
        var count = 0
        for segment in message.segments {
            readObject(segment.metadata, dataBlock: segment.data)
            let scale = segment.metadata.find("TIME_SYSTEM")?.text.flatMap(TimeScale.init(ccsdsTimeSystem:)) ?? .utc
            if let start = Self.date(segment.metadata.find("START_TIME")?.epoch, scale: scale) {
                timeStart = min(timeStart ?? start, start)
            }
            if let stop = Self.date(segment.metadata.find("STOP_TIME")?.epoch, scale: scale) {
                timeStop = max(timeStop ?? stop, stop)
            }
            count += segment.ephemeris.count
        }
        recordCount = count
    }

    private mutating func readState(_ message: Message) {
        for segment in message.segments {
            readObject(segment.metadata, dataBlock: segment.data)
            let scale = segment.metadata.find("TIME_SYSTEM")?.text.flatMap(TimeScale.init(ccsdsTimeSystem:)) ?? .utc
            let epoch = segment.data.find("EPOCH")?.epoch ?? segment.data.child("stateVector")?.find("EPOCH")?.epoch
            if let date = Self.date(epoch, scale: scale) {
                timeStart = min(timeStart ?? date, date)
                timeStop = max(timeStop ?? date, date)
            }
        }
    }

    /// `OBJECT_ID`/`OBJECT_NAME` of an ODM segment, `NORAD_CAT_ID` of an OMM.
    private mutating func readObject(_ metadata: Block, dataBlock: Block) {
        if let id = metadata.find("OBJECT_ID").flatMap(Self.text) { append(participant: id) }
        if let norad = dataBlock.find("NORAD_CAT_ID")?.integer ?? metadata.find("NORAD_CAT_ID")?.integer, norad > 0 {
            noradIDs.append(norad)
        }
    }

    private mutating func append(participant: String) {
        if !participants.contains(participant) { participants.append(participant) }
    }

    /// A value as text (designators may be read as integers).
    private static func text(_ value: Value) -> String? {
        if let text = value.text { return text }
        if let integer = value.integer { return String(integer) }
        return nil
    }

    /// The UTC `Date` of an epoch read in `scale`.
    static func date(_ epoch: CCSDSEpoch?, scale: TimeScale) -> Date? {
        guard let epoch, let instant = try? Epoch(epoch, in: scale) else { return nil }
        return instant.date()
    }
}
