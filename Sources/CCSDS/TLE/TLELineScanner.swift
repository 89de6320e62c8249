/// Column-exact reading of one TLE line, from bytes (no `String` per field, no regular expression).
///
/// Columns are 1-based as in the format descriptions (CelesTrak, "Frequently Asked Questions: Two-Line Element
/// Set Format", https://celestrak.org/columns/v04n03/). Problems are collected as diagnostics at the column where
/// the offending field starts; a set with any error is not returned.
struct TLELineScanner {
    /// The line without trailing blanks, tabs or carriage return.
    let bytes: UnsafeBufferPointer<UInt8>
    /// The line number in the input (for diagnostics).
    let lineNumber: Int
    /// 1 or 2: which line of the element set this is.
    let tleLine: Int
    /// Strict or lenient reading.
    let strictness: Strictness
    /// Problems found.
    var diagnostics: [Diagnostic] = []
    /// Whether an error was found.
    var failed = false

    /// Prepares to read `bytes` (its trailing whitespace is ignored).
    init(_ bytes: UnsafeBufferPointer<UInt8>, lineNumber: Int, tleLine: Int, strictness: Strictness) {
        var end = bytes.count
        while end > 0, bytes[end - 1] == 32 || bytes[end - 1] == 9 || bytes[end - 1] == 13 || bytes[end - 1] == 10 {
            end -= 1
        }
        self.bytes = UnsafeBufferPointer(rebasing: bytes[0..<end])
        self.lineNumber = lineNumber
        self.tleLine = tleLine
        self.strictness = strictness
    }

    /// Records an error.
    mutating func error(_ column: Int, _ code: Diagnostic.Code, _ message: String, keyword: String? = nil) {
        failed = true
        diagnostics.append(
            Diagnostic(.error, code, message, at: SourceLocation(line: lineNumber, column: column), keyword: keyword))
    }

    /// Records a deviation from the format that lenient reading tolerates: an error in strict mode, a warning in
    /// lenient mode.
    mutating func deviation(_ column: Int, _ code: Diagnostic.Code, _ message: String, keyword: String? = nil) {
        if strictness == .strict {
            error(column, code, message, keyword: keyword)
        } else {
            diagnostics.append(
                Diagnostic(
                    .warning, code, message, at: SourceLocation(line: lineNumber, column: column), keyword: keyword))
        }
    }

    /// Columns `first`…`last` (1-based, inclusive).
    func field(_ first: Int, _ last: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[(first - 1)..<last])
    }

    /// Columns `first`…`last` as text, for messages.
    func text(_ first: Int, _ last: Int) -> String {
        String(decoding: field(first, last), as: UTF8.self)
    }

    /// The byte at 1-based `column`.
    func byte(_ column: Int) -> UInt8 { bytes[column - 1] }

    /// Checks the frame: length 69, the line number in column 1, a blank in column 2, the checksum in column 69.
    /// Returns false when the columns cannot be read at all.
    mutating func checkFrame() -> Bool {
        let count = bytes.count
        if count < 69 {
            let shown = count == 0 ? "empty" : "\(count) characters long"
            error(
                count + 1, .structure,
                "line \(tleLine) of the element set is \(shown) (after removing trailing blanks); a TLE line has "
                    + "exactly 69 columns, the last being the checksum")
            return false
        }
        let expected = UInt8(48 + tleLine)
        if byte(1) != expected {
            error(
                1, .structure,
                "column 1 holds '\(text(1, 1))'; expected the line number \(tleLine) of the element set")
            return false
        }
        if byte(2) != 32 {
            deviation(2, .structure, "column 2 holds '\(text(2, 2))'; expected a blank after the line number")
        }
        if count > 69 {
            deviation(
                70, .structure,
                "line \(tleLine) of the element set has \(count) characters; a TLE line ends at column 69 (the "
                    + "text after it is ignored)")
        }
        let written = byte(69) &- 48
        let computed = TLE.checksum(bytes)
        if written >= 10 {
            deviation(69, .invalidValue, "checksum column 69 holds '\(text(69, 69))'; expected the digit \(computed)")
        } else if Int(written) != computed {
            deviation(
                69, .consistency,
                "checksum (column 69) is \(written) but the line's digits (plus 1 for each '-') sum to \(computed) modulo 10; "
                    + "the line is corrupted or its checksum is wrong")
        }
        return true
    }

    /// Checks that the listed columns are blank (they separate fields).
    mutating func checkBlanks(_ columns: [Int]) {
        for column in columns where byte(column) != 32 {
            deviation(
                column, .structure,
                "column \(column) holds '\(text(column, column))'; expected a blank separating two fields")
        }
    }

    /// Reads the catalogue number in columns 3–7 (digits or Alpha-5).
    mutating func catalogueNumber() -> Int? {
        if let number = Alpha5.decode(field(3, 7)) { return number }
        error(
            3, .invalidValue,
            "catalogue number '\(text(3, 7))' (columns 3-7) is neither five digits nor Alpha-5 (a letter A-Z "
                + "other than I and O, then four digits)",
            keyword: "NORAD_CAT_ID")
        return nil
    }

    /// Reads a fixed-point decimal field (blanks around the number allowed) and checks its range.
    mutating func decimal(
        _ field: TLEFields.Field, range: ClosedRange<Double>, expected: String, example: String
    ) -> Double? {
        let (_, first, last) = field.place
        var start = first
        var end = last
        while start <= end, byte(start) == 32 { start += 1 }
        while end >= start, byte(end) == 32 { end -= 1 }
        guard start <= end, let value = NumberScanner.double(self.field(start, end)) else {
            error(
                first, .invalidValue,
                "\(field.placeDescription) holds '\(text(first, last))', which is not a number; expected e.g. "
                    + "'\(example)'",
                keyword: field.keyword)
            return nil
        }
        guard range.contains(value) else {
            error(
                first, .valueOutOfRange,
                "\(field.placeDescription) is \(TLELineScanner.trim(text(first, last))); expected \(expected)",
                keyword: field.keyword)
            return nil
        }
        return value
    }

    /// Reads an angle field, 0 ≤ angle < 360 (360 itself is a deviation).
    mutating func angle(_ field: TLEFields.Field) -> Double? {
        guard let value = decimal(field, range: 0...360, expected: "0 <= angle < 360", example: "247.4627") else {
            return nil
        }
        if value == 360 {
            deviation(
                field.place.first, .valueOutOfRange, "\(field.placeDescription) is 360; expected 0 <= angle < 360",
                keyword: field.keyword)
        }
        return value
    }

    /// Reads an exponential field `±NNNNN±N` (value ±0.NNNNN × 10^±N); also returns whether the exponent digit is
    /// 0 and written with `+`.
    mutating func exponential(_ field: TLEFields.Field) -> (value: Double, zeroExponentPlus: Bool)? {
        let (_, first, last) = field.place
        let bytes = self.field(first, last)
        if bytes.allSatisfy({ $0 == 32 }) {
            deviation(
                first, .invalidValue, "\(field.placeDescription) is blank; expected e.g. ' 00000-0' for zero",
                keyword: field.keyword)
            return (0, false)
        }
        let sign = bytes[0]
        var mantissa = 0
        var valid = sign == 32 || sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-")
        for index in 1...5 {
            let digit = bytes[index] &- 48
            if digit < 10 { mantissa = mantissa * 10 + Int(digit) } else { valid = false }
        }
        let exponentSign = bytes[6]
        let exponentDigit = bytes[7] &- 48
        if exponentSign != UInt8(ascii: "+"), exponentSign != UInt8(ascii: "-") { valid = false }
        if exponentDigit >= 10 { valid = false }
        guard valid else {
            error(
                first, .invalidValue,
                "\(field.placeDescription) holds '\(text(first, last))'; expected a sign or blank, five digits, "
                    + "a sign and one exponent digit, e.g. ' 12345-3' for 0.12345e-3",
                keyword: field.keyword)
            return nil
        }
        let exponent = exponentSign == UInt8(ascii: "-") ? -Int(exponentDigit) : Int(exponentDigit)
        let value = TLEFields.Exponential(mantissa: mantissa, exponent: exponent, negative: sign == UInt8(ascii: "-"))
            .value
        return (value, exponentDigit == 0 && exponentSign == UInt8(ascii: "+"))
    }

    /// Reads a right-justified unsigned integer (leading blanks allowed); a blank field is a deviation read as 0.
    mutating func unsigned(_ field: TLEFields.Field) -> Int? {
        let (_, first, last) = field.place
        var index = first
        while index <= last, byte(index) == 32 { index += 1 }
        if index > last {
            deviation(
                first, .invalidValue, "\(field.placeDescription) is blank; expected digits", keyword: field.keyword)
            return 0
        }
        var value = 0
        while index <= last {
            let digit = byte(index) &- 48
            guard digit < 10 else {
                error(
                    first, .invalidValue,
                    "\(field.placeDescription) holds '\(text(first, last))'; expected a right-justified whole number",
                    keyword: field.keyword)
                return nil
            }
            value = value * 10 + Int(digit)
            index += 1
        }
        return value
    }

    /// Reads the seven eccentricity digits (implied leading decimal point). Blanks are a deviation read as zeros
    /// (python-sgp4 does the same).
    mutating func eccentricity() -> Double? {
        let field = TLEFields.Field.eccentricity
        var units = 0
        var blanks = false
        for column in 27...33 {
            let byte = byte(column)
            let digit = byte &- 48
            if digit < 10 {
                units = units * 10 + Int(digit)
            } else if byte == 32 {
                units *= 10
                blanks = true
            } else {
                error(
                    27, .invalidValue,
                    "\(field.placeDescription) holds '\(text(27, 33))'; expected seven digits after an implied "
                        + "decimal point, e.g. '0006703' for 0.0006703",
                    keyword: field.keyword)
                return nil
            }
        }
        if blanks {
            deviation(
                27, .invalidValue, "\(field.placeDescription) '\(text(27, 33))' contains blanks; expected seven digits",
                keyword: field.keyword)
        }
        return TLEFields.fixed(units, decimals: 7)
    }

    /// `text` without leading and trailing blanks (messages only).
    static func trim(_ text: String) -> String {
        var slice = Substring(text)
        while slice.first == " " { slice.removeFirst() }
        while slice.last == " " { slice.removeLast() }
        return String(slice)
    }
}
