import CCSDS

/// Several messages in one XML document: the NDM combined instantiation `<ndm>` (CCSDS 505.0-B-3 §4.3, XSD
/// `ndmType`), as CelesTrak serves OMM catalogues.
enum CombinedNDM {
    /// Writes `<ndm>` holding each message's root element.
    static func write(_ messages: [Message], version: String?) throws(CCSDS.ValidationError) -> [UInt8] {
        var out = Array(
            ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ndm xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                + "xsi:noNamespaceSchemaLocation=\"https://sanaregistry.org/r/ndmxml_unqualified/"
                + "ndmxml-4.0.0-master-4.0.xsd\">\n").utf8)
        for message in messages {
            let document = String(decoding: try MessageWriter.write(message, as: .xml, version: version), as: UTF8.self)
            // Keep the message's root element without the XML declaration and the schema attributes that belong
            // on the document's root.
            var lines = document.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if lines.first?.hasPrefix("<?xml") == true { lines.removeFirst() }
            if let rootIndex = lines.firstIndex(where: { $0.hasPrefix("<") }),
                let idRange = lines[rootIndex].range(of: " id=")
            {
                let root = message.type.xmlRootName
                lines[rootIndex] = "<\(root)" + lines[rootIndex][idRange.lowerBound...]
            }
            for line in lines where !line.isEmpty { out += Array(("  " + line + "\n").utf8) }
        }
        out += Array("</ndm>\n".utf8)
        return out
    }
}

extension CombinedNDM {
    /// Whether an XML document's root is `<ndm>`.
    static func isCombined(_ bytes: [UInt8]) -> Bool {
        let head = String(decoding: bytes.prefix(4096), as: UTF8.self)
        guard let open = head.range(of: "<ndm") else { return false }
        return !head[..<open.lowerBound].contains(where: { $0 == "<" && false })
            && head[..<open.lowerBound].components(separatedBy: "<").allSatisfy { $0.isEmpty || $0.hasPrefix("?") || $0.hasPrefix("!--") }
    }

    /// The messages of an `<ndm>` document, each as its own XML text padded with blank lines and spaces so that
    /// line and column numbers in diagnostics are those of the original file.
    static func split(_ bytes: [UInt8]) -> [[UInt8]] {
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
