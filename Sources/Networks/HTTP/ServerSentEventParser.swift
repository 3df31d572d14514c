import Foundation

/// One event of a `text/event-stream` answer (server-sent events, as the HTML standard defines
/// them): its name (`message` when the server gave none) and its data lines joined by `\n`.
public struct ServerSentEvent: Sendable, Equatable {
    public var name: String
    public var data: String

    public init(name: String, data: String) {
        self.name = name
        self.data = data
    }
}

/// Reads server-sent events from the bytes of an answer, however they are split into pieces.
/// Lines end in LF, CR or CRLF; lines starting with `:` are comments (Mastodon's `:thump`
/// heartbeat) and skipped; a blank line ends an event. The server is not trusted: a line longer
/// than `longestLine` or an event larger than `largestEvent` ends the reading with an error
/// rather than growing a buffer without end.
public struct ServerSentEventParser: Sendable {
    public static let longestLine = 64 * 1024
    public static let largestEvent = 1 << 20

    private var line: [UInt8] = []
    /// The last byte was a CR, so an LF right after it ends no second line.
    private var afterCR = false
    private var atStart = true
    private var name: String?
    private var data: [UInt8] = []
    private var hasData = false

    public init() {}

    /// The events that `bytes` completes, in order.
    public mutating func feed<Bytes: Sequence>(_ bytes: Bytes) throws -> [ServerSentEvent] where Bytes.Element == UInt8 {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            if afterCR {
                afterCR = false
                if byte == 0x0A { continue }
            }
            switch byte {
            case 0x0A, 0x0D:
                afterCR = byte == 0x0D
                if let event = try endLine() { events.append(event) }
            default:
                guard line.count < Self.longestLine else {
                    throw NetworkError.unexpectedResponse("The event stream sent a line longer than \(Self.longestLine / 1024) KiB.")
                }
                line.append(byte)
            }
        }
        return events
    }

    private mutating func endLine() throws -> ServerSentEvent? {
        defer { line.removeAll(keepingCapacity: line.count <= 4_096) }
        // A byte order mark may open the stream, and only there.
        if atStart {
            atStart = false
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        }
        guard !line.isEmpty else { return dispatch() }
        if line[0] == UInt8(ascii: ":") { return nil }
        let colon = line.firstIndex(of: UInt8(ascii: ":"))
        let field = String(decoding: line[..<(colon ?? line.count)], as: UTF8.self)
        var value = colon.map { line[($0 + 1)...] } ?? []
        if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
        switch field {
        case "event":
            name = String(decoding: value, as: UTF8.self)
        case "data":
            guard data.count + value.count + 1 <= Self.largestEvent else {
                throw NetworkError.unexpectedResponse("The event stream sent an event larger than \(Self.largestEvent / 1_048_576) MiB.")
            }
            if hasData { data.append(0x0A) }
            data += value
            hasData = true
        default:
            // `id` and `retry` matter to a browser reconnecting by itself; Trestle reads from
            // its own cursor instead. Unknown fields are ignored, as the standard says.
            break
        }
        return nil
    }

    /// The event a blank line ends; nothing when it had no data, as the standard says.
    private mutating func dispatch() -> ServerSentEvent? {
        defer {
            name = nil
            data.removeAll(keepingCapacity: false)
            hasData = false
        }
        guard hasData else { return nil }
        let eventName = name.flatMap { $0.isEmpty ? nil : $0 } ?? "message"
        return ServerSentEvent(name: eventName, data: String(decoding: data, as: UTF8.self))
    }
}
