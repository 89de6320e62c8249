import Foundation
import NIOSSL

/// The server's TLS settings: Mozilla's "intermediate" profile (TLS 1.2 and 1.3, ECDHE key exchange with
/// X25519/P-256/P-384, AEAD ciphers only), ALPN for HTTP/2 and HTTP/1.1, and optional client certificates.
///
/// swift-nio-ssl's defaults allow TLS 1.0 and CBC and plain-RSA suites and offer X448 and P-521; every one of
/// those is set explicitly here.
enum GatewayTLS {
    /// The TLS 1.2 suites of the intermediate profile (TLS 1.3's are all AEAD and fixed by BoringSSL).
    static let cipherSuites = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
        "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
    ].joined(separator: ":")

    /// The configuration for `configuration`'s certificate, key and client CA.
    static func configuration(_ configuration: GatewayConfiguration) throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMFile(configuration.certificateFile).map {
            NIOSSLCertificateSource.certificate($0)
        }
        let key = try NIOSSLPrivateKey(file: configuration.keyFile, format: .pem)
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        tls.minimumTLSVersion = .tlsv12
        tls.maximumTLSVersion = .tlsv13
        tls.cipherSuites = cipherSuites
        tls.curves = [.x25519, .secp256r1, .secp384r1]
        tls.applicationProtocols = ["h2", "http/1.1"]
        if let clientCA = configuration.clientCA {
            // Clients without a certificate still reach the API with a key; a certificate that is presented must
            // chain to the client CA (the handshake fails otherwise).
            tls.certificateVerification = .optionalVerification
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(clientCA))
        }
        return tls
    }
}
