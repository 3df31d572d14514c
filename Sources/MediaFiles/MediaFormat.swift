import Foundation

/// The file formats Trestle accepts, recognised by their first bytes.
public enum MediaFormat: String, Codable, Sendable, CaseIterable {
    case jpeg, png, gif, webp, mp4, mov

    public var isVideo: Bool { self == .mp4 || self == .mov }

    public var mimeType: String {
        switch self {
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        case .gif: "image/gif"
        case .webp: "image/webp"
        case .mp4: "video/mp4"
        case .mov: "video/quicktime"
        }
    }

    public var displayName: String {
        switch self {
        case .jpeg: "JPEG"
        case .png: "PNG"
        case .gif: "GIF"
        case .webp: "WebP"
        case .mp4: "MP4"
        case .mov: "MOV"
        }
    }

    /// What the bytes are, whatever the file is called; nil for anything else.
    public static func detect(_ bytes: Data) -> MediaFormat? {
        let head = [UInt8](bytes.prefix(16))
        func starts(_ magic: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + magic.count && Array(head[offset..<offset + magic.count]) == magic
        }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return .gif }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return .webp }
        if starts(Array("ftyp".utf8), at: 4) {
            return starts(Array("qt  ".utf8), at: 8) ? .mov : .mp4
        }
        return nil
    }
}
