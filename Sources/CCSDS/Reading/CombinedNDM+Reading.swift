import Foundation

extension CombinedNDM {
    /// Whether an XML document's root is `<ndm>`.
    public static func isCombined(_ bytes: [UInt8]) -> Bool {
        let head = String(decoding: bytes.prefix(4096), as: UTF8.self)
        guard let open = head.range(of: "<ndm") else { return false }
        return !head[..<open.lowerBound].contains(where: { $0 == "<" && false })
            && head[..<open.lowerBound].components(separatedBy: "<").allSatisfy { $0.isEmpty || $0.hasPrefix("?") || $0.hasPrefix("!--") }
    }

    /// The messages of an `<ndm>` document, each as its own XML text padded with blank lines and spaces so that
    /// line and column numbers in diagnostics are those of the original file.
    public static func split(_ bytes: [UInt8]) -> [[UInt8]] {
        let text = String(decoding: bytes, as: UTF8.self)
        var fragments: [[UInt8]] = []
        var cursor = text.startIndex
        let roots = MessageType.allCases.map(\.xmlRootName)
        while let open = text[cursor...].range(of: "<") {
            let rest = text[open.upperBound...]
            guard let root = roots.first(where: { rest.hasPrefix($0 + " ") || rest.hasPrefix($0 + ">") }) else {
                cursor = open.upperBound
                continue
            }
            guard let close = text[open.lowerBound...].range(of: "</\(root)>") else { break }
            let before = text[..<open.lowerBound]
            let lines = before.reduce(0) { $0 + ($1 == "\n" ? 1 : 0) }
            let column = before.distance(from: before.lastIndex(of: "\n").map { before.index(after: $0) } ?? before.startIndex, to: before.endIndex)
            let fragment = String(repeating: "\n", count: lines) + String(repeating: " ", count: column)
                + text[open.lowerBound..<close.upperBound]
            fragments.append(Array(fragment.utf8))
            cursor = close.upperBound
        }
        return fragments
    }
}
