/// JSON Schemas of the API's bodies, by name, for `components.schemas`.
enum APISchemas {
    static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }
    static func list(_ name: String) -> JSONValue { ["type": "array", "items": ref(name)] }

    private static let string: JSONValue = ["type": "string"]
    private static let instant: JSONValue = ["type": "string", "format": "date-time"]
    private static let optionalInstant: JSONValue = ["type": ["string", "null"], "format": "date-time"]

    static let all: [(String, JSONValue)] = [
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
            "type": "object", "required": ["id", "name", "role"],
            "properties": ["id": string, "name": string, "role": ["type": "string", "enum": ["owner", "member"]]],
        ]),
        ("Me", [
            "type": "object", "required": ["user", "workspaces"],
            "properties": ["user": ref("User"), "workspaces": list("Workspace")],
        ]),
        ("WorkspaceName", [
            "type": "object", "required": ["name"], "additionalProperties": false,
            "properties": ["name": ["type": "string", "minLength": 1, "maxLength": 80]],
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
                "text": ["type": "string", "maxLength": 100_000],
                "networks": ["type": "array", "minItems": 1, "items": ["type": "string", "enum": ["x", "mastodon", "bluesky", "linkedin", "facebook", "instagram", "threads"]]],
            ],
        ]),
        ("WorkspaceComposeCheck", [
            "type": "object", "required": ["text"], "additionalProperties": false,
            "description": "Name networks, channels or both; results are keyed by network name and by channel id.",
            "properties": [
                "text": ["type": "string", "maxLength": 100_000],
                "networks": ["type": "array", "items": ["type": "string"]],
                "channels": ["type": "array", "items": string, "description": "Ids of the workspace's channels, each counted by its own limits"],
                "media": ["type": "array", "items": string, "description": "Ids of uploaded media, in order"],
            ],
        ]),
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
            "properties": ["file": ["type": "string", "contentMediaType": "application/octet-stream"], "alt": string],
        ]),
        ("MediaDescription", [
            "type": "object", "required": ["alt"], "additionalProperties": false,
            "properties": ["alt": ["type": "string", "maxLength": 5_000]],
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
        ("PostInput", [
            "type": "object", "additionalProperties": false,
            "properties": [
                "text": ["type": "string", "description": "The post, or its first part"],
                "thread": ["type": "array", "items": string, "description": "Parts after the first, for networks with threads"],
                "channels": ["type": "array", "items": string],
                "variants": ["type": "object", "additionalProperties": ["type": "object", "required": ["text"], "properties": ["text": string]]],
                "media": ["type": "array", "maxItems": 20, "items": string, "description": "Ids of uploaded media, in order"],
                "schedule": [
                    "type": "object", "description": "Absent: a draft",
                    "properties": ["at": instant, "queue": ["type": "boolean"], "now": ["type": "boolean"]],
                ],
            ],
        ]),
        ("Post", [
            "type": "object", "required": ["id", "status", "text", "thread", "channels", "variants", "deliveries"],
            "properties": [
                "id": string, "status": ["type": "string", "enum": ["draft"]], "text": string,
                "thread": ["type": "array", "items": string], "channels": ["type": "array", "items": string],
                "variants": ["type": "object", "additionalProperties": string],
                "media": ["type": "array", "items": string],
                "deliveries": ["type": "array", "items": ["type": "object"]],
                "authorID": ["type": ["string", "null"]], "createdAt": instant, "updatedAt": instant,
            ],
        ]),
        ("ChannelConnect", [
            "type": "object", "required": ["network"], "additionalProperties": false,
            "description": "Mastodon: `instanceURL` and `accessToken`. Bluesky: `identifier` (handle or email), `appPassword`, and `service` when not bsky.social.",
            "properties": [
                "network": ["type": "string", "enum": ["mastodon", "bluesky"]],
                "instanceURL": string, "accessToken": string, "service": string, "identifier": string, "appPassword": string,
                "name": ["type": "string", "maxLength": 80, "description": "Shown instead of the account's display name"],
                "timezone": ["type": "string", "description": "IANA zone of the channel's posting slots; UTC when left out"],
            ],
        ]),
        ("ChannelChange", [
            "type": "object", "additionalProperties": false,
            "properties": ["name": ["type": "string", "minLength": 1, "maxLength": 80], "timezone": ["type": "string", "description": "IANA zone"]],
        ]),
        ("Channel", [
            "type": "object", "required": ["id", "network", "name", "handle", "status", "timezone", "server", "limits"],
            "properties": [
                "id": string, "network": ["type": "string", "enum": ["x", "mastodon", "bluesky", "linkedin", "facebook", "instagram", "threads"]],
                "name": string, "handle": string, "status": ["type": "string", "enum": ["active", "needs_reconnect"]],
                "timezone": string, "server": string,
                "limits": [
                    "type": "object", "required": ["maxCharacters"],
                    "properties": ["maxCharacters": ["type": "integer"], "charactersReservedPerURL": ["type": ["integer", "null"]]],
                ],
                "problem": ["type": ["string", "null"], "description": "Why the channel needs reconnecting"],
                "checkedAt": optionalInstant, "createdAt": instant,
            ],
        ]),
        ("TokenName", [
            "type": "object", "required": ["name"], "additionalProperties": false,
            "properties": ["name": ["type": "string", "minLength": 1, "maxLength": 80]],
        ]),
    ]
}
