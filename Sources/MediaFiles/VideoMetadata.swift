import Foundation

/// A video's duration and picture size, read from its ISO base media file boxes (MP4 and
/// QuickTime share them) without decoding: `moov/mvhd` gives the duration, the first
/// `moov/trak/tkhd` with a picture its width and height.
public struct VideoMetadata: Equatable, Sendable {
    /// No network takes more than 4 hours; a file that says it runs longer than a day is lying
    /// or damaged, and its length is then unreadable rather than a number to trap on.
    public static let longestReadableSeconds: Double = 86_400

    public var durationSeconds: Double
    public var width: Int?
    public var height: Int?

    public init(durationSeconds: Double, width: Int? = nil, height: Int? = nil) {
        self.durationSeconds = durationSeconds
        self.width = width
        self.height = height
    }

    public static func read(_ bytes: Data) -> VideoMetadata? {
        let reader = BoxReader(bytes: bytes)
        guard let movie = reader.first("moov", in: reader.whole),
              let header = reader.first("mvhd", in: movie.content),
              let duration = reader.movieDuration(header.content) else { return nil }
        var metadata = VideoMetadata(durationSeconds: duration)
        reader.forEach(in: movie.content) { track in
            guard track.type == "trak" else { return true }
            guard let trackHeader = reader.first("tkhd", in: track.content),
                  let size = reader.trackSize(trackHeader.content), size.width > 0, size.height > 0 else { return true }
            metadata.width = size.width
            metadata.height = size.height
            return false
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

    /// The first box of `type` directly inside `range`.
    func first(_ type: String, in range: Range<Int>) -> Box? {
        var found: Box?
        forEach(in: range) { box in
            if box.type == type { found = box }
            return found == nil
        }
        return found
    }

    /// Calls `body` with each box directly inside `range`, in order, until it returns false.
    /// Nothing is collected: a file of millions of tiny boxes costs time, not memory.
    func forEach(in range: Range<Int>, _ body: (Box) -> Bool) {
        var offset = range.lowerBound
        while range.upperBound - offset >= 8 {
            var size = Int(uint(offset, 4))
            let type = String(decoding: (offset + 4..<offset + 8).map(byte), as: UTF8.self)
            var header = 8
            if size == 1 {
                guard range.upperBound - offset >= 16 else { return }
                let large = uint(offset + 8, 8)
                guard large <= UInt64(Int.max) else { return }
                size = Int(large)
                header = 16
            } else if size == 0 {
                size = range.upperBound - offset
            }
            // A size that does not fit its parent is a damaged file: stop rather than guess.
            // Compared as `size <= room`, never `offset + size`, which a 64-bit size overflows.
            guard size >= header, size <= range.upperBound - offset else { return }
            guard body(Box(type: type, content: offset + header..<offset + size)) else { return }
            offset += size
        }
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
        let seconds = Double(duration) / Double(timescale)
        guard seconds.isFinite, seconds <= VideoMetadata.longestReadableSeconds else { return nil }
        return seconds
    }

    /// `tkhd`: width and height are 16.16 fixed-point numbers in its last 8 bytes.
    func trackSize(_ content: Range<Int>) -> (width: Int, height: Int)? {
        guard content.count >= 8 else { return nil }
        let end = content.upperBound
        return (Int(uint(end - 8, 4) >> 16), Int(uint(end - 4, 4) >> 16))
    }

    private func uint(_ offset: Int, _ width: Int) -> UInt64 {
        guard offset >= 0, width <= 8, offset <= bytes.count - width else { return 0 }
        return (offset..<offset + width).reduce(0) { $0 << 8 | UInt64(byte($1)) }
    }
}
