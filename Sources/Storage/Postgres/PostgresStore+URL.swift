import Foundation
import GatewayCore
import PostgresNIO

extension PostgresStore {
    /// The client configuration a `postgres://` URL names (see `init(url:schema:logger:)`); `invalid` for another URL.
    /// `?schema=NAME` puts the store's tables in that existing schema (as the `schema` argument, which wins).
    public static func configuration(url: String, schema: String? = nil) throws(StoreError)
        -> PostgresClient.Configuration
    {
        let invalid = StoreError.invalid(
            "'\(url)' is not a PostgreSQL database URL (expected postgres://USER:PASSWORD@HOST:PORT/DATABASE)")
        guard let components = URLComponents(string: url),
            components.scheme == "postgres" || components.scheme == "postgresql", let host = components.host,
            !host.isEmpty, let user = components.user, !user.isEmpty
        else { throw invalid }
        let database = String(components.path.drop(while: { $0 == "/" }))
        var sslMode = "prefer"
        var schema = schema
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode": sslMode = item.value ?? ""
            case "schema": schema = schema ?? item.value ?? ""
            default:
                throw .invalid("'\(url)': unknown parameter '\(item.name)' (only sslmode and schema are understood)")
            }
        }
        let tls: PostgresClient.Configuration.TLS
        switch sslMode {
        case "disable": tls = .disable
        case "prefer":
            // As libpq's `prefer`: encryption when the server offers it, without verifying the certificate (Debian's
            // default clusters present a self-signed one). Use `require` where the network is not trusted.
            var unverified = TLSConfiguration.makeClientConfiguration()
            unverified.certificateVerification = .none
            tls = .prefer(unverified)
        case "require", "verify-full":
            // Stricter than libpq's `require`: the certificate and host name are verified against the system roots.
            tls = .require(.makeClientConfiguration())
        default: throw .invalid("'\(url)': sslmode must be disable, prefer, require or verify-full")
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: user, password: components.password,
            database: database.isEmpty ? nil : database, tls: tls)
        if let schema {
            guard !schema.isEmpty else { throw .invalid("a PostgreSQL schema needs a name") }
            configuration.options.additionalStartupParameters.append(("search_path", schema))
        }
        return configuration
    }
}
