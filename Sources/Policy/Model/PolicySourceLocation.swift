/// A place in a policy file: the file name as loaded and a 1-based line and column.
public struct PolicySourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The file, as named to the loader (`default.yaml`, or a path).
    public var file: String
    /// The line, from 1.
    public var line: Int
    /// The column, from 1 (in Unicode scalars, as libyaml counts).
    public var column: Int

    /// Creates a location.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `FILE:LINE:COL`.
    public var description: String { "\(file):\(line):\(column)" }

    /// Orders by file, line, column.
    public static func < (lhs: PolicySourceLocation, rhs: PolicySourceLocation) -> Bool {
        (lhs.file, lhs.line, lhs.column) < (rhs.file, rhs.line, rhs.column)
    }
}
