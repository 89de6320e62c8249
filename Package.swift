// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Essor",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "CCSDS", targets: ["CCSDS"]),
        .library(name: "Astrodynamics", targets: ["Astrodynamics"]),
        .executable(name: "essor", targets: ["essor"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3" ..< "5.0.0"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // Pure format library: CCSDS NDM (OEM, OPM, OMM, CDM, TDM) in KVN, XML and JSON, plus TLE/3LE.
        // No dependency beyond the standard library and Foundation.
        .target(name: "CCSDS"),
        // Pure astrodynamics: exact time scales, SGP4/SDP4, frames, interpolation, probability of collision.
        // Only Products/ (OEM/OPM output) imports CCSDS.
        .target(name: "Astrodynamics", dependencies: ["CCSDS", "CMath"]),
        // glibc's sincos for SGP4's hot path (Swift's Glibc module does not expose it).
        .target(name: "CMath"),
        // Pure access-policy engine: principals, actions, resources, rules, decisions, the YAML policy loader.
        .target(name: "Policy", dependencies: [.product(name: "Yams", package: "Yams")]),
        // Gateway domain types (identities, API keys, catalogue, element sets) and the storage protocols.
        .target(
            name: "GatewayCore",
            dependencies: ["CCSDS", "Astrodynamics", "Policy", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Store implementations: SQLite (GRDB, embedded default) and PostgreSQL (postgres-nio), with versioned
        // migrations.
        .target(
            name: "Storage",
            dependencies: [
                "GatewayCore", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        // Development PKI: a local CA, the server certificate and client certificates for the demo users.
        .target(
            name: "DevPKI",
            dependencies: [
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        // libcurl (SFTP push) and the non-variadic wrappers Swift needs to call it.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "CCurlShim", dependencies: ["CCurl"]),
        // Push (issue 10): the fan-out, the delivery workers, the webhook, SFTP and drop-folder transports, the
        // retry schedule and the SSRF guard. Server-free: the gateway composes it.
        .target(
            name: "Delivery",
            dependencies: [
                "GatewayCore", "Policy", "CCSDS", "CCurl", "CCurlShim",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Observation requests (issue 11): reading a submission, the quotas, and the forwarder that sends the
        // backend outbox over mutual TLS. The model, state machine and store protocol are in GatewayCore
        // (Requests/), so that every storage engine implements them.
        .target(
            name: "Tasking",
            dependencies: [
                "GatewayCore", "Policy", "CCSDS",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The reference backend's domain (issue 12): sensors, visibility, the Sun and Moon, scheduling and measurement
        // simulation. Pure: no server code (its service is BackendApp).
        .target(
            name: "Backend",
            dependencies: ["Astrodynamics", "CCSDS", "CMath", .product(name: "Yams", package: "Yams")]
        ),
        // `essor backend` (issue 12): the reference backend's service — the backend protocol over mutual TLS, its own
        // store (SQLite or PostgreSQL), the worker that plans, observes and reports to the gateway.
        .target(
            name: "BackendApp",
            dependencies: [
                "Backend", "Astrodynamics", "CCSDS", "DevPKI", "Storage",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        // The HTTP layer: request context, authentication, problem+json, controllers over the store protocols.
        .target(
            name: "GatewayHTTP",
            dependencies: [
                "GatewayCore", "Policy", "CCSDS", "Astrodynamics", "Delivery", "Tasking",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            resources: [.copy("Resources/openapi.yaml"), .copy("Resources/openapi-backend.yaml")]
        ),
        // The composition root: configuration, TLS, the store, the policy, the server and its services.
        .target(
            name: "GatewayApp",
            dependencies: [
                "GatewayHTTP", "GatewayCore", "Storage", "Policy", "DevPKI", "Delivery", "Tasking",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HummingbirdHTTP2", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "essor",
            dependencies: [
                "CCSDS",
                "Astrodynamics",
                "Policy",
                "DevPKI",
                "GatewayCore",
                "Storage",
                "GatewayApp",
                "Delivery",
                "Tasking",
                "Backend",
                "BackendApp",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .testTarget(
            name: "CCSDSTests",
            dependencies: ["CCSDS"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "AstrodynamicsTests",
            dependencies: ["Astrodynamics", "CCSDS"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "DevPKITests",
            dependencies: [
                "DevPKI",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .testTarget(
            name: "StorageTests",
            dependencies: [
                "Storage", "GatewayCore", "CCSDS", "Policy",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .testTarget(
            name: "GatewayCoreTests",
            dependencies: ["GatewayCore", "CCSDS", "Astrodynamics", "Policy"]
        ),
        .testTarget(
            name: "GatewayHTTPTests",
            dependencies: [
                "GatewayHTTP", "GatewayCore", "Storage", "Policy",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "DeliveryTests",
            dependencies: [
                "Delivery", "GatewayCore", "Storage", "Policy", "CCSDS",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "TaskingTests",
            dependencies: [
                "Tasking", "GatewayCore", "Policy", "Storage", "CCSDS",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "BackendTests",
            dependencies: ["Backend", "Astrodynamics", "CCSDS"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "BackendAppTests",
            dependencies: [
                "BackendApp", "Backend", "Astrodynamics", "Storage", "DevPKI",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "PolicyTests",
            dependencies: ["Policy"],
            resources: [.copy("Fixtures")]
        ),
    ]
)
