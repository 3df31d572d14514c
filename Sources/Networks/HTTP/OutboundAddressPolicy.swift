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
            } else if entry.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }), !entry.contains("/") {
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

/// An IPv4 or IPv6 address as bytes (4 or 16).
struct IPAddress: Sendable, Equatable, CustomStringConvertible {
    let bytes: [UInt8]

    init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// Parses a dotted IPv4 or a colon IPv6 literal (brackets allowed).
    init?(_ text: String) {
        var text = Substring(text)
        if text.hasPrefix("["), text.hasSuffix("]") { text = text.dropFirst().dropLast() }
        if text.contains(":") {
            guard let bytes = Self.parseIPv6(text) else { return nil }
            self.bytes = bytes
        } else {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 4 else { return nil }
            var bytes: [UInt8] = []
            for part in parts {
                guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), let value = UInt8(part) else { return nil }
                bytes.append(value)
            }
            self.bytes = bytes
        }
    }

    private static func parseIPv6(_ text: Substring) -> [UInt8]? {
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                // An embedded IPv4 address may close the text (::ffff:10.0.0.1).
                if index == pieces.count - 1, piece.contains("."), let v4 = IPAddress(String(piece)), v4.bytes.count == 4 {
                    result.append(UInt16(v4.bytes[0]) << 8 | UInt16(v4.bytes[1]))
                    result.append(UInt16(v4.bytes[2]) << 8 | UInt16(v4.bytes[3]))
                    continue
                }
                guard !piece.isEmpty, piece.count <= 4, let value = UInt16(piece, radix: 16) else { return nil }
                result.append(value)
            }
            return result
        }
        guard let head = groups(halves[0]) else { return nil }
        var all = head
        if halves.count == 2 {
            guard let tail = groups(halves[1]), head.count + tail.count < 8 else { return nil }
            all += Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        }
        guard all.count == 8 else { return nil }
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] }
    }

    /// The IPv4 address inside an IPv4-mapped IPv6 one (`::ffff:a.b.c.d`), which reaches the same host.
    var unmappedIPv4: IPAddress? {
        guard bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff else { return nil }
        return IPAddress(bytes: Array(bytes[12..<16]))
    }

    /// Reachable from the internet: none of the special-purpose ranges.
    var isPublic: Bool {
        if let v4 = unmappedIPv4 { return v4.isPublic }
        let special: [IPBlock] = bytes.count == 4 ? IPBlock.specialIPv4 : IPBlock.specialIPv6
        return !special.contains { $0.contains(self) }
    }

    var description: String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }.joined(separator: ":")
    }
}

/// A CIDR block such as `10.0.0.0/8` or `fc00::/7`.
struct IPBlock: Sendable {
    let base: IPAddress
    let prefixLength: Int

    init?(_ text: String) {
        let pieces = text.split(separator: "/", maxSplits: 1)
        guard let base = IPAddress(String(pieces[0])) else { return nil }
        let bits = base.bytes.count * 8
        if pieces.count == 2 {
            guard let length = Int(pieces[1]), (0...bits).contains(length) else { return nil }
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
