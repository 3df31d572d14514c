/// twitter-text's `parseTweet` answer: X's weighted length and where the text stops fitting.
///
/// Ranges are inclusive and count UTF-16 code units of the text as given (offset by what NFC
/// normalisation added or removed), exactly as twitter-text reports them, so a composer can
/// highlight the overflowing part. For an empty or blank text every range is `-1...-1`.
public struct TweetParseResult: Sendable, Hashable, Codable {
    public var weightedLength: Int
    public var valid: Bool
    /// Thousandths of the limit used, rounded down; may exceed 1000.
    public var permillage: Int
    public var displayRangeStart: Int
    public var displayRangeEnd: Int
    public var validRangeStart: Int
    public var validRangeEnd: Int

    public init(
        weightedLength: Int, valid: Bool, permillage: Int, displayRangeStart: Int, displayRangeEnd: Int,
        validRangeStart: Int, validRangeEnd: Int
    ) {
        self.weightedLength = weightedLength
        self.valid = valid
        self.permillage = permillage
        self.displayRangeStart = displayRangeStart
        self.displayRangeEnd = displayRangeEnd
        self.validRangeStart = validRangeStart
        self.validRangeEnd = validRangeEnd
    }

    /// twitter-text's answer for a text that is empty or only whitespace and control characters.
    public static let blank = TweetParseResult(
        weightedLength: 0, valid: false, permillage: 0, displayRangeStart: -1, displayRangeEnd: -1,
        validRangeStart: -1, validRangeEnd: -1)
}
