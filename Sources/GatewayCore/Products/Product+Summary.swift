import CCSDS

extension Product {
    /// The empty message of `kind` (no header fields, no segments) that summaries carry in place of the model.
    public static func placeholderMessage(_ kind: ProductKind) -> Message {
        Message(type: kind.messageType, version: "", header: Block(name: "header"), segments: [])
    }

    /// The product as `ProductStore.productSummaries(_:)` returns it: every fact, but no `bytes` and a placeholder
    /// message (the content hash still names the bytes).
    public var summary: Product {
        var summary = self
        summary.bytes = []
        summary.message = Product.placeholderMessage(kind)
        return summary
    }
}
