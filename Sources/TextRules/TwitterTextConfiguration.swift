/// The parameters of twitter-text's weighted length (its `config/v1.json` … `v3.json`):
/// how many weight units a character costs, by code point range, and what a link costs.
///
/// Decodes from twitter-text's JSON files as they are.
public struct TwitterTextConfiguration: Sendable, Hashable, Codable {
    /// Code points `start...end` (inclusive) weigh `weight` instead of `defaultWeight`.
    public struct WeightedRange: Sendable, Hashable, Codable {
        public var start: Int
        public var end: Int
        public var weight: Int

        public init(start: Int, end: Int, weight: Int) {
            self.start = start
            self.end = end
            self.weight = weight
        }
    }

    public var version: Int
    /// The limit, in characters after dividing by `scale`.
    public var maxWeightedTweetLength: Int
    /// Weight units per character (100 lets a character weigh 1 or 2 and keeps integer maths).
    public var scale: Int
    public var defaultWeight: Int
    /// What any link counts, in characters: X shortens every link to a t.co link this long.
    public var transformedURLLength: Int
    public var ranges: [WeightedRange]
    /// Whether an emoji sequence weighs as one default-weight character (v3).
    public var emojiParsingEnabled: Bool

    public init(
        version: Int, maxWeightedTweetLength: Int, scale: Int, defaultWeight: Int, transformedURLLength: Int,
        ranges: [WeightedRange], emojiParsingEnabled: Bool
    ) {
        self.version = version
        self.maxWeightedTweetLength = maxWeightedTweetLength
        self.scale = scale
        self.defaultWeight = defaultWeight
        self.transformedURLLength = transformedURLLength
        self.ranges = ranges
        self.emojiParsingEnabled = emojiParsingEnabled
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(Int.self, forKey: .version)
        maxWeightedTweetLength = try container.decode(Int.self, forKey: .maxWeightedTweetLength)
        scale = try container.decode(Int.self, forKey: .scale)
        defaultWeight = try container.decode(Int.self, forKey: .defaultWeight)
        transformedURLLength = try container.decode(Int.self, forKey: .transformedURLLength)
        ranges = try container.decode([WeightedRange].self, forKey: .ranges)
        // v1 and v2 predate the key.
        emojiParsingEnabled = try container.decodeIfPresent(Bool.self, forKey: .emojiParsingEnabled) ?? false
    }

    /// 140 characters, every character weighs 1.
    public static let v1 = TwitterTextConfiguration(
        version: 1, maxWeightedTweetLength: 140, scale: 1, defaultWeight: 1, transformedURLLength: 23,
        ranges: [], emojiParsingEnabled: false)

    /// 280 weight units; Latin, general punctuation and similar weigh 1, everything else (CJK,
    /// emoji code points…) 2.
    public static let v2 = TwitterTextConfiguration(
        version: 2, maxWeightedTweetLength: 280, scale: 100, defaultWeight: 200, transformedURLLength: 23,
        ranges: lightRanges, emojiParsingEnabled: false)

    /// v2, plus every emoji sequence weighs 2 however many code points it has. What X uses today.
    public static let v3 = TwitterTextConfiguration(
        version: 3, maxWeightedTweetLength: 280, scale: 100, defaultWeight: 200, transformedURLLength: 23,
        ranges: lightRanges, emojiParsingEnabled: true)

    private static let lightRanges = [
        WeightedRange(start: 0, end: 4351, weight: 100),
        WeightedRange(start: 8192, end: 8205, weight: 100),
        WeightedRange(start: 8208, end: 8223, weight: 100),
        WeightedRange(start: 8242, end: 8247, weight: 100),
    ]

    /// The weight of one code point.
    @inline(__always) func weight(of value: UInt32) -> Int {
        let codePoint = Int(value)
        for range in ranges where codePoint >= range.start && codePoint <= range.end {
            return range.weight
        }
        return defaultWeight
    }
}
