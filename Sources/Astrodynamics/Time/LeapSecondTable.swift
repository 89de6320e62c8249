import Foundation

/// TAI−UTC in whole seconds from 1972 on: the leap-second table.
///
/// `builtIn` holds every leap second up to the last one (2017-01-01, TAI−UTC = 37 s; IERS Bulletin C 72, July
/// 2026, announces none for the end of 2026). A newer IERS `Leap_Second.dat` can be loaded with
/// `init(contentsOfFile:)` and passed to the `Epoch` conversions.
///
/// Before 1972-01-01 UTC was a "rubber" scale (seconds of varying length and 0.05–0.1 s steps; USNO
/// `tai-utc.dat`). Essor does not model it: building a UTC epoch from a calendar date or text before 1972 throws
/// `TimeError.utcBefore1972`, and reading an earlier instant *in* UTC uses the 1972 offset, 10 s (off by up to
/// 8.6 s from the historical UTC of 1961).
public struct LeapSecondTable: Sendable, Equatable {
    /// One row: from the UTC date `modifiedJulianDate` (00:00 UTC) on, TAI−UTC is `taiMinusUTCSeconds`.
    public struct Entry: Sendable, Equatable {
        /// The Modified Julian Date (UTC) at which the offset starts.
        public var modifiedJulianDate: Int
        /// TAI−UTC, seconds.
        public var taiMinusUTCSeconds: Int

        /// An entry.
        public init(modifiedJulianDate: Int, taiMinusUTCSeconds: Int) {
            self.modifiedJulianDate = modifiedJulianDate
            self.taiMinusUTCSeconds = taiMinusUTCSeconds
        }
    }

    /// Day numbers (days since 2000-01-01 UTC) at which each offset starts, ascending.
    let startDays: [Int]
    /// TAI−UTC, seconds, for each start day.
    let offsets: [Int]
    /// The date after which the table may be out of date (`File expires on …` in `Leap_Second.dat`), as a
    /// Modified Julian Date; nil when unknown.
    public let expiresOnModifiedJulianDate: Int?

    /// The rows, oldest first.
    public var entries: [Entry] {
        zip(startDays, offsets).map { Entry(modifiedJulianDate: $0 + CivilCalendar.mjdAt2000, taiMinusUTCSeconds: $1) }
    }

    /// The first day of the table (1972-01-01 for IERS tables): earlier UTC dates are not supported.
    var firstDay: Int { startDays[0] }

    /// A table from its rows; throws unless they are non-empty, in date order and step by exactly ±1 s.
    public init(entries: [Entry], expiresOnModifiedJulianDate: Int? = nil) throws {
        guard !entries.isEmpty else {
            throw TimeError.invalidComponents("a leap-second table needs at least one entry")
        }
        for (previous, next) in zip(entries, entries.dropFirst()) {
            guard next.modifiedJulianDate > previous.modifiedJulianDate,
                abs(next.taiMinusUTCSeconds - previous.taiMinusUTCSeconds) == 1
            else {
                throw TimeError.invalidComponents(
                    "leap-second entries must be in date order with ±1 s steps (MJD \(next.modifiedJulianDate))")
            }
        }
        startDays = entries.map { $0.modifiedJulianDate - CivilCalendar.mjdAt2000 }
        offsets = entries.map(\.taiMinusUTCSeconds)
        self.expiresOnModifiedJulianDate = expiresOnModifiedJulianDate
    }

    /// TAI−UTC (seconds) on a UTC date given as a Modified Julian Date (the 1972 value, 10 s, before 1972).
    public func taiMinusUTCSeconds(onModifiedJulianDate mjd: Int) -> Int {
        offset(onDay: mjd - CivilCalendar.mjdAt2000)
    }

    /// TAI−UTC (seconds) on UTC day `day` (days since 2000-01-01).
    @inline(__always)
    func offset(onDay day: Int) -> Int {
        // Most lookups are for recent dates: scan from the end (28 rows).
        var index = startDays.count - 1
        while index > 0 && startDays[index] > day { index -= 1 }
        return offsets[index]
    }

    /// The UTC day holding an instant given as TAI nanoseconds since 2000-01-01T00:00:00 TAI: its day number,
    /// the TAI nanosecond at which it starts and its length (86,400 s ± a leap second).
    func utcDay(containingTAIMidnightNanoseconds t: Int64) -> (day: Int, start: Int64, length: Int64) {
        let nsPerDay = CivilCalendar.nanosecondsPerDay
        let nsPerSecond = CivilCalendar.nanosecondsPerSecond
        var day = Int(CivilCalendar.floorDivide(t - Int64(offsets[offsets.count - 1]) * nsPerSecond, nsPerDay).quotient)
        func start(_ d: Int) -> Int64 { Int64(d) * nsPerDay + Int64(offset(onDay: d)) * nsPerSecond }
        // The guess uses the latest offset, so it is at most one day late; step back while needed.
        while start(day) > t { day -= 1 }
        while start(day + 1) <= t { day += 1 }
        let begin = start(day)
        return (day, begin, start(day + 1) - begin)
    }

    /// The table built into Essor: IERS `Leap_Second.dat` up to the 2017-01-01 leap second.
    public static let builtIn: LeapSecondTable = {
        let rows: [(Int, Int)] = [
            (41317, 10), (41499, 11), (41683, 12), (42048, 13), (42413, 14), (42778, 15), (43144, 16),
            (43509, 17), (43874, 18), (44239, 19), (44786, 20), (45151, 21), (45516, 22), (46247, 23),
            (47161, 24), (47892, 25), (48257, 26), (48804, 27), (49169, 28), (49534, 29), (50083, 30),
            (50630, 31), (51179, 32), (53736, 33), (54832, 34), (56109, 35), (57204, 36), (57754, 37),
        ]
        // Checked by LeapSecondTableTests against the IERS file; `try!` cannot fail on these literals.
        return try! LeapSecondTable(
            entries: rows.map { Entry(modifiedJulianDate: $0.0, taiMinusUTCSeconds: $0.1) },
            expiresOnModifiedJulianDate: 61584)  // 28 June 2027 (Bulletin C 72)
    }()
}

extension LeapSecondTable {
    /// Reads an IERS `Leap_Second.dat` (https://hpiers.obspm.fr/iers/bul/bulc/Leap_Second.dat): comment lines
    /// start with `#`; each data line is `MJD DAY MONTH YEAR TAI-UTC`. Errors name `file:line`.
    public init(contentsOfFile path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TimeError.unreadableFile(file: path, message: "cannot read the leap-second file")
        }
        try self.init(leapSecondFileText: String(decoding: data, as: UTF8.self), fileName: path)
    }

    /// Reads the text of an IERS `Leap_Second.dat`; `fileName` is used in error messages.
    public init(leapSecondFileText text: String, fileName: String = "Leap_Second.dat") throws {
        var entries: [Entry] = []
        var expiry: Int?
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            let lineNumber = index + 1
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                if let range = line.range(of: "File expires on ") {
                    expiry = LeapSecondTable.parseExpiry(line[range.upperBound...])
                }
                continue
            }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count == 5, let mjdValue = Double(fields[0]), mjdValue == mjdValue.rounded(),
                let day = Int(fields[1]), let month = Int(fields[2]), let year = Int(fields[3]),
                let offset = Int(fields[4])
            else {
                throw TimeError.malformedFile(
                    file: fileName, line: lineNumber,
                    message: "expected 'MJD DAY MONTH YEAR TAI-UTC' (e.g. '41317.0 1 1 1972 10'), found '\(line)'")
            }
            let mjd = Int(mjdValue)
            guard (1...12).contains(month), (1...CivilCalendar.daysInMonth(year: year, month: month)).contains(day),
                CivilCalendar.dayNumber(year: year, month: month, day: day) + CivilCalendar.mjdAt2000 == mjd
            else {
                throw TimeError.malformedFile(
                    file: fileName, line: lineNumber,
                    message: "MJD \(mjd) is not the date \(year)-\(month)-\(day) written beside it")
            }
            if let last = entries.last,
                mjd <= last.modifiedJulianDate || abs(offset - last.taiMinusUTCSeconds) != 1
            {
                throw TimeError.malformedFile(
                    file: fileName, line: lineNumber,
                    message: "entries must be in date order and TAI-UTC must change by exactly 1 s")
            }
            entries.append(Entry(modifiedJulianDate: mjd, taiMinusUTCSeconds: offset))
        }
        guard !entries.isEmpty else {
            throw TimeError.unreadableFile(file: fileName, message: "no leap-second entries found")
        }
        try self.init(entries: entries, expiresOnModifiedJulianDate: expiry)
    }

    /// `28 June 2027` → its MJD.
    private static func parseExpiry(_ text: Substring) -> Int? {
        let months = [
            "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
            "november", "december",
        ]
        let words = text.split(separator: " ")
        guard words.count >= 3, let day = Int(words[0]), let year = Int(words[2]),
            let month = months.firstIndex(of: words[1].lowercased())
        else { return nil }
        return CivilCalendar.dayNumber(year: year, month: month + 1, day: day) + CivilCalendar.mjdAt2000
    }
}
