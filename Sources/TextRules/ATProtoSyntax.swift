/// Syntax checks for AT Protocol identifiers, as the protocol's specification and its interop
/// test data (`atproto-interop-tests/syntax`) define them. Each one only looks at the text:
/// a valid handle may still not resolve, a valid DID may not exist.
public enum ATProtoSyntax {
    static let maxHandleLength = 253
    static let maxDIDLength = 2048
    static let maxNSIDLength = 317
    static let maxATURILength = 8192
    static let maxRecordKeyLength = 512

    /// A handle: a DNS name of two or more labels (letters, digits, inner hyphens, 1–63
    /// characters each, 253 in all) whose last label starts with a letter. Case is ignored.
    public static func isValidHandle(_ handle: String) -> Bool {
        let bytes = Array(handle.utf8)
        guard !bytes.isEmpty, bytes.count <= maxHandleLength else { return false }
        let labels = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy(isValidDNSLabel) else { return false }
        return isASCIILetter(labels[labels.count - 1].first!)
    }

    /// A DID: `did:` + a lowercase method + `:` + an identifier of letters, digits and `._:%-`
    /// that does not end in `:` or `%`; at most 2048 characters.
    public static func isValidDID(_ did: String) -> Bool {
        let bytes = Array(did.utf8)
        guard bytes.count <= maxDIDLength, bytes.starts(with: Array("did:".utf8)) else { return false }
        var k = 4
        while k < bytes.count, bytes[k] >= UInt8(ascii: "a"), bytes[k] <= UInt8(ascii: "z") { k += 1 }
        guard k > 4, k < bytes.count, bytes[k] == UInt8(ascii: ":") else { return false }
        let identifier = bytes[(k + 1)...]
        guard let last = identifier.last, last != UInt8(ascii: ":"), last != UInt8(ascii: "%") else { return false }
        return identifier.allSatisfy { isASCIIAlphanumeric($0) || "._:%-".utf8.contains($0) }
    }

    /// A namespaced identifier (`app.bsky.feed.post`): three or more segments, a domain
    /// authority whose first segment starts with a letter, and a name of letters and digits.
    public static func isValidNSID(_ nsid: String) -> Bool {
        let bytes = Array(nsid.utf8)
        guard bytes.count <= maxNSIDLength else { return false }
        let segments = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard segments.count >= 3, isASCIILetter(segments[0].first ?? 0) else { return false }
        guard segments.dropLast().allSatisfy(isValidDNSLabel) else { return false }
        let name = segments[segments.count - 1]
        guard let first = name.first, name.count <= 63, isASCIILetter(first) else { return false }
        return name.allSatisfy(isASCIIAlphanumeric)
    }

    /// An AT URI in the strict form records are addressed by:
    /// `at://` + handle or DID, optionally `/` + collection NSID, optionally `/` + record key;
    /// no trailing slash, query or fragment; at most 8 KiB.
    public static func isValidATURI(_ uri: String) -> Bool {
        guard uri.utf8.count <= maxATURILength, uri.hasPrefix("at://") else { return false }
        let parts = uri.dropFirst(5).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 3 else { return false }
        guard isValidDID(parts[0]) || isValidHandle(parts[0]) else { return false }
        if parts.count >= 2, !isValidNSID(parts[1]) { return false }
        if parts.count == 3, !isValidRecordKey(parts[2]) { return false }
        return true
    }

    /// A timestamp identifier: 13 characters of base32-sortable (`234567a–z`), the first
    /// at most `j` because the high bit is always zero.
    public static func isValidTID(_ tid: String) -> Bool {
        let bytes = Array(tid.utf8)
        guard bytes.count == 13, "234567abcdefghij".utf8.contains(bytes[0]) else { return false }
        return bytes.allSatisfy { ($0 >= UInt8(ascii: "2") && $0 <= UInt8(ascii: "7")) || isLowercaseLetter($0) }
    }

    /// A record key: 1–512 characters of letters, digits and `_~.:-`, but not `.` or `..`.
    public static func isValidRecordKey(_ key: String) -> Bool {
        let bytes = Array(key.utf8)
        guard !bytes.isEmpty, bytes.count <= maxRecordKeyLength, key != ".", key != ".." else { return false }
        return bytes.allSatisfy { isASCIIAlphanumeric($0) || "_~.:-".utf8.contains($0) }
    }

    // MARK: - Bytes

    /// 1–63 letters, digits and hyphens, not starting or ending with a hyphen.
    static func isValidDNSLabel(_ label: ArraySlice<UInt8>) -> Bool {
        guard let first = label.first, let last = label.last, label.count <= 63 else { return false }
        guard first != UInt8(ascii: "-"), last != UInt8(ascii: "-") else { return false }
        return label.allSatisfy { isASCIIAlphanumeric($0) || $0 == UInt8(ascii: "-") }
    }

    @inline(__always) static func isASCIILetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- 0x61 < 26 }
    @inline(__always) static func isLowercaseLetter(_ byte: UInt8) -> Bool { byte &- 0x61 < 26 }
    @inline(__always) static func isASCIIDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }
    @inline(__always) static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        isASCIILetter(byte) || isASCIIDigit(byte)
    }
}
