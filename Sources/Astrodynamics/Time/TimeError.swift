/// Why a time value could not be built or a time-data file could not be read.
public enum TimeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A calendar field is outside its range (month 13, 31 April, second 60 outside a leap second …).
    case invalidComponents(String)
    /// Text that is not an ISO 8601 / CCSDS epoch; `reason` says what was expected.
    case invalidISO8601(text: String, reason: String)
    /// A UTC date before 1972-01-01: UTC then had "rubber" seconds and fractional steps, which Essor does not
    /// model (see `LeapSecondTable`).
    case utcBefore1972(String)
    /// The instant is outside the ±292 years around J2000 that `Epoch` can hold.
    case outOfRange(String)
    /// A line of a leap-second or Earth-orientation file that cannot be read: `file:line: message`.
    case malformedFile(file: String, line: Int, message: String)
    /// A file that cannot be opened or holds no usable data.
    case unreadableFile(file: String, message: String)

    /// One line, with the location first for file errors (`FILE:LINE: error: MESSAGE`).
    public var description: String {
        switch self {
        case .invalidComponents(let message): "invalid date or time: \(message)"
        case .invalidISO8601(let text, let reason): "invalid epoch '\(text)': \(reason)"
        case .utcBefore1972(let text):
            "UTC epoch \(text) is before 1972-01-01: the pre-1972 rubber-second UTC is not supported; "
                + "give the epoch in TAI or TT"
        case .outOfRange(let message): "epoch out of range: \(message)"
        case .malformedFile(let file, let line, let message): "\(file):\(line): error: \(message)"
        case .unreadableFile(let file, let message): "\(file): error: \(message)"
        }
    }
}
