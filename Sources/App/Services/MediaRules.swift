import Foundation
import MediaFiles
import TextRules

/// What each network takes as media, from its publishing documentation, so the composer can
/// say before scheduling which network refuses which file and why.
struct MediaRules: Sendable {
    /// A post carries at most this many media anywhere (LinkedIn's and Threads' maximum).
    static let mostPerPost = 20

    var network: Network
    var maxImages: Int
    var maxVideos: Int
    var imageFormats: Set<MediaFormat>
    var videoFormats: Set<MediaFormat>
    var maxImageBytes: Int
    var maxGIFBytes: Int?
    var maxVideoBytes: Int
    var mixesImagesAndVideo: Bool
    var maxAltTextLength: Int?
    var maxImagePixels: Int?
    var imageWidths: ClosedRange<Int>?
    /// Width divided by height.
    var imageAspectRatios: ClosedRange<Double>?
    /// Shortest and longest video, in seconds.
    var videoSeconds: ClosedRange<Double>?
    var needsMedia = false

    private static let mb = 1_000_000
    private static let mib = 1 << 20
    private static let allImages: Set<MediaFormat> = [.jpeg, .png, .gif, .webp]

    static func rules(for network: Network) -> MediaRules {
        switch network {
        case .x:
            MediaRules(network: .x, maxImages: 4, maxVideos: 1, imageFormats: allImages, videoFormats: [.mp4, .mov],
                       maxImageBytes: 5 * mib, maxGIFBytes: 15 * mib, maxVideoBytes: 512 * mib,
                       mixesImagesAndVideo: false, maxAltTextLength: 1_000, videoSeconds: 0.5...140)
        case .mastodon:
            MediaRules(network: .mastodon, maxImages: 4, maxVideos: 1, imageFormats: allImages, videoFormats: [.mp4, .mov],
                       maxImageBytes: 16 * mib, maxVideoBytes: 99 * mib, mixesImagesAndVideo: false, maxAltTextLength: 1_500)
        case .bluesky:
            // app.bsky.embed.images: at most 4 images of at most 2,000,000 bytes each (the lexicon
            // raised it from 1,000,000 in 2026); videos up to 3 minutes.
            MediaRules(network: .bluesky, maxImages: 4, maxVideos: 1, imageFormats: [.jpeg, .png, .webp, .gif], videoFormats: [.mp4],
                       maxImageBytes: 2 * mb, maxVideoBytes: 100 * mb, mixesImagesAndVideo: false, maxAltTextLength: 2_000,
                       videoSeconds: 0...180)
        case .linkedin:
            MediaRules(network: .linkedin, maxImages: 20, maxVideos: 1, imageFormats: [.jpeg, .png, .gif], videoFormats: [.mp4],
                       maxImageBytes: 10 * mib, maxVideoBytes: 500 * mib, mixesImagesAndVideo: false, maxAltTextLength: 4_086,
                       maxImagePixels: 36_152_320, videoSeconds: 3...1_800)
        case .facebook:
            MediaRules(network: .facebook, maxImages: 10, maxVideos: 1, imageFormats: [.jpeg, .png, .gif, .webp], videoFormats: [.mp4, .mov],
                       maxImageBytes: 10 * mib, maxVideoBytes: 1_024 * mib, mixesImagesAndVideo: false, videoSeconds: 1...14_400)
        case .instagram:
            MediaRules(network: .instagram, maxImages: 10, maxVideos: 10, imageFormats: [.jpeg], videoFormats: [.mp4, .mov],
                       maxImageBytes: 8 * mib, maxVideoBytes: 300 * mib, mixesImagesAndVideo: true,
                       imageWidths: 320...1440, imageAspectRatios: 0.8...1.91, videoSeconds: 3...900, needsMedia: true)
        case .threads:
            MediaRules(network: .threads, maxImages: 20, maxVideos: 20, imageFormats: [.jpeg, .png], videoFormats: [.mp4, .mov],
                       maxImageBytes: 8 * mib, maxVideoBytes: 1_024 * mib, mixesImagesAndVideo: true,
                       imageWidths: 320...1440, videoSeconds: 0...300)
        case .site:
            // Trestle's own page serves the stored files itself: anything a browser shows.
            MediaRules(network: .site, maxImages: 20, maxVideos: 4, imageFormats: allImages, videoFormats: [.mp4, .mov],
                       maxImageBytes: MediaService.maximumUploadBytes, maxVideoBytes: MediaService.maximumUploadBytes,
                       mixesImagesAndVideo: true)
        }
    }

    /// A sentence for each thing this network would refuse, naming the file.
    func problems(with media: [MediaItem]) -> [String] {
        let name = network.displayName
        var problems: [String] = []
        let images = media.filter { !$0.format.isVideo }
        let videos = media.filter { $0.format.isVideo }
        if needsMedia && media.isEmpty {
            problems.append("\(name) needs at least one image or video.")
        }
        if !mixesImagesAndVideo && !images.isEmpty && !videos.isEmpty {
            problems.append("\(name) takes images or a video, not both.")
        }
        if images.count > maxImages {
            problems.append("\(name) takes at most \(maxImages) image\(maxImages == 1 ? "" : "s"); this post has \(images.count).")
        }
        if videos.count > maxVideos {
            problems.append("\(name) takes at most \(maxVideos) video\(maxVideos == 1 ? "" : "s"); this post has \(videos.count).")
        }
        for item in media {
            let file = "\(item.filename) (\(item.format.displayName))"
            let formats = item.format.isVideo ? videoFormats : imageFormats
            guard formats.contains(item.format) else {
                let accepted = formats.map(\.displayName).sorted().joined(separator: ", ")
                problems.append("\(name) does not take \(file): use \(accepted).")
                continue
            }
            let limit = item.format.isVideo ? maxVideoBytes : (item.format == .gif ? maxGIFBytes ?? maxImageBytes : maxImageBytes)
            if item.byteCount > limit {
                problems.append("\(name) takes files up to \(Self.size(limit)); \(file) is \(Self.size(item.byteCount)).")
            }
            if let maxAltTextLength, item.altText.count > maxAltTextLength {
                problems.append("\(name) takes alt text up to \(maxAltTextLength.formatted()) characters; \(file) has \(item.altText.count.formatted()).")
            }
            if item.format.isVideo, let videoSeconds, let seconds = item.durationSeconds, !videoSeconds.contains(seconds) {
                let range = videoSeconds.lowerBound > 0
                    ? "from \(Self.duration(videoSeconds.lowerBound)) to \(Self.duration(videoSeconds.upperBound))"
                    : "up to \(Self.duration(videoSeconds.upperBound))"
                problems.append("\(name) takes videos \(range) long; \(file) is \(Self.duration(seconds)).")
            }
            if !item.format.isVideo, let width = item.width, let height = item.height, height > 0 {
                if let maxImagePixels, width * height > maxImagePixels {
                    problems.append("\(name) takes images up to \(maxImagePixels.formatted()) pixels; \(file) is \(width)×\(height).")
                }
                if let imageWidths, !imageWidths.contains(width) {
                    problems.append("\(name) takes images \(imageWidths.lowerBound)–\(imageWidths.upperBound) pixels wide; \(file) is \(width).")
                }
                let ratio = Double(width) / Double(height)
                if let imageAspectRatios, !imageAspectRatios.contains(ratio) {
                    problems.append("\(name) takes images between 4:5 and 1.91:1; \(file) is \(width)×\(height).")
                }
            }
        }
        return problems
    }

    /// "45 s", "2 min 20 s", "30 min", "1 h 5 min".
    static func duration(_ seconds: Double) -> String {
        // Readers bound what they read; this keeps a stored odd value from trapping too.
        let seconds = seconds.isFinite ? min(max(seconds, 0), VideoMetadata.longestReadableSeconds) : 0
        if seconds < 10, seconds != seconds.rounded() { return "\(seconds.formatted(.number.precision(.fractionLength(0...1)))) s" }
        let total = Int(seconds.rounded())
        let (hours, minutes, rest) = (total / 3600, total / 60 % 60, total % 60)
        let parts = [hours > 0 ? "\(hours) h" : nil, minutes > 0 ? "\(minutes) min" : nil, rest > 0 || total == 0 ? "\(rest) s" : nil]
        return parts.compactMap { $0 }.joined(separator: " ")
    }

    private static func size(_ bytes: Int) -> String {
        bytes >= mib ? "\((Double(bytes) / Double(mib)).formatted(.number.precision(.fractionLength(0...1)))) MB"
            : "\((Double(bytes) / 1000).formatted(.number.precision(.fractionLength(0...1)))) kB"
    }
}
