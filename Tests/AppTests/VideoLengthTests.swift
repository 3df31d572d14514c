@testable import App
import Foundation
import MediaFiles
import Testing
import Vapor
import VaporTesting

/// A video a network would refuse for its length is named before scheduling, not at publish time.
@Suite struct VideoLengthTests {
    @Test func bothVersionsOfTheMovieHeaderAreRead() {
        #expect(VideoMetadata.read(TestMedia.mp4(seconds: 185, width: 1280, height: 720))?.durationSeconds == 185)
        let long = VideoMetadata.read(TestMedia.mp4(seconds: 7_200.5, width: 1920, height: 1080, headerVersion: 1, timescale: 90_000))
        #expect(long == VideoMetadata(durationSeconds: 7_200.5, width: 1920, height: 1080))
    }

    @Test func aDamagedOrHeaderlessVideoHasNoLengthRatherThanAWrongOne() {
        #expect(VideoMetadata.read(TestMedia.mp4()) == nil, "ftyp only")
        var cut = TestMedia.mp4(seconds: 30, width: 640, height: 360)
        cut.removeLast(40)
        #expect(VideoMetadata.read(cut) == nil, "a moov box longer than the file")
        #expect(VideoMetadata.read(Data([0, 0, 0, 1] + Array("moov".utf8) + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])) == nil)
    }

    @Test(arguments: TestDatabase.all)
    func eachNetworkSaysWhetherAVideoIsTooLongOrTooShort(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let uploaded = try await app.upload(TestMedia.mp4(seconds: 185, width: 1280, height: 720), named: "bakery-tour.mp4", alt: "A walk through the bakery", as: ana)
            #expect(uploaded.status == .created, "\(uploaded.text)")
            let video = try uploaded.json()
            #expect(video["durationSeconds"] as? Double == 185)
            #expect(video["width"] as? Int == 1280)
            #expect(video["height"] as? Int == 720)
            let id = try #require(video["id"] as? String)

            let check = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/compose/check", as: ana,
                                           json: #"{"text": "Come in!", "networks": ["x", "bluesky", "mastodon", "threads"], "media": ["\#(id)"]}"#)
            let results = try #require(try check.json()["results"] as? [String: [String: Any]])
            func messages(_ network: String) -> [String] {
                ((results[network]?["problems"] as? [[String: Any]]) ?? []).compactMap { $0["message"] as? String }
            }
            #expect(messages("x") == ["X takes videos from 0.5 s to 2 min 20 s long; bakery-tour.mp4 (MP4) is 3 min 5 s."])
            #expect(messages("bluesky") == ["Bluesky takes videos up to 3 min long; bakery-tour.mp4 (MP4) is 3 min 5 s."])
            #expect(messages("mastodon").isEmpty, "Mastodon sets no length")
            #expect(messages("threads").isEmpty)
            #expect(results["x"]?["valid"] as? Bool == false)

            let short = try await app.upload(TestMedia.mp4(seconds: 2, width: 1080, height: 1920), named: "blink.mp4", as: ana)
            let shortID = try #require(try short.json()["id"] as? String)
            let reel = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/compose/check", as: ana,
                                          json: #"{"text": "Blink", "networks": ["instagram"], "media": ["\#(shortID)"]}"#)
            let instagram = try #require(try reel.json()["results"] as? [String: [String: Any]])["instagram"]
            #expect(((instagram?["problems"] as? [[String: Any]])?.first?["message"] as? String) == "Instagram takes videos from 3 s to 15 min long; blink.mp4 (MP4) is 2 s.")
        }
    }
}
