import Foundation
import Yams

/// Reads one policy file's YAML tree into rules, collecting every problem with its place instead of stopping
/// at the first.
struct PolicyFileReader {
    /// The file name used in locations.
    let file: String
    /// The problems found so far.
    private(set) var problems: [PolicyProblem] = []

    /// Creates a reader for the file named `file`.
    init(file: String) {
        self.file = file
    }

    /// The rules of the file's text; problems accumulate in ``problems``.
    mutating func rules(in text: String) -> [Rule] {
        let root: Node?
        do {
            // An explicit encoding: Yams' default consults (and prints) an environment variable.
            root = try Yams.compose(yaml: text, .default, .default, .utf8)
        } catch {
            report(syntaxError: error, in: text)
            return []
        }
        guard let root else {
            problems.append(
                PolicyProblem(
                    .missingKey, "the file is empty; a policy file holds at least `version: 1` and `rules:`",
                    at: PolicySourceLocation(file: file, line: 1, column: 1)))
            return []
        }
        return document(root)
    }

    /// The top level: `version`, `defaults`, `rules`.
    private mutating func document(_ node: Node) -> [Rule] {
        guard
            let keys = mapping(
                node, of: "the file", allowed: ["version", "defaults", "rules"],
                required: ["version", "rules"])
        else { return [] }
        if let version = keys["version"] {
            if let number = integer(version, of: "version"), number != 1 {
                report(.invalidValue, "version \(number) is not supported; this gateway reads version 1", at: version)
            }
        }
        var defaultQuotas = PartialQuotas()
        if let defaults = keys["defaults"], let entries = mapping(defaults, of: "defaults", allowed: ["quotas"]) {
            if let quotas = entries["quotas"] { defaultQuotas = partialQuotas(quotas) }
        }
        guard let list = keys["rules"] else { return [] }
        guard case .sequence(let items) = list else {
            report(.wrongType, "rules must be a list of rules (each item starting with `- id:`)", at: list)
            return []
        }
        return items.compactMap { rule($0, defaultQuotas: defaultQuotas) }
    }

    /// Records a problem at `node`.
    mutating func report(_ code: PolicyProblem.Code, _ message: String, at node: Node) {
        problems.append(PolicyProblem(code, message, at: location(of: node)))
    }

    /// Where `node` starts.
    func location(of node: Node) -> PolicySourceLocation {
        let mark = node.mark
        return PolicySourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    /// Turns a Yams error into a `syntax` problem at the place libyaml reports.
    private mutating func report(syntaxError error: any Error, in text: String) {
        var message = "not well-formed YAML"
        var line = 1
        var column = 1
        if let error = error as? YamlError {
            switch error {
            case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
                .composer(let context, let problem, let mark, _):
                message = problem + (context.map { " (\($0.text) at \($0.mark.line):\($0.mark.column))" } ?? "")
                (line, column) = (mark.line, mark.column)
            case .duplicatedKeysInMapping(let duplicates, let context):
                message =
                    "duplicate key " + duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
                    + " in one mapping; each key may appear once"
                (line, column) = (context.mark.line, context.mark.column)
            case .reader(let problem, let offset, _, _):
                message = problem
                if let offset {
                    // libyaml counts the offset in bytes of the UTF-8 input.
                    for byte in text.utf8.prefix(offset) {
                        if byte == UInt8(ascii: "\n") { (line, column) = (line + 1, 1) } else { column += 1 }
                    }
                }
            default:
                message = "\(error)"
            }
        }
        problems.append(
            PolicyProblem(.syntax, message, at: PolicySourceLocation(file: file, line: line, column: column)))
    }
}
