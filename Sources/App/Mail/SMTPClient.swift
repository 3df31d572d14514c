import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// One email, in plain text.
struct MailMessage: Sendable, Equatable {
    var to: String
    var subject: String
    var body: String
}

/// Why an email did not go: the server refused it for good (a 5xx), or it could not be sent now
/// (unreachable, a 4xx, no answer in time) and may be tried again.
enum SMTPError: Error, Equatable, CustomStringConvertible {
    case refused(code: Int, reply: String)
    case temporary(String)

    var description: String {
        switch self {
        case let .refused(code, reply): "The mail server refused it (\(code) \(reply))."
        case let .temporary(reason): "The mail server could not take it now: \(reason)"
        }
    }
}

/// Sends email through the operator's SMTP server (RFC 5321): one connection a message, EHLO,
/// AUTH PLAIN when there is a user, MAIL, RCPT, DATA, QUIT. Whatever the server answers is
/// bounded — a reply's line, its number of lines, the whole conversation's time.
struct SMTPClient: Sendable {
    static let longestLine = 2_048
    static let mostReplyLines = 64

    let settings: SMTPSettings
    var timeout: Duration = .seconds(30)
    /// Trestle's name in EHLO.
    var clientName = "trestle.invalid"

    func send(_ message: MailMessage) async throws {
        guard SMTPSettings.isAddress(message.to) else { throw SMTPError.refused(code: 0, reply: "not an address Trestle can send to") }
        do {
            let channel = try await connect()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await converse(message, on: channel) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    // Closing ends a read that waits for a server gone quiet, at once.
                    try? await channel.channel.close()
                    throw SMTPError.temporary("no answer within \(timeout).")
                }
                defer { group.cancelAll() }
                try await group.next()
            }
        } catch let error as SMTPError {
            throw error
        } catch is CancellationError {
            throw SMTPError.temporary("the sending was stopped.")
        } catch {
            throw SMTPError.temporary("\(settings.host):\(settings.port) could not be reached (\(error)).")
        }
    }

    private func connect() async throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        let host = settings.host, tls = settings.implicitTLS
        let tlsContext = tls ? try NIOSSLContext(configuration: .makeClientConfiguration()) : nil
        return try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: host, port: settings.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tlsContext {
                        try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: tlsContext, serverHostname: host))
                    }
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
    }

    private func converse(_ message: MailMessage, on channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async throws {
        try await channel.executeThenClose { inbound, outbound in
            var conversation = Conversation(inbound: inbound.makeAsyncIterator(), outbound: outbound)
            try await conversation.expect(220, after: nil)
            try await conversation.expect(250, after: "EHLO \(clientName)")
            if let user = settings.username {
                let secret = Data("\u{0}\(user)\u{0}\(settings.password ?? "")".utf8).base64EncodedString()
                try await conversation.expect(235, after: "AUTH PLAIN \(secret)", showing: "AUTH PLAIN")
            }
            try await conversation.expect(250, after: "MAIL FROM:<\(settings.from)>")
            try await conversation.expect(250, 251, after: "RCPT TO:<\(message.to)>")
            try await conversation.expect(354, after: "DATA")
            try await conversation.expect(250, after: MailText.data(of: message, from: settings.from, now: Date()))
            try? await conversation.expect(221, after: "QUIT")
        }
    }

    /// Reads the server's replies line by line from the channel, and writes commands to it.
    private struct Conversation {
        var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
        let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
        var pending: [UInt8] = []

        /// Sends `command` (when there is one) and reads the reply: a 4xx is temporary, anything
        /// else not expected a refusal.
        mutating func expect(_ codes: Int..., after command: String?, showing shown: String? = nil) async throws {
            if let command { try await outbound.write(ByteBuffer(string: command + "\r\n")) }
            let (code, text) = try await reply()
            guard codes.contains(code) else {
                let said = "\(shown ?? command?.prefix(40).description ?? "the greeting") was answered \(code) \(text)"
                throw (400..<500).contains(code) ? SMTPError.temporary(said) : SMTPError.refused(code: code, reply: String(text.prefix(200)))
            }
        }

        /// One reply: lines `250-…` up to the last `250 …`.
        private mutating func reply() async throws -> (Int, String) {
            var texts: [String] = []
            for _ in 0..<SMTPClient.mostReplyLines {
                let line = try await self.line()
                let bytes = Array(line.utf8)
                guard bytes.count >= 3, let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)), (200..<600).contains(code) else {
                    throw SMTPError.refused(code: 0, reply: "an answer that is not SMTP")
                }
                texts.append(String(line.dropFirst(4)))
                if bytes.count == 3 || bytes[3] != UInt8(ascii: "-") { return (code, texts.joined(separator: " ")) }
            }
            throw SMTPError.refused(code: 0, reply: "a reply of more than \(SMTPClient.mostReplyLines) lines")
        }

        private mutating func line() async throws -> String {
            while true {
                if let end = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    var line = Array(pending[..<end])
                    pending.removeSubrange(...end)
                    if line.last == UInt8(ascii: "\r") { line.removeLast() }
                    return String(decoding: line, as: UTF8.self)
                }
                guard pending.count <= SMTPClient.longestLine else { throw SMTPError.refused(code: 0, reply: "a line longer than \(SMTPClient.longestLine) bytes") }
                guard let buffer = try await inbound.next() else { throw SMTPError.temporary("the server closed the connection.") }
                pending += buffer.readableBytesView
            }
        }
    }
}

/// An email as SMTP's DATA carries it (RFC 5322): headers with the subject encoded (RFC 2047),
/// so no text of a person's can start a header of its own, and the body in base64.
enum MailText {
    static func data(of message: MailMessage, from: String, now: Date) -> String {
        let date = DateFormatter()
        date.locale = Locale(identifier: "en_US_POSIX")
        date.timeZone = TimeZone(identifier: "UTC")
        date.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        let domain = from.split(separator: "@").last.map(String.init) ?? "trestle.invalid"
        let headers = [
            "From: Trestle <\(from)>", "To: <\(message.to)>", "Subject: \(encodedWord(message.subject))",
            "Date: \(date.string(from: now))", "Message-ID: <\(UUID().uuidString.lowercased())@\(domain)>",
            "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64",
            "Auto-Submitted: auto-generated",
        ]
        let body = Data(message.body.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        // Base64 never starts a line with a dot, so the end of DATA cannot appear within it.
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + body + "\r\n."
    }

    /// `=?UTF-8?B?…?=` words of at most 75 characters, folded onto lines of their own.
    static func encodedWord(_ text: String) -> String {
        let oneLine = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        var words: [String] = []
        var chunk = ""
        for character in oneLine {
            if (chunk + String(character)).utf8.count > 45 {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(character)
        }
        if !chunk.isEmpty || words.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?\(Data($0.utf8).base64EncodedString())?=" }.joined(separator: "\r\n ")
    }
}
