import Crypto
import Foundation

/// Proof Key for Code Exchange (RFC 7636) with S256: a random verifier kept by Trestle, and its
/// challenge sent with the authorization request, so a stolen authorization code is useless.
public struct PKCE: Sendable, Equatable {
    public let verifier: String

    public init(verifier: String) {
        self.verifier = verifier
    }

    /// 32 random bytes, base64url without padding: 43 characters, as RFC 7636 §4.1 suggests.
    public static func generate() -> PKCE {
        PKCE(verifier: base64URL(Data(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })))
    }

    /// BASE64URL(SHA256(verifier)).
    public var challenge: String {
        Self.base64URL(Data(SHA256.hash(data: Data(verifier.utf8))))
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
