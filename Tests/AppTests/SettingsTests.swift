@testable import App
import Foundation
import Testing
import Vapor

@Suite struct SettingsTests {
    @Test func theSecretKeyIsMadeOnceWithMode0600AndThenReused() throws {
        let directory = NSTemporaryDirectory() + "trestle-key-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }

        let first = try SecretKeyFile.loadOrCreate(in: directory)
        let path = directory + "/" + SecretKeyFile.fileName
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let second = try SecretKeyFile.loadOrCreate(in: directory)
        #expect(first == second)
        #expect(first.bitCount == 256)
    }

    @Test func aDamagedSecretKeyFileStopsTheStartWithAClearMessage() throws {
        let directory = NSTemporaryDirectory() + "trestle-key-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "not base64!".write(toFile: directory + "/" + SecretKeyFile.fileName, atomically: true, encoding: .utf8)
        #expect(throws: SettingsError.self) { try SecretKeyFile.loadOrCreate(in: directory) }
    }
}
