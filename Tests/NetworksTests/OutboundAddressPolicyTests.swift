@testable import Networks
import Testing

@Suite struct OutboundAddressPolicyTests {
    @Test(arguments: [
        "127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1",
        "0.0.0.0", "224.0.0.1", "::1", "::", "fe80::1", "fd00::1", "fc00::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "[::1]",
    ])
    func privateLoopbackAndMetadataAddressesAreRefusedByDefault(_ text: String) throws {
        let address = try #require(IPAddress(text))
        #expect(!(try OutboundAddressPolicy()).allows(address))
    }

    @Test(arguments: ["1.1.1.1", "172.32.0.1", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8", "100.128.0.1"])
    func publicAddressesAreAllowed(_ text: String) throws {
        let address = try #require(IPAddress(text))
        #expect(try OutboundAddressPolicy().allows(address))
    }

    @Test func theOperatorCanAllowHostsAndBlocks() throws {
        let policy = try OutboundAddressPolicy(allowing: ["127.0.0.1", "10.0.0.0/8", "Mastodon.Internal"])
        #expect(policy.allows(try #require(IPAddress("127.0.0.1"))))
        #expect(!policy.allows(try #require(IPAddress("127.0.0.2"))))
        #expect(policy.allows(try #require(IPAddress("10.200.0.9"))))
        #expect(!policy.allows(try #require(IPAddress("192.168.0.1"))))
        #expect(policy.allows(host: "mastodon.internal"))
    }

    @Test func aMistypedAllowEntryIsReportedNotIgnored() {
        #expect(throws: NetworkError.self) { try OutboundAddressPolicy(allowing: ["10.0.0.0/99"]) }
        #expect(throws: NetworkError.self) { try OutboundAddressPolicy(allowing: ["http://x/"]) }
    }

    @Test func addressesParseOnlyWhenWellFormed() {
        #expect(IPAddress("256.1.1.1") == nil)
        #expect(IPAddress("1.2.3") == nil)
        #expect(IPAddress("1::2::3") == nil)
        #expect(IPAddress("2001:db8::1")?.bytes.count == 16)
        #expect(IPAddress("::ffff:10.0.0.1")?.unmappedIPv4?.description == "10.0.0.1")
    }
}
