import Foundation

/// A count as a fake network writes it in JSON: a whole number, as it should be, or something
/// a hostile server might send instead.
enum FakeCount: Sendable, Equatable {
    case int(Int)
    /// A number with a fraction or far beyond 64 bits (`1e30`).
    case number(Double)
    case text(String)
    case null

    var json: Any {
        switch self {
        case let .int(value): value
        case let .number(value): value
        case let .text(value): value
        case .null: NSNull()
        }
    }
}
