import Foundation

/// The ideas board's bodies: ideas, their votes and columns.
extension APISchemas {
    static let ideas: [(String, JSONValue)] = [
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
        ("IdeaColumn", [
            "type": "object", "required": ["id", "name", "position"],
            "properties": ["id": string, "name": string, "position": ["type": "integer", "minimum": 0]],
        ]),
    ]
}
