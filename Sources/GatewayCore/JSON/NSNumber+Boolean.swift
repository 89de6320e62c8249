import Foundation

extension NSNumber {
    /// Whether `JSONSerialization` read this number from `true` or `false` (so `1` and `true` are told apart).
    public var isJSONBoolean: Bool {
        String(cString: objCType) == "c" || type(of: self) == type(of: NSNumber(value: true))
    }
}
