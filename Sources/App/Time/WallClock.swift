import Foundation

/// Where Trestle reads the time. Services and the job runner take one, so tests move time
/// (a month of posting slots, a lease that runs out) instead of waiting for it.
protocol WallClock: Sendable {
    func now() -> Date
}

/// The machine's clock.
struct SystemClock: WallClock {
    func now() -> Date { Date() }
}

/// A clock that stands still until it is moved; for tests.
final class ManualClock: WallClock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Date(timeIntervalSince1970: 1_798_761_600)) { current = start }

    func now() -> Date { lock.withLock { current } }

    func advance(by seconds: TimeInterval) { lock.withLock { current = current.addingTimeInterval(seconds) } }

    func set(_ date: Date) { lock.withLock { current = date } }
}
