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
        #expect(IPAddress("::ffff:10.0.0.1")?.embeddedIPv4.map(\.description) == ["10.0.0.1"])
    }

    /// glibc reads `012.0.0.1` as octal 10.0.0.1, `0x7f.1` as 127.0.0.1: forms the guard would
    /// have judged as other addresses are not addresses at all.
    @Test(arguments: [
        "012.0.0.1", "010.0.0.1", "127.000.0.1", "00.0.0.0", "0x7f.0.0.1", "0x7f000001", "2130706433", "127.1", "10.1",
        "1.2.3", "1.2.3.4.5", "1.2.3.", "+1.2.3.4", "1.2.3.4 ", "١.٢.٣.٤", "::ffff:012.0.0.1", "[::ffff:0x7f.0.0.1]",
        "1:2:3:4:5:6:7:8:9", "::fffff", "fe80::1%eth0", ":::", "1.2.3.4::",
    ])
    func looseAddressFormsAreRefusedAsInvalid(_ text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test(arguments: ["012.0.0.1", "0x7f.0.0.1", "0X7F.1", "2130706433", "127.1", "10.1", "1.2.3.4.", "example.0x10"])
    func hostsAResolverWouldReadAsIPv4AreRecognised(_ host: String) {
        #expect(IPAddress.looksLikeIPv4(host))
    }

    @Test(arguments: ["mastodon.social", "1password.com", "example.com.", "x.0xgz", "abc"])
    func namesAreNotMistakenForAddresses(_ host: String) {
        #expect(!IPAddress.looksLikeIPv4(host))
    }

    /// IPv6 forms that carry an IPv4 address reach that address, so they are judged by it.
    @Test(arguments: [
        "::127.0.0.1", "[::127.0.0.1]", "::10.0.0.1", "::ffff:169.254.169.254", "::ffff:0:10.0.0.1",
        "2002:7f00:1::", "2002:a00:1::1", "2002:a9fe:a9fe::", "2001:0:4136:e378:8000:63bf:f5ff:fffe", "2001:0:a00:1::1",
    ])
    func ipv6FormsCarryingAPrivateIPv4AddressAreRefused(_ text: String) throws {
        let address = try #require(IPAddress(text))
        #expect(!(try OutboundAddressPolicy()).allows(address))
    }

    @Test(arguments: ["::8.8.8.8", "::ffff:0:8.8.8.8", "2002:808:808::1", "2001:0:808:808:0:0:f7f7:f7f7"])
    func ipv6FormsCarryingAPublicIPv4AddressAreJudgedByIt(_ text: String) throws {
        let address = try #require(IPAddress(text))
        #expect(try OutboundAddressPolicy().allows(address))
    }

    @Test(arguments: ["/", "//", "/8", "10.0.0.0/", "10.0.0.0/+8", "012.0.0.1", "0x7f.1", "10.0.0.0/8/8"])
    func aMalformedAllowEntryIsNamedNotACrash(_ entry: String) {
        #expect(throws: NetworkError.self) { try OutboundAddressPolicy(allowing: [entry]) }
    }
}
