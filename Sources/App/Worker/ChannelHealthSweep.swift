import Fluent
import Foundation
import Logging
import SQLKit

/// Checks, a few at a time, every channel nobody has checked for a day, so a revoked token or
/// password shows as "needs reconnecting" before a post is due rather than when it fails.
/// Several workers may run it at once: each channel is claimed by one of them.
struct ChannelHealthSweep: Sendable {
    static let interval: TimeInterval = 24 * 3600
    /// After the network was down or busy, try again in an hour rather than a day.
    static let retryAfterFailure: TimeInterval = 3600
    static let batchSize = 10

    let service: ChannelService
    let logger: Logger

    /// Returns how many channels this run checked.
    @discardableResult
    func run(now: Date = Date()) async throws -> Int {
        let cutoff = now.addingTimeInterval(-Self.interval)
        let due = try await Channel.query(on: service.db)
            .group(.or) { $0.filter(\.$checkedAt == nil).filter(\.$checkedAt < cutoff) }
            .sort(\.$checkedAt)
            .limit(Self.batchSize)
            .all()
        var checked = 0
        for channel in due where try await claim(channel, dueBefore: cutoff, at: now) {
            do {
                try await service.check(channel, now: now)
                checked += 1
            } catch {
                logger.warning("Channel check failed; trying again in an hour", metadata: [
                    "channel": .string(channel.id?.uuidString ?? ""), "network": .string(channel.network.rawValue),
                    "reason": .string(String(describing: error)),
                ])
                channel.checkedAt = now.addingTimeInterval(Self.retryAfterFailure - Self.interval)
                try await channel.save(on: service.db)
            }
        }
        return checked
    }

    /// Marks the channel as being checked now, unless another worker did first.
    private func claim(_ channel: Channel, dueBefore cutoff: Date, at now: Date) async throws -> Bool {
        let claimed = try await (service.db as! any SQLDatabase)
            .update(Channel.schema)
            .set("checked_at", to: SQLBind(now))
            .where("id", .equal, SQLBind(channel.requireID()))
            .where { $0.where("checked_at", .is, SQLLiteral.null).orWhere("checked_at", .lessThan, SQLBind(cutoff)) }
            .returning("id")
            .all()
        return !claimed.isEmpty
    }
}
