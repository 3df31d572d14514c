import Foundation

/// Charts Trestle draws itself as SVG inside the page: readable without JavaScript, named for
/// screen readers (`role="img"` with a `<title>` and `<desc>`; the page puts a table with the
/// same numbers beside each), every text escaped, colours that keep 3:1 against white.
enum SVGChart {
    /// Trestle's accent, the bars' colour: 6.3:1 against white.
    static let ink = "#1f6f5c"
    static let text = "#1d2433"
    static let muted = "#5b6474"
    static let line = "#dde2ea"

    /// The `<svg>` around a chart's marks; `id` ties the title and description to it.
    static func frame(id: String, title: String, description: String, width: Int, height: Int, _ body: String) -> String {
        let id = HTMLText.escape(id)
        return """
            <svg class="chart" role="img" aria-labelledby="\(id)-title \(id)-desc" viewBox="0 0 \(width) \(height)" width="100%" \
            preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="12">\
            <title id="\(id)-title">\(HTMLText.escape(title))</title><desc id="\(id)-desc">\(HTMLText.escape(description))</desc>\(body)</svg>
            """
    }

    /// A text mark, escaped.
    static func label(_ text: String, x: Double, y: Double, anchor: String = "start", fill: String = SVGChart.text, size: Int? = nil) -> String {
        let size = size.map { #" font-size="\#($0)""# } ?? ""
        return #"<text x="\#(number(x))" y="\#(number(y))" text-anchor="\#(anchor)" fill="\#(fill)"\#(size)>\#(HTMLText.escape(text))</text>"#
    }

    /// A coordinate with at most one decimal, so the markup stays small.
    static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// Names longer than a chart's margin are cut with an ellipsis (the table has them whole).
    static func shortened(_ name: String, to length: Int) -> String {
        name.count > length ? String(name.prefix(length - 1)) + "…" : name
    }

    // MARK: Bars

    /// Horizontal bars, one a row, each with its name before it and its number after it: the
    /// funnel from published to sales, or clicks per channel.
    static func bars(id: String, title: String, description: String, _ bars: [(name: String, value: Int64)]) -> String {
        let width = 640, labelWidth = 170.0, valueWidth = 80.0, row = 30.0
        let largest = max(bars.map(\.value).max() ?? 0, 1)
        let span = Double(width) - labelWidth - valueWidth
        var marks = ""
        for (index, bar) in bars.enumerated() {
            let y = Double(index) * row + 6
            // A number above zero keeps a sliver of a bar, so it never looks like nothing.
            let length = bar.value > 0 ? max(span * Double(bar.value) / Double(largest), 2) : 0
            marks += label(shortened(bar.name, to: 26), x: labelWidth - 8, y: y + 15, anchor: "end")
            marks += #"<rect x="\#(number(labelWidth))" y="\#(number(y))" width="\#(number(length))" height="20" rx="3" fill="\#(ink)"/>"#
            marks += label(ReportText.count(bar.value), x: labelWidth + length + 6, y: y + 15)
        }
        let height = max(Int(Double(bars.count) * row) + 8, 30)
        return frame(id: id, title: title, description: description, width: width, height: height, marks)
    }
}

/// Numbers as the report's pages, charts and CSV files write them.
enum ReportText {
    /// `12,345`.
    static func count(_ value: some BinaryInteger) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// Thousandths as a decimal with at least two places: `42.50`, `0.125`.
    static func money(_ milli: Int64) -> String {
        let sign = milli < 0 ? "-" : "", magnitude = milli.magnitude
        let fraction = magnitude % 1_000
        let decimals = fraction % 10 == 0 ? String(format: "%02d", fraction / 10) : String(format: "%03d", fraction)
        return "\(sign)\(magnitude / 1_000).\(decimals)"
    }

    /// `12.5`: an average with one decimal.
    static func average(_ value: Double) -> String {
        String(format: "%.1f", value)
    }

    static let weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
}
