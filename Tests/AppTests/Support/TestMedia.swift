@testable import App
import Foundation
import Vapor
import VaporTesting

/// Small files that are what their first bytes say, for upload tests.
enum TestMedia {
    static func png(width: Int, height: Int, size: Int = 64) -> Data {
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]
        bytes += Array("IHDR".utf8) + be32(width) + be32(height) + [8, 6, 0, 0, 0]
        return Data(bytes + [UInt8](repeating: 0, count: max(0, size - bytes.count)))
    }

    static func jpeg(width: Int, height: Int, size: Int = 64) -> Data {
        var bytes: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]
        bytes += [0xFF, 0xC0, 0x00, 0x11, 0x08] + be16(height) + be16(width) + [3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]
        return Data(bytes + [UInt8](repeating: 0, count: max(0, size - bytes.count)))
    }

    static func mp4(size: Int = 64) -> Data {
        let bytes: [UInt8] = [0, 0, 0, 0x18] + Array("ftypisom".utf8) + [0, 0, 2, 0] + Array("isomiso2".utf8)
        return Data(bytes + [UInt8](repeating: 0, count: max(0, size - bytes.count)))
    }

    /// An MP4 whose `moov` says how long it is and how large its picture: `ftyp`, `mdat`, then
    /// `moov` with `mvhd` (version 0 or 1) and a video `trak/tkhd`, laid out per ISO/IEC 14496-12.
    static func mp4(seconds: Double, width: Int, height: Int, headerVersion: UInt8 = 0, timescale: Int = 600) -> Data {
        func box(_ type: String, _ content: [UInt8]) -> [UInt8] { be32(8 + content.count) + Array(type.utf8) + content }
        let duration = Int(seconds * Double(timescale))
        let times: [UInt8] = headerVersion == 1 ? [UInt8](repeating: 0, count: 16) : [UInt8](repeating: 0, count: 8)
        let movieDuration = headerVersion == 1 ? be32(duration >> 32) + be32(duration & 0xFFFF_FFFF) : be32(duration)
        let mvhd = box("mvhd", [headerVersion, 0, 0, 0] + times + be32(timescale) + movieDuration + [UInt8](repeating: 0, count: 80))
        let trackDuration = headerVersion == 1 ? [UInt8](repeating: 0, count: 8) : [UInt8](repeating: 0, count: 4)
        let tkhd = box("tkhd", [headerVersion, 0, 0, 3] + times + be32(1) + be32(0) + trackDuration
            + [UInt8](repeating: 0, count: 8 + 8 + 36) + be32(width << 16) + be32(height << 16))
        let moov = box("moov", mvhd + box("trak", tkhd))
        let ftyp = box("ftyp", Array("isom".utf8) + be32(512) + Array("isomiso2avc1mp41".utf8))
        return Data(ftyp + box("mdat", [UInt8](repeating: 0, count: 32)) + moov)
    }

    private static func be32(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
    private static func be16(_ v: Int) -> [UInt8] { [UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
}

extension Application {
    /// Uploads a file through the API as multipart/form-data.
    func upload(_ bytes: Data, named filename: String, alt: String = "", as member: Member) async throws -> TestingHTTPResponse {
        let boundary = "trestle-test-boundary"
        var body = Data()
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8))
        body.append(bytes)
        body.append(Data("\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"alt\"\r\n\r\n\(alt)\r\n--\(boundary)--\r\n".utf8))
        var headers = member.bearer
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        return try await testing().sendRequest(.POST, "/api/v1/workspaces/\(member.workspaceID)/media", headers: headers, body: ByteBuffer(data: body))
    }
}
