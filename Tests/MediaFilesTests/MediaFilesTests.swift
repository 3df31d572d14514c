import Foundation
import MediaFiles
import Testing

/// What real files say about themselves, read from their headers.
@Suite struct MediaFilesTests {
    @Test(arguments: [
        ("loaf.jpg", MediaFormat.jpeg, 48, 32), ("progressive.jpg", .jpeg, 30, 20), ("pan.png", .png, 36, 20),
        ("crumb.gif", .gif, 24, 16), ("lossy.webp", .webp, 36, 20), ("lossless.webp", .webp, 36, 20), ("alpha.webp", .webp, 20, 10),
    ])
    func realImagesAreRecognisedAndMeasured(_ file: (String, MediaFormat, Int, Int)) throws {
        let bytes = try MediaFixtures.bytes(file.0)
        #expect(MediaFormat.detect(bytes) == file.1)
        let size = try #require(ImageDimensions.read(bytes, format: file.1))
        #expect(size.width == file.2 && size.height == file.3)
    }

    @Test func realVideosAreReadWhereverTheirMovieHeaderIs() throws {
        #expect(VideoMetadata.read(try MediaFixtures.bytes("clip-moov-at-end.mp4")) == VideoMetadata(durationSeconds: 3, width: 64, height: 36))
        #expect(VideoMetadata.read(try MediaFixtures.bytes("clip-faststart.mov")) == VideoMetadata(durationSeconds: 2.5, width: 48, height: 64))
    }

    /// A million empty boxes are walked to the end. The reader keeps no list of boxes, so their
    /// count costs time, not memory; that is by construction (and libFuzzer's `-rss_limit_mb`
    /// watches it), not something this test measures.
    @Test func aFileOfAMillionTinyBoxesIsReadToTheEnd() {
        let box: [UInt8] = [0, 0, 0, 8] + Array("free".utf8)
        var bytes = [UInt8]()
        bytes.reserveCapacity(8 * 1_000_001)
        for _ in 0..<1_000_000 { bytes += box }
        #expect(VideoMetadata.read(Data(bytes)) == nil)
    }

    @Test func multipartBoundariesAndPartCountsAreBounded() {
        let long = String(repeating: "b", count: 71)
        let body = Array("--\(long)\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--\(long)--\r\n".utf8)
        #expect(body.withUnsafeBytes { MultipartForm(bytes: $0, boundary: long) } == nil)
        var many = ""
        for i in 0...MultipartForm.mostParts { many += "--b\r\nContent-Disposition: form-data; name=\"p\(i)\"\r\n\r\nx\r\n" }
        let tooMany = Array((many + "--b--\r\n").utf8)
        #expect(tooMany.withUnsafeBytes { MultipartForm(bytes: $0, boundary: "b") } == nil)
    }
}
