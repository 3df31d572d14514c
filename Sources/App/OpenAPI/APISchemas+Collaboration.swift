import Foundation

/// Working as peers: the ideas board (ideas, votes, columns), comments, notifications and the
/// activity feed.
extension APISchemas {
    static let collaboration: [(String, JSONValue)] = [
        ("PostsCSV", ["type": "string", "description": "text,channels,time,media_urls — a header line naming the columns (text needed), then one post per line. channels: handles or ids apart by spaces; time: an RFC 3339 instant, queue, or empty for a draft; media_urls: http(s) addresses apart by spaces"]),
        ("PostImport", [
            "type": "object", "required": ["dryRun", "rows", "created", "ready"],
            "properties": [
                "dryRun": ["type": "boolean"], "ready": ["type": "boolean", "description": "No row has a problem"],
                "created": ["type": "array", "items": string, "description": "The posts made, in the file's order"],
                "rows": ["type": "array", "items": [
                    "type": "object", "required": ["line", "problems"],
                    "properties": ["line": ["type": "integer", "description": "The header is line 1"], "problems": ["type": "array", "items": string]],
                ]],
            ],
        ]),
        ("CommentInput", [
            "type": "object", "required": ["text"], "additionalProperties": false,
            "properties": [
                "text": ["type": "string", "minLength": 1, "maxLength": .int(CommentService.longestText), "description": "May mention members as @name or @email"],
                "requestChanges": ["type": ["boolean", "null"], "description": "On a post, when adding: ask its author for changes (null: no)"],
            ],
        ]),
        ("Comment", [
            "type": "object", "required": ["id", "text", "requestsChanges"],
            "properties": [
                "id": string, "text": string, "author": ["type": ["string", "null"]], "authorId": ["type": ["string", "null"]],
                "post": ["type": ["string", "null"]], "idea": ["type": ["string", "null"]], "requestsChanges": ["type": "boolean"],
                "createdAt": optionalInstant, "updatedAt": optionalInstant,
            ],
        ]),
        ("Notification", [
            "type": "object", "required": ["id", "workspace", "workspaceName", "action", "summary", "at", "read"],
            "properties": [
                "id": string, "workspace": string, "workspaceName": string,
                "action": ["type": "string", "enum": .array(Activity.Action.allCases.map { .string($0.rawValue) })],
                "actor": ["type": ["string", "null"]], "post": ["type": ["string", "null"]], "summary": string, "at": instant, "read": ["type": "boolean"],
            ],
        ]),
        ("Notifications", [
            "type": "object", "required": ["notifications", "unread"],
            "properties": ["notifications": list("Notification"), "unread": ["type": "integer", "minimum": 0]],
        ]),
        ("NotificationsRead", [
            "type": "object", "additionalProperties": false,
            "properties": ["ids": ["type": ["array", "null"], "maxItems": .int(Notifications.mostPerPage), "items": ["type": "string", "format": "uuid"], "description": "Left out: all"]],
        ]),
        ("NotificationSettings", [
            "type": "object", "required": ["email"], "additionalProperties": false,
            "properties": ["email": ["type": "boolean", "description": "Each notification by email too, when the operator set up an SMTP server"]],
        ]),
        ("IdeaInput", [
            "type": "object", "additionalProperties": false,
            "description": "To add an idea, `title` is needed; to change one, a field left out stays as it is",
            "properties": [
                "title": ["type": "string", "minLength": 1, "maxLength": .int(IdeaBoard.longestTitle), "description": "The idea in one line"],
                "note": ["type": "string", "maxLength": .int(IdeaBoard.longestNote)],
                "link": ["type": ["string", "null"], "maxLength": .int(LinkService.longestURL), "description": "An http(s) address; null: none"],
                "image": ["type": ["string", "null"], "format": "uuid", "description": "An image of the workspace's media; null: none"],
                "column": ["type": "string", "description": "A column's id or name; when adding, the first column if left out"],
            ],
        ]),
        ("Idea", [
            "type": "object", "required": ["id", "title", "note", "votes", "column", "columnId", "voters", "votedByMe", "drafts"],
            "properties": [
                "id": string, "title": string, "note": string,
                "votes": ["type": "integer", "minimum": 0, "description": "How many members voted for it, one vote each"],
                "column": ["type": "string", "description": "Its column's name"], "columnId": string,
                "voters": [
                    "type": "array", "description": "Who voted, oldest vote first",
                    "items": ["type": "object", "required": ["id", "email"], "properties": ["id": string, "email": string]],
                ],
                "votedByMe": ["type": "boolean"],
                "link": ["type": ["string", "null"]], "image": ["type": ["string", "null"]],
                "author": ["type": ["string", "null"], "description": "The author's email; null once they left"],
                "drafts": ["type": "array", "items": string, "description": "The posts drafted from it, oldest first"],
                "createdAt": optionalInstant, "updatedAt": optionalInstant,
            ],
        ]),
        ("IdeaColumnInput", [
            "type": "object", "additionalProperties": false,
            "description": "To add a column, `name` is needed",
            "properties": [
                "name": ["type": "string", "minLength": 1, "maxLength": .int(IdeaBoard.longestColumnName)],
                "position": ["type": "integer", "minimum": 0, "maximum": .int(IdeaBoard.mostColumns - 1), "description": "0 is the first column"],
            ],
        ]),
        ("Activity", [
            "type": "object", "required": ["id", "action", "actor", "actorId", "post", "summary", "at"],
            "properties": [
                "id": string, "action": ["type": "string", "enum": .array(Activity.Action.allCases.map { .string($0.rawValue) })],
                "actor": ["type": ["string", "null"], "description": "Who did it (their email); null for Trestle's own doing, such as publishing"],
                "actorId": ["type": ["string", "null"]], "post": ["type": ["string", "null"]],
                "summary": ["type": "string", "description": "What it was about: a post's first line, a channel, a reason"], "at": instant,
            ],
        ]),
        ("IdeaColumn", [
            "type": "object", "required": ["id", "name", "position"],
            "properties": ["id": string, "name": string, "position": ["type": "integer", "minimum": 0]],
        ]),
    ]
}
