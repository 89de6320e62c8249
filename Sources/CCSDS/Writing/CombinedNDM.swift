/// Several messages in one XML document: the NDM combined instantiation `<ndm>` (CCSDS 505.0-B-3 §4.3, XSD
/// `ndmType`), as CelesTrak serves OMM catalogues.
public enum CombinedNDM {
    /// Writes `<ndm>` holding each message's root element.
    public static func write(_ messages: [Message], version: String?) throws(CCSDS.ValidationError) -> [UInt8] {
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
                let idStart = Self.firstIndex(of: " id=", in: lines[rootIndex])
            {
                let root = message.type.xmlRootName
                lines[rootIndex] = "<\(root)" + lines[rootIndex][idStart...]
            }
            for line in lines where !line.isEmpty { out += Array(("  " + line + "\n").utf8) }
        }
        out += Array("</ndm>\n".utf8)
        return out
    }

    /// Where `needle` first starts in `line`.
    private static func firstIndex(of needle: String, in line: String) -> String.Index? {
        var index = line.startIndex
        while index < line.endIndex {
            if line[index...].hasPrefix(needle) { return index }
            index = line.index(after: index)
        }
        return nil
    }
}
