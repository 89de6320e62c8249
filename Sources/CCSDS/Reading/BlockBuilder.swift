/// Builds one section (header, metadata, data …) of a message from keywords, following its `BlockSpec`.
///
/// KVN writes nested blocks inline, so `place(_:)` finds where a keyword belongs from the current position forward,
/// closing and opening nested blocks as needed (the keyword order of the standard decides). XML names its blocks,
/// so the XML reader opens and closes them itself with `open(_:at:)` and `close(at:)` and places keywords directly.
/// Both report the same problems: missing required keywords, order, duplicates, values, units.
struct BlockBuilder {
    /// An open block.
    private struct Frame {
        var spec: BlockSpec
        var block: Block
        /// Index of the next member the standard's order allows.
        var cursor = 0
        /// Whether the block may repeat in its parent (a new instance starts with its first keyword).
        var repeatable = false
    }

    /// The message version being read, as a number (3.0, 2.0 …).
    let version: Double
    /// The message type and version, for messages.
    let messageName: String
    /// Value reading rules.
    let values: ValueReader
    /// Problems found so far.
    var diagnostics: [Diagnostic] = []
    /// Where each keyword was last placed, for consistency checks that name a line.
    var locations: [String: SourceLocation] = [:]
    private var stack: [Frame]
    private(set) var pendingComments: [(text: String, location: SourceLocation)] = []

    /// Starts building a section described by `spec`.
    init(_ spec: BlockSpec, version: Double, messageName: String, strictness: Strictness) {
        self.version = version
        self.messageName = messageName
        self.values = ValueReader(strictness: strictness)
        self.stack = [Frame(spec: spec, block: Block(name: spec.name))]
    }

    /// Whether nothing has been placed in the section yet (comments aside).
    var isEmpty: Bool { stack.count == 1 && stack[0].block.fields.isEmpty && stack[0].block.children.isEmpty }

    /// Hands over the comments read since the last keyword (they belong to whatever section comes next).
    mutating func takePendingComments() -> [(text: String, location: SourceLocation)] {
        defer { pendingComments.removeAll() }
        return pendingComments
    }

    /// Records a `COMMENT` line; it belongs to the block that the next keyword opens or continues.
    mutating func comment(_ text: String, at location: SourceLocation) {
        pendingComments.append((text, location))
    }

    /// Whether `keyword` can be placed in this section at or after the current position.
    func accepts(_ keyword: Substring) -> Bool {
        for depth in stack.indices.reversed() where Self.findForward(keyword, in: stack[depth]) != nil {
            return true
        }
        return false
    }

    /// KVN: places a keyword where it belongs from the current position forward. Returns false, changing nothing,
    /// when it does not belong to this section at or after the current position.
    mutating func place(_ keyword: String, _ raw: ValueReader.RawValue, line: SourceLocation) -> Bool {
        let key = Substring(keyword)
        for depth in stack.indices.reversed() {
            guard let path = Self.findForward(key, in: stack[depth]) else { continue }
            while stack.count > depth + 1 { closeTop(at: line) }
            descend(path, keyword: keyword, raw: raw, line: line)
            return true
        }
        return false
    }

    /// Reports a keyword that `place` could not put anywhere: a duplicate, out of order, or unknown here.
    mutating func reportMisplaced(_ keyword: String, at location: SourceLocation, knownElsewhere: String?) {
        for frame in stack.reversed() {
            if frame.block.fields.contains(where: { $0.keyword == keyword }) {
                error(.duplicateKeyword, "\(keyword) is given twice in \(frame.spec.name)", location, keyword)
                return
            }
            if frame.spec.keyword(keyword) != nil {
                let previous = frame.block.fields.last?.keyword ?? frame.spec.name
                error(
                    .keywordOrder,
                    "\(keyword) is out of order: the standard puts it before \(previous) in \(frame.spec.name)",
                    location, keyword)
                return
            }
        }
        if stack[0].spec.contains(Substring(keyword)) {
            error(.keywordOrder, "\(keyword) is out of order in \(stack[0].spec.name)", location, keyword)
        } else if let section = knownElsewhere {
            error(.keywordOrder, "\(keyword) belongs to the \(section) section, not here", location, keyword)
        } else {
            error(.unknownKeyword, "\(keyword) is not a keyword of the \(messageName) \(stack[0].spec.name)",
                location, keyword)
        }
    }

    /// XML: opens the nested block `name` inside the current block; false when it is not allowed there.
    mutating func open(_ name: String, at location: SourceLocation) -> Bool {
        let top = stack[stack.count - 1]
        attachPendingComments(to: stack.count - 1, opened: top.block.fields.isEmpty && top.block.children.isEmpty)
        var frame = stack[stack.count - 1]
        for index in frame.cursor..<frame.spec.members.count {
            guard case .block(let child, let min, let max) = frame.spec.members[index], child.name == name else {
                continue
            }
            reportSkipped(in: frame, from: frame.cursor, to: index, at: location, before: name)
            let repeatable = max == nil || max! > 1
            frame.cursor = repeatable ? index : index + 1
            _ = min
            stack[stack.count - 1] = frame
            stack.append(Frame(spec: child, block: Block(name: child.name), repeatable: repeatable))
            return true
        }
        return false
    }

    /// XML: closes the current nested block.
    mutating func close(at location: SourceLocation) {
        if stack.count > 1 { closeTop(at: location) }
    }

    /// XML: places a keyword in the current block (no implicit nesting); false when it is not allowed there.
    mutating func placeDirect(_ keyword: String, _ raw: ValueReader.RawValue, line: SourceLocation) -> Bool {
        guard let path = Self.findForward(Substring(keyword), in: stack[stack.count - 1], descending: false) else {
            return false
        }
        descend(path, keyword: keyword, raw: raw, line: line)
        return true
    }

    /// Closes every open block and returns the section; reports required keywords still missing at `location`.
    mutating func finish(at location: SourceLocation) -> Block {
        if !pendingComments.isEmpty {
            let top = stack[stack.count - 1]
            attachPendingComments(to: stack.count - 1, opened: top.block.fields.isEmpty && top.block.children.isEmpty)
        }
        while stack.count > 1 { closeTop(at: location) }
        reportMissing(in: stack[0], from: stack[0].cursor, at: location)
        return stack[0].block
    }

    // MARK: - Placement

    /// Where a keyword goes: member indices from the frame down to the keyword (the last index is the keyword's,
    /// or `members.count` for a user-defined parameter).
    private static func findForward(_ keyword: Substring, in frame: Frame, descending: Bool = true) -> [Int]? {
        // A repeatable block that already has an instance starts a new one only with a keyword that may open it
        // (up to its first required keyword); anything later is a duplicate or out of order in the current one.
        var repeatAt: Int? = nil
        if frame.cursor < frame.spec.members.count, case .block(let child, _, _) = frame.spec.members[frame.cursor],
            frame.block.children.contains(where: { $0.name == child.name })
        {
            repeatAt = frame.cursor
        }
        return find(keyword, in: frame.spec, from: frame.cursor, descending: descending, repeatAt: repeatAt)
    }

    private static func find(
        _ keyword: Substring, in spec: BlockSpec, from start: Int, descending: Bool, repeatAt: Int? = nil
    ) -> [Int]? {
        for index in start..<spec.members.count {
            switch spec.members[index] {
            case .keyword(let keywordSpec):
                if keywordSpec.name == keyword { return [index] }
            case .block(let child, _, _):
                if descending, child.contains(keyword),
                    let inner = find(keyword, in: child, from: 0, descending: true)
                {
                    if index == repeatAt, inner[0] > firstRequiredIndex(of: child) { continue }
                    return [index] + inner
                }
            }
        }
        if let prefix = spec.userDefinedPrefix, keyword.hasPrefix(prefix), keyword.count > prefix.count {
            return [spec.members.count]
        }
        return nil
    }

    /// Opens the nested blocks along `path` and stores the keyword in the innermost one.
    private mutating func descend(_ path: [Int], keyword: String, raw: ValueReader.RawValue, line: SourceLocation) {
        var openedAny = false
        let startDepth = stack.count - 1
        let wasEmpty = stack[startDepth].block.fields.isEmpty && stack[startDepth].block.children.isEmpty
        for (step, index) in path.enumerated() {
            var frame = stack[stack.count - 1]
            let isLast = step == path.count - 1
            if index == frame.spec.members.count {
                // A user-defined parameter (USER_DEFINED_x): any name with the prefix, once each.
                if frame.block.fields.contains(where: { $0.keyword == keyword }) {
                    error(.duplicateKeyword, "\(keyword) is given twice", line, keyword)
                } else {
                    let spec = KeywordSpec(keyword, .text)
                    if let value = readValue(raw, spec) { frame.block.fields.append(Field(keyword, value)) }
                }
                stack[stack.count - 1] = frame
                break
            }
            reportSkipped(in: frame, from: frame.cursor, to: index, at: line, before: keyword)
            switch frame.spec.members[index] {
            case .keyword(let spec):
                precondition(isLast)
                frame.cursor = index + 1
                if !spec.exists(in: version) {
                    let message = "\(keyword) is not part of \(messageName)"
                    diagnostics.append(
                        Diagnostic(
                            values.strictness == .lenient ? .warning : .error, .unknownKeyword, message, at: line,
                            keyword: keyword))
                }
                if let value = readValue(raw, spec) { frame.block.fields.append(Field(keyword, value)) }
                locations[keyword] = line
                stack[stack.count - 1] = frame
            case .block(let child, _, let max):
                let repeatable = max == nil || max! > 1
                frame.cursor = repeatable ? index : index + 1
                stack[stack.count - 1] = frame
                stack.append(Frame(spec: child, block: Block(name: child.name), repeatable: repeatable))
                openedAny = true
            }
        }
        if !pendingComments.isEmpty {
            // Comments belong to the innermost block just opened that may hold them, else to the current block.
            var target = openedAny ? stack.count - 1 : startDepth
            if openedAny {
                while target > startDepth, !stack[target].spec.allowsComments { target -= 1 }
            }
            attachPendingComments(to: target, opened: target > startDepth || wasEmpty)
        }
    }

    private mutating func readValue(_ raw: ValueReader.RawValue, _ spec: KeywordSpec) -> Value? {
        values.read(raw, as: spec, into: &diagnostics)
    }

    /// Gives the pending comments to the block at `depth`; comments in the middle of a block break the standard
    /// (CCSDS 502.0-B-3 §7.8.7–7.8.9: only at the start of a section or logical block).
    private mutating func attachPendingComments(to depth: Int, opened: Bool) {
        guard !pendingComments.isEmpty else { return }
        let frame = stack[depth]
        let atStart = opened
        if !atStart || !frame.spec.allowsComments {
            let location = pendingComments[0].location
            diagnostics.append(
                Diagnostic(
                    values.strictness == .lenient ? .warning : .error, .structure,
                    "COMMENT lines are allowed only at the start of a section or logical block, not inside "
                        + "\(frame.spec.name)", at: location, keyword: "COMMENT"))
        }
        stack[depth].block.comments.append(contentsOf: pendingComments.map(\.text))
        pendingComments.removeAll()
    }

    private mutating func closeTop(at location: SourceLocation) {
        let frame = stack.removeLast()
        reportMissing(in: frame, from: frame.cursor, at: location)
        stack[stack.count - 1].block.children.append(frame.block)
    }

    /// Reports required members in `[from, to)` that were skipped.
    private mutating func reportSkipped(
        in frame: Frame, from start: Int, to end: Int, at location: SourceLocation, before keyword: String
    ) {
        guard start < end else { return }
        for index in start..<end {
            switch frame.spec.members[index] {
            case .keyword(let spec):
                if spec.required, spec.exists(in: version), !frame.block.fields.contains(where: { $0.keyword == spec.name }) {
                    error(.missingKeyword, "\(spec.name) is required before \(keyword)", location, spec.name)
                }
            case .block(let child, let min, _):
                if min > 0, !frame.block.children.contains(where: { $0.name == child.name }) {
                    error(.missingKeyword, "the \(child.name) block is required before \(keyword)", location,
                        Self.firstKeyword(of: child))
                }
            }
        }
    }

    /// Reports required members from `start` to the end of the block.
    private mutating func reportMissing(in frame: Frame, from start: Int, at location: SourceLocation) {
        for index in start..<frame.spec.members.count {
            switch frame.spec.members[index] {
            case .keyword(let spec):
                if spec.required, spec.exists(in: version), !frame.block.fields.contains(where: { $0.keyword == spec.name }) {
                    error(.missingKeyword, "\(spec.name) is required in \(frame.spec.name)", location, spec.name)
                }
            case .block(let child, let min, _):
                if min > 0, !frame.block.children.contains(where: { $0.name == child.name }) {
                    error(.missingKeyword, "the \(child.name) block is required in \(frame.spec.name)", location,
                        Self.firstKeyword(of: child))
                }
            }
        }
    }

    /// Index of the first required member of a block (its last member when none is required).
    private static func firstRequiredIndex(of spec: BlockSpec) -> Int {
        for (index, member) in spec.members.enumerated() {
            switch member {
            case .keyword(let keyword): if keyword.required { return index }
            case .block(_, let min, _): if min > 0 { return index }
            }
        }
        return max(spec.members.count - 1, 0)
    }

    private static func firstKeyword(of spec: BlockSpec) -> String? {
        for member in spec.members {
            switch member {
            case .keyword(let keyword): return keyword.name
            case .block(let child, _, _): if let name = firstKeyword(of: child) { return name }
            }
        }
        return nil
    }

    private mutating func error(_ code: Diagnostic.Code, _ message: String, _ location: SourceLocation, _ keyword: String?) {
        diagnostics.append(Diagnostic(.error, code, message, at: location, keyword: keyword))
    }
}
