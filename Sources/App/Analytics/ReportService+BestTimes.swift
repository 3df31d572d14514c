import Foundation

extension ReportService {
    /// Per channel, what the deliveries published in each hour of the week (in the channel's
    /// zone, so 09:00 stays 09:00 across a change of clocks) brought: engagement once the network
    /// counted any of the channel's deliveries, clicks otherwise.
    fileprivate typealias Cells = [(posts: Int, total: Int64)]

    static func bestTimes(_ published: [(id: UUID, channel: UUID?, at: Date, engagement: Int64?)], clicks: [UUID: Int], channels: [Channel]) -> [Report.BestTimes] {
        channels.compactMap { channel -> Report.BestTimes? in
            guard let channelID = channel.id else { return nil }
            let own = published.filter { $0.channel == channelID }
            let zone = TimeZone(identifier: channel.timezone) ?? TimeZone(identifier: "UTC")!
            let measure: Report.BestTimes.Measure = own.contains { $0.engagement != nil } ? .engagement : .clicks
            var cells: Cells = Array(repeating: (0, 0), count: 7 * 24)
            for delivery in own {
                let index = hourOfWeek(delivery.at, in: zone)
                cells[index].posts += 1
                cells[index].total &+= measure == .engagement ? (delivery.engagement ?? 0) : Int64(clicks[delivery.id] ?? 0)
            }
            return Report.BestTimes(channelID: channelID, name: name(of: channel), zone: zone.identifier, measure: measure, cells: cells)
        }.sorted { $0.name.lowercased() < $1.name.lowercased() }
    }

    /// Monday 00:00 is 0, Sunday 23:00 is 167, in the zone's local time at that instant. Worked
    /// out from the zone's offset then, which is far quicker than asking a Calendar 10,000 times.
    static func hourOfWeek(_ instant: Date, in zone: TimeZone) -> Int {
        let local = Int64(instant.timeIntervalSince1970.rounded(.down)) + Int64(zone.secondsFromGMT(for: instant))
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let hour = (local - days * 86_400) / 3_600
        // 1 January 1970 was a Thursday, the fourth day of a week from Monday.
        let weekday = ((days + 3) % 7 + 7) % 7
        return Int(weekday * 24 + hour)
    }
}
