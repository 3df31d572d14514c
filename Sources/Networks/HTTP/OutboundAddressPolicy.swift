import Foundation

/// Which addresses Trestle may reach when a person names a server (a Mastodon instance, a
/// Bluesky PDS, a feed): public ones only, unless the operator allows more.
///
/// Loopback, private, link-local (and so the cloud metadata address 169.254.169.254), shared
/// (100.64/10), multicast and unspecified addresses are refused after DNS resolution, so a name
/// that points inside the network is refused like the address itself. `allowed` names hosts or
/// CIDR blocks that may be reached although private (`TRESTLE_FETCH_ALLOW`).
public struct OutboundAddressPolicy: Sendable {
    private var hosts: Set<String> = []
    private var blocks: [IPBlock] = []

    /// Public addresses only.
    public init() {}

    /// `entries`: host names, addresses or CIDR blocks such as `10.0.0.0/8`; an entry that is
    /// none of these is reported so a typo in the setting is not silently ignored.
    public init(allowing entries: [String] = []) throws {
        for raw in entries {
            let entry = raw.trimmingCharacters(in: .whitespaces).lowercased()
            if entry.isEmpty { continue }
            if let block = IPBlock(entry) {
                blocks.append(block)
            } else if !IPAddress.looksLikeIPv4(entry), entry.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }), !entry.contains("/") {
                hosts.insert(entry)
            } else {
                throw NetworkError.configuration("\(raw) is neither a host name, an address nor a CIDR block such as 10.0.0.0/8.")
            }
        }
    }

    /// Whether `host` itself was allowed by name.
    func allows(host: String) -> Bool {
        hosts.contains(host.lowercased())
    }

    /// Whether `address` may be reached: public, or inside an allowed block.
    func allows(_ address: IPAddress) -> Bool {
        if hosts.contains(address.description) { return true }
        if blocks.contains(where: { $0.contains(address) }) { return true }
        return address.isPublic
    }
}

/// A CIDR block such as `10.0.0.0/8` or `fc00::/7`.
struct IPBlock: Sendable {
    let base: IPAddress
    let prefixLength: Int

    init?(_ text: String) {
        let pieces = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let base = IPAddress(String(pieces[0])) else { return nil }
        let bits = base.bytes.count * 8
        if pieces.count == 2 {
            guard pieces[1].allSatisfy({ $0.isASCII && $0.isNumber }), let length = Int(pieces[1]), (0...bits).contains(length) else { return nil }
            prefixLength = length
        } else {
            prefixLength = bits
        }
        self.base = base
    }

    func contains(_ address: IPAddress) -> Bool {
        guard address.bytes.count == base.bytes.count else { return false }
        var remaining = prefixLength
        for (a, b) in zip(address.bytes, base.bytes) where remaining > 0 {
            let mask: UInt8 = remaining >= 8 ? 0xff : ~(0xff >> UInt8(remaining))
            if a & mask != b & mask { return false }
            remaining -= 8
        }
        return true
    }

    static let specialIPv4: [IPBlock] = [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
        "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
        "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
    ].compactMap(IPBlock.init)

    static let specialIPv6: [IPBlock] = [
        "::/128", "::1/128", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001:db8::/32", "fc00::/7",
        "fe80::/10", "fec0::/10", "ff00::/8",
    ].compactMap(IPBlock.init)
}
