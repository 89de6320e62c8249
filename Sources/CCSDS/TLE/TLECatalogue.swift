/// Whole TLE and 3LE files: any number of element sets, each optionally preceded by a name line; both kinds may
/// be mixed in one file.
///
/// A name line is any line that does not start with `1 ` and is followed by a line that does. A line starting
/// with `2 ` that does not follow a line 1 is reported, never taken as a name. Blank lines are ignored. Name lines
/// lose a leading `0 ` (Space-Track 3LE) and surrounding blanks (CelesTrak pads names to 24 columns). Lines end
/// with LF or CRLF; trailing blanks are ignored.
public enum TLECatalogue {
    /// Reads every element set of a file, from bytes: no regular expression, no `String` per field.
    ///
    /// Element sets with errors are left out and reported; reading goes on with the next set. In lenient mode,
    /// stray lines are warnings instead of errors.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, strictness: Strictness = .strict)
        -> (sets: [TLE], diagnostics: [Diagnostic])
    {
        var sets: [TLE] = []
        sets.reserveCapacity(bytes.count / 160 + 1)
        var diagnostics: [Diagnostic] = []

        typealias Line = (range: Range<Int>, number: Int)
        var pendingName: Line?
        var pendingLine1: Line?

        func stray(_ line: Line, _ message: String) {
            diagnostics.append(
                Diagnostic(
                    strictness == .strict ? .error : .warning, .structure, message,
                    at: SourceLocation(line: line.number, column: 1)))
        }
        func slice(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: bytes[range])
        }

        let count = bytes.count
        // A UTF-8 byte-order mark is not part of the first line.
        var start = count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
        var lineNumber = 0
        while start < count {
            lineNumber += 1
            var end = start
            while end < count, bytes[end] != 10 { end += 1 }
            let next = end + 1
            // Trailing blanks, tabs and CR are not part of the line.
            var last = end
            while last > start, bytes[last - 1] == 32 || bytes[last - 1] == 13 || bytes[last - 1] == 9 { last -= 1 }
            let line: Line = (start..<last, lineNumber)
            start = next
            if line.range.isEmpty { continue }

            let first = bytes[line.range.lowerBound]
            let second: UInt8 = line.range.count > 1 ? bytes[line.range.lowerBound + 1] : 0
            if first == UInt8(ascii: "1"), second == 32 {
                if let previous = pendingLine1 {
                    // The pending name belonged to that set, whose line 2 is missing.
                    stray(
                        previous, "line 1 of an element set is not followed by its line 2 (found line \(line.number))")
                    pendingName = nil
                }
                pendingLine1 = line
                continue
            }
            if first == UInt8(ascii: "2"), second == 32, let line1 = pendingLine1 {
                let name = pendingName.map { TLE.cleanName(slice($0.range)) }
                if let tle = TLE.parse(
                    name: name, line1: slice(line1.range), lineNumber1: line1.number, line2: slice(line.range),
                    lineNumber2: line.number, strictness: strictness, diagnostics: &diagnostics)
                {
                    sets.append(tle)
                }
                pendingName = nil
                pendingLine1 = nil
                continue
            }
            // Neither a line 1 nor the line 2 that completes one.
            if let previous = pendingLine1 {
                stray(previous, "line 1 of an element set is not followed by its line 2 (found line \(line.number))")
                pendingLine1 = nil
                pendingName = nil
            }
            if let previous = pendingName {
                stray(
                    previous,
                    "line is not part of an element set: a name line must be followed by a line starting '1 '")
            }
            if first == UInt8(ascii: "2"), second == 32 {
                stray(line, "line 2 of an element set without its line 1")
                pendingName = nil
            } else {
                pendingName = line
            }
        }
        if let previous = pendingLine1 {
            stray(previous, "line 1 of an element set is not followed by its line 2 (end of input)")
        } else if let previous = pendingName {
            stray(previous, "line is not part of an element set: a name line must be followed by a line starting '1 '")
        }
        return (sets, diagnostics)
    }

    /// Reads every element set of a file (see `parse(_:strictness:)` on a buffer).
    public static func parse(_ bytes: [UInt8], strictness: Strictness = .strict)
        -> (sets: [TLE], diagnostics: [Diagnostic])
    {
        bytes.withUnsafeBufferPointer { parse($0, strictness: strictness) }
    }

    /// Reads every element set of a text.
    public static func parse(_ text: String, strictness: Strictness = .strict)
        -> (sets: [TLE], diagnostics: [Diagnostic])
    {
        var text = text
        return text.withUTF8 { parse($0, strictness: strictness) }
    }

    /// Writes element sets as a file: for each, its name line (when it has a name, in `nameStyle`) and its two
    /// lines, each line followed by `lineEnding`. Sets that cannot be written are left out and reported.
    public static func write(_ sets: [TLE], nameStyle: TLENameStyle = .plain, lineEnding: String = "\n")
        -> (bytes: [UInt8], diagnostics: [Diagnostic])
    {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(sets.count * 170)
        var diagnostics: [Diagnostic] = []
        let ending = Array(lineEnding.utf8)
        for (index, tle) in sets.enumerated() {
            let problems = tle.append(to: &bytes, nameStyle: nameStyle, lineEnding: ending)
            for problem in problems {
                var problem = problem
                problem.message =
                    "element set \(index + 1) (catalogue number \(tle.catalogueNumber)): "
                    + problem.message
                diagnostics.append(problem)
            }
        }
        return (bytes, diagnostics)
    }

    /// Writes element sets as text (see `write(_:nameStyle:lineEnding:)`).
    public static func text(_ sets: [TLE], nameStyle: TLENameStyle = .plain, lineEnding: String = "\n")
        -> (text: String, diagnostics: [Diagnostic])
    {
        let (bytes, diagnostics) = write(sets, nameStyle: nameStyle, lineEnding: lineEnding)
        return (String(decoding: bytes, as: UTF8.self), diagnostics)
    }
}
