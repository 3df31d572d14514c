import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// An SMTP server on loopback (RFC 5321's replies, as Postfix gives them), keeping what it is
/// sent. `refuseRecipients` answers RCPT with 550, `busy` greets with 421, `silent` never
/// greets: what a real server may do.
final class FakeSMTPServer: Sendable {
    struct Received: Sendable {
        var from: String
        var to: [String]
        var data: String
        /// The decoded `AUTH PLAIN` user, when it logged in.
        var user: String?
    }

    enum Mood: Sendable { case normal, refuseRecipients, busy, silent }

    let port: Int
    let received = Mutex<[Received]>([])
    let mood = Mutex(Mood.normal)
    private let server: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>
    private let serving = Mutex<Task<Void, Never>?>(nil)

    private init(server: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>) {
        self.server = server
        port = server.channel.localAddress?.port ?? 0
    }

    static func with(_ body: (FakeSMTPServer) async throws -> Void) async throws {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { child in
                child.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: child) }
            }
        let fake = FakeSMTPServer(server: channel)
        let task = Task<Void, Never> { [fake] in
            _ = try? await channel.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in inbound {
                        group.addTask { try? await fake.converse(connection) }
                    }
                }
            }
        }
        fake.serving.withLock { $0 = task }
        do {
            try await body(fake)
        } catch {
            try? await channel.channel.close()
            task.cancel()
            throw error
        }
        try? await channel.channel.close()
        task.cancel()
    }

    private func converse(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async throws {
        let mood = self.mood.withLock { $0 }
        try await connection.executeThenClose { inbound, outbound in
            func say(_ line: String) async throws { try await outbound.write(ByteBuffer(string: line + "\r\n")) }
            switch mood {
            case .silent:
                for try await _ in inbound {}
                return
            case .busy:
                try await say("421 4.3.2 Service not available, closing transmission channel")
                return
            default:
                try await say("220 fake.example ESMTP")
            }
            var pending = ""
            var from = "", to: [String] = [], user: String?
            var inData = false, data: [String] = []
            for try await buffer in inbound {
                pending += String(buffer: buffer)
                while let end = pending.range(of: "\r\n") {
                    let line = String(pending[..<end.lowerBound])
                    pending.removeSubrange(..<end.upperBound)
                    if inData {
                        if line == "." {
                            inData = false
                            received.withLock { $0.append(Received(from: from, to: to, data: data.joined(separator: "\r\n"), user: user)) }
                            try await say("250 2.0.0 Ok: queued")
                        } else {
                            data.append(line.hasPrefix("..") ? String(line.dropFirst()) : line)
                        }
                        continue
                    }
                    let upper = line.uppercased()
                    if upper.hasPrefix("EHLO") {
                        try await say("250-fake.example")
                        try await say("250-AUTH PLAIN")
                        try await say("250 8BITMIME")
                    } else if upper.hasPrefix("AUTH PLAIN ") {
                        let decoded = Data(base64Encoded: String(line.dropFirst(11))).map { String(decoding: $0, as: UTF8.self) } ?? ""
                        user = decoded.split(separator: "\u{0}").first.map(String.init)
                        try await say("235 2.7.0 Authentication successful")
                    } else if upper.hasPrefix("MAIL FROM:") {
                        from = String(line.dropFirst(10)).trimmingCharacters(in: CharacterSet(charactersIn: "<>"))
                        try await say("250 2.1.0 Ok")
                    } else if upper.hasPrefix("RCPT TO:") {
                        if mood == .refuseRecipients {
                            try await say("550 5.1.1 <\(line.dropFirst(8))>: Recipient address rejected")
                        } else {
                            to.append(String(line.dropFirst(8)).trimmingCharacters(in: CharacterSet(charactersIn: "<>")))
                            try await say("250 2.1.5 Ok")
                        }
                    } else if upper == "DATA" {
                        inData = true
                        data = []
                        try await say("354 End data with <CR><LF>.<CR><LF>")
                    } else if upper == "QUIT" {
                        try await say("221 2.0.0 Bye")
                        return
                    } else {
                        try await say("502 5.5.2 Error: command not recognized")
                    }
                }
            }
        }
    }
}
