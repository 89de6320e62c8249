/// Writes a message in KVN (CCSDS 502.0-B-3 §7, 503.0-B-2 §4, 508.0-B-1 §4).
///
/// Layout: the version line, then each section's `COMMENT` lines and `KEYWORD = value [unit]` lines, keywords padded
/// to a common width per section, nested blocks inline. Units are the first of `KeywordSpec.units`, shown for every
/// keyword that has one, except in the TDM, which does not display units (CCSDS 503.0-B-2 §4.4). OEM segments are
/// `META_START`…`META_STOP`, data comments, ephemeris lines, then `COVARIANCE_START`…`COVARIANCE_STOP` with each
/// matrix as `EPOCH`, `COV_REF_FRAME` and the six rows of the lower triangle; TDM segments are
/// `META_START`…`META_STOP`, `DATA_START`, comments, `KEYWORD = epoch value` lines, `DATA_STOP`.
enum KVNWriter {
    /// Writes `message` as `plan` says (the plan has checked the message against the target version).
    static func write(_ message: Message, plan: WritePlan) throws(ValidationError) -> [UInt8] {
        var writer = KVNEmitter(spec: plan.spec, capacity: estimatedSize(of: message))
        try writer.write(message, version: plan.version)
        return writer.sink.bytes
    }

    /// A generous guess of the output size, so that the buffer rarely grows.
    static func estimatedSize(of message: Message) -> Int {
        var size = 4_096
        for segment in message.segments {
            size += segment.ephemeris.count * (32 + segment.ephemeris.stride * 22)
            size += segment.observations.count * 72
            size += segment.data.children.count * 1_024
        }
        return size
    }
}

/// The KVN writer's state: the output and the keyword width of the current section.
private struct KVNEmitter {
    let spec: MessageSpec
    /// Whether units are written (not in the TDM).
    let showsUnits: Bool
    var sink: ByteSink
    /// Keywords are padded to this width in the current section.
    var width = 0

    init(spec: MessageSpec, capacity: Int) {
        self.spec = spec
        self.showsUnits = spec.type != .tdm
        self.sink = ByteSink(capacity: capacity)
    }

    mutating func write(_ message: Message, version: String) throws(ValidationError) {
        let versionKeyword = spec.type.versionKeyword
        width = max(versionKeyword.utf8.count, BlockSpec.keywordWidth(of: message.header))
        keywordLine(versionKeyword, .text(version), unit: nil)
        block(message.header, spec.header)
        if let relative = message.relativeMetadata, let relativeSpec = spec.relativeMetadata {
            blankLine()
            width = BlockSpec.keywordWidth(of: relative)
            block(relative, relativeSpec)
        }
        for segment in message.segments {
            blankLine()
            switch spec.bulk {
            case .none:
                if spec.type == .cdm {
                    width = max(BlockSpec.keywordWidth(of: segment.metadata), BlockSpec.keywordWidth(of: segment.data))
                    block(segment.metadata, spec.metadata)
                    block(segment.data, spec.data)
                } else {
                    width = BlockSpec.keywordWidth(of: segment.metadata)
                    block(segment.metadata, spec.metadata)
                    blankLine()
                    width = BlockSpec.keywordWidth(of: segment.data)
                    block(segment.data, spec.data)
                }
            case .ephemeris:
                metadata(segment.metadata)
                try oemData(segment)
            case .observations:
                metadata(segment.metadata)
                tdmData(segment)
            }
        }
    }

    // MARK: - Sections

    /// `META_START`, the metadata, `META_STOP`.
    private mutating func metadata(_ metadata: Block) {
        sink.ascii("META_START\n")
        width = BlockSpec.keywordWidth(of: metadata)
        block(metadata, spec.metadata)
        sink.ascii("META_STOP\n")
    }

    /// A block and its nested blocks, inline: comments, then the members in the specification's order, then
    /// user-defined parameters in model order.
    private mutating func block(_ block: Block, _ blockSpec: BlockSpec) {
        comments(block.comments)
        for member in blockSpec.members {
            switch member {
            case .keyword(let keywordSpec):
                guard let value = block[keywordSpec.name] else { continue }
                keywordLine(keywordSpec.name, value, unit: showsUnits ? keywordSpec.units.first : nil)
            case .block(let childSpec, _, _):
                for child in block.children where child.name == childSpec.name {
                    self.block(child, childSpec)
                }
            }
        }
        if let prefix = blockSpec.userDefinedPrefix {
            for field in block.fields where field.keyword.hasPrefix(prefix) && blockSpec.keyword(field.keyword) == nil {
                keywordLine(field.keyword, field.value, unit: nil)
            }
        }
    }

    /// OEM data: comments, ephemeris lines, covariance matrices.
    private mutating func oemData(_ segment: Segment) throws(ValidationError) {
        comments(segment.data.comments)
        ephemeris(segment.ephemeris)
        let matrices = segment.data.children
        guard !matrices.isEmpty, case .block(let matrixSpec, _, _) = spec.data.members[0] else { return }
        sink.ascii("COVARIANCE_START\n")
        width = "COV_REF_FRAME".utf8.count
        for matrix in matrices {
            try covariance(matrix, matrixSpec)
        }
        sink.ascii("COVARIANCE_STOP\n")
    }

    /// The ephemeris lines: `epoch x y z ẋ ẏ ż [ẍ ÿ z̈]`, one per state (the hot path: no `String` per line).
    private mutating func ephemeris(_ ephemeris: Ephemeris) {
        let stride = ephemeris.stride
        ephemeris.components.withUnsafeBufferPointer { components in
            var base = 0
            for epoch in ephemeris.epochs {
                sink.epoch(epoch)
                for index in base..<(base + stride) {
                    sink.byte(0x20)
                    sink.real(components[index])
                }
                sink.byte(0x0A)
                base += stride
            }
        }
    }

    /// One OEM covariance matrix: comments, `EPOCH`, `COV_REF_FRAME`, then the lower triangle on six lines
    /// (CCSDS 502.0-B-3 §5.2.5).
    private mutating func covariance(_ matrix: Block, _ matrixSpec: BlockSpec) throws(ValidationError) {
        comments(matrix.comments)
        if let epoch = matrix["EPOCH"] { keywordLine("EPOCH", epoch, unit: nil) }
        if let frame = matrix["COV_REF_FRAME"] { keywordLine("COV_REF_FRAME", frame, unit: nil) }
        var missing: [Diagnostic] = []
        var index = 0
        for row in 0..<6 {
            for column in 0...row {
                let keyword = KVNEmitter.covarianceKeywords[index]
                index += 1
                if column > 0 { sink.byte(0x20) }
                guard let value = matrix[keyword] else {
                    missing.append(
                        Diagnostic(
                            .error, .missingKeyword,
                            "\(keyword) is missing from an OEM covariance matrix; the KVN lower triangle needs all 21 "
                                + "elements", keyword: keyword))
                    continue
                }
                self.value(value)
            }
            sink.byte(0x0A)
        }
        if !missing.isEmpty { throw ValidationError(missing) }
    }

    /// The 21 lower-triangle keywords, row by row.
    static let covarianceKeywords: [String] = {
        let axes = ["X", "Y", "Z", "X_DOT", "Y_DOT", "Z_DOT"]
        var keywords: [String] = []
        for row in 0..<6 {
            for column in 0...row { keywords.append("C\(axes[row])_\(axes[column])") }
        }
        return keywords
    }()

    /// TDM data: `DATA_START`, comments, `KEYWORD = epoch value` lines, `DATA_STOP` (CCSDS 503.0-B-2 §4.3).
    private mutating func tdmData(_ segment: Segment) {
        sink.ascii("DATA_START\n")
        comments(segment.data.comments)
        var keywordWidth = 0
        for observation in segment.observations {
            keywordWidth = max(keywordWidth, observation.keyword.utf8.count)
        }
        for observation in segment.observations {
            sink.text(observation.keyword)
            sink.spaces(keywordWidth - observation.keyword.utf8.count)
            sink.ascii(" = ")
            sink.epoch(observation.epoch)
            sink.byte(0x20)
            value(observation.value)
            sink.byte(0x0A)
        }
        sink.ascii("DATA_STOP\n")
    }

    // MARK: - Lines

    private mutating func blankLine() {
        sink.byte(0x0A)
    }

    /// `COMMENT text` lines (line breaks inside a comment become blanks: a KVN comment is one line).
    private mutating func comments(_ comments: [String]) {
        for comment in comments {
            sink.ascii("COMMENT")
            if !comment.isEmpty {
                sink.byte(0x20)
                singleLine(comment)
            }
            sink.byte(0x0A)
        }
    }

    /// `KEYWORD = value [unit]`, the keyword padded to the section's width.
    private mutating func keywordLine(_ keyword: String, _ value: Value, unit: String?) {
        sink.text(keyword)
        sink.spaces(width - keyword.utf8.count)
        sink.ascii(" = ")
        self.value(value)
        if let unit {
            sink.ascii(" [")
            sink.text(unit)
            sink.byte(UInt8(ascii: "]"))
        }
        sink.byte(0x0A)
    }

    private mutating func value(_ value: Value) {
        switch value {
        case .text(let text): singleLine(text)
        case .real(let number): sink.real(number)
        case .integer(let number): sink.integer(number)
        case .epoch(let epoch): sink.epoch(epoch)
        case .vector(let numbers): sink.vector(numbers)
        }
    }

    /// Text on one line: control characters (line breaks, tabs) become blanks.
    private mutating func singleLine(_ text: String) {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x7F }) {
            sink.text(text)
        } else {
            for byte in text.utf8 { sink.byte(byte < 0x20 || byte == 0x7F ? 0x20 : byte) }
        }
    }
}
