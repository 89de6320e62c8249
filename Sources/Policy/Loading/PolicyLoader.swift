import Foundation

/// One policy file's name and text, as handed to ``PolicyLoader/load(files:)``.
public struct PolicyFile: Sendable, Hashable {
    /// The name used in problem locations and rule sources (`policies/default.yaml`).
    public var name: String
    /// The YAML text.
    public var contents: String

    /// Creates a file.
    public init(name: String, contents: String) {
        self.name = name
        self.contents = contents
    }
}

/// Builds a ``PolicySet`` from policy files, or says everything wrong with them. Pure and repeatable: the gateway
/// calls it at start and again on SIGHUP, and keeps the old set when the new files fail.
public enum PolicyLoader {
    /// Loads every `*.yaml` and `*.yml` file directly in `directory` (not its subfolders, so `examples/` is not
    /// loaded), in name order. Problems are located with the file's path as `directory` spells it.
    public static func load(directory: URL) throws(PolicyLoadError) -> PolicySet {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw PolicyLoadError([
                PolicyProblem(.unreadable, "cannot list the policy directory \(directory.relativePath): \(error)")
            ])
        }
        let yamlNames = names.filter { !$0.hasPrefix(".") && ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) }.sorted()
        guard !yamlNames.isEmpty else {
            throw PolicyLoadError([
                PolicyProblem(
                    .noPolicyFiles,
                    "the policy directory \(directory.relativePath) holds no .yaml file; with no policy every request "
                        + "would be denied")
            ])
        }
        var files: [PolicyFile] = []
        var problems: [PolicyProblem] = []
        for name in yamlNames {
            let url = directory.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path),
                let contents = String(data: data, encoding: .utf8)
            else {
                problems.append(
                    PolicyProblem(.unreadable, "cannot read \(url.relativePath) as UTF-8 text"))
                continue
            }
            files.append(PolicyFile(name: url.relativePath, contents: contents))
        }
        guard problems.isEmpty else { throw PolicyLoadError(problems) }
        return try load(files: files)
    }

    /// Reads `files` into one policy set; every problem of every file is reported together, in file order.
    public static func load(files: [PolicyFile]) throws(PolicyLoadError) -> PolicySet {
        var rules: [Rule] = []
        var problems: [PolicyProblem] = []
        for file in files.sorted(by: { $0.name < $1.name }) {
            var reader = PolicyFileReader(file: file.name)
            rules += reader.rules(in: file.contents)
            problems += reader.problems
        }
        var set: PolicySet?
        do {
            set = try PolicySet(rules: rules, revision: revision(of: files))
        } catch {
            problems += error.problems
        }
        guard let set, problems.isEmpty else { throw PolicyLoadError(problems.sorted(by: isInFileOrder)) }
        return set
    }

    /// Problems ordered by place; unplaced ones first.
    private static func isInFileOrder(_ lhs: PolicyProblem, _ rhs: PolicyProblem) -> Bool {
        switch (lhs.location, rhs.location) {
        case (nil, .some): true
        case (.some(let left), .some(let right)): left < right
        default: false
        }
    }

    /// A 64-bit FNV-1a hash of the files' names and contents, in hex: the set's ``PolicySet/revision``.
    static func revision(of files: [PolicyFile]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for file in files.sorted(by: { $0.name < $1.name }) {
            for text in [file.name, file.contents] {
                for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
                hash = hash &* 0x0000_0100_0000_01b3  // a zero byte between fields
            }
        }
        return String(hash, radix: 16).leftPadded(to: 16)
    }
}

extension String {
    /// `self` with leading zeros up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
