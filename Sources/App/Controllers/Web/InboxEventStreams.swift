import Foundation
import Synchronization
import Vapor

/// The inbox pages open on this process, each holding one event stream (`InboxEvents`):
/// bounded per person and in all, so many tabs or a script gone wrong cannot hold all of the
/// server's connections, and ended together when the server stops rather than holding up its
/// graceful shutdown.
final class InboxEventStreams: Sendable {
    /// About one per open tab: a person rarely has more inbox tabs than this.
    static let mostPerPerson = 16
    static let mostInAll = 2_000

    private struct Stream {
        var person: UUID
        var end: @Sendable () -> Void
    }

    private struct State {
        var streams: [UUID: Stream] = [:]
        var stopping = false
    }

    private let state = Mutex(State())

    /// A place for one more stream of `person`, or nil when they (or everyone together) hold
    /// enough already or the server is stopping. `end` stops the stream from outside.
    func admit(_ person: UUID, end: @escaping @Sendable () -> Void) -> UUID? {
        state.withLock { state in
            guard !state.stopping, state.streams.count < Self.mostInAll,
                  state.streams.values.filter({ $0.person == person }).count < Self.mostPerPerson else { return nil }
            let id = UUID()
            state.streams[id] = Stream(person: person, end: end)
            return id
        }
    }

    /// The stream ended (its page closed, or it was ended).
    func leave(_ id: UUID) {
        _ = state.withLock { $0.streams.removeValue(forKey: id) }
    }

    /// How many are open now.
    var count: Int { state.withLock { $0.streams.count } }

    /// Ends every stream and admits no more: the server is stopping.
    func endAll() {
        let ends = state.withLock { state in
            state.stopping = true
            return state.streams.values.map(\.end)
        }
        for end in ends { end() }
    }

    /// Ends the streams first when the application shuts down, before its server waits for
    /// open responses to finish.
    struct Shutdown: LifecycleHandler {
        func shutdownAsync(_ application: Application) async {
            application.wiring.inboxStreams.endAll()
        }
    }
}
