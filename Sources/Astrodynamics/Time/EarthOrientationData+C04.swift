// IERS EOP C04 series (Paris Observatory, https://hpiers.obspm.fr/iers/eop/eopc04/): one whitespace-separated
// line per day at 0h UTC, `#` comment lines. Two layouts are read:
// - EOP 20 C04 (`eopc04.1962-now`): YR MM DD HH MJD x y UT1-UTC dX dY xrt yrt LOD + errors;
// - EOP 14 C04 (`eopc04_IAU2000.62-now`): YR MM DD MJD x y UT1-UTC LOD dX dY + errors (no header marker).
// Units: arcseconds and seconds throughout (unlike finals, whose pole offsets and LOD are in mas and ms).
extension EarthOrientationData {
    /// Loads an EOP C04 file (20 C04 or 14 C04 layout, detected per line from the MJD's position).
    /// The pole offsets are dX, dY w.r.t. IAU 2000A unless `poleOffsetModel` says otherwise (the old
    /// IAU 1980 C04 series). Throws `TimeError.malformedFile` (file:line) on a bad line or a missing day.
    public init(
        c04File path: String, poleOffsetModel: PoleOffsetModel = .iau2000A, leapSeconds: LeapSecondTable = .builtIn
    ) throws {
        try self.init(c04: try EOPTextLines.load(path), poleOffsetModel: poleOffsetModel, leapSeconds: leapSeconds)
    }

    /// Loads the text of an EOP C04 file; `fileName` is used in error messages.
    public init(
        c04Text text: String, fileName: String = "eopc04.1962-now", poleOffsetModel: PoleOffsetModel = .iau2000A,
        leapSeconds: LeapSecondTable = .builtIn
    ) throws {
        try self.init(
            c04: EOPTextLines(bytes: Array(text.utf8), fileName: fileName), poleOffsetModel: poleOffsetModel,
            leapSeconds: leapSeconds)
    }

    private init(c04 file: EOPTextLines, poleOffsetModel: PoleOffsetModel, leapSeconds: LeapSecondTable) throws {
        var rows: [Row] = []
        try file.forEachLine { lineNumber, line in
            let fields = file.fields(line)
            guard let first = fields.first, first.first != UInt8(ascii: "#") else { return }
            // 20 C04: the fifth field is the MJD ("37665.00"); 14 C04: the fourth ("37665").
            // 20 C04 has the hour (0-23) where 14 C04 has the MJD (> 30000).
            let layout20 = fields.count >= 13 && fields[3].count <= 2
            guard layout20 || fields.count >= 10 else {
                throw TimeError.malformedFile(
                    file: file.fileName, line: lineNumber,
                    message: "expected 'YR MM DD HH MJD x y UT1-UTC dX dY xrt yrt LOD …' (EOP 20 C04) "
                        + "or 'YR MM DD MJD x y UT1-UTC LOD dX dY …' (EOP 14 C04), found \(fields.count) fields")
            }
            func field(_ index: Int, _ name: String) throws -> Double {
                try file.number(fields[index], lineNumber: lineNumber, name: name)
            }
            let mjdValue = try field(layout20 ? 4 : 3, "MJD")
            guard mjdValue == mjdValue.rounded() else {
                throw TimeError.malformedFile(
                    file: file.fileName, line: lineNumber, message: "MJD \(mjdValue) is not at 0h UTC")
            }
            let mjd = Int(mjdValue)
            if let previous = rows.last, mjd != previous.modifiedJulianDate + 1 {
                throw TimeError.malformedFile(
                    file: file.fileName, line: lineNumber,
                    message:
                        "MJD \(mjd) does not follow MJD \(previous.modifiedJulianDate): rows must be consecutive days")
            }
            let base = layout20 ? 5 : 4
            rows.append(
                Row(
                    modifiedJulianDate: mjd, ut1MinusUTCSeconds: try field(base + 2, "UT1-UTC"),
                    lengthOfDayExcessSeconds: try field(layout20 ? base + 7 : base + 3, "LOD"),
                    polarMotionXArcseconds: try field(base, "x"), polarMotionYArcseconds: try field(base + 1, "y"),
                    poleOffset1Arcseconds: try field(layout20 ? base + 3 : base + 4, "dX"),
                    poleOffset2Arcseconds: try field(layout20 ? base + 4 : base + 5, "dY")))
        }
        guard !rows.isEmpty else {
            throw TimeError.unreadableFile(file: file.fileName, message: "no Earth-orientation rows found")
        }
        try self.init(rows: rows, poleOffsetModel: poleOffsetModel, leapSeconds: leapSeconds)
    }
}
