/// X's rules: twitter-text weighted length (config v3 by default: 280, CJK and emoji weigh 2,
/// every link 23), counted on the NFC-normalised text.
///
/// `length` is the weighted length. Entities are found on the text as given. `parse(_:)` gives
/// twitter-text's full answer, checked against its conformance suite.
public struct XTextRules: NetworkTextRules {
    public var configuration: TwitterTextConfiguration

    public init(configuration: TwitterTextConfiguration = .v3) {
        self.configuration = configuration
    }

    public var network: Network { .x }
    public var limit: Int { configuration.maxWeightedTweetLength }

    public func parse(_ text: String) -> TweetParseResult {
        var prepared = PreparedText(text)
        return analyse(&prepared).result
    }

    public func check(_ text: String) -> TextCheck {
        var prepared = PreparedText(text)
        return check(&prepared)
    }

    /// `check(_:)` on a text whose shared work other networks may already have done.
    func check(_ prepared: inout PreparedText) -> TextCheck {
        let analysis = analyse(&prepared)
        var problems: [TextProblem] = []
        if analysis.hasInvalidCharacters { problems.append(.invalidCharacters) }
        if analysis.result.weightedLength > limit { problems.append(.tooLong) }

        let extractor = TwitterTextExtractor()
        let entities: [TextEntity]
        if analysis.normalized == analysis.original {
            // The links found while counting index the same scalars, so they are the shared
            // ones (a blank text has none either way: without a dot there is no link).
            entities = TwitterTextExtractor.removingOverlaps(
                prepared.urlEntities + prepared.hashtagEntities + extractor.mentionEntities(in: analysis.original))
        } else {
            entities = extractor.entities(in: analysis.original)
        }
        return TextCheck(
            network: .x, length: analysis.result.weightedLength, limit: limit, problems: problems,
            entities: entities)
    }

    private struct Analysis {
        var result: TweetParseResult
        var hasInvalidCharacters: Bool
        var original: [Unicode.Scalar]
        var normalized: [Unicode.Scalar]
    }

    /// twitter-text's `parseTweet` walk: links weigh `transformedURLLength`, emoji sequences
    /// (v3) `defaultWeight`, other code points their range's weight; the valid range grows
    /// while the running weight fits and no invalid character has been met.
    private func analyse(_ prepared: inout PreparedText) -> Analysis {
        let original = prepared.scalars
        // Java's String.trim(): blank means nothing above U+0020.
        guard original.contains(where: { $0.value > 0x20 }) else {
            return Analysis(
                result: .blank, hasInvalidCharacters: false, original: original, normalized: original)
        }
        let s = prepared.nfcScalars
        let config = configuration
        let scale = config.scale
        let scaledLimit = config.maxWeightedTweetLength * scale
        let urlWeight = config.transformedURLLength * scale
        // Text already in NFC (most) shares its link scan with the other networks.
        let urls =
            s == original ? prepared.urlMatches : TwitterURLScanner(scalars: s, includesURLsWithoutProtocol: true).matches()

        var weighted = 0
        var hasInvalidCharacters = false
        var index = 0
        var offset = 0  // UTF-16
        var validOffset = 0
        var nextURL = 0
        let n = s.count
        while index < n {
            if nextURL < urls.count, urls[nextURL].range.lowerBound == index {
                let range = urls[nextURL].range
                let length = s.utf16Count(range)
                weighted += urlWeight
                index = range.upperBound
                offset += length
                if weighted <= scaledLimit { validOffset += length }
                nextURL += 1
            }
            guard index < n else { break }
            let c = s[index]
            let emojiLength = config.emojiParsingEnabled ? EmojiSequenceScanner.sequenceLength(in: s, at: index) : 0
            let delta: Int
            if emojiLength > 0 {
                weighted += config.defaultWeight
                delta = s.utf16Count(index..<index + emojiLength)
                index += emojiLength
            } else {
                weighted += config.weight(of: c.value)
                delta = c.value > 0xFFFF ? 2 : 1
                index += 1
            }
            hasInvalidCharacters = hasInvalidCharacters || c.isTwitterInvalidCharacter
            offset += delta
            if !hasInvalidCharacters && weighted <= scaledLimit { validOffset += delta }
        }

        let normalizationOffset = prepared.utf16Count - offset
        let weightedLength = weighted / scale
        let result = TweetParseResult(
            weightedLength: weightedLength,
            valid: !hasInvalidCharacters && weightedLength <= config.maxWeightedTweetLength,
            permillage: weightedLength * 1000 / config.maxWeightedTweetLength,
            displayRangeStart: 0,
            displayRangeEnd: offset + normalizationOffset - 1,
            validRangeStart: 0,
            validRangeEnd: validOffset + normalizationOffset - 1)
        return Analysis(
            result: result, hasInvalidCharacters: hasInvalidCharacters, original: original, normalized: s)
    }
}
