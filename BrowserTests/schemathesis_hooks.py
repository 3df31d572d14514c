"""What schemathesis cannot learn from the document, supplied by test_api_schema.py.

Connecting a channel makes Trestle call the server the body names (`instanceURL`, `service`, or
bsky.social when a Bluesky body names none). Generated names could be public addresses, so every
body that would reach a network is pointed at TRESTLE_DEAD_SERVER instead: a loopback port that
refuses connections, which Trestle answers at once with its documented 502. A feed's address
(preview, subscribe) is pointed there the same way.
"""
import os

import schemathesis

SERVER_FIELDS = {"mastodon": "instanceURL", "bluesky": "service"}


@schemathesis.hook
def before_call(context, case, kwargs):
    if case.method.upper() != "POST" or not isinstance(case.body, dict):
        return
    # A feed's address is fetched (preview, subscribe): pointed at the dead server too.
    if case.path.endswith("/feeds/preview") or case.path.endswith("/feeds"):
        if isinstance(case.body.get("url"), str):
            case.body["url"] = os.environ["TRESTLE_DEAD_SERVER"] + "/feed.xml"
        return
    if not case.path.endswith("/channels"):
        return
    network = case.body.get("network")
    # Trestle reads the network's name in any case: `MASTODON` connects too.
    field = SERVER_FIELDS.get(network.lower()) if isinstance(network, str) else None
    # A value of another type is the point of a negative case, refused before any call.
    if field and isinstance(case.body.get(field, ""), str):
        case.body[field] = os.environ["TRESTLE_DEAD_SERVER"]
