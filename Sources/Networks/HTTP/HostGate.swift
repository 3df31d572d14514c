/// One request at a time per host: a caller waits its turn at `enter` and gives it on at
/// `leave`, so a worker polling many feeds of one site never calls that site twice at once.
/// Hosts are told apart by name (lower-cased), not port: politeness is owed to the machine.
public actor HostGate {
    private var busy: Set<String> = []
    private var waiting: [String: [CheckedContinuation<Void, Never>]] = [:]

    public init() {}

    /// Runs `body` while holding `host`'s turn.
    public nonisolated func withTurn<T: Sendable>(at host: String, _ body: @Sendable () async throws -> T) async throws -> T {
        let key = host.lowercased()
        await enter(key)
        do {
            let value = try await body()
            await leave(key)
            return value
        } catch {
            await leave(key)
            throw error
        }
    }

    private func enter(_ host: String) async {
        guard busy.contains(host) else {
            busy.insert(host)
            return
        }
        // The turn is handed over by `leave`, `busy` staying set for this caller.
        await withCheckedContinuation { waiting[host, default: []].append($0) }
    }

    private func leave(_ host: String) {
        guard var queue = waiting[host], !queue.isEmpty else {
            busy.remove(host)
            waiting[host] = nil
            return
        }
        let next = queue.removeFirst()
        waiting[host] = queue.isEmpty ? nil : queue
        next.resume()
    }
}
