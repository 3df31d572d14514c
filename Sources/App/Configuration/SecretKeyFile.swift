import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Vapor

/// The server's secret key: 32 random bytes, base64 in `secret.key` under the data directory,
/// written once with mode 0600 so only Trestle's user can read it.
public enum SecretKeyFile {
    public static let fileName = "secret.key"

    public static func loadOrCreate(in directory: String) throws -> SymmetricKey {
        let path = (directory as NSString).appendingPathComponent(fileName)
        if FileManager.default.fileExists(atPath: path) {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            return try decode(text.trimmingCharacters(in: .whitespacesAndNewlines), source: path)
        }
        let key = SymmetricKey(size: .bits256)
        do {
            try write(key, to: path)
        } catch let error as POSIXError where error.code == .EEXIST {
            // Two processes starting at once: the other one's key is the key.
            return try loadOrCreate(in: directory)
        }
        return key
    }

    /// Writes `key` to a new file at `path`, readable by its owner only; an existing file is
    /// never overwritten (`POSIXError.EEXIST`).
    static func write(_ key: SymmetricKey, to path: String) throws {
        let encoded = key.withUnsafeBytes { Data($0).base64EncodedString() } + "\n"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            if errno == EEXIST { throw POSIXError(.EEXIST) }
            throw SettingsError("Cannot create the secret key file \(path): \(String(cString: strerror(errno))).")
        }
        defer { close(descriptor) }
        let bytes = Array(encoded.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            throw SettingsError("Cannot write the secret key file \(path).")
        }
    }

    static func decode(_ text: String, source: String) throws -> SymmetricKey {
        guard let data = Data(base64Encoded: text), data.count == 32 else {
            throw SettingsError("\(source) must hold 32 bytes in base64 (for example the output of `openssl rand -base64 32`).")
        }
        return SymmetricKey(data: data)
    }
}
