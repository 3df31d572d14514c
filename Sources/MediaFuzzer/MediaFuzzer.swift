// libFuzzer over the readers of uploaded bytes. `scripts/fuzz-media` compiles this file with
// the MediaFiles sources as one module, `-sanitize=fuzzer,address -D FUZZING`, libFuzzer
// giving the `main` (SwiftPM would give its own). Built plainly (as `swift build` does), it
// reads each file named on the command line once, to replay an input libFuzzer saved.
import Foundation
#if canImport(MediaFiles)
import MediaFiles
#endif

/// One input through every reader: the format, then the reader for each format, and the
/// multipart reader with the boundary `b7`.
func inspect(_ data: Data) {
    if let format = MediaFormat.detect(data), format.isVideo { _ = VideoMetadata.read(data) }
    _ = VideoMetadata.read(data)
    for format in MediaFormat.allCases where !format.isVideo {
        if let size = ImageDimensions.read(data, format: format) {
            precondition(size.width <= ImageDimensions.longestSide && size.height <= ImageDimensions.longestSide)
            _ = size.width * size.height
        }
    }
    data.withUnsafeBytes { bytes in
        if let form = MultipartForm(bytes: bytes, boundary: "b7") {
            for part in form.parts { precondition(part.content.upperBound <= bytes.count) }
        }
    }
}

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    inspect(start.map { Data(bytes: $0, count: count) } ?? Data())
    return 0
}
#else
@main
enum MediaFuzzer {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
                exit(2)
            }
            inspect(data)
            print("\(path): read without a crash")
        }
    }
}
#endif
