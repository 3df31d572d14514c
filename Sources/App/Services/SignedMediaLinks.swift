import Crypto
import Foundation

/// Addresses at which a network fetches a post's file from Trestle itself (Instagram and
/// Threads take media only as a public URL): under `TRESTLE_PUBLIC_URL`, for one file, until a
/// time. The address carries an HMAC-SHA256 of the file's id and the time, with a key derived
/// from the server's secret key, so it cannot be made for another file or a later time; once
/// the time has passed, or with any part changed, it is a 404 like any unknown address.
struct SignedMediaLinks: Sendable {
    /// How long a network may take to fetch the file (a container waits in a queue).
    static let lifetime: TimeInterval = 24 * 3_600

    private let key: SymmetricKey
    let publicURL: URL

    init(secretKey: SymmetricKey, publicURL: URL) {
        key = HKDF<SHA256>.deriveKey(inputKeyMaterial: secretKey, info: Data("trestle media links v1".utf8), outputByteCount: 32)
        self.publicURL = publicURL
    }

    /// `…/media-links/{id}/{expires}/{signature}`.
    func url(for mediaID: UUID, now: Date) -> URL {
        let expires = Int64(now.addingTimeInterval(Self.lifetime).timeIntervalSince1970.rounded(.up))
        return publicURL.appendingPathComponent("media-links").appendingPathComponent(mediaID.uuidString.lowercased())
            .appendingPathComponent(String(expires)).appendingPathComponent(signature(mediaID, expires))
    }

    /// Whether an address's parts name this file, signed by this server, and not yet expired
    /// (nor expiring later than any address this server makes).
    func isValid(mediaID: UUID, expires: String, signature given: String, now: Date) -> Bool {
        guard expires.count <= 12, expires.allSatisfy({ $0.isASCII && $0.isNumber }), let seconds = Int64(expires),
              Double(seconds) > now.timeIntervalSince1970, Double(seconds) <= now.addingTimeInterval(Self.lifetime + 60).timeIntervalSince1970,
              given.utf8.count == 43 else { return false }
        // Compared by HMAC's own check, in constant time.
        guard let mac = Self.base64URLDecoded(given) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Self.message(mediaID, seconds), using: key)
    }

    private func signature(_ mediaID: UUID, _ expires: Int64) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Self.message(mediaID, expires), using: key)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    private static func message(_ mediaID: UUID, _ expires: Int64) -> Data {
        Data("\(mediaID.uuidString.lowercased()):\(expires)".utf8)
    }

    private static func base64URLDecoded(_ text: String) -> Data? {
        guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        let standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/") + "="
        return Data(base64Encoded: standard)
    }
}
