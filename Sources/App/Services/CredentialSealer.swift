import Crypto
import Foundation
import Networks

/// Seals channel credentials (and other secrets networks give Trestle) with AES-GCM under a key
/// derived (HKDF-SHA256) from the server's secret key. The row's id is the associated data, so
/// a sealed value copied onto another row does not open.
struct CredentialSealer: Sendable {
    private let key: SymmetricKey
    /// The server's secret key, for the other keys derived from it.
    let secretKey: SymmetricKey

    init(secretKey: SymmetricKey) {
        self.secretKey = secretKey
        key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: secretKey, info: Data("trestle channel credentials v1".utf8), outputByteCount: 32
        )
    }

    /// Seals `secret` for the row `rowID`; only that row's id opens it again.
    func seal(_ secret: some Encodable, for rowID: UUID) throws -> Data {
        let plain = try JSONEncoder().encode(secret)
        let box = try AES.GCM.seal(plain, using: key, authenticating: Data(rowID.uuidString.utf8))
        guard let combined = box.combined else { throw CredentialSealerError.cannotSeal }
        return combined
    }

    func open(_ sealed: Data, for channelID: UUID) throws -> NetworkCredentials {
        try open(NetworkCredentials.self, sealed, for: channelID)
    }

    func open<Secret: Decodable>(_ type: Secret.Type, _ sealed: Data, for rowID: UUID) throws -> Secret {
        do {
            let box = try AES.GCM.SealedBox(combined: sealed)
            let plain = try AES.GCM.open(box, using: key, authenticating: Data(rowID.uuidString.utf8))
            return try JSONDecoder().decode(type, from: plain)
        } catch {
            // Another secret key (a restored backup without its key file), or a damaged row.
            throw CredentialSealerError.cannotOpen
        }
    }
}

enum CredentialSealerError: Error, CustomStringConvertible {
    case cannotSeal
    case cannotOpen

    var description: String {
        switch self {
        case .cannotSeal: "The credentials could not be encrypted."
        case .cannotOpen: "A channel's credentials cannot be decrypted: the server's secret key is not the one they were saved with."
        }
    }
}
