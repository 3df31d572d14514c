/// The calendar's weeks as HTML, written here rather than in Leaf: a month holds a hundred and
/// more posts, and Leaf took most of the page's time laying them out.
enum CalendarGrid {
    static func html(weeks: [[CalendarPages.DayCell]], workspaceID: String) -> String {
        var html = ""
        html.reserveCapacity(weeks.count * 7 * 600)
        let workspace = HTMLText.escape(workspaceID)
        for week in weeks {
            html += "<div class=\"calendar-week\">\n"
            for day in week {
                let date = HTMLText.escape(day.date)
                html += "<div class=\"calendar-day\(day.inMonth ? "" : " outside")\(day.isToday ? " today" : "")\" data-day=\"\(date)\">\n"
                html += "<p class=\"calendar-date\">\(HTMLText.escape(day.label))</p>\n<ul>\n"
                for item in day.items {
                    let state = HTMLText.escape(item.state)
                    html += "<li class=\"calendar-item ch-\(item.colour) state-\(state)\""
                    if item.movable { html += " draggable=\"true\" data-delivery=\"\(HTMLText.escape(item.id))\"" }
                    html += " title=\"\(HTMLText.escape(item.handle)) · \(HTMLText.escape(item.channelTime)) · \(state)\">"
                    html += "<a href=\"/workspaces/\(workspace)/posts/\(HTMLText.escape(item.postID))\"><time>\(HTMLText.escape(item.time))</time> \(HTMLText.escape(item.excerpt))</a></li>\n"
                }
                html += "</ul>\n"
                if day.more > 0 {
                    html += "<p class=\"muted more\"><a href=\"?view=week&amp;date=\(date)\">+\(day.more) more</a></p>\n"
                }
                html += "</div>\n"
            }
            html += "</div>\n"
        }
        return html
    }
}
