// IERS Rapid Service/Prediction Centre `finals2000A.all` (also `.data`, `.daily`, and the IAU 1980 `finals.all`):
// one fixed-column line per day, Bulletin A values for every row (IERS "I" or predicted "P") and Bulletin B
// values for the final rows. Column layout: IERS `readme.finals2000A` (USNO), reproduced in astropy-iers-data's
// `ReadMe.finals2000A`.
extension EarthOrientationData {
    /// Which values of a finals file to use.
    public enum Bulletin: Sendable {
        /// Bulletin A (rapid and predicted) values only.
        case a
        /// Bulletin B (final) polar motion, UT1−UTC and pole offsets where the row has them, Bulletin A
        /// elsewhere (astropy's `IERS_A` makes the same choice). LOD is Bulletin A's in both cases.
        case bWhereAvailable
    }

    /// Loads an IERS finals file.
    ///
    /// The table ends at the first row without UT1−UTC (the file's blank tail). A blank LOD (predictions) is
    /// derived from the UT1−UTC slope, LOD = −d(UT1−UTC)/dt; a blank pole offset repeats the previous row's.
    /// `poleOffsetModel` says what columns 98–134 hold: dX, dY (finals2000A, the default) or dψ, dε (finals).
    /// Throws `TimeError.malformedFile` (file:line) for a field that is not a number or a day out of sequence.
    public init(
        finalsFile path: String, bulletin: Bulletin = .bWhereAvailable, poleOffsetModel: PoleOffsetModel = .iau2000A,
        leapSeconds: LeapSecondTable = .builtIn
    ) throws {
        try self.init(
            finals: try EOPTextLines.load(path), bulletin: bulletin, poleOffsetModel: poleOffsetModel,
            leapSeconds: leapSeconds)
    }

    /// Loads the text of a finals file; `fileName` is used in error messages.
    public init(
        finalsText text: String, fileName: String = "finals2000A.all", bulletin: Bulletin = .bWhereAvailable,
        poleOffsetModel: PoleOffsetModel = .iau2000A, leapSeconds: LeapSecondTable = .builtIn
    ) throws {
        try self.init(
            finals: EOPTextLines(bytes: Array(text.utf8), fileName: fileName), bulletin: bulletin,
            poleOffsetModel: poleOffsetModel, leapSeconds: leapSeconds)
    }

    private init(
        finals file: EOPTextLines, bulletin: Bulletin, poleOffsetModel: PoleOffsetModel, leapSeconds: LeapSecondTable
    ) throws {
        var rows: [Row] = []
        var lodKnown: [Bool] = []
        var ended = false
        var lastOffsets = (0.0, 0.0)
        try file.forEachLine { lineNumber, line in
            if ended || line.isEmpty || file.isBlank(line, columns: 1...line.count) { return }
            func value(_ columns: ClosedRange<Int>, _ name: String) throws -> Double? {
                try file.number(line, columns: columns, lineNumber: lineNumber, name: name)
            }
            guard let mjdValue = try value(8...15, "MJD"), mjdValue == mjdValue.rounded() else {
                throw TimeError.malformedFile(
                    file: file.fileName, line: lineNumber, message: "expected the MJD (a whole day) in columns 8-15")
            }
            let mjd = Int(mjdValue)
            guard let ut1A = try value(59...68, "UT1-UTC (Bulletin A)") else {
                ended = true  // the blank tail beyond the predictions
                return
            }
            if let previous = rows.last, mjd != previous.modifiedJulianDate + 1 {
                throw TimeError.malformedFile(
                    file: file.fileName, line: lineNumber,
                    message:
                        "MJD \(mjd) does not follow MJD \(previous.modifiedJulianDate): rows must be consecutive days")
            }
            guard var xp = try value(19...27, "PM-x (Bulletin A)"), var yp = try value(38...46, "PM-y (Bulletin A)")
            else {
                throw TimeError.malformedFile(
                    file: file.fileName, line: lineNumber, message: "polar motion (columns 19-27, 38-46) is blank")
            }
            var ut1 = ut1A
            let lod = try value(80...86, "LOD (Bulletin A)")
            var offset1 = try value(98...106, "dX/dpsi (Bulletin A)")
            var offset2 = try value(117...125, "dY/deps (Bulletin A)")
            if bulletin == .bWhereAvailable, let ut1B = try value(155...165, "UT1-UTC (Bulletin B)") {
                ut1 = ut1B
                xp = try value(135...144, "PM-x (Bulletin B)") ?? xp
                yp = try value(145...154, "PM-y (Bulletin B)") ?? yp
                offset1 = try value(166...175, "dX/dpsi (Bulletin B)") ?? offset1
                offset2 = try value(176...185, "dY/deps (Bulletin B)") ?? offset2
            }
            // Pole offsets are in milliarcseconds in finals files.
            if let o1 = offset1, let o2 = offset2 { lastOffsets = (o1 / 1000, o2 / 1000) }
            rows.append(
                Row(
                    modifiedJulianDate: mjd, ut1MinusUTCSeconds: ut1, lengthOfDayExcessSeconds: (lod ?? 0) / 1000,
                    polarMotionXArcseconds: xp, polarMotionYArcseconds: yp, poleOffset1Arcseconds: lastOffsets.0,
                    poleOffset2Arcseconds: lastOffsets.1))
            lodKnown.append(lod != nil)
        }
        guard !rows.isEmpty else {
            throw TimeError.unreadableFile(file: file.fileName, message: "no Earth-orientation rows found")
        }
        EarthOrientationData.fillLengthOfDay(&rows, known: lodKnown)
        try self.init(rows: rows, poleOffsetModel: poleOffsetModel, leapSeconds: leapSeconds)
    }

    /// LOD where the file leaves it blank: −d(UT1−UTC)/dt from the neighbouring rows (central difference,
    /// one-sided at the ends), leap-second jumps removed.
    static func fillLengthOfDay(_ rows: inout [Row], known: [Bool]) {
        guard rows.count > 1 else { return }
        func step(_ i: Int) -> Double {
            var d = rows[i + 1].ut1MinusUTCSeconds - rows[i].ut1MinusUTCSeconds
            d -= d.rounded()
            return d
        }
        for i in rows.indices where !known[i] {
            let slope =
                i == 0 ? step(0) : i == rows.count - 1 ? step(i - 1) : (step(i - 1) + step(i)) / 2
            rows[i].lengthOfDayExcessSeconds = -slope
        }
    }
}
