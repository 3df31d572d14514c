import Networks
/// Every operation of the API, as the OpenAPI document lists it.
struct APIOperation: Sendable {
    struct QueryParameter: Sendable {
        var name: String
        var description: String
        var required = true
        /// The values it takes, when they are a fixed few.
        var values: [String]?
        var isUUID = false
        var pattern: String?
    }

    var method: String
    /// OpenAPI template form: `/api/v1/workspaces/{ws}`.
    var path: String
    var summary: String
    var request: String?
    var status: Int
    var response: JSONValue?
    var isPublic = false
    var query: [QueryParameter] = []
    /// Refusals of this operation's own, beyond those every operation of its kind may answer
    /// (see `refusals`).
    var refuses: [Int] = []
    /// A second success with the same answer (200 for a repeat of a create that found what it
    /// would have made).
    var alsoSucceeds: Int?
}

enum APIOperations {
    static let all: [APIOperation] = [
        .init(method: "get", path: "/healthz", summary: "Health of this node: database and worker heartbeat", status: 200, response: APISchemas.ref("Health"), isPublic: true),
        .init(method: "get", path: "/api/v1/openapi.json", summary: "This document", status: 200, response: ["type": "object"], isPublic: true),
        .init(method: "get", path: "/api/v1/me", summary: "The caller and their workspaces", status: 200, response: APISchemas.ref("Me")),
        .init(method: "get", path: "/api/v1/tokens", summary: "The caller's API tokens", status: 200, response: APISchemas.list("APIToken")),
        .init(method: "post", path: "/api/v1/tokens", summary: "Create an API token (shown once)", request: "TokenName", status: 201, response: APISchemas.ref("APIToken")),
        .init(method: "delete", path: "/api/v1/tokens/{token}", summary: "Revoke an API token", status: 204),
        .init(method: "get", path: "/api/v1/notifications", summary: "The caller's notifications across their workspaces, newest first: mentions in comments, changes asked of their posts", status: 200, response: APISchemas.ref("Notifications"),
              query: [.init(name: "unread", description: "true: only the unread ones", required: false, values: ["true", "false"])], refuses: [422]),
        .init(method: "post", path: "/api/v1/notifications/read", summary: "Mark notifications read (all when `ids` is left out)", request: "NotificationsRead", status: 200, response: APISchemas.ref("Notifications")),
        .init(method: "get", path: "/api/v1/notifications/settings", summary: "Whether the caller gets notifications by email too", status: 200, response: APISchemas.ref("NotificationSettings")),
        .init(method: "patch", path: "/api/v1/notifications/settings", summary: "Get notifications by email too, or not", request: "NotificationSettings", status: 200, response: APISchemas.ref("NotificationSettings")),
        .init(method: "get", path: "/api/v1/workspaces", summary: "The caller's workspaces", status: 200, response: APISchemas.list("Workspace")),
        .init(method: "post", path: "/api/v1/workspaces", summary: "Create a workspace; the caller is its owner", request: "WorkspaceName", status: 201, response: APISchemas.ref("Workspace")),
        .init(method: "post", path: "/api/v1/invitations/{token}/accept", summary: "Join a workspace with an invitation link's token", status: 200, response: APISchemas.ref("Workspace"), refuses: [410]),
        .init(method: "post", path: "/api/v1/compose/check", summary: "Count a text and find its links, mentions and tags the way each network does", request: "ComposeCheck", status: 200, response: APISchemas.ref("ComposeCheckResults")),
        .init(method: "get", path: "/api/v1/workspaces/{ws}", summary: "A workspace", status: 200, response: APISchemas.ref("Workspace")),
        .init(method: "patch", path: "/api/v1/workspaces/{ws}", summary: "Rename a workspace, or set how many approvals from members other than the author a post needs before it is scheduled (the owner's to set; 0 by default)", request: "WorkspaceChange", status: 200, response: APISchemas.ref("Workspace"), refuses: [403]),
        .init(method: "delete", path: "/api/v1/workspaces/{ws}", summary: "Delete a workspace (owner only; `confirm` must be its name)", status: 204,
              query: [.init(name: "confirm", description: "The workspace's name")], refuses: [403, 422]),
        .init(method: "get", path: "/api/v1/workspaces/{ws}/members", summary: "The workspace's members", status: 200, response: APISchemas.list("Member")),
        .init(method: "delete", path: "/api/v1/workspaces/{ws}/members/{member}", summary: "Remove a member (owner), or leave (yourself)", status: 204, refuses: [403, 409]),
        .init(method: "get", path: "/api/v1/workspaces/{ws}/invitations", summary: "Pending invitations", status: 200, response: APISchemas.list("Invitation")),
        .init(method: "post", path: "/api/v1/workspaces/{ws}/invitations", summary: "Create an invitation link (single use, 7 days)", status: 201, response: APISchemas.ref("Invitation")),
        .init(method: "delete", path: "/api/v1/workspaces/{ws}/invitations/{invitation}", summary: "Revoke an invitation", status: 204),
        .init(method: "get", path: "/api/v1/workspaces/{ws}/channels", summary: "The workspace's channels (never their credentials)", status: 200, response: APISchemas.list("Channel")),
        .init(method: "post", path: "/api/v1/workspaces/{ws}/channels", summary: "Connect a Mastodon or Bluesky account (the network checks the credentials), or add a Site channel. 201 when new, 200 when the account was connected already", request: "ChannelConnect", status: 201, response: APISchemas.ref("Channel"), refuses: [502, 503], alsoSucceeds: 200),
        .init(method: "get", path: "/api/v1/workspaces/{ws}/channels/{channel}", summary: "A channel", status: 200, response: APISchemas.ref("Channel")),
        .init(method: "patch", path: "/api/v1/workspaces/{ws}/channels/{channel}", summary: "Rename a channel or move its posting times to another zone", request: "ChannelChange", status: 200, response: APISchemas.ref("Channel")),
        .init(method: "delete", path: "/api/v1/workspaces/{ws}/channels/{channel}", summary: "Disconnect a channel; posts lose only this target", status: 204),
        .init(method: "get", path: "/api/v1/workspaces/{ws}/channels/{channel}/slots", summary: "The channel's posting times, local to its zone", status: 200, response: APISchemas.ref("PostingSlots")),
        .init(method: "put", path: "/api/v1/workspaces/{ws}/channels/{channel}/slots", summary: "Replace the channel's posting times", request: "PostingSlots", status: 200, response: APISchemas.ref("PostingSlots")),
        .init(method: "get", path: "/api/v1/workspaces/{ws}/channels/{channel}/followers", summary: "How many followed the channel's account each UTC day, as its network said once a day, over the last 90 days", status: 200, response: APISchemas.ref("ChannelFollowers")),
        .init(method: "post", path: "/api/v1/workspaces/{ws}/channels/{channel}/check", summary: "Ask the network whether the credentials still work; refused ones mark the channel needs_reconnect with the reason", status: 200, response: APISchemas.ref("Channel"), refuses: [502, 503]),
        .init(method: "post", path: "/api/v1/workspaces/{ws}/compose/check", summary: "The compose check, also telling which network refuses which of the post's media", request: "WorkspaceComposeCheck", status: 200, response: APISchemas.ref("ComposeCheckResults")),
        .init(method: "get", path: "/api/v1/workspaces/{ws}/media", summary: "The workspace's images and videos", status: 200, response: APISchemas.list("Media")),
        .init(method: "post", path: "/api/v1/workspaces/{ws}/media", summary: "Upload an image or video (multipart/form-data: `file`, `alt`); its type is read from its bytes", request: "MediaUpload", status: 201, response: APISchemas.ref("Media")),
        .init(method: "get", path: "/api/v1/workspaces/{ws}/media/{media}", summary: "An image or video", status: 200, response: APISchemas.ref("Media")),
        .init(method: "patch", path: "/api/v1/workspaces/{ws}/media/{media}", summary: "Change the alt text", request: "MediaDescription", status: 200, response: APISchemas.ref("Media")),
        .init(method: "delete", path: "/api/v1/workspaces/{ws}/media/{media}", summary: "Delete an image or video (and take it out of drafts)", status: 204),
        .init(method: "get", path: "/api/v1/workspaces/{ws}/media/{media}/content", summary: "The file itself", status: 200, response: nil),
        .init(method: "post", path: "/api/v1/workspaces/{ws}/imports/posts", summary: "Import posts from a CSV (`text/csv`; columns text, channels, time, media_urls), all or nothing: every row is checked against each channel it names first, and any problem refuses the file (422, a field per line). With `dryRun=true` nothing is made and each row's problems are shown", request: "PostsCSV", status: 201, response: APISchemas.ref("PostImport"),
              query: [.init(name: "dryRun", description: "true: check every row, make nothing (200)", required: false, values: ["true", "false"])], refuses: [413, 415], alsoSucceeds: 200),
        .init(method: "get", path: "/api/v1/workspaces/{ws}/exports/workspace.jsonl", summary: "All of the workspace's data as JSON lines, media included (the owner's): what `trestle workspace import` makes into a workspace of another Trestle. Channels travel without their secrets", status: 200, response: nil, refuses: [403]),
        .init(method: "get", path: "/api/v1/workspaces/{ws}/exports/posts.csv", summary: "Every post as CSV, a line per delivery with its outcome (post_id, created_at, author, status, text, delivery_id, channel, state, scheduled_at, published_at, remote_url, error)", status: 200, response: nil),
        .init(method: "get", path: "/api/v1/workspaces/{ws}/posts", summary: "The workspace's posts, latest change first", status: 200, response: APISchemas.list("Post")),
        .init(method: "post", path: "/api/v1/workspaces/{ws}/posts", summary: "Create a post; without `schedule` it is a draft, with one it gets a delivery per channel", request: "PostInput", status: 201, response: APISchemas.ref("Post")),
        .init(method: "get", path: "/api/v1/workspaces/{ws}/posts/{post}", summary: "A post", status: 200, response: APISchemas.ref("Post")),
        .init(method: "patch", path: "/api/v1/workspaces/{ws}/posts/{post}", summary: "Change a post; fields left out stay as they are. A new `schedule` moves its pending deliveries", request: "PostChange", status: 200, response: APISchemas.ref("Post")),
        .init(method: "delete", path: "/api/v1/workspaces/{ws}/posts/{post}", summary: "Delete a post (cancelling what has not been published); 409 while a delivery is being sent", status: 204, refuses: [409]),
        .init(method: "post", path: "/api/v1/workspaces/{ws}/posts/{post}/approvals", summary: "Approve the post's current version as the caller (never one's own post); `version`, when sent, must be the one read. A post that still needs approvals answers a schedule with 422 `approval_required`", request: "Approval", status: 200, response: APISchemas.ref("Post"), refuses: [403, 409]),
        .init(method: "post", path: "/api/v1/workspaces/{ws}/posts/{post}/retry", summary: "Send the failed deliveries again, now; the others are left as they are", status: 200, response: APISchemas.ref("Post")),
        .init(method: "get", path: "/api/v1/workspaces/{ws}/webhooks", summary: "The workspace's webhooks (never their secrets)", status: 200, response: APISchemas.list("Webhook")),
        .init(method: "post", path: "/api/v1/workspaces/{ws}/webhooks", summary: "Add a webhook (at most 10 per workspace); the answer has its signing secret, shown this once", request: "WebhookInput", status: 201, response: APISchemas.ref("Webhook")),
        .init(method: "get", path: "/api/v1/workspaces/{ws}/webhooks/{webhook}", summary: "A webhook and its recent attempts, newest first", status: 200, response: APISchemas.ref("Webhook")),
        .init(method: "delete", path: "/api/v1/workspaces/{ws}/webhooks/{webhook}", summary: "Delete a webhook; events not yet sent to it are dropped", status: 204),
        .init(method: "get", path: "/api/v1/workspaces/{ws}/library", summary: "The evergreen library's switch: whether it is paused", status: 200, response: APISchemas.ref("Library")),
        .init(method: "patch", path: "/api/v1/workspaces/{ws}/library", summary: "Pause the library (no new fills; fills not yet sent are canceled) or resume it (the coming slots are filled)", request: "LibraryChange", status: 200, response: APISchemas.ref("Library")),
        .init(method: "get", path: "/api/v1/workspaces/{ws}/library/categories", summary: "The library's categories and their recycling rules", status: 200, response: APISchemas.list("LibraryCategory")),
        .init(method: "post", path: "/api/v1/workspaces/{ws}/library/categories", summary: "Add a category; bind posting slots to it with `category` in a channel's slots", request: "LibraryCategoryInput", status: 201, response: APISchemas.ref("LibraryCategory")),
        .init(method: "get", path: "/api/v1/workspaces/{ws}/library/categories/{category}", summary: "A category", status: 200, response: APISchemas.ref("LibraryCategory")),
        .init(method: "patch", path: "/api/v1/workspaces/{ws}/library/categories/{category}", summary: "Change a category's name or rules; `null` clears a limit or the expiry", request: "LibraryCategoryChange", status: 200, response: APISchemas.ref("LibraryCategory")),
        .init(method: "delete", path: "/api/v1/workspaces/{ws}/library/categories/{category}", summary: "Delete a category and its items; their fills not yet sent are canceled, its slots become the queue's", status: 204),
        .init(method: "get", path: "/api/v1/workspaces/{ws}/library/items", summary: "The library's items, with how often each went out and when it goes next", status: 200, response: APISchemas.list("LibraryItem")),
        .init(method: "post", path: "/api/v1/workspaces/{ws}/library/items", summary: "Add an item to a category; the category's coming slots are filled at once", request: "LibraryItemInput", status: 201, response: APISchemas.ref("LibraryItem")),
        .init(method: "get", path: "/api/v1/workspaces/{ws}/library/items/{item}", summary: "An item", status: 200, response: APISchemas.ref("LibraryItem")),
        .init(method: "patch", path: "/api/v1/workspaces/{ws}/library/items/{item}", summary: "Change an item; `null` gives a rule back to its category. Fills already made keep their text", request: "LibraryItemChange", status: 200, response: APISchemas.ref("LibraryItem")),
        .init(method: "delete", path: "/api/v1/workspaces/{ws}/library/items/{item}", summary: "Delete an item; its fills not yet sent are canceled, what went out stays", status: 204),
        .init(method: "get", path: "/api/v1/workspaces/{ws}/inbox", summary: "The inbox: replies, mentions, quotes and direct messages from the workspace's channels, newest first (the latest 100)", status: 200, response: APISchemas.ref("Inbox"),
              query: [
                  .init(name: "state", description: "open (the default), done, or all", required: false, values: ["open", "done", "all"]),
                  .init(name: "channel", description: "Only this channel's items", required: false, isUUID: true),
                  .init(name: "kind", description: "Only items of this kind", required: false, values: InboxMessage.Kind.allCases.map(\.rawValue)),
                  .init(name: "assignee", description: "Only items this member has (a member id), or `nobody` for those nobody has", required: false,
                        pattern: "^(nobody|[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})$"),
              ], refuses: [422]),
        .init(method: "delete", path: "/api/v1/workspaces/{ws}/inbox", summary: "Delete what is kept of a disconnected channel's inbox, the channel named by the handle it had; a connected channel's items are not touched", status: 204,
              query: [.init(name: "channel", description: "The disconnected channel's handle")], refuses: [422]),
        .init(method: "get", path: "/api/v1/workspaces/{ws}/inbox/{inboxItem}", summary: "An inbox item with its conversation as the network shows it now and the answers sent from Trestle; reading it marks it read", status: 200, response: APISchemas.ref("InboxItem")),
        .init(method: "patch", path: "/api/v1/workspaces/{ws}/inbox/{inboxItem}", summary: "Mark an item done or open, or give it to a member (`null`: nobody); 409 once its channel was disconnected", request: "InboxItemChange", status: 200, response: APISchemas.ref("InboxItem"), refuses: [409]),
        .init(method: "post", path: "/api/v1/workspaces/{ws}/inbox/{inboxItem}/reply", summary: "Answer an item: the text, checked by the channel's rules, goes out now as a reply to it (on Mastodon with the author mentioned), exactly once", request: "InboxReply", status: 201, response: APISchemas.ref("Delivery"), refuses: [409]),
        .init(method: "get", path: "/api/v1/workspaces/{ws}/saved-replies", summary: "Answers the team keeps to give often, by title", status: 200, response: APISchemas.list("SavedReply")),
        .init(method: "post", path: "/api/v1/workspaces/{ws}/saved-replies", summary: "Keep an answer (at most 200 per workspace)", request: "SavedReplyInput", status: 201, response: APISchemas.ref("SavedReply")),
        .init(method: "delete", path: "/api/v1/workspaces/{ws}/saved-replies/{reply}", summary: "Delete a saved reply", status: 204),
        .init(method: "get", path: "/api/v1/workspaces/{ws}/activity", summary: "Who did what and when in the workspace, newest first: drafted, edited, approved, scheduled, published, failed, answered, connected. Kept for a year", status: 200, response: APISchemas.list("Activity"),
              query: ActivityLog.queryParameters, refuses: [422]),
        .init(method: "get", path: "/api/v1/workspaces/{ws}/posts/{post}/activity", summary: "What happened to one post, newest first", status: 200, response: APISchemas.list("Activity"),
              query: ActivityLog.queryParameters.filter { $0.name != "post" }, refuses: [422]),
        .init(method: "get", path: "/api/v1/workspaces/{ws}/posts/{post}/comments", summary: "Comments on a post, oldest first", status: 200, response: APISchemas.list("Comment")),
        .init(method: "post", path: "/api/v1/workspaces/{ws}/posts/{post}/comments", summary: "Comment on a post, perhaps asking its author for changes; members mentioned (@name) and the author asked for changes are notified", request: "CommentInput", status: 201, response: APISchemas.ref("Comment"), refuses: [409]),
        .init(method: "get", path: "/api/v1/workspaces/{ws}/ideas/{idea}/comments", summary: "Comments on an idea, oldest first", status: 200, response: APISchemas.list("Comment")),
        .init(method: "post", path: "/api/v1/workspaces/{ws}/ideas/{idea}/comments", summary: "Comment on an idea; members mentioned (@name) are notified", request: "CommentInput", status: 201, response: APISchemas.ref("Comment"), refuses: [409]),
        .init(method: "patch", path: "/api/v1/workspaces/{ws}/comments/{comment}", summary: "Change a comment's text (its author only); members mentioned for the first time are notified", request: "CommentInput", status: 200, response: APISchemas.ref("Comment"), refuses: [403]),
        .init(method: "delete", path: "/api/v1/workspaces/{ws}/comments/{comment}", summary: "Delete a comment (its author only)", status: 204, refuses: [403]),
        .init(method: "get", path: "/api/v1/workspaces/{ws}/ideas", summary: "The ideas board: the workspace's ideas with their votes and who cast them", status: 200, response: APISchemas.list("Idea"),
              query: [
                  .init(name: "sort", description: "votes (most first; the default) or age (newest first)", required: false, values: IdeaBoard.Order.allCases.map(\.rawValue)),
                  .init(name: "column", description: "Only the ideas of this column (its id or name)", required: false),
              ], refuses: [422]),
        .init(method: "post", path: "/api/v1/workspaces/{ws}/ideas", summary: "Add an idea (any member): a line, and perhaps a note, a link and an image; in the first column unless `column` names another", request: "IdeaInput", status: 201, response: APISchemas.ref("Idea"), refuses: [409]),
        .init(method: "get", path: "/api/v1/workspaces/{ws}/ideas/{idea}", summary: "An idea", status: 200, response: APISchemas.ref("Idea")),
        .init(method: "patch", path: "/api/v1/workspaces/{ws}/ideas/{idea}", summary: "Move an idea to another column (any member), or change what it says (its author or the workspace's owner)", request: "IdeaInput", status: 200, response: APISchemas.ref("Idea"), refuses: [403]),
        .init(method: "delete", path: "/api/v1/workspaces/{ws}/ideas/{idea}", summary: "Delete an idea (its author or the workspace's owner); drafts made from it stay", status: 204, refuses: [403]),
        .init(method: "post", path: "/api/v1/workspaces/{ws}/ideas/{idea}/vote", summary: "Vote for an idea: one vote a member, so voting again changes nothing", status: 200, response: APISchemas.ref("Idea")),
        .init(method: "delete", path: "/api/v1/workspaces/{ws}/ideas/{idea}/vote", summary: "Take back one's vote", status: 200, response: APISchemas.ref("Idea")),
        .init(method: "post", path: "/api/v1/workspaces/{ws}/ideas/{idea}/draft", summary: "Make a draft of the idea's words, link and image; the draft keeps the idea (`idea`) and the idea lists the draft", status: 201, response: APISchemas.ref("Post")),
        .init(method: "get", path: "/api/v1/workspaces/{ws}/idea-columns", summary: "The board's columns in order (New, Worth doing, In progress and Used until the workspace changes them)", status: 200, response: APISchemas.list("IdeaColumn")),
        .init(method: "post", path: "/api/v1/workspaces/{ws}/idea-columns", summary: "Add a column, last or at `position` (at most 12; names are unique)", request: "IdeaColumnInput", status: 201, response: APISchemas.ref("IdeaColumn")),
        .init(method: "patch", path: "/api/v1/workspaces/{ws}/idea-columns/{column}", summary: "Rename a column or move it to another place", request: "IdeaColumnInput", status: 200, response: APISchemas.ref("IdeaColumn")),
        .init(method: "delete", path: "/api/v1/workspaces/{ws}/idea-columns/{column}", summary: "Remove an empty column; 409 while it holds ideas or is the last", status: 204, refuses: [409]),
        .init(method: "get", path: "/api/v1/workspaces/{ws}/links", summary: "The workspace's short links, newest first, with their clicks", status: 200, response: APISchemas.list("Link")),
        .init(method: "post", path: "/api/v1/workspaces/{ws}/links", summary: "Make a short link to an http(s) address; its redirect adds utm_source, utm_medium=social, utm_campaign and the click id as `tc`", request: "LinkInput", status: 201, response: APISchemas.ref("Link")),
        .init(method: "get", path: "/api/v1/workspaces/{ws}/links/{link}", summary: "A short link and its clicks (people's; previews and crawlers counted apart)", status: 200, response: APISchemas.ref("Link")),
        .init(method: "delete", path: "/api/v1/workspaces/{ws}/links/{link}", summary: "Delete a short link: its address stops working and its clicks go with it", status: 204),
        .init(method: "post", path: "/api/v1/workspaces/{ws}/conversions", summary: "Report a lead or a sale from a server; with the visitor's click id (`tc`) it is traced to the post that brought it. The same kind and order id again is the same conversion: 200 with it", request: "ConversionInput", status: 201, response: APISchemas.ref("Conversion"), alsoSucceeds: 200),
        .init(method: "post", path: "/api/v1/workspaces/{ws}/conversions/import", summary: "Import a CSV of orders (`text/csv`; columns kind, order_id, value, currency, click_id, occurred_at), all or nothing; orders reported before count once", request: "ConversionsCSV", status: 200, response: APISchemas.ref("ConversionImport"), refuses: [413, 415]),
        .init(method: "get", path: "/api/v1/workspaces/{ws}/tracking", summary: "The public key and script a shop pastes into its pages, and the attribution window", status: 200, response: APISchemas.ref("Tracking")),
        .init(method: "patch", path: "/api/v1/workspaces/{ws}/tracking", summary: "Change how many days after a click a conversion is still the click's (1–90, 7 by default), or turn short links for posts off or on", request: "TrackingChange", status: 200, response: APISchemas.ref("Tracking")),
        .init(method: "get", path: "/api/v1/workspaces/{ws}/reports", summary: "What the posts brought over a period (the last 30 days by default, at most 366): per channel and per post, published → people's clicks → leads → sales → revenue, engagement, best posts, best hours of the week in each channel's zone, follower growth. Totals are the sum of the rows; the Reports page and its CSV files show the same numbers", status: 200, response: APISchemas.ref("Report"),
              query: [
                  .init(name: "from", description: "The period's first instant (RFC 3339); 30 days before `to` when left out", required: false, pattern: ReportPeriod.instantPattern),
                  .init(name: "to", description: "The instant the period ends, not included (RFC 3339); now when left out", required: false, pattern: ReportPeriod.instantPattern),
              ], refuses: [422]),
        .init(method: "post", path: "/api/v1/feeds/preview", summary: "Read the RSS, Atom or JSON Feed at `url` now, as the feed bridge would: its title, link and latest items", request: "FeedPreviewInput", status: 200, response: APISchemas.ref("FeedPreview"), refuses: [502, 503]),
        .init(method: "get", path: "/api/v1/workspaces/{ws}/feeds", summary: "The workspace's feed subscriptions, with each one's last poll and last error", status: 200, response: APISchemas.list("FeedSubscription")),
        .init(method: "post", path: "/api/v1/workspaces/{ws}/feeds", summary: "Subscribe to a feed: its items present now are marked seen (the newest `backfill` are posted); new ones become drafts or queued posts from the template", request: "FeedSubscriptionInput", status: 201, response: APISchemas.ref("FeedSubscription"), refuses: [502, 503]),
        .init(method: "get", path: "/api/v1/workspaces/{ws}/feeds/{feed}", summary: "A feed subscription", status: 200, response: APISchemas.ref("FeedSubscription")),
        .init(method: "patch", path: "/api/v1/workspaces/{ws}/feeds/{feed}", summary: "Change a subscription's channels, templates, mode or polling interval; fields left out stay as they are", request: "FeedSubscriptionChange", status: 200, response: APISchemas.ref("FeedSubscription")),
        .init(method: "delete", path: "/api/v1/workspaces/{ws}/feeds/{feed}", summary: "Stop following a feed; the posts it made stay", status: 204),
    ]
}

extension Array where Element == APIOperation {
    /// Operations grouped by path, in the shape of OpenAPI's `paths` object.
    var pathItems: [(String, JSONValue)] {
        var order: [String] = []
        var items: [String: [(String, JSONValue)]] = [:]
        for operation in self {
            if items[operation.path] == nil { order.append(operation.path) }
            items[operation.path, default: []].append((operation.method, operation.openAPI(among: self)))
        }
        return order.map { ($0, .object(items[$0] ?? [])) }
    }
}

extension APIOperation {
    var parameters: [String] {
        path.split(separator: "/").compactMap { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? String(part.dropFirst().dropLast()) : nil
        }
    }

    var operationID: String {
        method + path.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "{", with: "")
            .replacingOccurrences(of: "}", with: "").replacingOccurrences(of: ".", with: "_")
    }

    /// The 4xx and 5xx this operation can answer: what every operation of its kind may, and its own.
    var refusals: [Int] {
        var codes = refuses
        if !isPublic { codes.append(401) }
        if !parameters.isEmpty { codes.append(404) }
        if request != nil { codes += [400, 413, 415, 422] }
        return Array(Set(codes)).sorted()
    }

    /// Why an operation answers `code`, for the document.
    static func refusal(_ code: Int) -> String {
        switch code {
        case 400: "The body is not a JSON object, or has fields this operation does not know"
        case 401: "No valid API token"
        case 403: "Only the workspace's owner may do this"
        case 404: "No such thing, or the caller is not a member of its workspace"
        case 409: "This conflicts with the workspace as it is (the owner cannot leave or be removed)"
        case 410: "The invitation link is not valid, used up or expired"
        case 413: "The body is too large"
        case 415: "The body is not of the documented type (an upload: not an image or video Trestle can post)"
        case 422: "A field breaks a rule; `error.fields` names it and says why"
        case 501: "A schedule that fits every channel: publishing is not built yet, so it cannot be scheduled"
        case 502: "The network could not be reached, or refused the call"
        case 503: "The network asks Trestle to slow down; `Retry-After` says when to try again"
        default: "Refused"
        }
    }

    /// Links from the 201 of a create to the operations on what it created (`{path}/{id}` and
    /// `{path}/{id}/…`), so that a client, or a fuzzer, can follow them.
    func links(among all: [APIOperation]) -> [(String, JSONValue)] {
        guard method == "post", status == 201 else { return [] }
        return all.compactMap { target in
            let rest = target.path.dropFirst(path.count).split(separator: "/")
            guard target.path.hasPrefix(path + "/{"), rest.count <= 2,
                  rest.dropFirst().allSatisfy({ !$0.hasPrefix("{") }) else { return nil }
            // No link fills a deletion's `confirm`: a fuzzer following it would delete what it
            // just made and then, following the create's other links, report it missing.
            let values: [(String, JSONValue)] = target.parameters.map { name in
                ("path.\(name)", .string(parameters.contains(name) ? "$request.path.\(name)" : "$response.body#/id"))
            }
            return (target.operationID, ["operationId": .string(target.operationID), "parameters": .object(values)])
        }
    }

    func openAPI(among all: [APIOperation]) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("summary", .string(summary)),
            ("operationId", .string(operationID)),
        ]
        var parameterList: [JSONValue] = parameters.map {
            // Ids are UUIDs; an invitation's token is the secret from its link.
            let schema: JSONValue = path.hasPrefix("/api/v1/invitations/") ? ["type": "string", "minLength": 1] : ["type": "string", "format": "uuid"]
            return ["name": .string($0), "in": "path", "required": true, "schema": schema]
        }
        parameterList += query.map {
            // A filter left empty is refused; a required value is the operation's to judge.
            var schema: JSONValue = $0.required ? ["type": "string"] : ["type": "string", "minLength": 1]
            if let values = $0.values {
                schema = ["type": "string", "enum": .array(values.map { .string($0) })]
            } else if $0.isUUID {
                schema = ["type": "string", "format": "uuid"]
            } else if let pattern = $0.pattern {
                schema = ["type": "string", "pattern": .string(pattern)]
            }
            return ["name": .string($0.name), "in": "query", "required": .bool($0.required), "schema": schema, "description": .string($0.description)]
        }
        if !parameterList.isEmpty { fields.append(("parameters", .array(parameterList))) }
        if isPublic { fields.append(("security", [])) }
        if let request {
            let type = switch request {
            case "MediaUpload": "multipart/form-data"
            case "ConversionsCSV", "PostsCSV": "text/csv"
            default: "application/json"
            }
            let schema: JSONValue = ["schema": APISchemas.ref(request)]
            fields.append(("requestBody", ["required": true, "content": .object([(type, schema)])]))
        }
        var success: [(String, JSONValue)] = [("description", "Success")]
        if let response { success.append(("content", ["application/json": ["schema": response]])) }
        let links = links(among: all)
        if !links.isEmpty { success.append(("links", .object(links))) }
        let refused: [(String, JSONValue)] = refusals.map { code in
            (String(code), [
                "description": .string(Self.refusal(code)),
                "content": ["application/json": ["schema": APISchemas.ref("Error")]],
            ])
        }
        let successes: [(String, JSONValue)] = [(String(status), .object(success))]
            + (alsoSucceeds.map { [(String($0), .object(success.filter { $0.0 != "links" }))] } ?? [])
        fields.append(("responses", .object(successes + refused)))
        return .object(fields)
    }
}
