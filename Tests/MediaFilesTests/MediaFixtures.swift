import Foundation

/// The real files in `Fixtures/` (see its README).
enum MediaFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func bytes(_ name: String) throws -> Data {
        try Data(contentsOf: folder.appendingPathComponent(name))
    }

    static let images = ["loaf.jpg", "progressive.jpg", "pan.png", "crumb.gif", "lossy.webp", "lossless.webp", "alpha.webp"]
    static let videos = ["clip-moov-at-end.mp4", "clip-faststart.mov"]
}
