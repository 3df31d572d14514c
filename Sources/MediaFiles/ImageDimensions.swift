import Foundation

/// Width and height read from an image's header, without decoding it.
public enum ImageDimensions {
    /// The widest and tallest side Trestle reads. No network takes a larger image, and a header
    /// that claims more (a PNG may say 4294967295) is unreadable: its sides would overflow
    /// width × height.
    public static let longestSide = 65_535

    public static func read(_ bytes: Data, format: MediaFormat) -> (width: Int, height: Int)? {
        guard let (width, height) = header(bytes, format: format),
              (1...longestSide).contains(width), (1...longestSide).contains(height) else { return nil }
        return (width, height)
    }

    private static func header(_ bytes: Data, format: MediaFormat) -> (width: Int, height: Int)? {
        let b = [UInt8](bytes.prefix(format == .jpeg ? min(bytes.count, 1 << 20) : 64))
        func be16(_ i: Int) -> Int { i + 1 < b.count ? Int(b[i]) << 8 | Int(b[i + 1]) : 0 }
        func be32(_ i: Int) -> Int { i + 3 < b.count ? be16(i) << 16 | be16(i + 2) : 0 }
        func le16(_ i: Int) -> Int { i + 1 < b.count ? Int(b[i]) | Int(b[i + 1]) << 8 : 0 }
        func le24(_ i: Int) -> Int { i + 2 < b.count ? le16(i) | Int(b[i + 2]) << 16 : 0 }
        switch format {
        case .png:
            return b.count >= 24 ? (be32(16), be32(20)) : nil
        case .gif:
            return b.count >= 10 ? (le16(6), le16(8)) : nil
        case .webp:
            guard b.count >= 30 else { return nil }
            switch String(decoding: b[12..<16], as: UTF8.self) {
            case "VP8 ": return (le16(26) & 0x3FFF, le16(28) & 0x3FFF)
            case "VP8L":
                let bits = Int(b[21]) | Int(b[22]) << 8 | Int(b[23]) << 16 | Int(b[24]) << 24
                return ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
            case "VP8X": return (le24(24) + 1, le24(27) + 1)
            default: return nil
            }
        case .jpeg:
            // Walk the segments to the first start-of-frame marker.
            var i = 2
            while i + 9 < b.count {
                guard b[i] == 0xFF else { return nil }
                let marker = b[i + 1]
                if marker == 0xFF { i += 1; continue }
                let isFrame = (0xC0...0xCF).contains(marker) && ![0xC4, 0xC8, 0xCC].contains(marker)
                if isFrame { return (be16(i + 7), be16(i + 5)) }
                i += 2 + be16(i + 2)
            }
            return nil
        case .mp4, .mov:
            return nil
        }
    }
}
