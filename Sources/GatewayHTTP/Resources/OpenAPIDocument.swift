import Foundation

/// The OpenAPI 3.1 document served at `/openapi.yaml` (the file `Resources/openapi.yaml` of this module).
enum OpenAPIDocument {
    /// The document's bytes, read once from the module's resources.
    static let bytes: [UInt8] = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
            let data = try? Data(contentsOf: url)
        else { return Array("openapi: 3.1.0\ninfo: {title: Essor, version: unavailable}\npaths: {}\n".utf8) }
        return Array(data)
    }()

    /// The backend protocol's document, served at `/openapi-backend.yaml` (the file `Resources/openapi-backend.yaml`
    /// of this module): what a collection / tasking backend implements, and the callbacks it makes (issue 11).
    static let backendBytes: [UInt8] = {
        guard let url = Bundle.module.url(forResource: "openapi-backend", withExtension: "yaml"),
            let data = try? Data(contentsOf: url)
        else { return Array("openapi: 3.1.0\ninfo: {title: Essor backend, version: unavailable}\npaths: {}\n".utf8) }
        return Array(data)
    }()
}
