/// The three encodings of the model.
public enum Encoding: String, Sendable, CaseIterable {
    /// Keyword = value notation (CCSDS 502.0-B-3 §7).
    case kvn
    /// NDM/XML (CCSDS 505.0-B-3).
    case xml
    /// The project's JSON (README.md, "JSON encoding").
    case json

    /// Guesses the encoding from the first non-blank byte: `<` is XML, `{` is JSON, anything else KVN.
    public static func detect(_ bytes: some Collection<UInt8>) -> Encoding {
        for byte in bytes.prefix(4096) {
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF: continue
            case UInt8(ascii: "<"): return .xml
            case UInt8(ascii: "{"): return .json
            default: return .kvn
            }
        }
        return .kvn
    }
}

/// What reading produced: the message (when the input could be structured at all) and every problem found.
public struct ReadResult: Sendable {
    /// The message; present even when there are errors, as far as it could be read.
    public var message: Message?
    /// Errors and warnings in file order.
    public var diagnostics: [Diagnostic]

    /// Creates a result.
    public init(message: Message?, diagnostics: [Diagnostic]) {
        self.message = message
        self.diagnostics = diagnostics
    }

    /// Whether there is a message and no error.
    public var isValid: Bool { message != nil && !diagnostics.contains { $0.severity == .error } }

    /// The message if valid, else a `ValidationError` with all problems.
    public func get() throws(ValidationError) -> Message {
        guard isValid, let message else { throw ValidationError(diagnostics) }
        return message
    }
}

/// Reads a CCSDS message in any encoding.
public enum MessageReader {
    /// Reads `bytes` as `encoding` (detected when nil), applying the standard's rules with `strictness`.
    public static func read(
        _ bytes: [UInt8], encoding: Encoding? = nil, strictness: Strictness = .strict
    ) -> ReadResult {
        let encoding = encoding ?? Encoding.detect(bytes)
        return bytes.withUnsafeBufferPointer { buffer in
            switch encoding {
            case .kvn:
                var reader = KVNReader(buffer, strictness: strictness)
                return reader.read()
            case .xml:
                var reader = XMLMessageReader(buffer, strictness: strictness)
                return reader.read()
            case .json:
                return JSONMessageReader.read(buffer, strictness: strictness)
            }
        }
    }

    /// Reads a message and throws unless it is valid.
    public static func message(
        from bytes: [UInt8], encoding: Encoding? = nil, strictness: Strictness = .strict
    ) throws(ValidationError) -> Message {
        try read(bytes, encoding: encoding, strictness: strictness).get()
    }
}
