@testable import App
import Foundation
import Testing
import Vapor

/// The media upload's own multipart reading (RFC 7578), which hands the file on without copying it.
@Suite struct MultipartUploadTests {
    private func body(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    @Test func partsAreFoundAsABrowserSendsThem() throws {
        let raw = "preamble to ignore\r\n------WebKitFormBoundaryx7\r\nContent-Disposition: form-data; name=\"file\"; filename=\"loaf.png\"\r\nContent-Type: image/png\r\n\r\nPNG\r\n--not the boundary\r\n-- still file\r\n------WebKitFormBoundaryx7\r\ncontent-disposition: form-data; name=alt\r\n\r\nA round loaf\r\n------WebKitFormBoundaryx7--\r\n"
        let upload = try #require(MultipartUpload(body: body(raw), boundary: "----WebKitFormBoundaryx7"))
        let file = try #require(upload.part(named: "file"))
        #expect(file.filename == "loaf.png")
        #expect(String(buffer: file.content) == "PNG\r\n--not the boundary\r\n-- still file", "a line that merely starts with -- is content")
        #expect(upload.part(named: "alt").map { String(buffer: $0.content) } == "A round loaf")
    }

    @Test func aBodyThatIsNotMultipartWithThisBoundaryIsRefused() {
        #expect(MultipartUpload(body: body("just text"), boundary: "b") == nil)
        #expect(MultipartUpload(body: body("--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nno end"), boundary: "b") == nil, "unterminated")
        #expect(MultipartUpload(body: body("--b--\r\n"), boundary: "")?.parts == nil)
        #expect(MultipartUpload(body: body("--b--\r\n"), boundary: "b")?.parts.isEmpty == true)
    }

    @Test(arguments: TestDatabase.all)
    func anUploadWithoutAFilePartIsAClearError(_ database: TestDatabase) async throws {
        try await withTrestle(database) { app in
            let ana = try await app.makeMember("ana@example.com")
            var headers = ana.bearer
            headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=xyz")
            let response = try await app.testing().sendRequest(
                .POST, "/api/v1/workspaces/\(ana.workspaceID)/media", headers: headers,
                body: ByteBuffer(string: "--xyz\r\nContent-Disposition: form-data; name=\"alt\"\r\n\r\nNo file\r\n--xyz--\r\n")
            )
            #expect(response.status == .badRequest)
            #expect(try response.apiError().code == "invalid_upload")
            #expect(try await MediaItem.query(on: app.db).count() == 0)
        }
    }
}
