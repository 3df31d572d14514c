@testable import App
import Foundation
import MediaFiles
import Testing
import Vapor
import VaporTesting

/// Crafted files that used to take the whole server down with one upload or one compose check.
/// Each is now "unreadable" where it lies, and the server goes on answering.
@Suite struct HostileMediaTests {
    private static func be32(_ v: UInt64) -> [UInt8] { (0..<4).map { UInt8(v >> (24 - 8 * UInt64($0)) & 0xFF) } }
    private static func be64(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(v >> (56 - 8 * UInt64($0)) & 0xFF) } }

    /// 32 bytes: `ftyp`, then a box whose 64-bit size is near `Int.max`, so `offset + size` overflows.
    static let overflowingBoxSize = Data(be32(16) + Array("ftypisom".utf8) + [0, 0, 0, 0] + be32(1) + Array("moov".utf8) + be64(UInt64(Int.max) - 8))

    /// A PNG that declares 4294967295 × 4294967295 pixels.
    static let enormousPNG = TestMedia.png(width: 0xFFFF_FFFF, height: 0xFFFF_FFFF)

    /// `mvhd` version 1 with timescale 1 and a duration of 2^64 − 2 seconds.
    static let endlessVideo: Data = {
        func box(_ type: String, _ content: [UInt8]) -> [UInt8] { be32(UInt64(8 + content.count)) + Array(type.utf8) + content }
        let mvhd = box("mvhd", [1, 0, 0, 0] + [UInt8](repeating: 0, count: 16) + be32(1) + be64(UInt64.max - 1) + [UInt8](repeating: 0, count: 80))
        return Data(box("ftyp", Array("isom".utf8) + be32(512)) + box("moov", mvhd))
    }()

    @Test func theReadersCallOutOfRangeNumbersUnreadable() {
        #expect(VideoMetadata.read(Self.overflowingBoxSize) == nil)
        #expect(VideoMetadata.read(Self.endlessVideo) == nil)
        #expect(ImageDimensions.read(Self.enormousPNG, format: .png) == nil)
        #expect(ImageDimensions.read(TestMedia.png(width: 65_536, height: 10), format: .png) == nil)
        #expect(ImageDimensions.read(TestMedia.png(width: 65_535, height: 65_535), format: .png)! == (65_535, 65_535))
        #expect(VideoMetadata.read(TestMedia.mp4(seconds: 86_400, width: 10, height: 10, headerVersion: 1))?.durationSeconds == 86_400)
        #expect(VideoMetadata.read(TestMedia.mp4(seconds: 86_401, width: 10, height: 10, headerVersion: 1)) == nil)
        #expect(MediaRules.duration(.infinity) == "0 s")
        #expect(MediaRules.duration(1e300) == "24 h")
    }

    @Test(arguments: [("box.mp4", overflowingBoxSize), ("huge.png", enormousPNG), ("endless.mp4", endlessVideo)])
    func aCraftedFileIsTakenWithoutItsUnreadableNumbersAndTheServerLivesOn(_ file: (String, Data)) async throws {
        try await withTrestle(.sqlite) { app in
            let ana = try await app.makeMember("ana@example.com")
            let uploaded = try await app.upload(file.1, named: file.0, alt: "crafted", as: ana)
            #expect(uploaded.status == .created, "\(uploaded.text)")
            let item = try uploaded.json()
            #expect(item["width"] == nil || item["width"] is NSNull)
            #expect(item["durationSeconds"] == nil || item["durationSeconds"] is NSNull)
            let id = try #require(item["id"] as? String)
            let check = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/compose/check", as: ana,
                                           json: #"{"text": "Look", "networks": ["x", "mastodon", "bluesky", "linkedin", "facebook", "instagram", "threads"], "media": ["\#(id)"]}"#)
            #expect(check.status == .ok)
            let health = try await app.testing().sendRequest(.GET, "/healthz")
            #expect(health.status == .ok)
        }
    }
}
