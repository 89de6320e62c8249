/// Reads a KVN message (CCSDS 502.0-B-3 §7, 503.0-B-2 §4, 508.0-B-1 §4) into the model.
struct KVNReader {
    private var lexer: KVNLexer
    private let strictness: Strictness
    private var diagnostics: [Diagnostic] = []
    private var spec: MessageSpec = .opm
    private var version = "3.0"
    private var versionNumber = 3.0
    /// The line read ahead and not yet consumed.
    private var pending: KVNLine?

    init(_ bytes: UnsafeBufferPointer<UInt8>, strictness: Strictness) {
        self.lexer = KVNLexer(bytes)
        self.strictness = strictness
    }

    /// Reads the whole message.
    mutating func read() -> ReadResult {
        guard let first = nextContentLine() else {
            return ReadResult(message: nil, diagnostics: [Diagnostic(.error, .syntax, "the file is empty", at: .init(line: 1, column: 1))])
        }
        guard first.kind == .keyValue, let type = MessageType.allCases.first(where: { lexer.string(first.key) == $0.versionKeyword })
        else {
            let seen = first.kind == .raw ? "" : " (found \(lexer.string(first.key)))"
            return ReadResult(
                message: nil,
                diagnostics: [
                    Diagnostic(
                        .error, .unsupportedMessage,
                        "the first line must be CCSDS_OEM_VERS, CCSDS_OPM_VERS, CCSDS_OMM_VERS, CCSDS_CDM_VERS or "
                            + "CCSDS_TDM_VERS = version\(seen)", at: location(first, first.key.lowerBound))
                ])
        }
        spec = MessageSpec.of(type)
        version = lexer.string(first.value)
        guard spec.versions.contains(version) else {
            return ReadResult(
                message: nil,
                diagnostics: [
                    Diagnostic(
                        .error, .unsupportedMessage,
                        "\(type.rawValue) version \(version) is not supported; expected one of "
                            + spec.versions.joined(separator: ", "), at: location(first, first.value.lowerBound),
                        keyword: type.versionKeyword)
                ])
        }
        versionNumber = Double(version) ?? 0
        var message = Message(type: type, version: version, header: Block(name: "header"), segments: [])
        message.header = readSection(spec.header, stopAtDelimiter: true)
        if let relative = spec.relativeMetadata {
            message.relativeMetadata = readSection(relative, stopAtDelimiter: true)
        }
        headerLocations = locations
        locations = [:]
        switch type {
        case .opm, .omm:
            let metadata = readSection(spec.metadata, stopAtDelimiter: true)
            let data = readSection(spec.data, stopAtDelimiter: true, last: true)
            message.segments = [Segment(metadata: metadata, data: data)]
            segmentLocations.append(locations)
        case .cdm:
            message.segments = readCDMSegments()
        case .oem, .tdm:
            message.segments = readDelimitedSegments()
        }
        while let line = nextContentLine() { reportStray(line) }
        if !spec.segmentCount.contains(message.segments.count) {
            add(.structure, "a \(type.rawValue) has \(segmentCountText) segments, found \(message.segments.count)",
                SourceLocation(line: lexer.lineNumber, column: 1))
        }
        return Consistency.finish(
            message, spec: spec, header: headerLocations, segments: segmentLocations, diagnostics: diagnostics)
    }

    private var segmentCountText: String {
        spec.segmentCount.upperBound == Int.max
            ? "at least \(spec.segmentCount.lowerBound)" : "\(spec.segmentCount.lowerBound)"
    }

    // MARK: - Sections

    /// Reads keyword lines into one section until a keyword that does not belong to it (left unconsumed), a
    /// delimiter (left unconsumed), or the end. With `last`, keywords that fit nowhere are errors read past.
    private mutating func readSection(_ block: BlockSpec, stopAtDelimiter: Bool, last: Bool = false) -> Block {
        var builder = makeBuilder(block)
        var endLocation = SourceLocation(line: lexer.lineNumber + 1, column: 1)
        while let line = peekLine() {
            endLocation = SourceLocation(line: line.number, column: 1)
            switch line.kind {
            case .blank:
                consume()
            case .comment:
                consume()
                builder.comment(lexer.string(line.value), at: location(line, line.key.lowerBound))
            case .keyValue:
                let keyword = keywordText(line)
                if builder.place(keyword, rawValue(line), line: location(line, line.key.lowerBound)) {
                    consume()
                } else if last || !belongsLater(keyword, after: block) {
                    consume()
                    builder.reportMisplaced(keyword, at: location(line, line.key.lowerBound), knownElsewhere: section(of: keyword))
                } else {
                    carriedComments = builder.takePendingComments()
                    return finish(&builder, at: endLocation)
                }
            case .delimiter, .raw:
                if last {
                    consume()
                    reportStray(line)
                } else {
                    return finish(&builder, at: endLocation)
                }
            }
        }
        return finish(&builder, at: SourceLocation(line: lexer.lineNumber, column: 1))
    }

    /// Reads a section that ends with a delimiter (`META_STOP`), consuming the delimiter.
    private mutating func readDelimitedSection(_ block: BlockSpec, until stop: String) -> Block {
        var builder = makeBuilder(block)
        while let line = nextLine() {
            let here = location(line, line.key.lowerBound)
            switch line.kind {
            case .blank: continue
            case .comment: builder.comment(lexer.string(line.value), at: here)
            case .keyValue:
                let keyword = keywordText(line)
                if !builder.place(keyword, rawValue(line), line: here) {
                    builder.reportMisplaced(keyword, at: here, knownElsewhere: section(of: keyword))
                }
            case .delimiter where lexer.string(line.key) == stop:
                return finish(&builder, at: here)
            case .delimiter, .raw:
                if line.kind == .delimiter, isSectionStart(lexer.string(line.key)) {
                    add(.structure, "\(stop) is missing before \(lexer.string(line.key))", here, keyword: stop)
                    pending = line
                    return finish(&builder, at: here)
                }
                if line.kind == .raw {
                    add(.structure, "\(stop) is missing before this data line", location(line, line.value.lowerBound),
                        keyword: stop)
                    pending = line
                    return finish(&builder, at: here)
                }
                reportStray(line)
            }
        }
        let end = SourceLocation(line: lexer.lineNumber, column: 1)
        add(.structure, "\(stop) is missing at the end of the file", end, keyword: stop)
        return finish(&builder, at: end)
    }

    private mutating func finish(_ builder: inout BlockBuilder, at location: SourceLocation) -> Block {
        let block = builder.finish(at: location)
        diagnostics.append(contentsOf: builder.diagnostics)
        locations.merge(builder.locations) { _, new in new }
        return block
    }

    /// Keyword locations of the section being read, for consistency checks.
    private var locations: [String: SourceLocation] = [:]
    /// Keyword locations of the header (and CDM relative metadata).
    private var headerLocations: [String: SourceLocation] = [:]
    /// Keyword locations of each segment read.
    private var segmentLocations: [[String: SourceLocation]] = []

    /// Comments read at the end of a section that belong to the next one.
    private var carriedComments: [(text: String, location: SourceLocation)] = []

    private mutating func makeBuilder(_ block: BlockSpec) -> BlockBuilder {
        var builder = BlockBuilder(
            block, version: versionNumber, messageName: "\(spec.type.rawValue) \(version)", strictness: strictness)
        for comment in carriedComments { builder.comment(comment.text, at: comment.location) }
        carriedComments = []
        return builder
    }

    /// Whether `keyword` belongs to a section after `block` in this message type (so `block` ends here).
    private func belongsLater(_ keyword: String, after block: BlockSpec) -> Bool {
        let order: [BlockSpec] = [spec.header] + (spec.relativeMetadata.map { [$0] } ?? []) + [spec.metadata, spec.data]
        guard let index = order.firstIndex(where: { $0 === block }) else { return false }
        if spec.type == .cdm, keyword == "OBJECT" { return true }
        return order[(index + 1)...].contains { $0.contains(Substring(keyword)) }
    }

    /// The name of the section a keyword belongs to, if any.
    private func section(of keyword: String) -> String? {
        let sections: [BlockSpec] = [spec.header] + (spec.relativeMetadata.map { [$0] } ?? []) + [spec.metadata, spec.data]
        return sections.first { $0.contains(Substring(keyword)) }?.name
    }

    // MARK: - CDM

    /// CDM segments: each starts with `OBJECT = OBJECT1|OBJECT2` (CCSDS 508.0-B-1 §3.5).
    private mutating func readCDMSegments() -> [Segment] {
        var segments: [Segment] = []
        while let line = peekContentLine() {
            guard line.kind == .keyValue, keywordText(line) == "OBJECT" else {
                consume()
                reportStray(line)
                continue
            }
            locations = [:]
            let metadata = readSection(spec.metadata, stopAtDelimiter: false)
            let data = readSection(spec.data, stopAtDelimiter: false, last: false)
            segments.append(Segment(metadata: metadata, data: data))
            segmentLocations.append(locations)
            if let next = peekContentLine(), next.kind == .keyValue, keywordText(next) != "OBJECT" {
                consume()
                let here = location(next, next.key.lowerBound)
                var reporter = makeBuilder(spec.data)
                reporter.reportMisplaced(keywordText(next), at: here, knownElsewhere: section(of: keywordText(next)))
                diagnostics.append(contentsOf: reporter.diagnostics)
            }
        }
        return segments
    }

    // MARK: - OEM and TDM

    /// Segments delimited by `META_START`/`META_STOP` (OEM, TDM).
    private mutating func readDelimitedSegments() -> [Segment] {
        var segments: [Segment] = []
        while let line = nextContentLine() {
            guard line.kind == .delimiter, lexer.string(line.key) == "META_START" else {
                if segments.isEmpty, line.kind == .keyValue {
                    add(.structure, "META_START is required before \(keywordText(line))",
                        location(line, line.key.lowerBound), keyword: "META_START")
                    pending = line
                    _ = readSection(spec.header, stopAtDelimiter: true, last: false)
                    if let next = peekContentLine(), next.kind == .keyValue {
                        consume()
                        reportStray(next)
                    }
                } else {
                    reportStray(line)
                }
                continue
            }
            locations = [:]
            let metadata = readDelimitedSection(spec.metadata, until: "META_STOP")
            let segment: Segment
            if spec.bulk == .ephemeris {
                segment = readOEMData(metadata: metadata)
            } else {
                segment = readTDMData(metadata: metadata)
            }
            segments.append(segment)
            segmentLocations.append(locations)
        }
        return segments
    }

    /// OEM data: comments, ephemeris lines, then optional covariance blocks (CCSDS 502.0-B-3 §5.2.4–5.2.5).
    private mutating func readOEMData(metadata: Block) -> Segment {
        var data = Block(name: "data")
        var ephemeris = Ephemeris()
        // An ephemeris line takes at least ~32 bytes: reserving for the rest of the file avoids the transient
        // double copies of array growth (peak memory); pages never written are never resident.
        ephemeris.reserve((lexer.bytes.count - lexer.offset) / 32, withAcceleration: false)
        let start = metadata["START_TIME"]?.epoch
        let stop = metadata["STOP_TIME"]?.epoch
        var previous: CCSDSEpoch?
        var numbers = [Double](repeating: 0, count: 9)
        while let line = peekLine() {
            switch line.kind {
            case .blank:
                consume()
            case .comment:
                consume()
                if ephemeris.isEmpty {
                    data.comments.append(lexer.string(line.value))
                } else {
                    add(.structure, "COMMENT lines must not appear inside a block of ephemeris lines",
                        location(line, line.key.lowerBound), keyword: "COMMENT", severity: strictness == .lenient ? .warning : .error)
                }
            case .raw:
                consume()
                guard let (epoch, count) = readEphemerisLine(line, into: &numbers) else { continue }
                if !ephemeris.isEmpty, count != ephemeris.stride {
                    add(.structure, "this ephemeris line has \(count) numbers after the epoch; the segment's lines have \(ephemeris.stride)",
                        location(line, line.value.lowerBound))
                    continue
                }
                let here = location(line, line.value.lowerBound)
                if let previous, epoch <= previous {
                    add(.consistency, "ephemeris EPOCH \(epoch) is not after the previous one (\(previous))", here, keyword: "EPOCH")
                }
                if let start, epoch < start {
                    add(.consistency, "ephemeris epoch \(epoch) is before START_TIME \(start)", here, keyword: "START_TIME")
                } else if let stop, stop < epoch {
                    add(.consistency, "ephemeris epoch \(epoch) is after STOP_TIME \(stop)", here, keyword: "STOP_TIME")
                }
                previous = epoch
                ephemeris.append(epoch: epoch, components: numbers[0..<count])
            case .delimiter:
                let word = lexer.string(line.key)
                if word == "COVARIANCE_START" {
                    consume()
                    data.children.append(contentsOf: readOEMCovariances(after: line))
                } else {
                    if ephemeris.isEmpty {
                        add(.missingKeyword, "an OEM segment needs at least one ephemeris line before \(word)",
                            location(line, line.key.lowerBound))
                    }
                    return Segment(metadata: metadata, data: data, ephemeris: ephemeris)
                }
            case .keyValue:
                consume()
                reportStray(line)
            }
        }
        if ephemeris.isEmpty {
            add(.missingKeyword, "an OEM segment needs at least one ephemeris line", SourceLocation(line: lexer.lineNumber, column: 1))
        }
        return Segment(metadata: metadata, data: data, ephemeris: ephemeris)
    }

    /// Reads `EPOCH X Y Z X_DOT Y_DOT Z_DOT [X_DDOT Y_DDOT Z_DDOT]` straight from the line's bytes.
    private mutating func readEphemerisLine(_ line: KVNLine, into numbers: inout [Double]) -> (CCSDSEpoch, Int)? {
        let bytes = lexer.bytes
        var cursor = line.value.lowerBound
        let end = line.value.upperBound
        var tokenStart = cursor
        while cursor < end, bytes[cursor] != 0x20, bytes[cursor] != 0x09 { cursor += 1 }
        let epoch: CCSDSEpoch
        switch NumberScanner.epoch(lexer.slice(tokenStart..<cursor)) {
        case .success(let value): epoch = value
        case .failure:
            add(.invalidValue, "'\(lexer.string(tokenStart..<cursor))' is not a CCSDS epoch; an ephemeris line starts with "
                + "its epoch", location(line, tokenStart), keyword: "EPOCH")
            return nil
        }
        var count = 0
        while cursor < end {
            while cursor < end, bytes[cursor] == 0x20 || bytes[cursor] == 0x09 { cursor += 1 }
            guard cursor < end else { break }
            tokenStart = cursor
            while cursor < end, bytes[cursor] != 0x20, bytes[cursor] != 0x09 { cursor += 1 }
            guard count < 9 else {
                add(.structure, "an ephemeris line has the epoch and 6 or 9 numbers; this one has more",
                    location(line, tokenStart))
                return nil
            }
            guard let number = NumberScanner.double(lexer.slice(tokenStart..<cursor)) else {
                add(.invalidValue, "'\(lexer.string(tokenStart..<cursor))' is not a number", location(line, tokenStart),
                    keyword: Self.stateKeywords[count])
                return nil
            }
            numbers[count] = number
            count += 1
        }
        guard count == 6 || count == 9 else {
            add(.structure, "an ephemeris line has the epoch and 6 or 9 numbers (position, velocity, optional "
                + "acceleration); this one has \(count)", location(line, line.value.lowerBound))
            return nil
        }
        return (epoch, count)
    }

    /// State keywords in ephemeris-line order.
    static let stateKeywords = ["X", "Y", "Z", "X_DOT", "Y_DOT", "Z_DOT", "X_DDOT", "Y_DDOT", "Z_DDOT"]

    /// Covariance blocks between `COVARIANCE_START` and `COVARIANCE_STOP`: each is `EPOCH`, optional
    /// `COV_REF_FRAME`, then the lower triangle on six lines (CCSDS 502.0-B-3 §5.2.5).
    private mutating func readOEMCovariances(after start: KVNLine) -> [Block] {
        guard case .block(let matrixSpec, _, _) = spec.data.members[0] else { return [] }
        var matrices: [Block] = []
        var builder: BlockBuilder?
        var row = 0
        var lastLocation = location(start, start.key.lowerBound)
        func close(_ builder: inout BlockBuilder?, at here: SourceLocation, into matrices: inout [Block], _ reader: inout KVNReader) {
            guard var open = builder else { return }
            matrices.append(reader.finish(&open, at: here))
            builder = nil
        }
        while let line = nextLine() {
            let here = location(line, line.kind == .raw ? line.value.lowerBound : line.key.lowerBound)
            lastLocation = here
            switch line.kind {
            case .blank: continue
            case .comment:
                if builder != nil, row == 6 {
                    // A complete matrix ends here: the comment opens the next one (XSD covarianceMatrix: COMMENT*).
                    close(&builder, at: here, into: &matrices, &self)
                }
                if builder == nil || (builder!.isEmpty) {
                    if builder == nil { builder = makeBuilder(matrixSpec); row = 0 }
                    builder!.comment(lexer.string(line.value), at: here)
                } else {
                    add(.structure, "COMMENT lines must not appear inside a covariance matrix", here, keyword: "COMMENT",
                        severity: strictness == .lenient ? .warning : .error)
                }
            case .keyValue:
                let keyword = keywordText(line)
                if keyword == "EPOCH", let open = builder, !open.isEmpty {
                    if row < 6 {
                        add(.structure, "the covariance matrix before this EPOCH has \(row) of its 6 rows", here, keyword: "EPOCH")
                    }
                    close(&builder, at: here, into: &matrices, &self)
                }
                if builder == nil { builder = makeBuilder(matrixSpec); row = 0 }
                if !builder!.place(keyword, rawValue(line), line: here) {
                    builder!.reportMisplaced(keyword, at: here, knownElsewhere: section(of: keyword))
                }
            case .raw:
                if builder == nil { builder = makeBuilder(matrixSpec); row = 0 }
                guard row < 6 else {
                    add(.structure, "a covariance matrix has 6 rows; this is a 7th (is an EPOCH line missing?)", here)
                    continue
                }
                readCovarianceRow(line, row: row, into: &builder!)
                row += 1
            case .delimiter:
                if lexer.string(line.key) == "COVARIANCE_STOP" {
                    if builder != nil, row < 6 {
                        add(.structure, "the covariance matrix has \(row) of its 6 rows", here)
                    }
                    close(&builder, at: here, into: &matrices, &self)
                    return matrices
                }
                add(.structure, "COVARIANCE_STOP is missing before \(lexer.string(line.key))", here, keyword: "COVARIANCE_STOP")
                pending = line
                close(&builder, at: here, into: &matrices, &self)
                return matrices
            }
        }
        add(.structure, "COVARIANCE_STOP is missing at the end of the file", lastLocation, keyword: "COVARIANCE_STOP")
        close(&builder, at: lastLocation, into: &matrices, &self)
        return matrices
    }

    /// One row of the lower triangle: row `r` holds `r + 1` numbers.
    private mutating func readCovarianceRow(_ line: KVNLine, row: Int, into builder: inout BlockBuilder) {
        let bytes = lexer.bytes
        var cursor = line.value.lowerBound
        let end = line.value.upperBound
        var tokens: [Range<Int>] = []
        while cursor < end {
            while cursor < end, bytes[cursor] == 0x20 || bytes[cursor] == 0x09 { cursor += 1 }
            guard cursor < end else { break }
            let tokenStart = cursor
            while cursor < end, bytes[cursor] != 0x20, bytes[cursor] != 0x09 { cursor += 1 }
            tokens.append(tokenStart..<cursor)
        }
        guard tokens.count == row + 1 else {
            add(.structure, "row \(row + 1) of the covariance lower triangle has \(row + 1) numbers; this line has \(tokens.count)",
                location(line, line.value.lowerBound))
            return
        }
        let axes = ["X", "Y", "Z", "X_DOT", "Y_DOT", "Z_DOT"]
        for (column, token) in tokens.enumerated() {
            let keyword = "C\(axes[row])_\(axes[column])"
            let raw = ValueReader.RawValue(bytes: lexer.slice(token), unit: nil, location: location(line, token.lowerBound))
            if !builder.place(keyword, raw, line: location(line, token.lowerBound)) {
                builder.reportMisplaced(keyword, at: location(line, token.lowerBound), knownElsewhere: nil)
            }
        }
    }

    /// TDM data: `DATA_START`, comments, `KEYWORD = epoch value` lines, `DATA_STOP` (CCSDS 503.0-B-2 §4.3).
    private mutating func readTDMData(metadata: Block) -> Segment {
        var data = Block(name: "data")
        var observations: [Observation] = []
        guard let startLine = nextContentLine() else {
            add(.structure, "DATA_START is missing at the end of the file", SourceLocation(line: lexer.lineNumber, column: 1), keyword: "DATA_START")
            return Segment(metadata: metadata, data: data)
        }
        if !(startLine.kind == .delimiter && lexer.string(startLine.key) == "DATA_START") {
            add(.structure, "DATA_START is required after META_STOP", location(startLine, startLine.key.lowerBound), keyword: "DATA_START")
            pending = startLine
        }
        let start = metadata["START_TIME"]?.epoch
        let stop = metadata["STOP_TIME"]?.epoch
        while let line = nextLine() {
            let here = location(line, line.key.lowerBound)
            switch line.kind {
            case .blank: continue
            case .comment:
                if observations.isEmpty {
                    data.comments.append(lexer.string(line.value))
                } else {
                    add(.structure, "COMMENT lines are allowed only at the start of the data section", here,
                        keyword: "COMMENT", severity: strictness == .lenient ? .warning : .error)
                }
            case .keyValue:
                guard let observation = readObservation(line) else { continue }
                // START_TIME/STOP_TIME are UTC while time tags are in TIME_SYSTEM (CCSDS 503.0-B-2 §4.3.10), and
                // transmit tags may precede the span (Annex E, example E-10): outside the span is only a warning.
                if let start, observation.epoch < start {
                    add(.consistency, "time tag \(observation.epoch) is before START_TIME \(start)", location(line, line.value.lowerBound), keyword: observation.keyword, severity: .warning)
                } else if let stop, stop < observation.epoch {
                    add(.consistency, "time tag \(observation.epoch) is after STOP_TIME \(stop)", location(line, line.value.lowerBound), keyword: observation.keyword, severity: .warning)
                }
                observations.append(observation)
            case .delimiter where lexer.string(line.key) == "DATA_STOP":
                if observations.isEmpty {
                    add(.missingKeyword, "a TDM data section needs at least one observation", here)
                }
                return Segment(metadata: metadata, data: data, observations: observations)
            case .delimiter, .raw:
                if line.kind == .delimiter, lexer.string(line.key) == "META_START" {
                    add(.structure, "DATA_STOP is missing before META_START", here, keyword: "DATA_STOP")
                    pending = line
                    return Segment(metadata: metadata, data: data, observations: observations)
                }
                reportStray(line)
            }
        }
        add(.structure, "DATA_STOP is missing at the end of the file", SourceLocation(line: lexer.lineNumber, column: 1), keyword: "DATA_STOP")
        return Segment(metadata: metadata, data: data, observations: observations)
    }

    /// `KEYWORD = epoch value` (CCSDS 503.0-B-2 §4.3.4).
    private mutating func readObservation(_ line: KVNLine) -> Observation? {
        let keyword = keywordText(line)
        let here = location(line, line.key.lowerBound)
        guard let definition = MessageSpec.tdmDataKeyword(Substring(keyword)) else {
            add(.unknownKeyword, "\(keyword) is not a TDM data keyword", here, keyword: keyword)
            return nil
        }
        let bytes = lexer.bytes
        var cursor = line.value.lowerBound
        let end = line.value.upperBound
        let epochStart = cursor
        while cursor < end, bytes[cursor] != 0x20, bytes[cursor] != 0x09 { cursor += 1 }
        let epochRange = epochStart..<cursor
        while cursor < end, bytes[cursor] == 0x20 || bytes[cursor] == 0x09 { cursor += 1 }
        let valueRange = cursor..<end
        guard case .success(let epoch) = NumberScanner.epoch(lexer.slice(epochRange)) else {
            add(.invalidValue, "\(keyword) time tag '\(lexer.string(epochRange))' is not a CCSDS epoch; a TDM data line is KEYWORD = epoch value",
                location(line, epochRange.lowerBound), keyword: keyword)
            return nil
        }
        guard !valueRange.isEmpty else {
            add(.invalidValue, "\(keyword) has a time tag but no measurement value", location(line, epochRange.upperBound), keyword: keyword)
            return nil
        }
        let slice = lexer.slice(valueRange)
        guard let number = NumberScanner.double(slice) else {
            add(.invalidValue, "\(keyword) measurement '\(lexer.string(valueRange))' is not a number",
                location(line, valueRange.lowerBound), keyword: keyword)
            return nil
        }
        let value: Value = definition.isText ? .text(lexer.string(valueRange)) : .real(number)
        return Observation(keyword: keyword, epoch: epoch, value: value)
    }

    // MARK: - Lines

    private mutating func nextLine() -> KVNLine? {
        if let line = pending {
            pending = nil
            return line
        }
        return lexer.next()
    }

    private mutating func peekLine() -> KVNLine? {
        if pending == nil { pending = lexer.next() }
        return pending
    }

    private mutating func consume() { pending = nil }

    private mutating func nextContentLine() -> KVNLine? {
        while let line = nextLine() {
            if line.kind != .blank { return line }
        }
        return nil
    }

    private mutating func peekContentLine() -> KVNLine? {
        while let line = peekLine() {
            if line.kind != .blank { return line }
            consume()
        }
        return nil
    }

    private func location(_ line: KVNLine, _ offset: Int) -> SourceLocation {
        SourceLocation(line: line.number, column: line.column(of: offset))
    }

    /// The keyword of a line, upper-cased in lenient mode when written otherwise.
    private mutating func keywordText(_ line: KVNLine) -> String {
        let text = lexer.string(line.key)
        if line.keyIsMalformed {
            let upper = text.uppercased()
            if strictness == .lenient, upper.utf8.allSatisfy({ ($0 &- 65 < 26) || ($0 &- 48 < 10) || $0 == 95 }) {
                add(.syntax, "keyword '\(text)' should be written \(upper)", location(line, line.key.lowerBound), keyword: upper, severity: .warning)
                return upper
            }
        }
        return text
    }

    private func rawValue(_ line: KVNLine) -> ValueReader.RawValue {
        ValueReader.RawValue(
            bytes: lexer.slice(line.value), unit: line.unit.map { lexer.slice($0) },
            location: location(line, line.value.lowerBound),
            unitLocation: line.unit.map { location(line, $0.lowerBound) })
    }

    private func isSectionStart(_ word: String) -> Bool {
        word == "META_START" || word == "DATA_START" || word == "COVARIANCE_START"
    }

    private mutating func reportStray(_ line: KVNLine) {
        let here = location(line, line.kind == .raw ? line.value.lowerBound : line.key.lowerBound)
        switch line.kind {
        case .blank: return
        case .comment:
            add(.structure, "COMMENT is not allowed here", here, keyword: "COMMENT", severity: strictness == .lenient ? .warning : .error)
        case .delimiter:
            add(.structure, "\(lexer.string(line.key)) is not expected here", here, keyword: lexer.string(line.key))
        case .keyValue:
            let keyword = lexer.string(line.key)
            if let section = section(of: keyword) {
                add(.keywordOrder, "\(keyword) belongs to the \(section) section, not here", here, keyword: keyword)
            } else {
                add(.unknownKeyword, "\(keyword) is not a keyword of the \(spec.type.rawValue) \(version)", here, keyword: keyword)
            }
        case .raw:
            add(.syntax, "'\(lexer.string(line.value))' is neither KEYWORD = value nor a data line allowed here", here)
        }
    }

    private mutating func add(
        _ code: Diagnostic.Code, _ message: String, _ location: SourceLocation, keyword: String? = nil,
        severity: Diagnostic.Severity = .error
    ) {
        diagnostics.append(Diagnostic(severity, code, message, at: location, keyword: keyword))
    }
}
