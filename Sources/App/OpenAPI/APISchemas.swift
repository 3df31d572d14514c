import Networks
import Foundation
import TextRules

/// JSON Schemas of the API's bodies, by name, for `components.schemas`. The request bodies say
/// the rules the services hold them to (FieldRules, PostService…), so that a body the schema
/// allows is one the API accepts, up to what only the data can tell (an id that names nothing).
enum APISchemas {
    static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }
    static func list(_ name: String) -> JSONValue { ["type": "array", "items": ref(name)] }

    static let string: JSONValue = ["type": "string"]
    static let instant: JSONValue = ["type": "string", "format": "date-time"]
    static let optionalInstant: JSONValue = ["type": ["string", "null"], "format": "date-time"]
    /// A count a network gives, or null where it does not count it.
    static let count: JSONValue = ["type": ["integer", "null"], "minimum": 0, "maximum": 1_000_000_000_000]
    static let id: JSONValue = ["type": "string", "format": "uuid"]
    private static let webhookEvents: JSONValue = ["type": "string", "enum": .array(WebhookEvent.allCases.map { .string($0.rawValue) })]
    private static let feedModes: JSONValue = ["type": "string", "enum": .array(FeedSubscription.Mode.allCases.map { .string($0.rawValue) })]
    private static let feedURL: JSONValue = ["type": "string", "maxLength": .int(FeedReader.longestURL), "pattern": .string(WebhookService.urlPattern)]

    /// A subscription's body: `url` and `channels` needed to subscribe, everything optional to change.
    private static func feedSubscription(creating: Bool) -> JSONValue {
        let template: JSONValue = ["type": "string", "maxLength": .int(FeedPostText.longestTemplate), "pattern": #"\{(link|title)\}"#,
                                   "description": "Placeholders {title}, {link}, {summary}, {feed}"]
        var properties: [(String, JSONValue)] = [
            ("channels", ["type": "array", "minItems": 1, "items": id]),
            ("template", template),
            ("templates", ["type": "object", "additionalProperties": template, "description": "Channel id → its own template, overriding `template`"]),
            ("mode", feedModes),
            ("pollMinutes", ["type": "integer", "minimum": .int(FeedBridgeService.pollMinutesRange.lowerBound), "maximum": .int(FeedBridgeService.pollMinutesRange.upperBound)]),
        ]
        if creating {
            properties.insert(("url", feedURL), at: 0)
            properties.append(("backfill", ["type": "integer", "minimum": 0, "maximum": .int(FeedBridgeService.mostBackfill),
                                            "description": "How many of the newest items to post now; the rest are the back catalogue"]))
        }
        return ["type": "object", "required": creating ? ["url", "channels"] : [], "additionalProperties": false, "properties": .object(properties)]
    }
    private static let networks: JSONValue = ["type": "string", "enum": .array(Network.allCases.map { .string($0.rawValue) })]

    /// What the services trim away before they look at a value (`whitespacesAndNewlines`,
    /// Unicode's White_Space), spelt out: regex engines disagree on `\s`.
    private static let space = #"\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000"#
    /// Something besides whitespace.
    /// A field that must be left out (or null) in this shape of a body.
    private static let absent: JSONValue = ["type": "null"]
    private static let notBlank: JSONValue = ["type": "string", "minLength": 1, "pattern": .string("[^\(space)]")]

    private static func text(max: Int, notBlank required: Bool = false) -> JSONValue {
        required
            ? ["type": "string", "minLength": 1, "maxLength": .int(max), "pattern": .string("[^\(space)]")]
            : ["type": "string", "maxLength": .int(max)]
    }

    private static let name = text(max: FieldRules.maximumNameLength, notBlank: true)
    private static let postText = text(max: ComposeService.maximumTextLength, notBlank: true)

    /// A Bluesky handle or email; a leading `@` is dropped, so `@` alone is none.
    private static let handle: JSONValue = ["type": "string", "pattern": .string("^[\(space)]*([^\(space)@]|@[\\s\\S]*[^\(space)])")]

    /// An IANA zone Trestle knows, or empty for UTC.
    private static let timezone: JSONValue = [
        "type": "string", "description": "IANA zone; empty or left out: UTC (or, when changing, as it was)",
        "enum": .array([""] + TimeZone.knownTimeZoneIdentifiers.sorted().map { .string($0) }),
    ]

    /// `schema` with `null` allowed wherever a field may be left out: the API reads the two alike.
    static func nullWhereOptional(_ schema: JSONValue) -> JSONValue {
        guard case let .object(fields) = schema, case let .object(properties)? = schema["properties"] else { return schema }
        let required: [String] = if case let .array(names)? = schema["required"] { names.compactMap { if case let .string(name) = $0 { name } else { nil } } } else { [] }
        let nullable: JSONValue = .object(properties.map { name, property in
            (name, required.contains(name) ? property : ["anyOf": [property, ["type": "null"]]])
        })
        return .object(fields.map { $0.0 == "properties" ? ($0.0, nullable) : $0 })
    }

    /// A post's fields, for creating (`text` required) and changing (all optional).
    private static func post(creating: Bool) -> JSONValue {
        var fields: [(String, JSONValue)] = [("type", "object"), ("additionalProperties", false)]
        if creating { fields.append(("required", ["text"])) }
        fields += [
            ("properties", [
                "text": ["type": "string", "minLength": 1, "maxLength": .int(ComposeService.maximumTextLength),
                         "pattern": .string("[^\(space)]"), "description": "The post, or its first part"],
                "thread": ["type": "array", "maxItems": .int(PostService.maximumParts - 1), "items": postText,
                           "description": "Parts after the first, for networks with threads"],
                "channels": ["type": "array", "items": id, "description": "Ids of the workspace's channels"],
                "variants": [
                    "type": "object",
                    "description": "The text for one network or one of the post's channels; an empty one means the post's own",
                    "propertyNames": ["anyOf": [networks, ["type": "string", "format": "uuid"]]],
                    "additionalProperties": ["type": "object", "required": ["text"], "properties": ["text": text(max: ComposeService.maximumTextLength)]],
                ],
                "media": ["type": "array", "maxItems": .int(MediaRules.mostPerPost), "uniqueItems": true, "items": id,
                          "description": "Ids of uploaded media, in order"],
                "shortenLinks": ["type": "boolean", "description": "Its links go out as short links that count clicks (where TRESTLE_PUBLIC_URL is set and the workspace has them on); true unless false"],
                "campaign": ["type": ["string", "null"], "maxLength": .int(LinkService.longestCampaign), "description": "Its short links' utm_campaign"],
                "schedule": nullWhereOptional([
                    "type": "object", "description": "Absent: a draft. Present: needs at least one channel. Exactly one of: `at` an instant, `queue` (each channel's next free posting slot), `now`",
                    "properties": ["at": instant, "queue": ["const": true], "now": ["const": true]],
                    "minProperties": 1, "maxProperties": 1, "additionalProperties": false,
                ]),
            ]),
            ("if", ["required": ["schedule"], "properties": ["schedule": ["type": "object"]]]),
            ("then", ["required": ["channels"], "properties": ["channels": ["type": "array", "minItems": 1]]]),
        ]
        return nullWhereOptional(.object(fields))
    }

    /// A library category's or item's fields; `item` adds the content and makes the rules
    /// nullable (null: the category's), `creating` makes the required fields required.
    private static func library(item: Bool, creating: Bool) -> JSONValue {
        let days: JSONValue = ["type": item ? ["integer", "null"] : "integer", "minimum": 0, "maximum": .int(LibraryService.maximumDaysBetween),
                               "description": "Days before the same item goes to the same channel again"]
        let repeats: JSONValue = ["type": ["integer", "null"], "minimum": 1, "maximum": .int(LibraryService.maximumRepeats),
                                  "description": "The most times an item goes out, all channels together; null: no limit"]
        let expiry: JSONValue = ["type": ["string", "null"], "format": "date-time", "description": "No send at or after this instant; null: none"]
        var properties: [(String, JSONValue)] = []
        if item {
            properties += [
                ("category", id),
                ("text", postText),
                ("variants", ["type": "array", "maxItems": .int(LibraryService.maximumVariants), "items": text(max: ComposeService.maximumTextLength),
                              "description": "Other wordings; each send takes the next of the text and these, in turn"]),
                ("media", ["type": "array", "maxItems": .int(MediaRules.mostPerPost), "uniqueItems": true, "items": id]),
            ]
        } else {
            properties.append(("name", name))
        }
        properties += [("minDaysBetween", days), ("maxRepeats", repeats), ("expiresAt", expiry)]
        var fields: [(String, JSONValue)] = [("type", "object"), ("additionalProperties", false)]
        if creating { fields.append(("required", item ? ["category", "text"] : ["name"])) }
        fields.append(("properties", .object(properties)))
        return nullWhereOptional(.object(fields))
    }

    /// Every schema: the core ones here, then each capability's own (`APISchemas+Inbox`,
    /// `APISchemas+Links`).
    static let all: [(String, JSONValue)] = core + inbox + linksAndSales + collaboration

    private static let core: [(String, JSONValue)] = [
        ("Error", [
            "type": "object", "required": ["error"],
            "properties": ["error": [
                "type": "object", "required": ["code", "message", "fields"],
                "properties": [
                    "code": ["type": "string", "description": "snake_case, stable"],
                    "message": ["type": "string", "description": "A sentence a person can act on."],
                    "fields": ["type": "object", "additionalProperties": ["type": "string"]],
                ],
            ]],
        ]),
        ("Health", [
            "type": "object", "required": ["status", "database", "worker"],
            "properties": [
                "status": ["type": "string", "enum": ["ok", "degraded"]],
                "database": ["type": "string", "enum": ["ok", "unavailable"]],
                "worker": ["type": "object", "properties": ["lastHeartbeat": optionalInstant]],
            ],
        ]),
        ("User", ["type": "object", "required": ["id", "email"], "properties": ["id": string, "email": string]]),
        ("Workspace", [
            "type": "object", "required": ["id", "name", "role", "approvalsRequired"],
            "properties": [
                "id": string, "name": string, "role": ["type": "string", "enum": ["owner", "member"]],
                "approvalsRequired": ["type": "integer", "minimum": 0, "description": "Approvals from members other than the author a post needs before it is scheduled"],
            ],
        ]),
        ("WorkspaceChange", nullWhereOptional([
            "type": "object", "additionalProperties": false,
            "properties": ["name": name, "approvalsRequired": ["type": "integer", "minimum": 0, "maximum": .int(WorkspaceService.mostApprovals)]],
        ])),
        ("Approval", [
            "type": "object", "additionalProperties": false,
            "properties": ["version": ["type": ["integer", "null"], "minimum": 1, "maximum": 2_147_483_647, "description": "The version of the post the approver read"]],
        ]),
        ("Me", [
            "type": "object", "required": ["user", "workspaces"],
            "properties": ["user": ref("User"), "workspaces": list("Workspace")],
        ]),
        ("WorkspaceName", [
            "type": "object", "required": ["name"], "additionalProperties": false,
            "properties": ["name": name],
        ]),
        ("Member", [
            "type": "object", "required": ["id", "email", "role"],
            "properties": ["id": string, "email": string, "role": ["type": "string", "enum": ["owner", "member"]], "joinedAt": instant],
        ]),
        ("Invitation", [
            "type": "object", "required": ["id", "expiresAt"],
            "properties": [
                "id": string, "expiresAt": instant, "createdAt": instant,
                "url": ["type": "string", "description": "The link to share; only in the answer that creates it."],
            ],
        ]),
        ("APIToken", [
            "type": "object", "required": ["id", "name", "prefix"],
            "properties": [
                "id": string, "name": string, "prefix": string, "createdAt": instant, "lastUsedAt": optionalInstant,
                "token": ["type": "string", "description": "The token itself; only in the answer that creates it."],
            ],
        ]),
        ("ComposeCheck", [
            "type": "object", "required": ["text", "networks"], "additionalProperties": false,
            "properties": [
                "text": text(max: ComposeService.maximumTextLength),
                "networks": ["type": "array", "minItems": 1, "items": networks],
            ],
        ]),
        ("WorkspaceComposeCheck", nullWhereOptional([
            "type": "object", "required": ["text"], "additionalProperties": false,
            "description": "Name networks, channels or both; results are keyed by network name and by channel id.",
            "properties": [
                "text": text(max: ComposeService.maximumTextLength),
                "networks": ["type": "array", "items": networks],
                "channels": ["type": "array", "items": id, "description": "Ids of the workspace's channels, each counted by its own limits"],
                "media": ["type": "array", "items": id, "description": "Ids of uploaded media, in order"],
                "shortenLinks": ["type": "boolean", "description": "Count the channels' links as the short links they will go out as (true when left out)"],
            ],
            "anyOf": [
                ["required": ["networks"], "properties": ["networks": ["type": "array", "minItems": 1]]],
                ["required": ["channels"], "properties": ["channels": ["type": "array", "minItems": 1]]],
            ],
        ])),
        ("Media", [
            "type": "object", "required": ["id", "format", "mimeType", "byteCount", "alt", "filename"],
            "properties": [
                "id": string, "format": ["type": "string", "enum": ["jpeg", "png", "gif", "webp", "mp4", "mov"]],
                "mimeType": string, "byteCount": ["type": "integer"], "width": ["type": ["integer", "null"]],
                "height": ["type": ["integer", "null"]], "durationSeconds": ["type": ["number", "null"], "description": "A video's length"],
                "alt": string, "filename": string, "createdAt": instant,
            ],
        ]),
        ("MediaUpload", [
            "type": "object", "required": ["file"],
            "properties": [
                "file": ["type": "string", "contentMediaType": "application/octet-stream", "description": "A JPEG, PNG, GIF, WebP, MP4 or MOV file"],
                "alt": text(max: MediaService.maximumAltTextLength),
            ],
        ]),
        ("MediaDescription", [
            "type": "object", "required": ["alt"], "additionalProperties": false,
            "properties": ["alt": text(max: MediaService.maximumAltTextLength)],
        ]),
        ("ComposeCheckResults", [
            "type": "object", "required": ["results"],
            "properties": ["results": ["type": "object", "additionalProperties": ref("NetworkCheck")]],
        ]),
        ("NetworkCheck", [
            "type": "object", "required": ["length", "limit", "valid", "facets", "problems"],
            "properties": [
                "length": ["type": "integer", "description": "In the network's own unit (X: weighted length)"],
                "limit": ["type": "integer"],
                "valid": ["type": "boolean"],
                "facets": [
                    "type": "array",
                    "description": "Bluesky: AT Protocol facets with UTF-8 byte offsets. Others: entities with Unicode code point offsets.",
                    "items": ["oneOf": [ref("TextEntity"), ref("BlueskyFacet")]],
                ],
                "problems": ["type": "array", "items": [
                    "type": "object", "required": ["code", "message"],
                    "properties": ["code": string, "message": string],
                ]],
            ],
        ]),
        ("TextEntity", [
            "type": "object", "required": ["type", "start", "end", "text"],
            "properties": [
                "type": ["type": "string", "enum": ["url", "mention", "hashtag"]],
                "start": ["type": "integer"], "end": ["type": "integer"], "text": string,
            ],
        ]),
        ("BlueskyFacet", [
            "type": "object", "required": ["index", "features"],
            "properties": [
                "index": [
                    "type": "object", "required": ["byteStart", "byteEnd"],
                    "properties": ["byteStart": ["type": "integer"], "byteEnd": ["type": "integer"]],
                ],
                "features": ["type": "array", "items": [
                    "type": "object", "required": ["$type"],
                    "properties": ["$type": string, "uri": string, "did": string, "tag": string],
                ]],
            ],
        ]),
        ("PostInput", post(creating: true)),
        ("PostChange", post(creating: false)),
        ("Post", [
            "type": "object", "required": ["id", "status", "text", "thread", "channels", "variants", "deliveries"],
            "properties": [
                "id": string, "status": ["type": "string", "enum": ["draft", "scheduled", "published", "failed", "canceled"]], "text": string,
                "thread": ["type": "array", "items": string], "channels": ["type": "array", "items": string],
                "variants": ["type": "object", "additionalProperties": string],
                "media": ["type": "array", "items": string],
                "shortenLinks": ["type": "boolean"], "campaign": ["type": ["string", "null"]],
                "version": ["type": "integer", "minimum": 1, "description": "Counts up with each edit of what the post says; approvals are of one version"],
                "approvals": [
                    "type": ["object", "null"], "description": "Where the post stands with the workspace's approval rule",
                    "properties": ["required": ["type": "integer"], "approvedBy": ["type": "array", "items": string], "approved": ["type": "boolean"]],
                ],
                "deliveries": ["type": "array", "items": ref("Delivery")],
                "authorID": ["type": ["string", "null"]], "createdAt": instant, "updatedAt": instant,
                "idea": ["type": ["string", "null"], "description": "The idea of the board it was drafted from"],
            ],
        ]),
        ("Delivery", [
            "type": "object", "required": ["id", "handle", "state", "scheduledAt"],
            "description": "The post on its way to one channel",
            "properties": [
                "id": string, "channel": ["type": ["string", "null"], "description": "Null once the channel was disconnected"],
                "handle": string,
                "state": ["type": "string", "enum": .array(Delivery.State.allCases.map { .string($0.rawValue) })],
                "scheduledAt": instant, "publishedAt": optionalInstant,
                "remoteId": ["type": ["string", "null"]], "remoteURL": ["type": ["string", "null"]],
                "error": ["type": ["string", "null"], "description": "Why it failed, or why it is being retried, in words a person can act on"],
                "metrics": ["oneOf": [["type": "null"], ref("DeliveryMetrics")], "description": "What the network counts for it, as last read; absent before the first reading"],
            ],
        ]),
        ("DeliveryMetrics", [
            "type": "object", "required": ["likes", "reposts", "replies", "quotes", "impressions", "readAt"],
            "description": "A delivery's counts as its network gives them, read again on a schedule that slows as the post ages; null where the network does not count it (Mastodon has no impressions)",
            "properties": [
                "likes": count, "reposts": count, "replies": count, "quotes": count, "impressions": count, "readAt": optionalInstant,
            ],
        ]),
        ("ChannelFollowers", [
            "type": "object", "required": ["days"],
            "properties": ["days": [
                "type": "array", "maxItems": .int(MetricsService.followersDays), "description": "Oldest first; a day the network could not be read is missing",
                "items": [
                    "type": "object", "required": ["day", "followers"],
                    "properties": [
                        "day": ["type": "string", "format": "date", "description": "The UTC day"],
                        "followers": ["type": "integer", "minimum": 0, "maximum": 1_000_000_000_000],
                    ],
                ],
            ]],
        ]),
        ("PostingSlots", [
            "type": "object", "required": ["slots"], "additionalProperties": false,
            "properties": ["slots": [
                "type": "array", "maxItems": 168,
                "items": [
                    "type": "object", "required": ["weekday", "time"], "additionalProperties": false,
                    "properties": [
                        "weekday": ["type": "integer", "minimum": 1, "maximum": 7, "description": "Monday is 1"],
                        "time": ["type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "description": "HH:MM in the channel's zone"],
                        "category": ["type": "string", "format": "uuid", "description": "A library category of the workspace: the library fills this slot, and the queue leaves it alone"],
                    ],
                ],
            ]],
        ]),
        ("ChannelConnect", nullWhereOptional([
            "type": "object", "required": ["network"], "additionalProperties": false,
            "description": "Each network takes its own fields, and another network's field is refused (422) naming the fields it takes. Mastodon: `instanceURL` and `accessToken`. Bluesky: `identifier` (handle or email), `appPassword`, and `service` when not bsky.social. Site (Trestle's own public page and feeds, any member may add one): `name`, from which its address `/s/{slug}` is made once. X, Threads, Instagram, Facebook and LinkedIn connect only by signing in on the Channels page (OAuth); asked here, they are a 422 that says so.",
            "properties": [
                "network": ["type": "string", "enum": ["mastodon", "bluesky", "site"]],
                "instanceURL": notBlank, "accessToken": notBlank, "service": string, "appPassword": notBlank,
                "identifier": handle,
                "name": ["type": "string", "maxLength": .int(FieldRules.maximumNameLength), "description": "Shown instead of the account's display name"],
                "timezone": timezone,
            ],
            // if/then rather than oneOf: the same rule, and far quicker for generators to satisfy.
            "allOf": [
                ["if": ["properties": ["network": ["const": "mastodon"]]],
                 "then": ["required": ["instanceURL", "accessToken"], "properties": [
                     "instanceURL": notBlank, "accessToken": notBlank, "service": absent, "identifier": absent, "appPassword": absent,
                 ]]],
                ["if": ["properties": ["network": ["const": "bluesky"]]],
                 "then": ["required": ["identifier", "appPassword"], "properties": [
                     "identifier": handle, "appPassword": notBlank, "instanceURL": absent, "accessToken": absent,
                 ]]],
                ["if": ["properties": ["network": ["const": "site"]]],
                 "then": ["required": ["name"], "properties": [
                     "name": name, "instanceURL": absent, "accessToken": absent, "service": absent, "identifier": absent, "appPassword": absent,
                 ]]],
            ],
        ])),
        ("ChannelChange", nullWhereOptional([
            "type": "object", "additionalProperties": false,
            "properties": ["name": name, "timezone": timezone],
        ])),
        ("Channel", [
            "type": "object", "required": ["id", "network", "name", "handle", "status", "timezone", "server", "limits"],
            "properties": [
                "id": string, "network": networks,
                "name": string, "handle": string, "status": ["type": "string", "enum": ["active", "needs_reconnect"]],
                "timezone": string, "server": string,
                "limits": [
                    "type": "object", "required": ["maxCharacters"],
                    "properties": ["maxCharacters": ["type": "integer"], "charactersReservedPerURL": ["type": ["integer", "null"]]],
                ],
                "problem": ["type": ["string", "null"], "description": "Why the channel needs reconnecting"],
                "checkedAt": optionalInstant, "createdAt": instant,
                "site": [
                    "type": "object", "required": ["url", "rss", "atom", "json"],
                    "description": "A Site channel's public page and its RSS 2.0, Atom 1.0 and JSON Feed 1.1 feeds; only on Site channels",
                    "properties": ["url": string, "rss": string, "atom": string, "json": string],
                ],
            ],
        ]),
        ("WebhookInput", [
            "type": "object", "required": ["url", "events"], "additionalProperties": false,
            "properties": [
                "url": ["type": "string", "maxLength": .int(WebhookService.maximumURLLength), "pattern": .string(WebhookService.urlPattern),
                        "description": "Where Trestle POSTs the events; nothing is sent until an event happens"],
                "events": ["type": "array", "minItems": 1, "items": webhookEvents],
            ],
        ]),
        ("Webhook", [
            "type": "object", "required": ["id", "url", "events"],
            "properties": [
                "id": string, "url": string, "events": ["type": "array", "items": webhookEvents], "createdAt": instant,
                "secret": ["type": "string", "description": "Signs every call (`Trestle-Signature`); only in the answer that creates it."],
                "attempts": ["type": "array", "description": "The latest calls, newest first; in the answer for one webhook.", "items": [
                    "type": "object", "required": ["event", "type", "attempt", "succeeded", "attemptedAt"],
                    "properties": [
                        "event": ["type": "string", "description": "The event's id, the same on every try"], "type": webhookEvents,
                        "attempt": ["type": "integer", "minimum": 1], "statusCode": ["type": ["integer", "null"]],
                        "error": ["type": ["string", "null"], "description": "Why it did not arrive"], "succeeded": ["type": "boolean"],
                        "attemptedAt": instant,
                    ],
                ]],
            ],
        ]),
        ("Library", ["type": "object", "required": ["paused"], "properties": ["paused": ["type": "boolean"]]]),
        ("LibraryChange", ["type": "object", "required": ["paused"], "additionalProperties": false, "properties": ["paused": ["type": "boolean"]]]),
        ("LibraryCategoryInput", library(item: false, creating: true)),
        ("LibraryCategoryChange", library(item: false, creating: false)),
        ("LibraryCategory", [
            "type": "object", "required": ["id", "name", "minDaysBetween", "maxRepeats", "expiresAt"],
            "properties": [
                "id": string, "name": string, "minDaysBetween": ["type": "integer"], "maxRepeats": ["type": ["integer", "null"]],
                "expiresAt": optionalInstant, "createdAt": instant,
            ],
        ]),
        ("LibraryItemInput", library(item: true, creating: true)),
        ("LibraryItemChange", library(item: true, creating: false)),
        ("LibraryItem", [
            "type": "object",
            "required": ["id", "category", "text", "variants", "media", "minDaysBetween", "maxRepeats", "expiresAt", "timesSent", "nextDueAt", "lastSentAt", "engagement"],
            "properties": [
                "id": string, "category": string, "text": string, "variants": ["type": "array", "items": string], "media": ["type": "array", "items": string],
                "minDaysBetween": ["type": ["integer", "null"], "description": "The item's own rule; null: its category's"],
                "maxRepeats": ["type": ["integer", "null"], "description": "The item's own rule; null: its category's"],
                "expiresAt": ["type": ["string", "null"], "format": "date-time", "description": "The item's own expiry; null: its category's"],
                "timesSent": ["type": "integer", "description": "Sends published, all channels together"],
                "nextDueAt": ["type": ["string", "null"], "format": "date-time", "description": "The slot it fills next, within the coming week; null: none yet"],
                "lastSentAt": optionalInstant,
                "engagement": ["type": ["integer", "null"], "description": "Engagement its sends brought; null until Trestle reads metrics"],
                "createdAt": instant,
            ],
        ]),
        ("FeedPreviewInput", [
            "type": "object", "required": ["url"], "additionalProperties": false,
            "properties": ["url": feedURL],
        ]),
        ("FeedPreview", [
            "type": "object", "required": ["feed", "items"],
            "properties": [
                "feed": ["type": "object", "properties": ["title": ["type": ["string", "null"]], "link": ["type": ["string", "null"]]]],
                "items": ["type": "array", "maxItems": .int(FeedPreviewDTO.mostItems), "items": [
                    "type": "object", "required": ["id"],
                    "properties": [
                        "id": ["type": "string", "description": "Stable: the same each time the feed is read"],
                        "title": ["type": ["string", "null"]], "link": ["type": ["string", "null"]], "published": optionalInstant,
                        "summary": ["type": ["string", "null"], "description": .string("Plain text, at most \(FeedPreviewDTO.longestSummary) characters")],
                    ],
                ]],
            ],
        ]),
        ("FeedSubscriptionInput", feedSubscription(creating: true)),
        ("FeedSubscriptionChange", feedSubscription(creating: false)),
        ("FeedSubscription", [
            "type": "object", "required": ["id", "url", "channels", "template", "templates", "mode", "pollMinutes", "nextPollAt"],
            "properties": [
                "id": string, "url": string, "title": ["type": ["string", "null"]], "channels": ["type": "array", "items": string],
                "template": string, "templates": ["type": "object", "additionalProperties": string], "mode": feedModes,
                "pollMinutes": ["type": "integer"], "lastPolledAt": optionalInstant, "nextPollAt": instant,
                "lastError": ["type": ["string", "null"], "description": "Why the last poll failed, or why items were kept as drafts; null after a good poll"],
                "createdAt": instant,
            ],
        ]),
        ("TokenName", [
            "type": "object", "required": ["name"], "additionalProperties": false,
            "properties": ["name": name],
        ]),
    ]
}
