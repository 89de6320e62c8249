import Foundation
import Yams

// Typed reads of YAML nodes. Each returns nil after recording a problem when the node is not what the format
// asks for, so one pass reports every mistake in a file.
extension PolicyFileReader {
    /// The entries of a mapping whose keys must be among `allowed` and include `required`.
    mutating func mapping(_ node: Node, of context: String, allowed: [String], required: [String] = [])
        -> [String: Node]?
    {
        guard case .mapping(let mapping) = node else {
            report(
                .wrongType,
                "\(context) must be a mapping of keys (\(allowed.joined(separator: ", "))), not \(found(node))",
                at: node)
            return nil
        }
        var entries: [String: Node] = [:]
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                report(.wrongType, "a key in \(context) must be plain text", at: key)
                continue
            }
            guard allowed.contains(scalar.string) else {
                report(
                    .unknownKey,
                    "unknown key \"\(scalar.string)\" in \(context); expected one of \(allowed.joined(separator: ", "))",
                    at: key)
                continue
            }
            entries[scalar.string] = value
        }
        for key in required where entries[key] == nil {
            report(.missingKey, "\(context) lacks the required key \"\(key)\"", at: node)
        }
        return entries
    }

    /// Non-empty text (a quoted or plain scalar that YAML does not read as a number, boolean, date or null).
    mutating func text(_ node: Node, of context: String) -> String? {
        guard case .scalar(let scalar) = node, yamlType(node) == .str else {
            let hint = node.scalar == nil ? "" : "; quote it if it is meant as text"
            report(.wrongType, "\(context) must be text, not \(found(node))\(hint)", at: node)
            return nil
        }
        guard !scalar.string.isEmpty else {
            report(.invalidValue, "\(context) must not be empty", at: node)
            return nil
        }
        return scalar.string
    }

    /// A non-empty list of texts.
    mutating func texts(_ node: Node, of context: String) -> Set<String>? {
        guard let items = list(node, of: context) else { return nil }
        let values = items.compactMap { text($0, of: "an item of \(context)") }
        return values.count == items.count ? Set(values) : nil
    }

    /// A non-empty list of raw values of `Value` (actions, roles …).
    mutating func values<Value: RawRepresentable & CaseIterable & Hashable>(
        _ node: Node, of context: String, as type: Value.Type
    ) -> Set<Value>? where Value.RawValue == String {
        guard let items = list(node, of: context) else { return nil }
        var values: Set<Value> = []
        var failed = false
        for item in items {
            guard let name = text(item, of: "an item of \(context)") else {
                failed = true
                continue
            }
            guard let value = Value(rawValue: name) else {
                let known = Value.allCases.map(\.rawValue).joined(separator: ", ")
                report(.invalidValue, "\"\(name)\" is not one of the \(context) (\(known))", at: item)
                failed = true
                continue
            }
            values.insert(value)
        }
        return failed ? nil : values
    }

    /// `true` or `false`.
    mutating func boolean(_ node: Node, of context: String) -> Bool? {
        guard case .scalar(let scalar) = node, scalar.string == "true" || scalar.string == "false",
            yamlType(node) == .bool
        else {
            report(.wrongType, "\(context) must be true or false, not \(found(node))", at: node)
            return nil
        }
        return scalar.string == "true"
    }

    /// A whole number.
    mutating func integer(_ node: Node, of context: String) -> Int? {
        guard yamlType(node) == .int, let value = node.int else {
            report(.wrongType, "\(context) must be a whole number, not \(found(node))", at: node)
            return nil
        }
        return value
    }

    /// A positive whole number or `unlimited`.
    mutating func limit(_ node: Node, of context: String) -> QuotaLimit? {
        if yamlType(node) == .str, node.string == "unlimited" { return .unlimited }
        guard yamlType(node) == .int, let value = node.int else {
            report(.wrongType, "\(context) must be a positive whole number or unlimited, not \(found(node))", at: node)
            return nil
        }
        guard value >= 1 else {
            report(.invalidValue, "\(context) must be at least 1; to forbid, write a deny rule", at: node)
            return nil
        }
        return .limited(value)
    }

    /// An ISO 8601 date and time with a zone (`2025-01-01T00:00:00Z`).
    mutating func instant(_ node: Node, of context: String) -> Date? {
        guard case .scalar(let scalar) = node, yamlType(node) == .str || yamlType(node) == .timestamp else {
            report(
                .wrongType,
                "\(context) must be an ISO 8601 date and time such as 2025-01-01T00:00:00Z, not \(found(node))",
                at: node)
            return nil
        }
        let plain = Date.ISO8601FormatStyle()
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        guard let date = (try? plain.parse(scalar.string)) ?? (try? fractional.parse(scalar.string)) else {
            report(
                .invalidValue,
                "\"\(scalar.string)\" is not an ISO 8601 date and time with a zone, such as 2025-01-01T00:00:00Z",
                at: node)
            return nil
        }
        return date
    }

    /// A non-empty list.
    mutating func list(_ node: Node, of context: String) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            report(.wrongType, "\(context) must be a list such as [a, b], not \(found(node))", at: node)
            return nil
        }
        guard !sequence.isEmpty else {
            report(
                .invalidValue, "\(context) is an empty list, which matches nothing; remove the key instead", at: node)
            return nil
        }
        return Array(sequence)
    }

    /// What YAML made of a node, with a scalar's text: `a number "42"`, `a list`.
    func found(_ node: Node) -> String {
        guard case .scalar(let scalar) = node else { return kindName(node) }
        return "\(kindName(node)) \"\(scalar.string)\""
    }

    /// What YAML made of a node, in words.
    func kindName(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar:
            switch yamlType(node) {
            case .int, .float: return "a number"
            case .bool: return "a boolean"
            case .null: return "empty (null)"
            case .timestamp: return "a date"
            default: return "text"
            }
        }
    }
}

extension PolicyFileReader {
    /// The resolved YAML tag of a node (`Tag.name` itself is internal to Yams).
    func yamlType(_ node: Node) -> Tag.Name {
        Tag.Name(rawValue: node.tag.rawValue)
    }
}
