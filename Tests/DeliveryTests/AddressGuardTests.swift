import Testing

@testable import Delivery

@Suite struct AddressGuardTests {
    /// A guard whose resolver answers from a table, so the tests need no DNS.
    static func guarding(allowed: [String] = [], names: [String: [String]] = [:]) throws -> AddressGuard {
        var checker = try AddressGuard(allowing: allowed)
        checker.resolve = { host throws(AddressRefusal) in
            guard let addresses = names[host] else { throw AddressRefusal(.dns, "\(host) does not resolve") }
            return addresses.compactMap(IPAddress.init)
        }
        return checker
    }

    @Test(arguments: [
        ("10.1.2.3", AddressClass.private), ("172.16.0.1", .private), ("172.31.255.255", .private),
        ("192.168.1.1", .private), ("fc00::1", .private), ("fd12:3456::1", .private),
        ("127.0.0.1", .loopback), ("127.255.0.9", .loopback), ("::1", .loopback),
        ("169.254.169.254", .linkLocal), ("fe80::1", .linkLocal),
        ("224.0.0.1", .multicast), ("239.1.1.1", .multicast), ("ff02::1", .multicast),
        ("0.0.0.0", .unspecified), ("0.1.2.3", .unspecified), ("::", .unspecified),
        ("100.64.0.1", .sharedAddressSpace), ("100.127.255.254", .sharedAddressSpace),
        ("192.0.0.8", .protocolAssignment), ("198.18.0.1", .benchmarking), ("198.19.255.1", .benchmarking),
        ("240.0.0.1", .reserved), ("255.255.255.255", .broadcast),
        ("192.0.2.1", .documentation), ("198.51.100.7", .documentation), ("203.0.113.9", .documentation),
        ("2001:db8::1", .documentation),
        // IPv6 forms that carry an IPv4 address are judged by it.
        ("::ffff:127.0.0.1", .loopback), ("::ffff:10.0.0.1", .private), ("::ffff:169.254.169.254", .linkLocal),
        ("::127.0.0.1", .loopback), ("64:ff9b::a00:1", .private), ("64:ff9b::7f00:1", .loopback),
        ("2002:7f00:1::1", .loopback), ("2002:c0a8:101::", .private), ("2001:0:4136:e378::1", .teredo),
        // Global.
        ("8.8.8.8", .global), ("1.1.1.1", .global), ("100.128.0.1", .global), ("172.32.0.1", .global),
        ("2606:4700::1111", .global), ("::ffff:8.8.8.8", .global), ("64:ff9b::808:808", .global),
        ("2002:808:808::1", .global), ("4000::1", .reserved),
    ])
    func classifiesAddresses(text: String, expected: AddressClass) throws {
        let address = try #require(IPAddress(text))
        #expect(address.addressClass == expected, "\(text)")
        let checker = try Self.guarding()
        #expect((checker.refusal(of: address) == nil) == (expected == .global))
    }

    @Test func parsesCIDRs() throws {
        let block = try #require(CIDR("10.1.0.0/16"))
        #expect(block.contains(IPAddress("10.1.200.3")!))
        #expect(!block.contains(IPAddress("10.2.0.1")!))
        #expect(!block.contains(IPAddress("::ffff:10.1.0.1")!))
        #expect(CIDR("fd00::/8")?.contains(IPAddress("fdff::1")!) == true)
        #expect(CIDR("10.1.2.3/8")?.description == "10.0.0.0/8")
        #expect(CIDR("127.0.0.1")?.prefixLength == 32)
        for bad in ["10.0.0.0/33", "::/129", "10.0.0/8", "example.com/8", "10.0.0.0/-1", "10.0.0.0/8/8", ""] {
            #expect(CIDR(bad) == nil, "\(bad)")
        }
        #expect(throws: AddressRefusal.self) { try AddressGuard(allowing: ["10.0.0.0/40"]) }
    }

    @Test func allowedRangesWinOverTheClass() throws {
        let checker = try Self.guarding(allowed: ["10.1.0.0/16", "127.0.0.1/32", "fd00::/8"])
        #expect(checker.refusal(of: IPAddress("10.1.2.3")!) == nil)
        #expect(checker.refusal(of: IPAddress("10.2.0.1")!) == .private)
        #expect(checker.refusal(of: IPAddress("127.0.0.1")!) == nil)
        #expect(checker.refusal(of: IPAddress("::ffff:127.0.0.1")!) == nil)
        #expect(checker.refusal(of: IPAddress("127.0.0.2")!) == .loopback)
        #expect(checker.refusal(of: IPAddress("fd00::5")!) == nil)
    }

    @Test func acceptsGlobalHTTPSAndReturnsTheAddressToConnectTo() async throws {
        let checker = try Self.guarding(names: ["hooks.example.com": ["93.184.215.14", "2606:2800:21f:cb07::1"]])
        let target = try await checker.check(url: "https://hooks.example.com:8443/essor?x=1")
        #expect(target.host == "hooks.example.com")
        #expect(target.port == 8443)
        #expect(target.address == IPAddress("93.184.215.14"))
        #expect(target.addresses.count == 2)
        let literal = try await checker.check(url: "https://[2606:4700::1111]/")
        #expect(literal.host == "2606:4700::1111" && literal.port == 443 && literal.hostIsAddress)
    }

    @Test func refusesWhenAnyResolvedAddressIsRefused() async throws {
        let checker = try Self.guarding(names: ["mixed.example": ["8.8.8.8", "10.0.0.7"]])
        let refusal = await #expect(throws: AddressRefusal.self) {
            try await checker.check(url: "https://mixed.example/")
        }
        #expect(refusal?.errorClass == "address-refused")
        #expect(refusal?.message.contains("mixed.example resolves to 10.0.0.7, a private address") == true)
    }

    @Test(arguments: [
        ("https://127.0.0.1/", "address-refused"), ("https://[::1]:8443/", "address-refused"),
        ("https://[::ffff:169.254.169.254]/", "address-refused"), ("https://169.254.169.254/latest", "address-refused"),
        ("https://unknown.example/", "dns"), ("ftp://8.8.8.8/", "bad-url"), ("https://user:pw@8.8.8.8/", "bad-url"),
        ("https:///path", "bad-url"), ("not a url", "bad-url"), ("http://8.8.8.8/", "bad-url"),
        ("/relative", "bad-url"),
    ])
    func refusesURLs(url: String, errorClass: String) async throws {
        let checker = try Self.guarding()
        let refusal = await #expect(throws: AddressRefusal.self) { try await checker.check(url: url) }
        #expect(refusal?.errorClass == errorClass, "\(url): \(String(describing: refusal))")
    }

    @Test func allowsHTTPOnlyInsideAllowedRanges() async throws {
        let checker = try Self.guarding(
            allowed: ["10.1.0.0/16"], names: ["inside.lan": ["10.1.0.5"], "split.lan": ["10.1.0.5", "8.8.8.8"]])
        let target = try await checker.check(url: "http://inside.lan:8080/hook")
        #expect(target.scheme == "http" && target.port == 8080 && target.address == IPAddress("10.1.0.5"))
        let refusal = await #expect(throws: AddressRefusal.self) { try await checker.check(url: "http://split.lan/") }
        #expect(refusal?.errorClass == "bad-url")
        _ = try await checker.check(url: "https://split.lan/")
    }

    @Test func refusesANameThatResolvesToLoopback() async throws {
        let checker = AddressGuard()  // the system resolver
        let refusal = await #expect(throws: AddressRefusal.self) {
            try await checker.check(url: "https://localhost:9/")
        }
        #expect(refusal?.errorClass == "address-refused")
        #expect(refusal?.message.contains("localhost resolves to") == true)
        let shorthand = await #expect(throws: AddressRefusal.self) { try await checker.check(url: "https://127.1/") }
        #expect(shorthand?.errorClass == "address-refused")
    }
}
