import Astrodynamics
import Foundation

/// The truth the simulated sensors observe: for each object, its element sets in time order, each in force from its
/// epoch until the next one's.
///
/// The truth of object N at instant t is SGP4 of the latest set of N whose epoch is at or before t; before the first
/// epoch, the first set (propagated backwards). A **manoeuvre** is an element set that takes over at its epoch: the
/// manoeuvres file (`--manoeuvres FILE`, any element-set file `ObjectCatalogue.read` accepts: TLE, 3LE, OMM KVN/XML)
/// holds the post-manoeuvre sets, each with the manoeuvre's instant as its epoch; the sensors then see the old orbit
/// up to that instant and the new one from it (an impulsive change, as element sets can express it). Sets with
/// equal epochs: the later one given wins (manoeuvre files after the truth file, in order).
///
/// `ObjectCatalogue.read` keeps one set per object and file (the latest), so several manoeuvres of one object are
/// given as several manoeuvre files; `init(objects:)` takes any number of sets per object.
public struct TruthCatalogue: Sendable {
    /// Per NORAD id, the sets sorted by epoch (stable: equal epochs keep the order given).
    private var histories: [Int: [TrackedObject]]

    /// A truth of `objects`: any number of element sets per NORAD id, in any order.
    public init(objects: [TrackedObject]) {
        var histories: [Int: [TrackedObject]] = [:]
        for object in objects { histories[object.noradID, default: []].append(object) }
        for (id, sets) in histories {
            // Stable sort: indices break ties, so that a later set with the same epoch comes later and wins.
            histories[id] = sets.enumerated().sorted { a, b in
                a.element.elementEpoch != b.element.elementEpoch
                    ? a.element.elementEpoch < b.element.elementEpoch : a.offset < b.offset
            }.map(\.element)
        }
        self.histories = histories
    }

    /// The NORAD ids of the truth, ascending.
    public var noradIDs: [Int] { histories.keys.sorted() }

    /// The element set of `noradID` in force at `epoch` (nil when the object is not in the truth).
    public func object(_ noradID: Int, at epoch: Epoch) -> TrackedObject? {
        guard let sets = histories[noradID], !sets.isEmpty else { return nil }
        // The first index whose epoch is after `epoch`; the set before it is in force.
        var low = 0
        var high = sets.count
        while low < high {
            let middle = (low + high) / 2
            if sets[middle].elementEpoch <= epoch { low = middle + 1 } else { high = middle }
        }
        return sets[max(low - 1, 0)]
    }

    /// Every element set of `noradID`, by epoch (empty when unknown).
    public func elementSets(of noradID: Int) -> [TrackedObject] {
        histories[noradID] ?? []
    }

    /// Reads the truth file and an optional manoeuvres file.
    public static func load(truth: String, manoeuvres: String?) throws(ObjectCatalogueError) -> TruthCatalogue {
        try load(truth: truth, manoeuvres: manoeuvres.map { [$0] } ?? [])
    }

    /// Reads the truth file and any number of manoeuvres files (each may hold one set per object). A manoeuvre of an
    /// object the truth does not have is an error.
    public static func load(truth: String, manoeuvres: [String]) throws(ObjectCatalogueError) -> TruthCatalogue {
        var objects = try ObjectCatalogue.load(path: truth).objects
        let known = Set(objects.map(\.noradID))
        var problems: [String] = []
        for file in manoeuvres {
            let sets = try ObjectCatalogue.load(path: file).objects
            for set in sets where !known.contains(set.noradID) {
                problems.append("\(file): object \(set.noradID) has a manoeuvre but is not in the truth file \(truth)")
            }
            objects += sets
        }
        guard problems.isEmpty else { throw ObjectCatalogueError(problems: problems) }
        return TruthCatalogue(objects: objects)
    }
}
