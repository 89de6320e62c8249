import Foundation

/// Where test inputs live: the fixtures of this target and the CCSDS reference material (Tests/Fixtures/ccsds).
enum FixturePaths {
    /// The repository root (three levels above this file).
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// `Tests/CCSDSTests/Fixtures`.
    static let fixtures = repository.appendingPathComponent("Tests/CCSDSTests/Fixtures")
    /// The CCSDS reference material kept in the repository (`Tests/Fixtures/ccsds`: the Blue Books' examples and
    /// the NDM/XML schemas), so that a clone alone runs every test.
    static let shared = repository.appendingPathComponent("Tests/Fixtures/ccsds")

    /// Files in `folder` whose names end with one of `extensions`, sorted.
    static func files(in folder: URL, extensions: [String] = ["kvn", "xml", "json"]) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { name in extensions.contains { name.hasSuffix("." + $0) } }.sorted()
            .map { folder.appendingPathComponent($0) }
    }

    /// The Blue Book examples of the supported message types (OCM, RDM and combined NDM are not supported).
    static var blueBookExamples: [URL] {
        (files(in: shared.appendingPathComponent("examples/kvn")) + files(in: shared.appendingPathComponent("examples/xml")))
            .filter { url in ["oem_", "opm_", "omm_", "tdm_"].contains { url.lastPathComponent.hasPrefix($0) } }
    }

    /// The bytes of a file.
    static func bytes(_ url: URL) -> [UInt8] {
        (try? [UInt8](Data(contentsOf: url))) ?? []
    }

    /// `FILENAME LINE [KEYWORD]` rows of an `invalid/expected.txt`.
    static func expectations(for type: String) -> [(file: URL, line: Int, keyword: String?)] {
        let folder = fixtures.appendingPathComponent("\(type)/invalid")
        let text = (try? String(contentsOf: folder.appendingPathComponent("expected.txt"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { row in
            let parts = row.split(separator: " ").map(String.init)
            guard parts.count >= 2, let line = Int(parts[1]) else { return nil }
            return (folder.appendingPathComponent(parts[0]), line, parts.count > 2 ? parts[2] : nil)
        }
    }
}
