/// A keyword's value, typed by the schema.
public enum Value: Sendable, Equatable {
    /// Free text or an enumerated value, as written (trimmed).
    case text(String)
    /// A floating-point number.
    case real(Double)
    /// An integer.
    case integer(Int)
    /// An epoch, kept exactly as written.
    case epoch(CCSDSEpoch)
    /// Several numbers.
    case vector([Double])

    /// The number, for `real` and `integer` values.
    public var double: Double? {
        switch self {
        case .real(let value): value
        case .integer(let value): Double(value)
        default: nil
        }
    }

    /// The text, for `text` values.
    public var text: String? {
        if case .text(let value) = self { value } else { nil }
    }

    /// The epoch, for `epoch` values.
    public var epoch: CCSDSEpoch? {
        if case .epoch(let value) = self { value } else { nil }
    }

    /// The integer, for `integer` values.
    public var integer: Int? {
        if case .integer(let value) = self { value } else { nil }
    }
}

/// One `KEYWORD = value` of a block.
public struct Field: Sendable, Equatable {
    /// The keyword.
    public var keyword: String
    /// Its value.
    public var value: Value

    /// Creates a field.
    public init(_ keyword: String, _ value: Value) {
        self.keyword = keyword
        self.value = value
    }
}

/// A block of a message: comments, keywords in the standard's order, and nested blocks.
public struct Block: Sendable, Equatable {
    /// The block's name in the schema (the XML element name: `header`, `metadata`, `stateVector` …).
    public var name: String
    /// The `COMMENT` lines at the start of the block, without the keyword.
    public var comments: [String]
    /// The keywords, in the order the standard prescribes.
    public var fields: [Field]
    /// Nested blocks, in order.
    public var children: [Block]

    /// Creates a block.
    public init(name: String, comments: [String] = [], fields: [Field] = [], children: [Block] = []) {
        self.name = name
        self.comments = comments
        self.fields = fields
        self.children = children
    }

    /// The value of `keyword` in this block (not in nested blocks).
    public subscript(keyword: String) -> Value? {
        get { fields.first { $0.keyword == keyword }?.value }
        set {
            if let index = fields.firstIndex(where: { $0.keyword == keyword }) {
                if let newValue { fields[index].value = newValue } else { fields.remove(at: index) }
            } else if let newValue {
                fields.append(Field(keyword, newValue))
            }
        }
    }

    /// The first nested block named `name`.
    public func child(_ name: String) -> Block? {
        children.first { $0.name == name }
    }

    /// The value of `keyword` in this block or any nested block, depth first.
    public func find(_ keyword: String) -> Value? {
        if let value = self[keyword] { return value }
        for child in children {
            if let value = child.find(keyword) { return value }
        }
        return nil
    }
}
