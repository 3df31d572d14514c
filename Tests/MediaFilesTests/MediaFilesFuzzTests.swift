import Foundation
import Fuzzing
import MediaFiles
import Testing

/// Every reader of uploaded bytes, under a seeded mutation fuzzer over the real fixtures: no
/// crash (which would end the test process), no input that takes long, no number out of range.
@Suite struct MediaFilesFuzzTests {
    private static let boxTokens = ["moov", "mvhd", "trak", "tkhd", "mdat", "ftyp", "free", "qt  ", "isom", "\u{0}\u{0}\u{0}\u{1}"]
    private static let imageTokens = ["\u{89}PNG\r\n\u{1A}\n", "IHDR", "\u{FF}\u{D8}\u{FF}", "\u{FF}\u{C0}", "\u{FF}\u{C2}", "GIF89a", "RIFF", "WEBP", "VP8 ", "VP8L", "VP8X"]

    @Test func theBoxReaderTakesAnyFile() async throws {
        let seeds = try MediaFixtures.videos.map { Array(try MediaFixtures.bytes($0)) }
        let report = await FuzzLoop.run(seeds: seeds, tokens: Self.boxTokens) { input in
            guard let video = VideoMetadata.read(Data(input)) else { return }
            #expect(video.durationSeconds.isFinite && (0...VideoMetadata.longestReadableSeconds).contains(video.durationSeconds))
            #expect((video.width ?? 0) <= 65_535 && (video.height ?? 0) <= 65_535)
        }
        #expect(report.inputs == seeds.count + FuzzLoop.iterations(default: 20_000))
        #expect(report.slowest < FuzzLoop.hang, "slowest input: \(report.slowestInput.prefix(64))")
    }

    @Test func theImageHeaderReadersTakeAnyFile() async throws {
        let seeds = try MediaFixtures.images.map { Array(try MediaFixtures.bytes($0)) }
        let report = await FuzzLoop.run(seeds: seeds, tokens: Self.imageTokens) { input in
            let data = Data(input)
            guard let format = MediaFormat.detect(data) else { return }
            if format.isVideo { _ = VideoMetadata.read(data); return }
            // Reading under every format, not only the detected one, reaches each reader more often.
            for candidate in MediaFormat.allCases where !candidate.isVideo {
                guard let size = ImageDimensions.read(data, format: candidate) else { continue }
                #expect((1...ImageDimensions.longestSide).contains(size.width) && (1...ImageDimensions.longestSide).contains(size.height))
                _ = size.width * size.height
            }
        }
        #expect(report.slowest < FuzzLoop.hang, "slowest input: \(report.slowestInput.prefix(64))")
    }

    @Test func theMultipartReaderTakesAnyBody() async throws {
        let file = Array(try MediaFixtures.bytes("loaf.jpg"))
        let seed = Array("--b7\r\nContent-Disposition: form-data; name=\"file\"; filename=\"loaf.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n".utf8)
            + file + Array("\r\n--b7\r\nContent-Disposition: form-data; name=alt\r\n\r\nA loaf\r\n--b7--\r\n".utf8)
        let report = await FuzzLoop.run(seeds: [seed], tokens: ["--b7", "\r\n", "\r\n\r\n", "--", "Content-Disposition: form-data; ", "name=\"", "filename=\"", ";"]) { input in
            input.withUnsafeBytes { bytes in
                guard let form = MultipartForm(bytes: bytes, boundary: "b7") else { return }
                #expect(form.parts.count <= MultipartForm.mostParts)
                for part in form.parts { #expect(part.content.lowerBound >= 0 && part.content.upperBound <= bytes.count) }
            }
        }
        #expect(report.slowest < FuzzLoop.hang)
    }
}
