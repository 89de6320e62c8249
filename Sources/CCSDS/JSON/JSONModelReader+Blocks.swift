/// Blocks: comments, keywords and nested blocks, placed with the shared `BlockBuilder`.
extension JSONModelReader {
    /// Reads the object at the scanner into the builder's current block: `COMMENT`, keywords, nested blocks and,
    /// in a data section, the OEM or TDM bulk. `path` locates the block in its section (child indices).
    mutating func readBlock(
        _ spec: BlockSpec, into builder: inout BlockBuilder, path: [Int], bulk: MessageSpec.Bulk
    ) throws(SyntaxError) {
        try scanner.enterObject()
        var container = JSONScanner.Container()
        var memberCount = 0
        var held: [(text: String, location: SourceLocation)] = []
        var sawComments = false
        var childCount = 0
        var openedBlocks: Set<String> = []
        var bulkLocation: SourceLocation?
        var previous: String?
        while let key = try scanner.nextKey(&container) {
            memberCount += 1
            let name = scanner.string(key)
            defer { previous = name }
            if name == "COMMENT" {
                if sawComments {
                    add(.duplicateKeyword, "COMMENT is given twice in \(spec.name); put all comments in one array",
                        key.location, keyword: name)
                    try scanner.skipValue()
                } else if memberCount > 1 {
                    add(.structure, "COMMENT comes first in \(spec.name): comments are allowed only at the start of a block",
                        key.location, keyword: name, severity: deviation)
                    try scanner.skipValue()
                } else {
                    held = try readComments()
                }
                sawComments = true
                continue
            }
            // The comments belong to this block; the builder attaches them when the next member arrives.
            for comment in held { builder.comment(comment.text, at: comment.location) }
            held = []
            if bulk != .none, name == (bulk == .ephemeris ? JSONBulkKey.ephemeris : JSONBulkKey.observations) {
                if bulkLocation != nil {
                    add(.duplicateKeyword, "\"\(name)\" is given twice in data", key.location, keyword: name)
                    try scanner.skipValue()
                    continue
                }
                if childCount > 0 {
                    add(.keywordOrder, "\"\(name)\" comes before the covariance matrices in data", key.location,
                        keyword: name)
                }
                bulkLocation = key.location
                if bulk == .ephemeris { try readEphemeris(key) } else { try readObservations(key) }
            } else if let keyword = spec.keyword(name) {
                try readKeyword(name, kind: keyword.kind, key: key, into: &builder)
            } else if let prefix = spec.userDefinedPrefix, name.hasPrefix(prefix), name.count > prefix.count {
                try readKeyword(name, kind: .text, key: key, into: &builder)
            } else if let (child, max) = Self.childBlock(name, of: spec) {
                try readChildren(
                    child, repeatable: max == nil || max! > 1, key: key, after: previous, in: spec, into: &builder,
                    path: path, count: &childCount, opened: &openedBlocks)
            } else {
                let home = Self.home(of: name, in: sectionSpecs).map { " (it belongs in \($0))" } ?? ""
                add(.unknownKeyword, "\"\(name)\" is not a keyword or block of \(spec.name) in \(messageName)\(home)",
                    key.location, keyword: name)
                try scanner.skipValue()
            }
        }
        let end = scanner.closeLocation
        if !held.isEmpty {
            if path.isEmpty {
                for comment in held { builder.comment(comment.text, at: comment.location) }
            } else {
                if !spec.allowsComments {
                    add(.structure, "COMMENT lines are not allowed in \(spec.name)", held[0].location, keyword: "COMMENT",
                        severity: deviation)
                }
                commentFixups.append((path, held.map(\.text)))
            }
        }
        if bulk != .none, bulkLocation == nil || (bulk == .ephemeris ? ephemeris.isEmpty : observations.isEmpty) {
            if bulk == .ephemeris {
                add(.missingKeyword, "an OEM segment needs at least one state vector in data.stateVector",
                    bulkLocation ?? end, keyword: JSONBulkKey.ephemeris)
            } else {
                add(.missingKeyword, "a TDM data section needs at least one observation in data.observation",
                    bulkLocation ?? end, keyword: JSONBulkKey.observations)
            }
        }
    }

    /// `"COMMENT": ["…", …]`.
    private mutating func readComments() throws(SyntaxError) -> [(text: String, location: SourceLocation)] {
        let kind = try scanner.peek()
        if kind == .string {
            add(.invalidValue, "COMMENT is an array of strings: [\"…\"]", scanner.location, keyword: "COMMENT",
                severity: deviation)
            let token = try scanner.readString()
            return [(scanner.string(token), token.location)]
        }
        guard kind == .array else {
            add(.invalidValue, "COMMENT is an array of strings, not \(kind.described)", scanner.location, keyword: "COMMENT")
            try scanner.skipValue()
            return []
        }
        try scanner.enterArray()
        var comments: [(text: String, location: SourceLocation)] = []
        var container = JSONScanner.Container()
        while try scanner.nextElement(&container) {
            let kind = try scanner.peek()
            guard kind == .string else {
                add(.invalidValue, "a COMMENT line is a string, not \(kind.described)", scanner.location, keyword: "COMMENT")
                try scanner.skipValue()
                continue
            }
            let token = try scanner.readString()
            comments.append((scanner.string(token), token.location))
        }
        return comments
    }

    /// Reads one keyword's value and places it with the builder, which checks order, duplicates and the value.
    private mutating func readKeyword(
        _ name: String, kind: ValueKind, key: JSONScanner.Token, into builder: inout BlockBuilder
    ) throws(SyntaxError) {
        let found = try scanner.peek()
        let wantsNumber: Bool
        switch kind {
        case .real, .integer: wantsNumber = true
        case .vector(let count):
            try readVector(name, count: count, key: key, into: &builder)
            return
        default: wantsNumber = false
        }
        let token: JSONScanner.Token
        switch found {
        case .string, .number:
            if (found == .number) != wantsNumber {
                add(.invalidValue, "\(name) is \(wantsNumber ? "a number" : "a string"), not \(found.described)",
                    scanner.location, keyword: name, severity: deviation)
            }
            token = found == .string ? try scanner.readString() : try scanner.readNumber()
        case .null:
            // No value: the value reader reports it (a warning when lenient, as for an empty KVN value).
            let location = scanner.location
            _ = try scanner.readLiteral()
            token = JSONScanner.Token(range: 0..<0, escaped: false, location: location)
        case .object, .array, .boolean:
            add(.invalidValue, "\(name) is \(wantsNumber ? "a number" : "a string"), not \(found.described)",
                scanner.location, keyword: name)
            try scanner.skipValue()
            return
        }
        scanner.withBytes(token) { bytes in
            Self.place(name, ValueReader.RawValue(bytes: bytes, unit: nil, location: token.location), key: key, into: &builder)
        }
    }

    /// A vector value: `[1.0, 2.0, …]`, given to the value reader as blank-separated numbers.
    private mutating func readVector(
        _ name: String, count: Int, key: JSONScanner.Token, into builder: inout BlockBuilder
    ) throws(SyntaxError) {
        let kind = try scanner.peek()
        let location = scanner.location
        guard kind == .array else {
            add(.invalidValue, "\(name) is an array of \(count) numbers, not \(kind.described)", location, keyword: name)
            try scanner.skipValue()
            return
        }
        try scanner.enterArray()
        var text: [UInt8] = []
        var container = JSONScanner.Container()
        while try scanner.nextElement(&container) {
            guard try scanner.peek() == .number else {
                add(.invalidValue, "\(name) is an array of \(count) numbers", scanner.location, keyword: name)
                try scanner.skipValue()
                continue
            }
            let token = try scanner.readNumber()
            if !text.isEmpty { text.append(0x20) }
            text.append(contentsOf: scanner.bytes[token.range])
        }
        text.withUnsafeBufferPointer { bytes in
            Self.place(name, ValueReader.RawValue(bytes: bytes, unit: nil, location: location), key: key, into: &builder)
        }
    }

    private static func place(
        _ name: String, _ raw: ValueReader.RawValue, key: JSONScanner.Token, into builder: inout BlockBuilder
    ) {
        if !builder.placeDirect(name, raw, line: key.location) {
            builder.reportMisplaced(name, at: key.location, knownElsewhere: nil)
        }
    }

    /// A nested block: an object, or an array of objects when it may repeat.
    private mutating func readChildren(
        _ child: BlockSpec, repeatable: Bool, key: JSONScanner.Token, after previous: String?, in parent: BlockSpec,
        into builder: inout BlockBuilder, path: [Int], count: inout Int, opened: inout Set<String>
    ) throws(SyntaxError) {
        let place = (previous: previous, parent: parent.name)
        let name = child.name
        switch try scanner.peek() {
        case .array:
            if !repeatable {
                add(.invalidValue, "\(name) is an object, not an array: it appears at most once", scanner.location,
                    keyword: name, severity: deviation)
            }
            try scanner.enterArray()
            var container = JSONScanner.Container()
            while try scanner.nextElement(&container) {
                let kind = try scanner.peek()
                guard kind == .object else {
                    add(.invalidValue, "each element of \(name) is an object, not \(kind.described)", scanner.location,
                        keyword: name)
                    try scanner.skipValue()
                    continue
                }
                try readChild(
                    child, repeatable: repeatable, key: key, place: place, into: &builder, path: path, count: &count,
                    opened: &opened)
            }
        case .object:
            if repeatable {
                add(.invalidValue, "\(name) is an array of objects, as it may repeat: [{…}]", scanner.location,
                    keyword: name, severity: deviation)
            }
            try readChild(
                child, repeatable: repeatable, key: key, place: place, into: &builder, path: path, count: &count,
                opened: &opened)
        case let kind:
            add(.invalidValue, "\(name) is \(repeatable ? "an array of objects" : "an object"), not \(kind.described)",
                scanner.location, keyword: name)
            try scanner.skipValue()
        }
    }

    /// Opens one instance of a nested block and reads it; `place` names the parent and the member before it, for
    /// messages.
    private mutating func readChild(
        _ child: BlockSpec, repeatable: Bool, key: JSONScanner.Token, place: (previous: String?, parent: String),
        into builder: inout BlockBuilder, path: [Int], count: inout Int, opened: inout Set<String>
    ) throws(SyntaxError) {
        let name = child.name
        guard builder.open(name, at: scanner.location) else {
            if opened.contains(name), !repeatable {
                add(.duplicateKeyword, "\(name) is given twice in \(place.parent)", key.location, keyword: name)
            } else {
                let before = place.previous.map { "before \($0)" } ?? "earlier"
                add(.keywordOrder, "\(name) is out of order: the standard puts it \(before) in \(place.parent)",
                    key.location, keyword: name)
            }
            try scanner.skipValue()
            return
        }
        opened.insert(name)
        try readBlock(child, into: &builder, path: path + [count], bulk: .none)
        builder.close(at: scanner.closeLocation)
        count += 1
    }
}
