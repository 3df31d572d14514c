import Foundation

extension SVGChart {
    /// A channel's hours of the week: seven rows (Monday first), 24 columns, each cell as dark
    /// as the average a delivery published then brought; hours nobody posted in are left pale.
    static func heatmap(id: String, _ times: Report.BestTimes) -> String {
        let left = 44.0, top = 20.0, cell = 24.0
        let averages = (0..<7).flatMap { day in (0..<24).map { times.average(day: day, hour: $0) } }
        let largest = max(averages.compactMap { $0 }.max() ?? 0, 0.0001)
        var marks = ""
        for hour in stride(from: 0, to: 24, by: 3) {
            marks += label(String(format: "%02d", hour), x: left + Double(hour) * cell + cell / 2, y: top - 6, anchor: "middle", fill: muted, size: 11)
        }
        for day in 0..<7 {
            let y = top + Double(day) * cell
            marks += label(String(ReportText.weekdays[day].prefix(3)), x: left - 6, y: y + 16, anchor: "end", fill: muted, size: 11)
            for hour in 0..<24 {
                let x = left + Double(hour) * cell
                let average = averages[day * 24 + hour]
                let fill = average.map { shade($0 / largest) } ?? "#f6f7f9"
                let what = average.map { "\(ReportText.average($0)) \(times.measure.rawValue) a post, \(times.cells[day * 24 + hour].posts) posted" } ?? "nothing posted"
                marks += #"<rect x="\#(number(x + 1))" y="\#(number(y + 1))" width="\#(number(cell - 2))" height="\#(number(cell - 2))" rx="2" fill="\#(fill)" stroke="\#(line)">"#
                    + "<title>\(HTMLText.escape("\(ReportText.weekdays[day]) \(String(format: "%02d:00", hour)): \(what)"))</title></rect>"
            }
        }
        let best = (0..<168).filter { averages[$0] != nil }.max { (averages[$0]!, -$0) < (averages[$1]!, -$1) }
        let summary = best.map { "The best hour so far is \(ReportText.weekdays[$0 / 24]) \(String(format: "%02d:00", $0 % 24)) (\(times.zone)), \(ReportText.average(averages[$0]!)) \(times.measure.rawValue) a post." }
            ?? "Nothing was published on this channel in the period."
        return frame(id: id, title: "Best times to post on \(times.name)", description: "\(times.measure.rawValue.capitalized) per post by hour of the week in \(times.zone). \(summary)",
                     width: Int(left + 24 * cell + 4), height: Int(top + 7 * cell + 4), marks)
    }

    /// From a pale green (nothing much) to the accent (the best hour).
    static func shade(_ fraction: Double) -> String {
        let t = min(max(fraction, 0), 1)
        let pale = (0xd9, 0xee, 0xe7), dark = (0x1f, 0x6f, 0x5c)
        func mix(_ a: Int, _ b: Int) -> Int { Int((Double(a) + (Double(b) - Double(a)) * t).rounded()) }
        return String(format: "#%02x%02x%02x", mix(pale.0, dark.0), mix(pale.1, dark.1), mix(pale.2, dark.2))
    }
}
