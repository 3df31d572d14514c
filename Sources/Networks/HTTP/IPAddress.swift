/// An IPv4 or IPv6 address as bytes (4 or 16), read by one strict rule so that the address
/// Trestle checks is the address it connects to.
///
/// IPv4 is four decimal parts without leading zeros, and nothing else: the C library reads
/// `012.0.0.1` as octal (10.0.0.1), `0x7f.1` as hex and `127.1` as 127.0.0.1, so a lenient
/// reader here would judge one address and connect to another.
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
        guard let bytes = text.contains(":") ? Self.parseIPv6(text) : Self.parseIPv4(text) else { return nil }
        self.bytes = bytes
    }

    /// Whether some resolver would read `host` as an IPv4 address: its last label is a number
    /// (decimal, or hex with `0x`), as the WHATWG URL standard decides. Such a host must be a
    /// strict dotted quad, or it is refused rather than handed to `getaddrinfo`.
    static func looksLikeIPv4(_ host: String) -> Bool {
        var labels = host.split(separator: ".", omittingEmptySubsequences: false)
        if labels.count > 1, labels.last?.isEmpty == true { labels.removeLast() }
        guard let last = labels.last, !last.isEmpty else { return false }
        if last.allSatisfy({ $0.isASCII && $0.isNumber }) { return true }
        let lower = last.lowercased()
        return lower.hasPrefix("0x") && lower.dropFirst(2).allSatisfy(\.isHexDigit)
    }

    private static func parseIPv4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }),
                  part.count == 1 || part.first != "0", let value = UInt8(part) else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    private static func parseIPv6(_ text: Substring) -> [UInt8]? {
        guard text.utf8.count <= 45 else { return nil }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String, closesText: Bool) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                // An embedded IPv4 address may close the text (::ffff:10.0.0.1).
                if closesText, index == pieces.count - 1, piece.contains("."), let v4 = parseIPv4(piece) {
                    result.append(UInt16(v4[0]) << 8 | UInt16(v4[1]))
                    result.append(UInt16(v4[2]) << 8 | UInt16(v4[3]))
                    continue
                }
                guard (1...4).contains(piece.count), piece.allSatisfy({ $0.isASCII && $0.isHexDigit }),
                      let value = UInt16(piece, radix: 16) else { return nil }
                result.append(value)
            }
            return result
        }
        guard let head = groups(halves[0], closesText: halves.count == 1) else { return nil }
        var all = head
        if halves.count == 2 {
            guard let tail = groups(halves[1], closesText: true), head.count + tail.count < 8 else { return nil }
            all += Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        }
        guard all.count == 8 else { return nil }
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xff)] }
    }

    /// The IPv4 addresses an IPv6 address carries and reaches: IPv4-mapped (`::ffff:a.b.c.d`),
    /// IPv4-translated (`::ffff:0:a.b.c.d`), IPv4-compatible (`::a.b.c.d`), 6to4
    /// (`2002:aabb:ccdd::`) and Teredo (`2001:0::`, its server and its obfuscated client).
    var embeddedIPv4: [IPAddress] {
        guard bytes.count == 16 else { return [] }
        func v4(_ range: Range<Int>, flipped: Bool = false) -> IPAddress {
            IPAddress(bytes: bytes[range].map { flipped ? ~$0 : $0 })!
        }
        if bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff { return [v4(12..<16)] }
        if bytes[0..<8].allSatisfy({ $0 == 0 }), bytes[8] == 0xff, bytes[9] == 0xff, bytes[10] == 0, bytes[11] == 0 { return [v4(12..<16)] }
        if bytes[0..<12].allSatisfy({ $0 == 0 }) { return [v4(12..<16)] }
        if bytes[0] == 0x20, bytes[1] == 0x02 { return [v4(2..<6)] }
        if bytes[0] == 0x20, bytes[1] == 0x01, bytes[2] == 0, bytes[3] == 0 { return [v4(4..<8), v4(12..<16, flipped: true)] }
        return []
    }

    /// Reachable from the internet: none of the special-purpose ranges, and neither is any
    /// IPv4 address it carries.
    var isPublic: Bool {
        let special: [IPBlock] = bytes.count == 4 ? IPBlock.specialIPv4 : IPBlock.specialIPv6
        return !special.contains { $0.contains(self) } && embeddedIPv4.allSatisfy(\.isPublic)
    }

    var description: String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }.joined(separator: ":")
    }
}
