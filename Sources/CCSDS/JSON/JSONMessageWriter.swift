/// Writes a message in the project's JSON encoding (see the README, "JSON encoding").
///
/// The object mirrors the NDM/XML structure: `type`, `version`, `header`, CDM `relativeMetadataData`, then
/// `segments`, each with `metadata` and `data`. A block's members follow the standard's order; values carry no
/// units. The output depends only on the message, so two messages are equal exactly when their JSON is byte-equal.
public enum JSONMessageWriter {
    /// The message as UTF-8 JSON text, two-space indented, ending with a line break.
    public static func write(_ message: Message) -> [UInt8] {
        let spec = MessageSpec.of(message.type)
        var out = JSONOutput()
        out.bytes.reserveCapacity(4096 + message.segments.reduce(0) { $0 + $1.ephemeris.count * 160 + $1.observations.count * 64 })
        out.raw("{\n  \"type\": ")
        out.string(message.type.rawValue)
        out.raw(",\n  \"version\": ")
        out.string(message.version)
        out.raw(",\n  \"header\": ")
        out.block(message.header, spec: spec.header, indent: 1)
        if let relative = message.relativeMetadata {
            out.raw(",\n  \"relativeMetadataData\": ")
            out.block(relative, spec: spec.relativeMetadata, indent: 1)
        }
        out.raw(",\n  \"segments\": ")
        if message.segments.isEmpty {
            out.raw("[]")
        } else {
            out.raw("[")
            for (index, segment) in message.segments.enumerated() {
                out.raw(index == 0 ? "\n" : ",\n")
                out.indent(2)
                out.raw("{\n")
                out.indent(3)
                out.raw("\"metadata\": ")
                out.block(segment.metadata, spec: spec.metadata, indent: 3)
                out.raw(",\n")
                out.indent(3)
                out.raw("\"data\": ")
                switch spec.bulk {
                case .none: out.block(segment.data, spec: spec.data, indent: 3)
                case .ephemeris:
                    out.block(segment.data, spec: spec.data, indent: 3) { out, indent in
                        out.ephemeris(segment.ephemeris, indent: indent)
                    }
                case .observations:
                    out.block(segment.data, spec: spec.data, indent: 3) { out, indent in
                        out.observations(segment.observations, indent: indent)
                    }
                }
                out.raw("\n")
                out.indent(2)
                out.raw("}")
            }
            out.raw("\n  ]")
        }
        out.raw("\n}\n")
        return out.bytes
    }
}

/// The JSON key of the OEM ephemeris and of the TDM observations inside `data` (the NDM/XML element names).
enum JSONBulkKey {
    /// OEM: `"stateVector": [{"EPOCH": …, "X": …}, …]`.
    static let ephemeris = "stateVector"
    /// TDM: `"observation": [{"EPOCH": …, "RANGE": …}, …]`.
    static let observations = "observation"
    /// The members of one OEM state, in order (the last three only with accelerations).
    static let stateKeys: [StaticString] = [
        "EPOCH", "X", "Y", "Z", "X_DOT", "Y_DOT", "Z_DOT", "X_DDOT", "Y_DDOT", "Z_DDOT",
    ]
}

/// The bytes being written, with the JSON value writers.
struct JSONOutput {
    /// The text so far.
    var bytes: [UInt8] = []

    /// Appends ASCII text as is.
    mutating func raw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends text as is.
    mutating func raw(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// Appends `level` levels of two-space indentation.
    mutating func indent(_ level: Int) {
        for _ in 0..<(level * 2) { bytes.append(0x20) }
    }

    /// Appends a JSON string: quotes, backslashes and control characters escaped (RFC 8259 §7).
    mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): raw("\\\"")
            case UInt8(ascii: "\\"): raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0x08: raw("\\b")
            case 0x0C: raw("\\f")
            case 0..<0x20:
                let digits: [UInt8] = Array("0123456789abcdef".utf8)
                raw("\\u00")
                bytes.append(digits[Int(byte >> 4)])
                bytes.append(digits[Int(byte & 0xF)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends a number in Swift's shortest round-trip form (`2789.619`, `1e-05`, `1.0`), which is JSON number
    /// syntax; a non-finite value, which JSON cannot write and no CCSDS message may hold, becomes `null`.
    mutating func number(_ value: Double) {
        if value.isFinite {
            bytes.append(contentsOf: value.description.utf8)
        } else {
            raw("null")
        }
    }

    /// Appends an epoch as a string, exactly as written in the model.
    mutating func epoch(_ epoch: CCSDSEpoch) {
        bytes.append(UInt8(ascii: "\""))
        epoch.append(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends a value: numbers as numbers, text and epochs as strings, vectors as arrays of numbers.
    mutating func value(_ value: Value) {
        switch value {
        case .text(let text): string(text)
        case .real(let number): self.number(number)
        case .integer(let number): raw(String(number))
        case .epoch(let epoch): self.epoch(epoch)
        case .vector(let numbers):
            bytes.append(UInt8(ascii: "["))
            for (index, number) in numbers.enumerated() {
                if index > 0 { raw(", ") }
                self.number(number)
            }
            bytes.append(UInt8(ascii: "]"))
        }
    }

    /// Appends a block as an object whose members sit at `indent + 1`: `COMMENT`, then `bulk` (the OEM ephemeris
    /// or TDM observations of a `data` block), then keywords and nested blocks in the schema's order, then
    /// user-defined parameters. Fields and blocks the schema does not know come last, so that nothing is lost
    /// (the reader reports them).
    mutating func block(
        _ block: Block, spec: BlockSpec?, indent: Int, bulk: ((inout JSONOutput, Int) -> Void)? = nil
    ) {
        var first = true
        func separate(_ out: inout JSONOutput) {
            out.raw(first ? "{\n" : ",\n")
            first = false
            out.indent(indent + 1)
        }
        func member(_ out: inout JSONOutput, _ key: String) {
            separate(&out)
            out.string(key)
            out.raw(": ")
        }
        if !block.comments.isEmpty {
            member(&self, "COMMENT")
            if block.comments.count == 1 {
                bytes.append(UInt8(ascii: "["))
                string(block.comments[0])
                bytes.append(UInt8(ascii: "]"))
            } else {
                bytes.append(UInt8(ascii: "["))
                for (index, comment) in block.comments.enumerated() {
                    raw(index == 0 ? "\n" : ",\n")
                    self.indent(indent + 2)
                    string(comment)
                }
                bytes.append(0x0A)
                self.indent(indent + 1)
                bytes.append(UInt8(ascii: "]"))
            }
        }
        if let bulk {
            separate(&self)
            bulk(&self, indent + 1)
        }
        var fieldWritten = [Bool](repeating: false, count: block.fields.count)
        var childWritten = [Bool](repeating: false, count: block.children.count)
        for memberSpec in spec?.members ?? [] {
            switch memberSpec {
            case .keyword(let keyword):
                guard let index = block.fields.indices.first(where: { !fieldWritten[$0] && block.fields[$0].keyword == keyword.name })
                else { continue }
                fieldWritten[index] = true
                member(&self, keyword.name)
                value(block.fields[index].value)
            case .block(let childSpec, _, let max):
                let indices = block.children.indices.filter { block.children[$0].name == childSpec.name }
                guard !indices.isEmpty else { continue }
                for index in indices { childWritten[index] = true }
                member(&self, childSpec.name)
                let repeatable = max == nil || max! > 1
                children(indices.map { block.children[$0] }, spec: childSpec, asArray: repeatable || indices.count > 1, indent: indent + 1)
            }
        }
        if let prefix = spec?.userDefinedPrefix {
            for index in block.fields.indices where !fieldWritten[index] && block.fields[index].keyword.hasPrefix(prefix) {
                fieldWritten[index] = true
                member(&self, block.fields[index].keyword)
                value(block.fields[index].value)
            }
        }
        for index in block.fields.indices where !fieldWritten[index] {
            member(&self, block.fields[index].keyword)
            value(block.fields[index].value)
        }
        for index in block.children.indices where !childWritten[index] {
            let name = block.children[index].name
            let indices = block.children.indices.filter { !childWritten[$0] && block.children[$0].name == name }
            for other in indices { childWritten[other] = true }
            member(&self, name)
            children(indices.map { block.children[$0] }, spec: nil, asArray: indices.count > 1, indent: indent + 1)
        }
        if first {
            raw("{}")
        } else {
            bytes.append(0x0A)
            self.indent(indent)
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Appends nested blocks: one object, or an array of objects when the block may repeat.
    private mutating func children(_ blocks: [Block], spec: BlockSpec?, asArray: Bool, indent: Int) {
        guard asArray else {
            block(blocks[0], spec: spec, indent: indent)
            return
        }
        bytes.append(UInt8(ascii: "["))
        for (index, child) in blocks.enumerated() {
            raw(index == 0 ? "\n" : ",\n")
            self.indent(indent + 1)
            block(child, spec: spec, indent: indent + 1)
        }
        bytes.append(0x0A)
        self.indent(indent)
        bytes.append(UInt8(ascii: "]"))
    }

    /// Appends `"stateVector": [...]`, one state per line.
    mutating func ephemeris(_ ephemeris: Ephemeris, indent: Int) {
        raw("\"stateVector\": [")
        let stride = ephemeris.stride
        ephemeris.components.withUnsafeBufferPointer { components in
            for index in 0..<ephemeris.count {
                raw(index == 0 ? "\n" : ",\n")
                self.indent(indent + 1)
                raw("{\"EPOCH\": ")
                epoch(ephemeris.epochs[index])
                for component in 0..<stride {
                    raw(", \"")
                    let key = JSONBulkKey.stateKeys[component + 1]
                    raw(key)
                    raw("\": ")
                    number(components[index * stride + component])
                }
                bytes.append(UInt8(ascii: "}"))
            }
        }
        if !ephemeris.isEmpty {
            bytes.append(0x0A)
            self.indent(indent)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// Appends `"observation": [...]`, one observation per line.
    mutating func observations(_ observations: [Observation], indent: Int) {
        raw("\"observation\": [")
        for (index, observation) in observations.enumerated() {
            raw(index == 0 ? "\n" : ",\n")
            self.indent(indent + 1)
            raw("{\"EPOCH\": ")
            epoch(observation.epoch)
            raw(", ")
            string(observation.keyword)
            raw(": ")
            value(observation.value)
            bytes.append(UInt8(ascii: "}"))
        }
        if !observations.isEmpty {
            bytes.append(0x0A)
            self.indent(indent)
        }
        bytes.append(UInt8(ascii: "]"))
    }
}
