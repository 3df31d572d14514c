/// The text rules of one network: how long a post may be, in the network's own unit, and which
/// links, mentions and hashtags the network will recognise in it.
///
/// Each network has its own conforming type (one file each); `TextRulesCatalog` hands out the
/// right one for a `Network`.
public protocol NetworkTextRules: Sendable {
    /// The network these rules belong to.
    var network: Network { get }
    /// The largest `TextCheck.length` the network accepts.
    var limit: Int { get }
    /// Counts `text` the way the network does and finds its entities.
    func check(_ text: String) -> TextCheck
}
