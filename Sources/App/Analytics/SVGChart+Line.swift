import Foundation

extension SVGChart {
    /// Followers day by day: one line, the first and last day named under it.
    static func line(id: String, _ growth: Report.FollowerGrowth) -> String {
        let width = 640.0, height = 180.0, left = 64.0, right = 16.0, top = 14.0, bottom = 28.0
        let values = growth.series.map(\.followers)
        guard let low = values.min(), let high = values.max() else {
            return frame(id: id, title: "Followers of \(growth.name)", description: "No follower counts in this period yet.", width: Int(width), height: 40,
                         label("No follower counts in this period yet.", x: 0, y: 24, fill: muted))
        }
        let spread = Double(max(high - low, 1))
        let step = values.count > 1 ? (width - left - right) / Double(values.count - 1) : 0
        let points = values.enumerated().map { index, value in
            "\(number(left + Double(index) * step)),\(number(top + (height - top - bottom) * (1 - Double(value - low) / spread)))"
        }
        var marks = #"<line x1="\#(number(left))" y1="\#(number(height - bottom))" x2="\#(number(width - right))" y2="\#(number(height - bottom))" stroke="\#(line)"/>"#
        marks += label(ReportText.count(high), x: left - 6, y: top + 4, anchor: "end", fill: muted, size: 11)
        marks += label(ReportText.count(low), x: left - 6, y: height - bottom, anchor: "end", fill: muted, size: 11)
        marks += #"<polyline points="\#(points.joined(separator: " "))" fill="none" stroke="\#(ink)" stroke-width="2"/>"#
        if values.count == 1, let point = points.first?.split(separator: ",") {
            marks += #"<circle cx="\#(point[0])" cy="\#(point[1])" r="3" fill="\#(ink)"/>"#
        }
        marks += label(growth.series.first!.day, x: left, y: height - 8, fill: muted, size: 11)
        marks += label(growth.series.last!.day, x: width - right, y: height - 8, anchor: "end", fill: muted, size: 11)
        let change = growth.growth.map { ($0 >= 0 ? "+" : "") + ReportText.count($0) } ?? "0"
        return frame(id: id, title: "Followers of \(growth.name)",
                     description: "From \(ReportText.count(values.first!)) on \(growth.series.first!.day) to \(ReportText.count(values.last!)) on \(growth.series.last!.day): \(change).",
                     width: Int(width), height: Int(height), marks)
    }
}
