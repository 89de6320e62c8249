import GatewayCore
import Testing

/// `CertificateSubject.canonical(_:)`: one text per subject DN, whoever typed it (DESIGN §4).
@Suite struct CertificateSubjectTests {
    @Test(arguments: [
        ("CN=alice,O=Operator A,C=GB", "CN=alice,O=Operator A,C=GB"),
        (" cn = alice ,  organizationName=Operator A , OID.2.5.4.6 = GB ", "CN=alice,O=Operator A,C=GB"),
        ("uid=b + cn=a,DC=example", "0.9.2342.19200300.100.1.1=b+CN=a,DC=example"),
        ("CN=a+UID=b,dc=example", "0.9.2342.19200300.100.1.1=b+CN=a,DC=example"),
        ("CN=Smith\\, John,emailAddress=j@example.com", "CN=Smith\\, John,E=j@example.com"),
        ("CN=Caf\\C3\\A9", "CN=Café"),
        ("CN=\\ padded\\ ,2.5.4.005=42", "CN=\\ padded\\ ,2.5.4.5=42"),
        ("CN=\\#tag\\+x=y", "CN=\\#tag\\+x=y"),
        ("CN=", "CN="),
    ])
    func spellingsOfOneSubjectShareACanonicalForm(_ text: String, _ canonical: String) throws {
        #expect(try CertificateSubject.canonical(text) == canonical)
        #expect(try CertificateSubject.canonical(canonical) == canonical)
    }

    @Test func valuesAreCaseSensitiveAndTheRDNOrderCounts() throws {
        #expect(try CertificateSubject.canonical("CN=Alice") != CertificateSubject.canonical("CN=alice"))
        #expect(try CertificateSubject.canonical("C=GB,CN=a") != CertificateSubject.canonical("CN=a,C=GB"))
        #expect(try CertificateSubject.canonical("CN=alice") != CertificateSubject.canonical("CN=alice,O=x"))
    }

    @Test(arguments: [
        "", " ", "CN=a,,O=b", "CN=a,", "CN=a+", "alice", "XX=a", "/C=GB/CN=a", "CN=#0401", "CN=a;O=b", "CN=\"a\"",
        "CN=a\\", "CN=\\zz", "CN=\\C3", "CN=" + String(repeating: "a", count: 1100),
    ])
    func refusesTextsThatAreNotDistinguishedNames(_ text: String) {
        #expect(throws: CertificateSubjectError.self) { try CertificateSubject.canonical(text) }
    }
}
