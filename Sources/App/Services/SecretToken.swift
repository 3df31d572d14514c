import Crypto
import Foundation

/// A random secret handed to a person once (API tokens, invitation links) and stored only as
/// its SHA-256. The secrets carry 256 bits of randomness, so a fast hash is enough.
struct SecretToken: Sendable {
    let value: String

    static func generate(prefix: String) -> SecretToken {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return SecretToken(value: prefix + Data(bytes).base64URLEncoded)
    }

    var hash: String { Self.hash(value) }

    static func hash(_ value: String) -> String {
        hex(SHA256.hash(data: Data(value.utf8)))
    }

    /// Lower-case hex. Every API request hashes its token; formatting each byte with
    /// `String(format:)` cost more than the SHA-256 itself.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in bytes {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0x0f)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}

extension Data {
    var base64URLEncoded: String {
        base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
