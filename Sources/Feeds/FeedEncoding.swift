import Foundation

/// The character encodings feeds arrive in, and how their bytes become UTF-8. A byte order mark
/// wins, then the HTTP `charset`, then the XML prolog's `encoding=`; UTF-8 otherwise.
enum FeedEncoding: Equatable {
    case utf8, utf16LittleEndian, utf16BigEndian, latin1, windows1252

    /// The encoding named by `name` (a charset label, any case), nil for one not supported.
    init?(label name: String) {
        switch name.lowercased().trimmingCharacters(in: .whitespacesAndNewlines) {
        case "utf-8", "utf8", "unicode-1-1-utf-8": self = .utf8
        // Without a BOM, UTF-16 is big-endian (RFC 2781); with one, the BOM has already decided.
        case "utf-16", "utf16", "utf-16be", "unicodefffe": self = .utf16BigEndian
        case "utf-16le", "unicode", "ucs-2": self = .utf16LittleEndian
        case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "iso-ir-100", "cp819", "ibm819": self = .latin1
        // ASCII feeds still carry stray high bytes; 1252 reads them as their authors meant.
        case "windows-1252", "cp1252", "x-cp1252", "us-ascii", "ascii", "ansi_x3.4-1968": self = .windows1252
        default: return nil
        }
    }

    /// The encoding of `bytes` and how many leading bytes (a BOM) to skip.
    static func detect(_ bytes: [UInt8], contentType: String?) throws(FeedError) -> (FeedEncoding, skip: Int) {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return (.utf8, 3) }
        if bytes.starts(with: [0xFF, 0xFE]) { return (.utf16LittleEndian, 2) }
        if bytes.starts(with: [0xFE, 0xFF]) { return (.utf16BigEndian, 2) }
        if let label = contentType.flatMap(charset(inContentType:)) {
            guard let encoding = FeedEncoding(label: label) else { throw .unsupportedEncoding(label) }
            return (encoding, 0)
        }
        // "<?" in UTF-16 without a BOM.
        if bytes.starts(with: [0x3C, 0x00, 0x3F, 0x00]) { return (.utf16LittleEndian, 0) }
        if bytes.starts(with: [0x00, 0x3C, 0x00, 0x3F]) { return (.utf16BigEndian, 0) }
        if let label = prologEncoding(bytes) {
            guard let encoding = FeedEncoding(label: label) else { throw .unsupportedEncoding(label) }
            // A prolog read as ASCII cannot truly say UTF-16; such a file would have had a BOM.
            return (encoding == .utf16BigEndian || encoding == .utf16LittleEndian ? .utf8 : encoding, 0)
        }
        return (.utf8, 0)
    }

    /// `bytes` (after `skip`) as valid UTF-8; ill-formed sequences become U+FFFD.
    func utf8(_ bytes: [UInt8], skip: Int) -> [UInt8] {
        let body = bytes[min(skip, bytes.count)...]
        switch self {
        case .utf8:
            // Most feeds are valid UTF-8: a copy. Others are repaired so the reader never meets bad UTF-8.
            if Self.isValidUTF8(body) { return Array(body) }
            return Array(String(decoding: body, as: UTF8.self).utf8)
        case .utf16LittleEndian, .utf16BigEndian:
            var units: [UInt16] = []
            units.reserveCapacity(body.count / 2)
            var index = body.startIndex
            while index + 1 < body.endIndex {
                let (a, b) = (UInt16(body[index]), UInt16(body[index + 1]))
                units.append(self == .utf16LittleEndian ? a | b << 8 : a << 8 | b)
                index += 2
            }
            return Array(String(decoding: units, as: UTF16.self).utf8)
        case .latin1, .windows1252:
            // Browsers read ISO-8859-1 as 1252 too: feeds that say Latin-1 use 0x80–0x9F for
            // curly quotes and dashes, never for C1 controls.
            var out: [UInt8] = []
            out.reserveCapacity(body.count + body.count / 8)
            for byte in body {
                if byte < 0x80 {
                    out.append(byte)
                    continue
                }
                let scalar = byte < 0xA0 ? Self.windows1252High[Int(byte - 0x80)] : UInt32(byte)
                out.append(contentsOf: Unicode.Scalar(scalar).map { Array(String($0).utf8) } ?? [0xEF, 0xBF, 0xBD])
            }
            return out
        }
    }

    /// Whether `bytes` are well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF).
    static func isValidUTF8(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.withUnsafeBufferPointer { p in
            var i = 0
            let n = p.count
            while i < n {
                let lead = p[i]
                if lead < 0x80 {
                    i += 1
                    continue
                }
                func continuation(_ k: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool { k < n && range.contains(p[k]) }
                switch lead {
                case 0xC2...0xDF:
                    guard continuation(i + 1) else { return false }
                    i += 2
                case 0xE0...0xEF:
                    let second: ClosedRange<UInt8> = lead == 0xE0 ? 0xA0...0xBF : lead == 0xED ? 0x80...0x9F : 0x80...0xBF
                    guard continuation(i + 1, second), continuation(i + 2) else { return false }
                    i += 3
                case 0xF0...0xF4:
                    let second: ClosedRange<UInt8> = lead == 0xF0 ? 0x90...0xBF : lead == 0xF4 ? 0x80...0x8F : 0x80...0xBF
                    guard continuation(i + 1, second), continuation(i + 2), continuation(i + 3) else { return false }
                    i += 4
                default:
                    return false
                }
            }
            return true
        }
    }

    /// Windows-1252 at 0x80–0x9F; the five holes keep their C1 code points, as WHATWG does.
    static let windows1252High: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// `charset=` of a Content-Type header value, unquoted.
    static func charset(inContentType value: String) -> String? {
        for parameter in value.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "charset" else { continue }
            let label = pair[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            return label.isEmpty ? nil : label
        }
        return nil
    }

    /// `encoding="…"` of an XML declaration at the very start of `bytes`.
    static func prologEncoding(_ bytes: [UInt8]) -> String? {
        guard bytes.starts(with: Array("<?xml".utf8)) else { return nil }
        let head = bytes.prefix(256)
        guard let end = head.firstIndex(of: UInt8(ascii: ">")) else { return nil }
        let declaration = String(decoding: head[..<end], as: UTF8.self)
        guard let at = declaration.range(of: "encoding") else { return nil }
        let rest = declaration[at.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\t" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        let label = rest.dropFirst().prefix { $0 != quote }
        return label.isEmpty ? nil : String(label)
    }
}
