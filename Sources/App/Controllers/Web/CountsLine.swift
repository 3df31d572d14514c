import Networks

/// A delivery's counts as the post page says them: what the network counted, and, where it
/// left a count out, which and why in the network's own terms — never a 0 it did not say.
enum CountsLine {
    private static func kinds(_ metrics: DeliveryMetrics) -> [(name: String, one: String, value: Int64?)] {
        [("likes", "like", metrics.likes), ("reposts", "repost", metrics.reposts), ("replies", "reply", metrics.replies),
         ("quotes", "quote", metrics.quotes), ("views", "view", metrics.impressions)]
    }

    static func counts(_ metrics: DeliveryMetrics) -> String {
        kinds(metrics).compactMap { kind in kind.value.map { "\($0.formatted()) \($0 == 1 ? kind.one : kind.name)" } }.joined(separator: " · ")
    }

    static func notCounted(_ metrics: DeliveryMetrics, by reader: (any MetricsReader)?) -> String? {
        let missing = kinds(metrics).filter { $0.value == nil }.map(\.name)
        guard !missing.isEmpty else { return nil }
        return "Not counted: \(missing.joined(separator: ", ")). " + (reader?.notCounted ?? "")
    }
}
