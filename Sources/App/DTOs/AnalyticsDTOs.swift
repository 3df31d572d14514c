import Vapor

/// A channel's followers per UTC day, as its network said.
struct ChannelFollowersDTO: Content {
    struct Day: Content {
        var day: String
        var followers: Int
    }

    var days: [Day]
}
