import Fluent
import Foundation
import TextRules
import Vapor

/// The calendar: a week or a month of every delivery, in the viewer's own zone with each
/// channel's beside it, a colour per channel; a delivery dragged to another day keeps its time
/// of day. And each channel's queue, to put in another order.
enum CalendarPages {
    /// How many deliveries a day shows before "+N more".
    static let perDayInWeek = 24
    static let perDayInMonth = 4

    struct Item {
        var id: String
        var postID: String
        var handle: String
        var colour: Int
        var state: String
        /// `09:00` in the viewer's zone; the channel's own time in `channelTime`.
        var time: String
        var channelTime: String
        var excerpt: String
        var movable: Bool
    }

    struct DayCell {
        var date: String
        var label: String
        var inMonth: Bool
        var isToday: Bool
        var items: [Item]
        var more: Int
    }

    struct CalendarContext: Encodable {
        var page: PageContext
        var view: String
        var title: String
        var zone: String
        var previous: String
        var next: String
        var today: String
        /// The weeks, as `CalendarGrid` writes them.
        var grid: String
        var channels: [Legend]
    }

    struct Legend: Encodable, Sendable {
        var handle: String
        var colour: Int
        var queueURL: String
    }

    @Sendable static func calendar(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let zoneName = req.query[String.self, at: "zone"] ?? req.cookies["trestle_zone"]?.string.removingPercentEncoding ?? "UTC"
        let zone = TimeZone(identifier: zoneName) ?? TimeZone(identifier: "UTC")!
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        calendar.firstWeekday = 2
        let now = req.wiring.clock.now()
        let anchor = (req.query[String.self, at: "date"]).flatMap { Self.day($0, in: zone) } ?? now
        let isMonth = req.query[String.self, at: "view"] == "month"

        // The days shown: a week from Monday, or the month's weeks from the Monday before its 1st.
        let first: Date
        let dayCount: Int
        if isMonth {
            let monthStart = calendar.date(from: calendar.dateComponents([.year, .month], from: anchor))!
            first = calendar.dateInterval(of: .weekOfYear, for: monthStart)!.start
            let monthEnd = calendar.date(byAdding: .month, value: 1, to: monthStart)!
            let lastWeekEnd = calendar.dateInterval(of: .weekOfYear, for: monthEnd.addingTimeInterval(-1))!.end
            dayCount = calendar.dateComponents([.day], from: first, to: lastWeekEnd).day!
        } else {
            first = calendar.dateInterval(of: .weekOfYear, for: anchor)!.start
            dayCount = 7
        }
        let midnights = (0...dayCount).map { offset in
            let components = calendar.dateComponents([.year, .month, .day], from: calendar.date(byAdding: .day, value: offset, to: first)!)
            return LocalTime.instant(year: components.year!, month: components.month!, day: components.day!, hour: 0, minute: 0, in: zone)
        }
        let perDay = isMonth ? perDayInMonth : perDayInWeek
        let workspaceID = try access.workspace.requireID().uuidString
        let key = CalendarCache.Key(workspace: try access.workspace.requireID(), first: first, days: dayCount, perDay: perDay,
                                    zone: zone.identifier, today: DateText.format(now, "yyyy-MM-dd", in: zone))
        let shown = try await req.wiring.calendar.days(key, now: now) {
            let channels = try await req.channelService.channels(in: access.workspace).sorted { $0.handle < $1.handle }
            let colours = Dictionary(channels.enumerated().compactMap { index, channel in channel.id.map { ($0, index % 8) } }, uniquingKeysWith: { a, _ in a })
            let days = try await PostCalendar(db: req.db).days(between: midnights, in: access.workspace, perDay: perDay)
            let cells = Self.cells(days, channels: channels, colours: colours, isMonth: isMonth, month: calendar.component(.month, from: anchor), now: now, calendar: calendar)
            return CalendarCache.Shown(
                grid: CalendarGrid.html(weeks: stride(from: 0, to: cells.count, by: 7).map { Array(cells[$0..<min($0 + 7, cells.count)]) }, workspaceID: workspaceID),
                legend: channels.compactMap { channel in
                    channel.id.map { Legend(handle: channel.handle, colour: colours[$0] ?? 0, queueURL: "/workspaces/\(workspaceID)/channels/\($0.uuidString)/queue") }
                }
            )
        }
        let step = isMonth ? Calendar.Component.month : .weekOfYear
        let link = { (date: Date) in "?view=\(isMonth ? "month" : "week")&date=\(DateText.format(date, "yyyy-MM-dd", in: zone))" }
        let context = CalendarContext(
            page: try await .load(req, title: "Calendar · \(access.workspace.name)", in: access),
            view: isMonth ? "month" : "week",
            title: isMonth ? DateText.format(anchor, "MMMM yyyy", in: zone) : "Week of \(DateText.format(first, "d MMMM yyyy", in: zone))",
            zone: zone.identifier,
            previous: link(calendar.date(byAdding: step, value: -1, to: anchor)!), next: link(calendar.date(byAdding: step, value: 1, to: anchor)!),
            today: "?view=\(isMonth ? "month" : "week")",
            grid: shown.grid,
            channels: shown.legend
        )
        return try await req.page("calendar", context)
    }

    /// The days as the grid shows them: each post's time in the viewer's zone and its channel's.
    private static func cells(_ days: [PostCalendar.Day], channels: [Channel], colours: [UUID: Int], isMonth: Bool, month: Int, now: Date, calendar: Calendar) -> [DayCell] {
        let zone = calendar.timeZone
        let zones = Dictionary(channels.compactMap { channel in channel.id.map { ($0, channel.timezone) } }, uniquingKeysWith: { a, _ in a })
        return days.map { day in
            DayCell(
                date: DateText.format(day.start, "yyyy-MM-dd", in: zone), label: DateText.format(day.start, isMonth ? "d" : "EEE d MMM", in: zone),
                inMonth: !isMonth || calendar.component(.month, from: day.start) == month,
                isToday: calendar.isDate(day.start, inSameDayAs: now),
                items: day.entries.map { entry in
                    let channelZone = entry.channelID.flatMap { zones[$0] } ?? "UTC"
                    return Item(
                        id: entry.id.uuidString, postID: entry.postID.uuidString, handle: entry.handle,
                        colour: entry.channelID.flatMap { colours[$0] } ?? 7, state: entry.state.rawValue,
                        time: DateText.format(entry.scheduledAt, "HH:mm", in: zone),
                        channelTime: "\(DateText.format(entry.scheduledAt, "EEE HH:mm", in: TimeZone(identifier: channelZone) ?? zone)) \(channelZone)",
                        excerpt: entry.excerpt, movable: entry.state.isPending
                    )
                },
                more: day.total - day.entries.count
            )
        }
    }

    struct MoveForm: Content {
        /// The day dropped on, `YYYY-MM-DD`, in `zone`.
        var day: String
        var zone: String?
    }

    /// A delivery dropped on another day keeps its time of day in the viewer's zone.
    @Sendable static func move(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let form = try req.content.decode(MoveForm.self)
        let zone = form.zone.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "UTC")!
        let delivery = try await Self.delivery(req, in: access.workspace)
        guard let target = Self.day(form.day, in: zone) else {
            throw AppError.invalid(["day": "Drop the post on a day of the calendar."])
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let day = calendar.dateComponents([.year, .month, .day], from: target)
        let time = calendar.dateComponents([.hour, .minute], from: delivery.scheduledAt)
        let instant = LocalTime.instant(year: day.year!, month: day.month!, day: day.day!, hour: time.hour!, minute: time.minute!, in: zone)
        try await req.db.transaction { db in
            try await req.wiring.deliveries(on: db).move(delivery, to: instant)
        }
        return Response(status: .noContent)
    }

    struct QueueContext: Encodable {
        struct Line: Encodable {
            var id: String
            var postID: String
            var time: String
            var excerpt: String
            var first: Bool
            var last: Bool
        }

        var page: PageContext
        var handle: String
        var zone: String
        var channelID: String
        var lines: [Line]
    }

    /// A channel's queue, soonest first, each with its time in the channel's zone.
    @Sendable static func queue(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let channel = try await req.channelService.channel(req.uuidParameter("channel"), in: access.workspace)
        let queue = try await req.wiring.deliveries(on: req.db).queue(of: channel)
        let zone = TimeZone(identifier: channel.timezone) ?? TimeZone(identifier: "UTC")!
        let lines = try queue.enumerated().map { index, delivery in
            QueueContext.Line(
                id: try delivery.requireID().uuidString, postID: delivery.$post.id.uuidString,
                time: DateText.format(delivery.scheduledAt, "EEE d MMM HH:mm", in: zone), excerpt: String(delivery.post.text.prefix(120)),
                first: index == 0, last: index == queue.count - 1
            )
        }
        return try await req.page("queue", QueueContext(
            page: try await .load(req, title: "Queue · \(channel.handle)", in: access), handle: channel.handle, zone: channel.timezone,
            channelID: try channel.requireID().uuidString, lines: lines
        ))
    }

    /// Moves a queued post one place earlier or later; the queue's times stay where they are.
    @Sendable static func reorder(_ req: Request) async throws -> Response {
        let access = try req.requireWorkspace()
        let channel = try await req.channelService.channel(req.uuidParameter("channel"), in: access.workspace)
        let delivery = try await Self.delivery(req, in: access.workspace)
        let earlier: Bool
        switch req.parameters.get("direction") {
        case "earlier": earlier = true
        case "later": earlier = false
        default: throw AppError.notFound()
        }
        try await req.db.transaction { db in
            try await req.wiring.deliveries(on: db).swapInQueue(delivery, of: channel, earlier: earlier)
        }
        return req.redirect(to: "/workspaces/\(try access.workspace.requireID())/channels/\(try channel.requireID())/queue")
    }

    /// The workspace's delivery named in the path; another workspace's does not exist here.
    private static func delivery(_ req: Request, in workspace: Workspace) async throws -> Delivery {
        let workspaceID = try workspace.requireID()
        let id = try req.uuidParameter("delivery")
        guard let delivery = try await Delivery.query(on: req.db)
            .join(Post.self, on: \Delivery.$post.$id == \Post.$id)
            .filter(Post.self, \Post.$workspace.$id == workspaceID)
            .filter(\Delivery.$id == id)
            .first()
        else { throw AppError.notFound("This delivery") }
        return delivery
    }

    /// `2026-12-24` as that day's noon in `zone` (noon: never inside a clock change).
    static func day(_ text: String, in zone: TimeZone) -> Date? {
        let pieces = text.split(separator: "-").compactMap { Int($0) }
        guard pieces.count == 3, (2000...2200).contains(pieces[0]), (1...12).contains(pieces[1]), (1...31).contains(pieces[2]) else { return nil }
        return LocalTime.instant(year: pieces[0], month: pieces[1], day: pieces[2], hour: 12, minute: 0, in: zone)
    }
}
