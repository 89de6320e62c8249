/// The bulk content of a data section: OEM state vectors and TDM observations, read without a `BlockBuilder` (they
/// are many and their shape is fixed), with the same checks as the KVN reader.
extension JSONModelReader {
    /// OEM: `"stateVector": [{"EPOCH": "…", "X": …, "Y": …, "Z": …, "X_DOT": …, "Y_DOT": …, "Z_DOT": …}, …]`,
    /// with `X_DDOT`, `Y_DDOT`, `Z_DDOT` after `Z_DOT` when the states carry accelerations (CCSDS 502.0-B-3 §5.2.4).
    mutating func readEphemeris(_ key: JSONScanner.Token) throws(SyntaxError) {
        guard try scanner.peek() == .array else {
            add(.invalidValue, "stateVector is an array of {\"EPOCH\": …, \"X\": …} objects", scanner.location,
                keyword: "EPOCH")
            try scanner.skipValue()
            return
        }
        try scanner.enterArray()
        var container = JSONScanner.Container()
        var numbers = [Double](repeating: 0, count: 9)
        var previous: CCSDSEpoch?
        while try scanner.nextElement(&container) {
            let kind = try scanner.peek()
            guard kind == .object else {
                add(.invalidValue, "a state vector is an object {\"EPOCH\": …, \"X\": …}, not \(kind.described)",
                    scanner.location, keyword: "EPOCH")
                try scanner.skipValue()
                continue
            }
            guard let (epoch, location, count) = try readState(into: &numbers).map({ ($0.epoch, $0.location, $0.count) })
            else { continue }
            if !ephemeris.isEmpty, count != ephemeris.stride {
                add(.structure, "this state vector has \(count) components; the segment's others have \(ephemeris.stride)",
                    location, keyword: "EPOCH")
                continue
            }
            if let previous, epoch <= previous {
                add(.consistency, "ephemeris epoch \(epoch) is not after the previous one (\(previous))", location,
                    keyword: "EPOCH")
            }
            if let start = segmentBounds.start, epoch < start {
                add(.consistency, "ephemeris epoch \(epoch) is before START_TIME \(start)", location, keyword: "START_TIME")
            } else if let stop = segmentBounds.stop, stop < epoch {
                add(.consistency, "ephemeris epoch \(epoch) is after STOP_TIME \(stop)", location, keyword: "STOP_TIME")
            }
            previous = epoch
            ephemeris.append(epoch: epoch, components: numbers[0..<count])
        }
    }

    /// One state: its epoch, where the epoch is, and its 6 or 9 numbers (in `numbers`); nil after reporting why not.
    private mutating func readState(
        into numbers: inout [Double]
    ) throws(SyntaxError) -> (epoch: CCSDSEpoch, location: SourceLocation, count: Int)? {
        try scanner.enterObject()
        var container = JSONScanner.Container()
        var index = 0
        var epoch: CCSDSEpoch?
        var epochLocation = scanner.location
        var valid = true
        while let key = try scanner.nextKey(&container) {
            if index >= JSONBulkKey.stateKeys.count || !scanner.equals(key, JSONBulkKey.stateKeys[index]) {
                // Out of the fixed order: report it, then go on from the member found when it comes later.
                let name = scanner.string(key)
                valid = false
                guard let position = JSONBulkKey.stateKeys.firstIndex(where: { $0.description == name }) else {
                    add(.unknownKeyword, "\"\(name)\" is not a member of a state vector: EPOCH, X, Y, Z, X_DOT, "
                        + "Y_DOT, Z_DOT [, X_DDOT, Y_DDOT, Z_DDOT]", key.location, keyword: name)
                    try scanner.skipValue()
                    continue
                }
                guard position > index else {
                    add(.keywordOrder, "\(name) is out of order or repeated: a state vector is EPOCH, X, Y, Z, X_DOT, "
                        + "Y_DOT, Z_DOT [, X_DDOT, Y_DDOT, Z_DDOT]", key.location, keyword: name)
                    try scanner.skipValue()
                    continue
                }
                add(.missingKeyword, "\(JSONBulkKey.stateKeys[index]) is required before \(name) in a state vector",
                    key.location, keyword: JSONBulkKey.stateKeys[index].description)
                index = position
            }
            let name = JSONBulkKey.stateKeys[index]
            index += 1
            let kind = try scanner.peek()
            if index == 1 {
                epochLocation = scanner.location
                guard kind == .string else {
                    add(.invalidValue, "EPOCH is a string, not \(kind.described)", scanner.location, keyword: "EPOCH")
                    try scanner.skipValue()
                    valid = false
                    continue
                }
                let token = try scanner.readString()
                epoch = readEpoch(token, keyword: "EPOCH")
                if epoch == nil { valid = false }
                continue
            }
            guard kind == .number || kind == .string else {
                add(.invalidValue, "\(name) is a number, not \(kind.described)", scanner.location, keyword: name.description)
                try scanner.skipValue()
                valid = false
                continue
            }
            if kind == .string {
                add(.invalidValue, "\(name) is a number, not a string", scanner.location, keyword: name.description,
                    severity: deviation)
            }
            let token = kind == .string ? try scanner.readString() : try scanner.readNumber()
            guard let number = scanner.withBytes(token, NumberScanner.double) else {
                add(.invalidValue, "\(name) = '\(scanner.string(token))' is not a number", token.location,
                    keyword: name.description)
                valid = false
                continue
            }
            numbers[index - 2] = number
        }
        let count = max(index - 1, 0)
        if valid, count != 6, count != 9 {
            let missing = JSONBulkKey.stateKeys[index]
            add(.missingKeyword, "\(missing) is missing: a state vector has EPOCH and 6 components, or 9 with "
                + "X_DDOT, Y_DDOT, Z_DDOT", scanner.closeLocation, keyword: missing.description)
            valid = false
        }
        guard valid, let epoch else { return nil }
        return (epoch, epochLocation, count)
    }

    /// TDM: `"observation": [{"EPOCH": "…", "RANGE": 1234.5}, …]` (CCSDS 503.0-B-2 §3.5; XSD
    /// `trackingDataObservationType`). Phase counts, kept as text, are strings.
    mutating func readObservations(_ key: JSONScanner.Token) throws(SyntaxError) {
        guard try scanner.peek() == .array else {
            add(.invalidValue, "observation is an array of {\"EPOCH\": …, \"KEYWORD\": value} objects", scanner.location,
                keyword: "observation")
            try scanner.skipValue()
            return
        }
        try scanner.enterArray()
        var container = JSONScanner.Container()
        while try scanner.nextElement(&container) {
            let kind = try scanner.peek()
            guard kind == .object else {
                add(.invalidValue, "an observation is an object {\"EPOCH\": …, \"KEYWORD\": value}, not \(kind.described)",
                    scanner.location, keyword: "observation")
                try scanner.skipValue()
                continue
            }
            guard let observation = try readObservation() else { continue }
            let location = observation.location
            // START_TIME/STOP_TIME are UTC while time tags are in TIME_SYSTEM (CCSDS 503.0-B-2 §4.3.10), and
            // transmit tags may precede the span (Annex E, example E-10): outside the span is only a warning.
            if let start = segmentBounds.start, observation.epoch < start {
                add(.consistency, "time tag \(observation.epoch) is before START_TIME \(start)", location,
                    keyword: observation.keyword, severity: .warning)
            } else if let stop = segmentBounds.stop, stop < observation.epoch {
                add(.consistency, "time tag \(observation.epoch) is after STOP_TIME \(stop)", location,
                    keyword: observation.keyword, severity: .warning)
            }
            observations.append(Observation(keyword: observation.keyword, epoch: observation.epoch, value: observation.value))
        }
    }

    private mutating func readObservation() throws(SyntaxError) -> (
        keyword: String, epoch: CCSDSEpoch, value: Value, location: SourceLocation
    )? {
        try scanner.enterObject()
        var container = JSONScanner.Container()
        var epoch: CCSDSEpoch?
        var epochLocation = scanner.location
        var measurement: (keyword: String, value: Value)?
        var members = 0
        var valid = true
        while let key = try scanner.nextKey(&container) {
            members += 1
            if members == 1 {
                guard scanner.equals(key, "EPOCH") else {
                    add(.keywordOrder, "an observation starts with its time tag: {\"EPOCH\": …, \"KEYWORD\": value}",
                        key.location, keyword: "EPOCH")
                    try scanner.skipValue()
                    valid = false
                    continue
                }
                epochLocation = scanner.location
                let kind = try scanner.peek()
                guard kind == .string else {
                    add(.invalidValue, "EPOCH is a string, not \(kind.described)", scanner.location, keyword: "EPOCH")
                    try scanner.skipValue()
                    valid = false
                    continue
                }
                epoch = readEpoch(try scanner.readString(), keyword: "EPOCH")
                if epoch == nil { valid = false }
                continue
            }
            let name = scanner.string(key)
            guard members == 2 else {
                add(.structure, "an observation holds EPOCH and one measurement; \"\(name)\" is one member too many",
                    key.location, keyword: name)
                try scanner.skipValue()
                valid = false
                continue
            }
            guard let definition = MessageSpec.tdmDataKeyword(Substring(name)) else {
                add(.unknownKeyword, "\(name) is not a TDM data keyword", key.location, keyword: name)
                try scanner.skipValue()
                valid = false
                continue
            }
            let kind = try scanner.peek()
            guard kind == .number || kind == .string else {
                add(.invalidValue, "\(name) has \(kind.described) where its measurement is expected", scanner.location,
                    keyword: name)
                try scanner.skipValue()
                valid = false
                continue
            }
            if (kind == .string) != definition.isText {
                let expected = definition.isText ? "a string of digits (a phase count keeps every digit)" : "a number"
                add(.invalidValue, "\(name) is \(expected), not \(kind.described)", scanner.location, keyword: name,
                    severity: deviation)
            }
            let token = kind == .string ? try scanner.readString() : try scanner.readNumber()
            let value: Value? = scanner.withBytes(token) { bytes in
                guard let number = NumberScanner.double(bytes) else { return nil }
                return definition.isText ? .text(String(decoding: bytes, as: UTF8.self)) : .real(number)
            }
            guard let value else {
                add(.invalidValue, "\(name) measurement '\(scanner.string(token))' is not a number", token.location,
                    keyword: name)
                valid = false
                continue
            }
            measurement = (name, value)
        }
        guard valid else { return nil }
        guard let epoch else {
            add(.missingKeyword, "an observation needs its time tag: {\"EPOCH\": …, \"KEYWORD\": value}",
                scanner.closeLocation, keyword: "EPOCH")
            return nil
        }
        guard let measurement else {
            add(.missingKeyword, "an observation needs a measurement after its EPOCH", scanner.closeLocation)
            return nil
        }
        return (measurement.keyword, epoch, measurement.value, epochLocation)
    }

    /// Reads an epoch string, reporting it when it is not a CCSDS epoch.
    private mutating func readEpoch(_ token: JSONScanner.Token, keyword: String) -> CCSDSEpoch? {
        switch scanner.withBytes(token, NumberScanner.epoch) {
        case .success(let epoch):
            return epoch
        case .failure(.malformed):
            add(.invalidValue, "'\(scanner.string(token))' is not a CCSDS epoch; expected YYYY-MM-DDThh:mm:ss[.d…] or "
                + "YYYY-DDDThh:mm:ss[.d…]", token.location, keyword: keyword)
        case .failure(.outOfRange(let field)):
            add(.valueOutOfRange, "'\(scanner.string(token))' has an impossible \(field)", token.location, keyword: keyword)
        }
        return nil
    }
}
