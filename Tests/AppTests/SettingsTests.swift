@testable import App
import Foundation
import Testing
import Networks
import NIOCore
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

@Suite struct ClientAddressTests {
    @Test func eachOAuthNetworksAppAndStandInAreReadBothOrNeither() throws {
        let apps = try TrestleSettings.oauthApps(["TRESTLE_THREADS_CLIENT_ID": "123", "TRESTLE_THREADS_CLIENT_SECRET": "abc", "TRESTLE_X_CLIENT_ID": ""])
        #expect(apps == ["THREADS": OAuthApp(clientID: "123", clientSecret: "abc")])
        #expect(throws: SettingsError("Set both TRESTLE_THREADS_CLIENT_ID and TRESTLE_THREADS_CLIENT_SECRET, or neither.")) {
            try TrestleSettings.oauthApps(["TRESTLE_THREADS_CLIENT_ID": "123"])
        }
        let urls = try TrestleSettings.networkBaseURLs(["TRESTLE_THREADS_BASE_URL": "http://127.0.0.1:9000", "TRESTLE_X_BASE_URL": ""])
        #expect(urls == ["THREADS": URL(string: "http://127.0.0.1:9000")!])
        #expect(throws: SettingsError("TRESTLE_THREADS_BASE_URL must be an http:// or https:// URL.")) {
            try TrestleSettings.networkBaseURLs(["TRESTLE_THREADS_BASE_URL": "graph.threads.example"])
        }
    }

    private func address(peer: String, forwardedFor: String?, trusting proxies: Set<String>) async throws -> String? {
        var result: String?
        try await withTrestle(.sqlite) { app in
            app.settings.trustedProxies = proxies
            var headers = HTTPHeaders()
            if let forwardedFor { headers.add(name: .xForwardedFor, value: forwardedFor) }
            let request = Request(
                application: app, method: .POST, url: "/login", headers: headers,
                remoteAddress: try SocketAddress(ipAddress: peer, port: 40_000), on: app.eventLoopGroup.next()
            )
            result = request.clientAddress
        }
        return result
    }

    @Test func behindATrustedProxyTheForwardedClientIsTheOneThrottled() async throws {
        #expect(try await address(peer: "10.0.0.5", forwardedFor: "198.51.100.7", trusting: ["10.0.0.5"]) == "198.51.100.7")
        // A client may write its own X-Forwarded-For; only the hop the proxy added counts.
        #expect(try await address(peer: "10.0.0.5", forwardedFor: "1.2.3.4, 198.51.100.7", trusting: ["10.0.0.5"]) == "198.51.100.7")
        #expect(try await address(peer: "10.0.0.5", forwardedFor: "198.51.100.7, 10.0.0.6", trusting: ["10.0.0.5", "10.0.0.6"]) == "198.51.100.7")
    }

    @Test func withoutATrustedProxyTheHeaderIsIgnored() async throws {
        #expect(try await address(peer: "203.0.113.9", forwardedFor: "198.51.100.7", trusting: []) == "203.0.113.9")
        #expect(try await address(peer: "203.0.113.9", forwardedFor: "198.51.100.7", trusting: ["10.0.0.5"]) == "203.0.113.9")
    }
}
