/// Reads one keyword's value (and unit) by its specification, shared by the KVN and XML readers.
struct ValueReader {
    /// Strict or lenient.
    let strictness: Strictness

    /// The raw text of a value as the lexer found it.
    struct RawValue {
        /// The value's bytes, trimmed.
        var bytes: UnsafeBufferPointer<UInt8>
        /// The unit's bytes, when written.
        var unit: UnsafeBufferPointer<UInt8>?
        /// Where the value starts.
        var location: SourceLocation
        /// Where the unit starts, when written.
        var unitLocation: SourceLocation?
    }

    /// Reads `raw` as `spec` says; problems go to `diagnostics`. Returns nil when no value can be stored.
    func read(_ raw: RawValue, as spec: KeywordSpec, into diagnostics: inout [Diagnostic]) -> Value? {
        let name = spec.name
        checkUnit(raw, spec, &diagnostics)
        if raw.bytes.isEmpty || isNilWord(raw.bytes) {
            let message = "\(name) has no value; expected \(expectation(of: spec))"
            if strictness == .lenient {
                diagnostics.append(Diagnostic(.warning, .invalidValue, message, at: raw.location, keyword: name))
            } else {
                diagnostics.append(Diagnostic(.error, .invalidValue, message, at: raw.location, keyword: name))
            }
            return nil
        }
        switch spec.kind {
        case .text:
            return .text(String(decoding: raw.bytes, as: UTF8.self))
        case .epoch:
            switch NumberScanner.epoch(raw.bytes) {
            case .success(let epoch): return .epoch(epoch)
            case .failure(.malformed):
                diagnostics.append(
                    Diagnostic(
                        .error, .invalidValue,
                        "\(name) = '\(text(raw.bytes))' is not a CCSDS epoch; expected YYYY-MM-DDThh:mm:ss[.d…] or "
                            + "YYYY-DDDThh:mm:ss[.d…]", at: raw.location, keyword: name))
            case .failure(.outOfRange(let field)):
                diagnostics.append(
                    Diagnostic(
                        .error, .valueOutOfRange, "\(name) = '\(text(raw.bytes))' has an impossible \(field)",
                        at: raw.location, keyword: name))
            }
            return nil
        case .real(let range):
            guard let number = NumberScanner.double(raw.bytes) else {
                diagnostics.append(
                    Diagnostic(
                        .error, .invalidValue, "\(name) = '\(text(raw.bytes))' is not a number", at: raw.location,
                        keyword: name))
                return nil
            }
            if !range.contains(number) {
                diagnostics.append(
                    Diagnostic(
                        .error, .valueOutOfRange, "\(name) = \(text(raw.bytes)) is outside \(range.description)",
                        at: raw.location, keyword: name))
            }
            return .real(number)
        case .integer(let range):
            guard let number = NumberScanner.integer(raw.bytes) else {
                diagnostics.append(
                    Diagnostic(
                        .error, .invalidValue, "\(name) = '\(text(raw.bytes))' is not an integer", at: raw.location,
                        keyword: name))
                return nil
            }
            if !range.contains(Double(number)) {
                diagnostics.append(
                    Diagnostic(
                        .error, .valueOutOfRange, "\(name) = \(number) is outside \(range.description)",
                        at: raw.location, keyword: name))
            }
            return .integer(number)
        case .enumeration(let allowed):
            let written = text(raw.bytes)
            if allowed.contains(written) { return .text(written) }
            let upper = written.uppercased()
            if let match = allowed.first(where: { $0.uppercased() == upper }) {
                let message = "\(name) = '\(written)' should be written '\(match)'"
                diagnostics.append(
                    Diagnostic(
                        strictness == .lenient ? .warning : .error, .valueOutOfRange, message, at: raw.location,
                        keyword: name))
                return .text(match)
            }
            diagnostics.append(
                Diagnostic(
                    .error, .valueOutOfRange,
                    "\(name) = '\(written)' is not allowed; expected one of \(allowed.joined(separator: ", "))",
                    at: raw.location, keyword: name))
            return .text(written)
        case .registry(let known):
            let written = text(raw.bytes)
            if !known.contains(written) {
                let upper = written.uppercased()
                if let match = known.first(where: { $0.uppercased() == upper }) {
                    diagnostics.append(
                        Diagnostic(
                            strictness == .lenient ? .warning : .error, .valueOutOfRange,
                            "\(name) = '\(written)' should be written '\(match)'", at: raw.location, keyword: name))
                    return .text(match)
                }
                diagnostics.append(
                    Diagnostic(
                        .warning, .valueOutOfRange,
                        "\(name) = '\(written)' is not in the SANA registry values known to this version of Essor",
                        at: raw.location, keyword: name))
            }
            return .text(written)
        case .vector(let count):
            var numbers: [Double] = []
            var start = 0
            let bytes = raw.bytes
            while start < bytes.count {
                while start < bytes.count, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
                var end = start
                while end < bytes.count, bytes[end] != 0x20, bytes[end] != 0x09 { end += 1 }
                if end > start {
                    guard let number = NumberScanner.double(UnsafeBufferPointer(rebasing: bytes[start..<end])) else {
                        diagnostics.append(
                            Diagnostic(
                                .error, .invalidValue, "\(name) holds '\(text(raw.bytes))'; expected \(count) numbers",
                                at: raw.location, keyword: name))
                        return nil
                    }
                    numbers.append(number)
                }
                start = end
            }
            if numbers.count != count {
                diagnostics.append(
                    Diagnostic(
                        .error, .invalidValue, "\(name) holds \(numbers.count) numbers; expected \(count)",
                        at: raw.location, keyword: name))
                return nil
            }
            return .vector(numbers)
        }
    }

    /// Checks the unit written against the standard's (CCSDS 502.0-B-3 §7.7.1: units are optional in KVN, but
    /// when shown they must be the ones in the tables).
    private func checkUnit(_ raw: RawValue, _ spec: KeywordSpec, _ diagnostics: inout [Diagnostic]) {
        guard let unitBytes = raw.unit else { return }
        let written = text(unitBytes)
        let location = raw.unitLocation ?? raw.location
        if spec.units.isEmpty {
            if written.lowercased() == "n/a" || written.isEmpty { return }
            diagnostics.append(
                Diagnostic(
                    strictness == .lenient ? .warning : .error, .invalidUnit,
                    "\(spec.name) is dimensionless; remove the unit [\(written)]", at: location, keyword: spec.name))
            return
        }
        if spec.units.contains(written) { return }
        if strictness == .lenient, spec.units.contains(where: { $0.lowercased() == written.lowercased() }) {
            diagnostics.append(
                Diagnostic(
                    .warning, .invalidUnit, "\(spec.name) unit [\(written)] should be written [\(spec.units[0])]",
                    at: location, keyword: spec.name))
            return
        }
        diagnostics.append(
            Diagnostic(
                .error, .invalidUnit,
                "\(spec.name) unit [\(written)] is wrong; expected [\(spec.units.joined(separator: "] or ["))]",
                at: location, keyword: spec.name))
    }

    /// Space-Track-style placeholders for a missing value.
    private func isNilWord(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard strictness == .lenient, bytes.count <= 4 else { return false }
        let word = text(bytes).lowercased()
        return word == "nil" || word == "null"
    }

    /// What a value of `spec` looks like, for messages.
    private func expectation(of spec: KeywordSpec) -> String {
        switch spec.kind {
        case .text: "text"
        case .epoch: "an epoch"
        case .real: "a number"
        case .integer: "an integer"
        case .enumeration(let values), .registry(let values): "one of \(values.joined(separator: ", "))"
        case .vector(let count): "\(count) numbers"
        }
    }

    private func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
