import Foundation

/// The extensions RSS and Atom feeds share: Media RSS, iTunes, Dublin Core.
enum FeedExtensions {
    static func text(of element: XMLTree.Element, _ name: String, in vocabularies: Set<Vocabulary>) -> String? {
        FeedText.clean(element.child(name, in: vocabularies)?.text, limit: 256)
    }

    /// The item's or feed's picture: a Media RSS thumbnail or image, or an iTunes image,
    /// looking inside `media:group` too (as YouTube writes it).
    static func image(of element: XMLTree.Element) -> URL? {
        for candidate in [element] + element.children("group", in: [.media]) {
            for thumbnail in candidate.children("thumbnail", in: [.media]) {
                if let url = FeedText.link(thumbnail[attribute: "url"], base: thumbnail.base) { return url }
            }
            for content in candidate.children("content", in: [.media]) where isImage(content) {
                if let url = FeedText.link(content[attribute: "url"], base: content.base) { return url }
            }
        }
        for image in element.children("image", in: [.itunes]) {
            if let url = FeedText.link(image[attribute: "href"] ?? image.text, base: image.base) { return url }
        }
        return nil
    }

    /// Media RSS `media:content` that is not a picture: a video or sound file.
    static func mediaEnclosures(of element: XMLTree.Element) -> [FeedEnclosure] {
        ([element] + element.children("group", in: [.media])).flatMap { $0.children("content", in: [.media]) }
            .filter { !isImage($0) }
            .compactMap { content in
                FeedText.link(content[attribute: "url"], base: content.base).map {
                    FeedEnclosure(url: $0, type: FeedText.clean(content[attribute: "type"], limit: 255), length: FeedText.length(content[attribute: "fileSize"]))
                }
            }
    }

    private static func isImage(_ content: XMLTree.Element) -> Bool {
        content[attribute: "medium"] == "image" || content[attribute: "type"]?.hasPrefix("image/") == true
    }
}
