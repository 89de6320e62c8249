import Foundation
import Testing

@testable import Delivery

@Suite struct StandardWebhookSignatureTests {
    // The Standard Webhooks reference vector (its libraries' test suites).
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    let id = "msg_p5jXN8AQM9LWM0D4loKWxJek"
    let timestamp = 1_614_265_330
    let body = Array(#"{"test": 2432232314}"#.utf8)

    @Test func signsTheReferenceVector() throws {
        let header = try StandardWebhookSignature.header(id: id, timestamp: timestamp, body: body, secrets: [secret])
        #expect(header == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    @Test func signsWithEverySecretInOrder() throws {
        let other = StandardWebhookSignature.generateSecret()
        let header = try StandardWebhookSignature.header(
            id: id, timestamp: timestamp, body: body, secrets: [other, secret])
        let parts = header.split(separator: " ")
        #expect(parts.count == 2)
        #expect(parts[1] == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        #expect(parts[0].hasPrefix("v1,") && parts[0] != parts[1])
    }

    @Test func generatesThirtyTwoByteSecrets() throws {
        let secret = StandardWebhookSignature.generateSecret()
        #expect(secret.hasPrefix("whsec_"))
        #expect(Data(base64Encoded: String(secret.dropFirst(6)))?.count == 32)
        #expect(secret != StandardWebhookSignature.generateSecret())
    }

    @Test func refusesSecretsThatAreNotBase64() {
        #expect(throws: WebhookSecretError.self) {
            try StandardWebhookSignature.header(id: id, timestamp: timestamp, body: body, secrets: ["whsec_!!"])
        }
        #expect(throws: WebhookSecretError.self) {
            try StandardWebhookSignature.header(id: id, timestamp: timestamp, body: body, secrets: [])
        }
    }
}
