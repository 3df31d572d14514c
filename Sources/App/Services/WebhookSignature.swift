import Crypto
import Foundation

/// `Trestle-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`: the
/// receiver recomputes it over the bytes it got and, by `t`, can refuse an old call replayed.
enum WebhookSignature {
    static let header = "Trestle-Signature"

    static func value(secret: String, timestamp: Date, body: Data) -> String {
        let t = Int64(timestamp.timeIntervalSince1970.rounded(.down))
        var message = Data("\(t).".utf8)
        message.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))
        return "t=\(t),v1=\(SecretToken.hex(mac))"
    }
}
