import Foundation

/// Where notification emails go: the operator's SMTP server, from `TRESTLE_SMTP_URL`
/// (`smtp://user:password@host:587` for a server on a trusted network or loopback, `smtps://…:465`
/// for TLS from the first byte) and `TRESTLE_SMTP_FROM`.
public struct SMTPSettings: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// TLS from the first byte (`smtps`).
    public var implicitTLS: Bool
    public var username: String?
    public var password: String?
    /// The sender's address, as the emails say it.
    public var from: String

    public init(host: String, port: Int, implicitTLS: Bool = false, username: String? = nil, password: String? = nil, from: String) {
        self.host = host
        self.port = port
        self.implicitTLS = implicitTLS
        self.username = username
        self.password = password
        self.from = from
    }

    /// Reads the two settings; neither set is no email. A half-set or malformed pair stops the start.
    static func from(url text: String?, from sender: String?) throws -> SMTPSettings? {
        let text = text ?? "", sender = sender ?? ""
        guard !text.isEmpty || !sender.isEmpty else { return nil }
        guard let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), ["smtp", "smtps"].contains(scheme),
              let host = url.host, !host.isEmpty else {
            throw SettingsError("TRESTLE_SMTP_URL: give smtp://[user:password@]host[:port] or smtps://…, for example smtps://mailer:secret@mail.example.com:465.")
        }
        guard isAddress(sender) else {
            throw SettingsError("TRESTLE_SMTP_FROM: give the address the emails come from, such as trestle@bakery.example.")
        }
        let port = url.port ?? (scheme == "smtps" ? 465 : 25)
        guard (1...65_535).contains(port) else { throw SettingsError("TRESTLE_SMTP_URL: the port must be from 1 to 65535.") }
        return SMTPSettings(
            host: host, port: port, implicitTLS: scheme == "smtps",
            username: url.user?.removingPercentEncoding, password: url.password?.removingPercentEncoding, from: sender
        )
    }

    /// An address safe to put in an SMTP command and a header: one `@`, no spaces, brackets or
    /// line breaks.
    static func isAddress(_ text: String) -> Bool {
        text.utf8.count <= 254 && text.split(separator: "@", omittingEmptySubsequences: false).count == 2
            && !text.hasPrefix("@") && !text.hasSuffix("@")
            && text.unicodeScalars.allSatisfy { $0.isASCII && $0.value > 32 && $0.value < 127 && !"<>\"(),;:[]\\".unicodeScalars.contains($0) }
    }
}
