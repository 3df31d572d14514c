import Foundation
import Networks

/// Links and sales: short links, conversions, the tracking settings and reports.
extension APISchemas {
    static let linksAndSales: [(String, JSONValue)] = [
        ("LinkInput", [
            "type": "object", "required": ["url"], "additionalProperties": false,
            "properties": [
                "url": ["type": "string", "maxLength": .int(LinkService.longestURL), "pattern": .string(LinkService.urlPattern), "description": "Where the link sends people: an http(s) address"],
                "campaign": ["type": ["string", "null"], "maxLength": .int(LinkService.longestCampaign), "description": "Its utm_campaign"],
            ],
        ]),
        ("Link", [
            "type": "object", "required": ["id", "url", "shortURL", "clicks", "visitors", "fetches", "leads", "sales", "revenue"],
            "properties": [
                "id": string, "url": string, "shortURL": ["type": "string", "description": "The address to share: `/l/{code}` under Trestle's own"],
                "campaign": ["type": ["string", "null"]],
                "clicks": ["type": "integer", "minimum": 0, "description": "People's clicks"],
                "visitors": ["type": "integer", "minimum": 0, "description": "Distinct people among them, counted per day without keeping any address"],
                "fetches": ["type": "integer", "minimum": 0, "description": "Requests by link previews and crawlers, not counted as clicks"],
                "leads": ["type": "integer", "minimum": 0], "sales": ["type": "integer", "minimum": 0],
                "revenue": ["type": "object", "additionalProperties": ["type": "number"], "description": "Sales' value per currency"],
                "createdAt": instant,
            ],
        ]),
        ("ReportCounts", [
            "type": "object", "required": ["published", "clicks", "leads", "sales", "revenue", "engagement"],
            "properties": [
                "published": ["type": "integer", "minimum": 0, "description": "Deliveries published: a post on three channels counts three"],
                "clicks": ["type": "integer", "minimum": 0, "description": "People's clicks on the posts' links in the period"],
                "leads": ["type": "integer", "minimum": 0], "sales": ["type": "integer", "minimum": 0],
                "revenue": ["type": "object", "additionalProperties": ["type": "number"], "description": "Sales' value per currency"],
                "engagement": ["type": "integer", "minimum": 0, "description": "Likes, reposts, replies and quotes of the deliveries published in the period, as last counted"],
            ],
        ]),
        ("ReportPost", [
            "type": "object", "required": ["postId", "excerpt", "counts"],
            "properties": ["postId": id, "excerpt": string, "counts": ref("ReportCounts")],
        ]),
        ("Report", [
            "type": "object", "required": ["from", "to", "attributionDays", "totals", "channels", "posts", "bestPosts", "sources", "bestTimes", "followers"],
            "properties": [
                "from": instant, "to": instant,
                "attributionDays": ["type": "integer", "minimum": 1],
                "totals": ref("ReportCounts"),
                "channels": ["type": "array", "items": [
                    "type": "object", "required": ["name", "counts"],
                    "properties": ["channelId": ["type": ["string", "null"], "format": "uuid", "description": "Null for channels disconnected since"], "name": string, "counts": ref("ReportCounts")],
                ]],
                "posts": ["type": "array", "items": ref("ReportPost"), "description": "Every post with a number in the period, most clicks first"],
                "bestPosts": ["type": "array", "items": ref("ReportPost"), "maxItems": .int(Report.bestPostCount)],
                "sources": ["type": "array", "description": "The posts' numbers by where they came from; every post is in one row", "items": [
                    "type": "object", "required": ["kind", "name", "counts"],
                    "properties": [
                        "kind": ["type": "string", "enum": ["feed", "library", "written"]],
                        "id": ["type": ["string", "null"], "format": "uuid", "description": "The feed subscription's or library item's id; null for posts written by hand"],
                        "name": string, "counts": ref("ReportCounts"),
                    ],
                ]],
                "bestTimes": ["type": "array", "items": [
                    "type": "object", "required": ["channelId", "name", "zone", "measure", "hours"],
                    "properties": [
                        "channelId": id, "name": string, "zone": string,
                        "measure": ["type": "string", "enum": ["engagement", "clicks"]],
                        "hours": ["type": "array", "description": "The hours of the week posted in, in the channel's zone", "items": [
                            "type": "object", "required": ["day", "hour", "published", "total"],
                            "properties": [
                                "day": ["type": "integer", "minimum": 0, "maximum": 6, "description": "0 is Monday"],
                                "hour": ["type": "integer", "minimum": 0, "maximum": 23],
                                "published": ["type": "integer", "minimum": 1], "total": ["type": "integer", "minimum": 0],
                            ],
                        ]],
                    ],
                ]],
                "followers": ["type": "array", "items": [
                    "type": "object", "required": ["channelId", "name", "series"],
                    "properties": [
                        "channelId": id, "name": string,
                        "first": ["type": ["integer", "null"]], "last": ["type": ["integer", "null"]], "growth": ["type": ["integer", "null"]],
                        "series": ["type": "array", "items": ["type": "object", "required": ["day", "followers"],
                                                              "properties": ["day": ["type": "string", "format": "date"], "followers": ["type": "integer"]]]],
                    ],
                ]],
            ],
        ]),
        ("ConversionInput", [
            "type": "object", "required": ["kind"], "additionalProperties": false,
            "properties": [
                "kind": ["type": "string", "enum": ["lead", "sale"]],
                "orderId": ["type": ["string", "null"], "minLength": 1, "maxLength": .int(ConversionService.longestOrderID), "pattern": "\\S"],
                "value": ["type": ["number", "null"], "minimum": 0, "maximum": 1_000_000_000],
                "currency": ["type": ["string", "null"], "pattern": "^[A-Za-z]{3}$"],
                "clickId": ["type": ["string", "null"], "pattern": "^[A-Za-z0-9]{16}$"],
                "occurredAt": ["type": ["string", "null"], "format": "date-time", "description": "When it happened (now when left out); within the last year"],
            ],
        ]),
        ("ConversionsCSV", ["type": "string", "description": "kind,order_id,value,currency,click_id,occurred_at — a header line, then one order per line"]),
        ("Conversion", [
            "type": "object", "required": ["id", "kind", "source", "occurredAt"],
            "properties": [
                "id": string, "kind": ["type": "string", "enum": ["lead", "sale"]], "orderId": ["type": ["string", "null"]],
                "value": ["type": ["number", "null"]], "currency": ["type": ["string", "null"]], "clickId": ["type": ["string", "null"]],
                "source": ["type": "string", "enum": ["script", "api", "csv"]], "occurredAt": instant,
                "attribution": ["oneOf": [["type": "null"], [
                    "type": "object", "required": ["link"],
                    "description": "What the conversion counts for: the click's link within the attribution window, and for a post's link its delivery, post, channel and the feed or library item the post was made from",
                    "properties": [
                        "link": string, "delivery": ["type": ["string", "null"]], "post": ["type": ["string", "null"]], "channel": ["type": ["string", "null"]],
                        "feed": ["type": ["object", "null"], "properties": ["id": string, "title": ["type": ["string", "null"]]]],
                        "libraryItem": ["type": ["object", "null"], "properties": ["id": string, "category": string]],
                    ],
                ]]],
            ],
        ]),
        ("ConversionImport", [
            "type": "object", "required": ["created", "repeated"],
            "properties": ["created": ["type": "integer", "minimum": 0], "repeated": ["type": "integer", "minimum": 0, "description": "Orders reported before, counted once"]],
        ]),
        ("TrackingChange", [
            "type": "object", "additionalProperties": false,
            "properties": [
                "attributionDays": ["type": ["integer", "null"], "minimum": 1, "maximum": .int(ConversionService.longestAttributionDays), "description": "Left out or null: unchanged"],
                "shortenLinks": ["type": ["boolean", "null"], "description": "Posts' links go out as short links unless a post says otherwise (on by default); left out or null: unchanged"],
            ],
        ]),
        ("Tracking", [
            "type": "object", "required": ["publicKey", "attributionDays", "shortenLinks", "script"],
            "properties": [
                "publicKey": ["type": "string", "description": "Public by design: it only reports conversions"],
                "attributionDays": ["type": "integer"], "shortenLinks": ["type": "boolean"], "script": ["type": "string", "description": "The line to paste into the shop's pages"],
            ],
        ]),
    ]
}
