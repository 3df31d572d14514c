import Foundation
import Networks

/// The inbox's bodies: an item, working it, answering it, saved replies.
extension APISchemas {
    static let inbox: [(String, JSONValue)] = [
        ("InboxItemChange", [
            "type": "object", "additionalProperties": false,
            "properties": [
                "state": ["type": "string", "enum": .array(InboxItem.State.allCases.map { .string($0.rawValue) })],
                "assignee": ["type": ["string", "null"], "format": "uuid", "description": "A member of the workspace; null: nobody"],
            ],
        ]),
        ("InboxReply", [
            "type": "object", "required": ["text"], "additionalProperties": false,
            "properties": [
                "text": ["type": "string", "minLength": 1, "maxLength": .int(ComposeService.maximumTextLength)],
                "markDone": ["type": "boolean", "description": "Mark the item done once the answer is on its way"],
            ],
        ]),
        ("SavedReplyInput", [
            "type": "object", "required": ["title", "text"], "additionalProperties": false,
            "properties": ["title": ["type": "string", "minLength": 1, "maxLength": 100], "text": ["type": "string", "minLength": 1, "maxLength": 10_000]],
        ]),
        ("SavedReply", ["type": "object", "required": ["id", "title", "text"], "properties": ["id": string, "title": string, "text": string]]),
        ("InboxAuthor", [
            "type": "object", "required": ["name", "handle"],
            "properties": ["name": string, "handle": string, "url": ["type": ["string", "null"]], "avatarURL": ["type": ["string", "null"]]],
        ]),
        ("Inbox", [
            "type": "object", "required": ["items", "unread"],
            "properties": ["items": list("InboxItem"), "unread": ["type": "integer", "minimum": 0, "description": "Open items no member has opened yet"]],
        ]),
        ("InboxItem", [
            "type": "object", "required": ["id", "channelHandle", "network", "kind", "private", "author", "text", "html", "createdAt", "receivedAt", "state", "read", "readOnly"],
            "properties": [
                "id": string, "channel": ["type": ["string", "null"], "description": "Null once the channel was disconnected"],
                "channelHandle": string, "network": string,
                "kind": ["type": "string", "enum": .array(InboxMessage.Kind.allCases.map { .string($0.rawValue) })],
                "private": ["type": "boolean", "description": "A direct message: for the workspace's members only"],
                "author": ref("InboxAuthor"), "text": string,
                "html": ["type": "string", "description": "The text with its links, mentions and tags as safe HTML: p, br and a elements only"],
                "createdAt": instant, "receivedAt": instant, "remoteURL": ["type": ["string", "null"]],
                "inReplyTo": [
                    "type": ["object", "null"], "description": "The post and delivery of ours it answers or quotes, when Trestle published it",
                    "properties": ["post": ["type": ["string", "null"]], "delivery": ["type": ["string", "null"]]],
                ],
                "state": ["type": "string", "enum": .array(InboxItem.State.allCases.map { .string($0.rawValue) })],
                "assignee": ["type": ["string", "null"]], "read": ["type": "boolean"],
                "readOnly": ["type": "boolean", "description": "Its channel was disconnected: kept to read, not to work"],
                "conversation": [
                    "type": ["array", "null"], "description": "In the answer for one item: the conversation as the network shows it now, oldest first",
                    "items": [
                        "type": "object", "required": ["kind", "author", "text", "html", "createdAt"],
                        "properties": ["kind": string, "author": ref("InboxAuthor"), "text": string, "html": string, "createdAt": instant, "remoteURL": ["type": ["string", "null"]]],
                    ],
                ],
                "conversationProblem": ["type": ["string", "null"], "description": "Why the network could not show the conversation"],
                "answers": [
                    "type": ["array", "null"], "description": "In the answer for one item: the answers sent from Trestle, oldest first",
                    "items": ["type": "object", "required": ["text", "delivery"], "properties": ["text": string, "delivery": ref("Delivery")]],
                ],
            ],
        ]),
    ]
}
