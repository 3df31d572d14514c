import Foundation

/// A video's duration and picture size, read from its ISO base media file boxes (MP4 and
/// QuickTime share them) without decoding: `moov/mvhd` gives the duration, the first
/// `moov/trak/tkhd` with a picture its width and height.
struct VideoMetadata: Equatable, Sendable {
    var durationSeconds: Double
    var width: Int?
    var height: Int?

    static func read(_ bytes: Data) -> VideoMetadata? {
        let reader = BoxReader(bytes: bytes)
        guard let movie = reader.boxes(in: reader.whole).first(where: { $0.type == "moov" }) else { return nil }
        let children = reader.boxes(in: movie.content)
        guard let header = children.first(where: { $0.type == "mvhd" }), let duration = reader.movieDuration(header.content) else { return nil }
        var metadata = VideoMetadata(durationSeconds: duration)
        for track in children where track.type == "trak" {
            guard let trackHeader = reader.boxes(in: track.content).first(where: { $0.type == "tkhd" }),
                  let size = reader.trackSize(trackHeader.content), size.width > 0, size.height > 0 else { continue }
            metadata.width = size.width
            metadata.height = size.height
            break
        }
        return metadata
    }
}

/// Walks ISO/IEC 14496-12 boxes: a 32-bit size (1: a 64-bit size follows; 0: to the end),
/// a four-letter type, then the content.
private struct BoxReader {
    struct Box {
        var type: String
        var content: Range<Int>
    }

    /// Read in place: a video can be 100 MB, and only its box headers are looked at.
    let bytes: Data

    init(bytes: Data) { self.bytes = bytes }

    var whole: Range<Int> { 0..<bytes.count }

    private func byte(_ offset: Int) -> UInt8 { bytes[bytes.startIndex + offset] }

    func boxes(in range: Range<Int>) -> [Box] {
        var found: [Box] = []
        var offset = range.lowerBound
        while offset + 8 <= range.upperBound {
            var size = Int(uint(offset, 4))
            let type = String(decoding: (offset + 4..<offset + 8).map(byte), as: UTF8.self)
            var header = 8
            if size == 1 {
                guard offset + 16 <= range.upperBound else { break }
                let large = uint(offset + 8, 8)
                guard large <= UInt64(Int.max) else { break }
                size = Int(large)
                header = 16
            } else if size == 0 {
                size = range.upperBound - offset
            }
            // A size that does not fit its parent is a damaged file: stop rather than guess.
            guard size >= header, offset + size <= range.upperBound else { break }
            found.append(Box(type: type, content: offset + header..<offset + size))
            offset += size
        }
        return found
    }

    /// `mvhd`: version 0 has 32-bit times, version 1 64-bit; then timescale and duration.
    func movieDuration(_ content: Range<Int>) -> Double? {
        let start = content.lowerBound
        guard content.count >= 4 else { return nil }
        let version = byte(start)
        let (scaleAt, durationAt, durationWidth) = version == 1 ? (start + 20, start + 24, 8) : (start + 12, start + 16, 4)
        guard durationAt + durationWidth <= content.upperBound else { return nil }
        let timescale = uint(scaleAt, 4)
        let duration = uint(durationAt, durationWidth)
        // All ones means "unknown" (a fragmented file whose length is in its fragments).
        guard timescale > 0, duration != (durationWidth == 8 ? UInt64.max : UInt64(UInt32.max)) else { return nil }
        return Double(duration) / Double(timescale)
    }

    /// `tkhd`: width and height are 16.16 fixed-point numbers in its last 8 bytes.
    func trackSize(_ content: Range<Int>) -> (width: Int, height: Int)? {
        guard content.count >= 8 else { return nil }
        let end = content.upperBound
        return (Int(uint(end - 8, 4) >> 16), Int(uint(end - 4, 4) >> 16))
    }

    private func uint(_ offset: Int, _ width: Int) -> UInt64 {
        guard offset >= 0, offset + width <= bytes.count else { return 0 }
        return (offset..<offset + width).reduce(0) { $0 << 8 | UInt64(byte($1)) }
    }
}
