#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The parts of a `multipart/form-data` body (RFC 7578), found in place: each part is a range
/// of the body's own bytes, so a 100 MB video is not copied on the way in.
///
/// The body comes from anyone who can sign up: a boundary longer than RFC 2046 allows, more
/// than `mostParts` parts, or a part whose headers run past `longestHeaders` make the body
/// unreadable rather than costly.
public struct MultipartForm: Sendable {
    public struct Part: Sendable, Equatable {
        public var name: String
        public var filename: String?
        /// Where the part's content lies in the body.
        public var content: Range<Int>
    }

    public static let longestBoundary = 70
    public static let mostParts = 64
    public static let longestHeaders = 8_192

    public let parts: [Part]

    /// Nil when the body is not well-formed multipart with this boundary.
    public init?(bytes: UnsafeRawBufferPointer, boundary: String) {
        guard (1...Self.longestBoundary).contains(boundary.utf8.count) else { return nil }
        let delimiter = Array("--\(boundary)".utf8)
        var parts: [Part] = []
        guard var position = Self.find(delimiter, in: bytes, from: 0) else { return nil }
        while true {
            position += delimiter.count
            // "--" after a delimiter closes the body.
            if position + 1 < bytes.count, bytes[position] == UInt8(ascii: "-"), bytes[position + 1] == UInt8(ascii: "-") { break }
            guard parts.count < Self.mostParts,
                  let lineEnd = Self.find(Self.crlf, in: bytes, from: position) else { return nil }
            let headersStart = lineEnd + 2
            guard let headersEnd = Self.find(Self.crlf + Self.crlf, in: bytes, from: headersStart),
                  headersEnd - headersStart <= Self.longestHeaders else { return nil }
            let contentStart = headersEnd + 4
            guard let next = Self.find(Self.crlf + delimiter, in: bytes, from: contentStart) else { return nil }
            let headers = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[headersStart..<headersEnd]), as: UTF8.self)
            if let disposition = Self.disposition(in: headers) {
                parts.append(Part(name: disposition.name, filename: disposition.filename, content: contentStart..<next))
            }
            position = next + 2
        }
        self.parts = parts
    }

    public func part(named name: String) -> Part? {
        parts.first { $0.name == name }
    }

    private static let crlf: [UInt8] = [13, 10]

    private static func find(_ needle: [UInt8], in haystack: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard let first = needle.first, start >= 0, needle.count <= haystack.count else { return nil }
        var index = start
        let last = haystack.count - needle.count
        while index <= last {
            // memchr finds the first byte fast; the rest is compared in place.
            guard let base = haystack.baseAddress,
                  let hit = memchr(base + index, Int32(first), last - index + 1) else { return nil }
            index = base.distance(to: UnsafeRawPointer(hit))
            if memcmp(base + index, needle, needle.count) == 0 { return index }
            index += 1
        }
        return nil
    }

    /// `Content-Disposition: form-data; name="file"; filename="loaf.png"`.
    private static func disposition(in headers: String) -> (name: String, filename: String?)? {
        for line in headers.split(separator: "\r\n") {
            let pieces = line.split(separator: ":", maxSplits: 1)
            guard pieces.count == 2, pieces[0].trimmed.lowercased() == "content-disposition" else { continue }
            var name: String?
            var filename: String?
            for parameter in pieces[1].split(separator: ";").dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1)
                guard pair.count == 2 else { continue }
                var value = pair[1].trimmed
                if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
                switch pair[0].trimmed.lowercased() {
                case "name": name = value
                case "filename": filename = value
                default: break
                }
            }
            return name.map { ($0, filename) }
        }
        return nil
    }
}

private extension Substring {
    /// Without the spaces and tabs around it.
    var trimmed: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
