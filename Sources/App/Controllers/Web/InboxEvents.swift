import Foundation
import Vapor

/// Server-sent events for an open inbox page: `event: inbox` with the unread count each time
/// the workspace's inbox changes, so the page refreshes its list without a reload. A change in
/// this process is told at once (`InboxSignal`); one in another process (a separate `trestle
/// worker` that heard a reply) is seen by a look at the database every `look`. Served by
/// Trestle itself: no outside service, no library.
enum InboxEvents {
    /// How often the database is looked at for changes made by other processes.
    static let look: Duration = .seconds(2)
    /// A comment this often keeps proxies from closing a quiet stream, and finds a page that
    /// went away (the write fails), which ends the stream.
    static let heartbeat: Duration = .seconds(15)
    /// A stream ends after this long and the browser opens a new one (after `retry`): nothing
    /// stays open for ever, and a signed-out session is not followed for long.
    static let lifetime: Duration = .seconds(600)
    /// Milliseconds the browser waits before it reconnects.
    static let retry = 3_000

    private enum Tick: Sendable {
        case changed
        case look
    }

    @Sendable static func stream(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let workspaceID = try access.workspace.requireID()
        let person = try req.requireUser().requireID()
        let wiring = req.wiring
        let db = req.db
        let response = Response(status: .ok)
        response.headers.replaceOrAdd(name: .contentType, value: "text/event-stream; charset=utf-8")
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        // Reverse proxies such as nginx pass each event on at once rather than buffering.
        response.headers.replaceOrAdd(name: "X-Accel-Buffering", value: "no")
        response.body = .init(managedAsyncStream: { writer in
            try await send(to: writer, workspaceID: workspaceID, person: person, service: InboxService(db: db, wiring: wiring), streams: wiring.inboxStreams)
        })
        return response
    }

    private static func send(
        to writer: any AsyncBodyStreamWriter, workspaceID: UUID, person: UUID, service: InboxService, streams: InboxEventStreams
    ) async throws {
        let (ticks, tick) = AsyncStream<Tick>.makeStream(bufferingPolicy: .bufferingNewest(4))
        // The place is taken here, inside the stream, so one is never kept for a response that
        // was never sent.
        guard let place = streams.admit(person, end: { tick.finish() }) else {
            try await writer.write(.buffer(ByteBuffer(string: "retry: 60000\n: too many inbox pages are open; this one stays as it is\n\n")))
            return
        }
        defer { streams.leave(place) }
        var mark = try await service.mark(of: workspaceID)
        try await writer.write(.buffer(ByteBuffer(string: "retry: \(retry)\n: listening\n\n")))
        var lastWrite = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in service.wiring.inbox.changes(of: workspaceID) { tick.yield(.changed) }
            }
            group.addTask {
                while true {
                    try await Task.sleep(for: look)
                    tick.yield(.look)
                }
            }
            group.addTask {
                try await Task.sleep(for: lifetime)
                tick.finish()
            }
            for await reason in ticks {
                let now = try await service.mark(of: workspaceID)
                if case .changed = reason {
                    mark = now
                    try await writer.write(.buffer(ByteBuffer(string: event(unread: now.unread))))
                    lastWrite = .now
                } else if now != mark {
                    mark = now
                    try await writer.write(.buffer(ByteBuffer(string: event(unread: now.unread))))
                    lastWrite = .now
                } else if ContinuousClock.now - lastWrite >= heartbeat {
                    try await writer.write(.buffer(ByteBuffer(string: ": heartbeat\n\n")))
                    lastWrite = .now
                }
            }
            group.cancelAll()
        }
    }

    private static func event(unread: Int) -> String {
        "event: inbox\ndata: {\"unread\":\(unread)}\n\n"
    }
}
