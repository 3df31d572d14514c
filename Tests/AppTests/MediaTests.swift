@testable import App
import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting

@Suite struct MediaTests {
    @Test(arguments: TestDatabase.all)
    func theTypeOfAnUploadIsReadFromItsBytesNotItsName(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let uploaded = try await app.upload(TestMedia.png(width: 1200, height: 800), named: "loaf.jpg", alt: "A round loaf", as: ana)
            #expect(uploaded.status == .created)
            let item = try uploaded.json()
            #expect(item["format"] as? String == "png")
            #expect(item["width"] as? Int == 1200)
            #expect(item["height"] as? Int == 800)
            #expect(item["alt"] as? String == "A round loaf")
            let id = try #require(item["id"] as? String)

            let content = try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/media/\(id)/content", as: ana)
            #expect(content.headers.contentType == .png)
            #expect(Data(content.body.readableBytesView) == TestMedia.png(width: 1200, height: 800))

            let jpeg = try await app.upload(TestMedia.jpeg(width: 1080, height: 1350), named: "portrait.png", as: ana)
            #expect(try jpeg.json()["format"] as? String == "jpeg")
            #expect(try jpeg.json()["width"] as? Int == 1080)
            #expect(try jpeg.json()["height"] as? Int == 1350)

            let described = try await app.api(.PATCH, "/api/v1/workspaces/\(ana.workspaceID)/media/\(id)", as: ana, json: #"{"alt": "Sourdough, scored"}"#)
            #expect(try described.json()["alt"] as? String == "Sourdough, scored")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aFileThatIsNoImageOrVideoIsRefusedAndNothingIsStored(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let text = try await app.upload(Data("<?php echo 'hi'; ?>".utf8), named: "cat.png", as: ana)
            #expect(text.status == .unsupportedMediaType)
            #expect(try text.apiError().message.contains("cat.png is not an image or video"))
            let empty = try await app.upload(Data(), named: "empty.png", as: ana)
            #expect(empty.status == .badRequest)
            let json = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/media", as: ana, json: #"{"file": "x"}"#)
            #expect(json.status == .unsupportedMediaType)
            let longAlt = try await app.upload(TestMedia.png(width: 10, height: 10), named: "a.png", alt: String(repeating: "a", count: 5_001), as: ana)
            #expect(longAlt.status == .unprocessableEntity)
            #expect(try longAlt.apiError().fields["alt"] != nil)
            #expect(try await MediaItem.query(on: app.db).count() == 0)
            #expect(try await MediaContent.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func eachNetworkSaysWhichFileItRefusesAndWhy(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let big = try await app.upload(TestMedia.png(width: 2000, height: 1000, size: 2_500_000), named: "wide.png", alt: String(repeating: "d", count: 1_200), as: ana).json()
            let bigID = try #require(big["id"] as? String)
            let body = #"{"text": "New bread", "networks": ["x", "bluesky", "instagram", "linkedin"], "media": ["\#(bigID)"]}"#
            let response = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/compose/check", as: ana, json: body)
            #expect(response.status == .ok)
            let results = try #require(try response.json()["results"] as? [String: [String: Any]])
            func messages(_ network: String) -> [String] {
                ((results[network]?["problems"] as? [[String: String]]) ?? []).compactMap { $0["message"] }
            }
            #expect(results["bluesky"]?["valid"] as? Bool == false)
            #expect(messages("bluesky").contains { $0.contains("Bluesky takes files up to") && $0.contains("wide.png (PNG)") })
            #expect(messages("x").contains { $0.contains("X takes alt text up to 1,000 characters") })
            #expect(messages("instagram").contains { $0.contains("Instagram does not take wide.png (PNG): use JPEG") })
            #expect(results["linkedin"]?["valid"] as? Bool == true)

            let five = try await (0..<5).asyncMap { i in
                try #require(try await app.upload(TestMedia.jpeg(width: 1080, height: 1080), named: "p\(i).jpg", as: ana).json()["id"] as? String)
            }
            let many = #"{"text": "Five", "networks": ["x", "instagram"], "media": [\#(five.map { "\"\($0)\"" }.joined(separator: ","))]}"#
            let manyResults = try #require(try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/compose/check", as: ana, json: many).json()["results"] as? [String: [String: Any]])
            #expect(((manyResults["x"]?["problems"] as? [[String: String]]) ?? []).contains { $0["message"]?.contains("X takes at most 4 images; this post has 5.") == true })
            #expect(manyResults["instagram"]?["valid"] as? Bool == true)

            let none = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/compose/check", as: ana, json: #"{"text": "Words only", "networks": ["instagram"]}"#)
            #expect(((try none.json()["results"] as? [String: [String: Any]])?["instagram"]?["problems"] as? [[String: String]])?.first?["message"] == "Instagram needs at least one image or video.")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aPostWithFiftyImagesOrSomeoneElsesImageIsRefused(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let ben = try await app.makeMember("ben@example.com")
            let bens = try #require(try await app.upload(TestMedia.png(width: 10, height: 10), named: "b.png", as: ben).json()["id"] as? String)
            let fifty = (0..<50).map { _ in "\"\(UUID().uuidString)\"" }.joined(separator: ",")
            let base = "/api/v1/workspaces/\(ana.workspaceID)/posts"
            let tooMany = try await app.api(.POST, base, as: ana, json: #"{"text": "Gallery", "media": [\#(fifty)]}"#)
            #expect(tooMany.status == .unprocessableEntity)
            #expect(try tooMany.apiError().fields["media"]?.contains("at most 20") == true)
            let foreign = try await app.api(.POST, base, as: ana, json: #"{"text": "Borrowed", "media": ["\#(bens)"]}"#)
            #expect(foreign.status == .unprocessableEntity)
            #expect(try foreign.apiError().fields["media"] != nil)
            #expect(try await app.api(.GET, "/api/v1/workspaces/\(ana.workspaceID)/media/\(bens)", as: ana).status == .notFound)
            #expect(try await Post.query(on: app.db).count() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func deletingAFileTakesItOutOfDrafts(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            let id = try #require(try await app.upload(TestMedia.jpeg(width: 100, height: 100), named: "x.jpg", as: ana).json()["id"] as? String)
            let post = try await app.api(.POST, "/api/v1/workspaces/\(ana.workspaceID)/posts", as: ana, json: #"{"text": "With photo", "media": ["\#(id)"]}"#)
            #expect(try post.json()["media"] as? [String] == [id])
            #expect(try await app.api(.DELETE, "/api/v1/workspaces/\(ana.workspaceID)/media/\(id)", as: ana).status == .noContent)
            #expect(try await Post.query(on: app.db).first()?.media == [])
            #expect(try await MediaContent.query(on: app.db).count() == 0)
        }
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
