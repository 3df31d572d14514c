"""A loopback Mastodon instance for benchmarks/inbox.sh, as Mastodon's API documentation
describes the calls an inbox makes: verify_credentials and /api/v2/instance (with
`configuration.urls.streaming`), GET /api/v1/notifications (min_id, since_id, max_id, limit up
to 80, newest first, with a Link header) and the streaming API's server-sent events
(GET /api/v1/streaming/user/notification). Accounts are tokens `bench-0` … `bench-N`.

Controls for the benchmark (not Mastodon's): POST /control/seed?accounts=A&per_account=N makes
N mentions for each of A accounts; POST /control/reply?account=K makes one reply now and
pushes it to that account's open streams. Started with `--no-streaming`, the streaming
endpoint answers 404, so Trestle reads by polling only.
Prints its address, then serves until killed."""
import json
import sys
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

STREAMING = "--no-streaming" not in sys.argv
DOMAIN = "bench.example"
lock = threading.Lock()
notifications = {}  # token → list of notifications, oldest first (ids increasing)
streams = {}  # token → list of (event, lock) of open streams
next_id = [1000]


def now_text() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def account(number: int) -> dict:
    return {"id": str(number), "username": f"person{number}", "acct": f"person{number}@elsewhere.example",
            "display_name": f"Person {number}", "url": f"https://elsewhere.example/@person{number}",
            "avatar": f"https://elsewhere.example/avatars/{number}.png"}


def make(token: str, reply: bool) -> dict:
    with lock:
        next_id[0] += 1
        number = next_id[0]
    owner = token.split("-")[-1]
    created = now_text()
    status = {"id": str(number), "created_at": created, "visibility": "public", "url": f"https://elsewhere.example/@person{number % 500}/{number}",
              "in_reply_to_id": "110000" if reply else None, "in_reply_to_account_id": f"9{owner}" if reply else None,
              "content": f'<p><span class="h-card"><a href="https://{DOMAIN}/@bakery{owner}" class="u-url mention">@<span>bakery{owner}</span></a></span> Do you have rye today? Order {number}</p>',
              "account": account(number % 500), "mentions": [], "tags": [], "emojis": [], "media_attachments": []}
    return {"id": str(number), "type": "mention", "created_at": created, "account": account(number % 500), "status": status}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status: int, body, headers=None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def token(self):
        header = self.headers.get("Authorization", "")
        token = header[7:] if header.startswith("Bearer ") else None
        return token if token and token.startswith("bench-") else None

    def do_POST(self):
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/control/seed":
            for index in range(int(query["accounts"])):
                token = f"bench-{index}"
                made = [make(token, reply=n % 2 == 0) for n in range(int(query["per_account"]))]
                with lock:
                    notifications.setdefault(token, []).extend(made)
            return self.answer(200, {"ok": True})
        if url.path == "/control/reply":
            token = f"bench-{query.get('account', '0')}"
            notification = make(token, reply=True)
            with lock:
                notifications.setdefault(token, []).append(notification)
                listeners = list(streams.get(token, []))
            for listener in listeners:
                listener.append(notification)
            return self.answer(200, {"id": notification["id"], "created_at": notification["created_at"]})
        self.answer(404, {"error": "Record not found"})

    def do_GET(self):
        url = urlparse(self.path)
        query = parse_qs(url.query)
        if url.path == "/api/v2/instance":
            base = f"http://{self.headers.get('Host')}"
            return self.answer(200, {"domain": DOMAIN, "configuration": {
                "urls": {"streaming": base.replace("http://", "ws://")},
                "statuses": {"max_characters": 500, "characters_reserved_per_url": 23}}})
        token = self.token()
        if token is None:
            return self.answer(401, {"error": "The access token is invalid"})
        if url.path == "/api/v1/accounts/verify_credentials":
            owner = token.split("-")[-1]
            return self.answer(200, {"id": f"9{owner}", "username": f"bakery{owner}", "acct": f"bakery{owner}", "display_name": f"Bakery {owner}",
                                     "url": f"https://{DOMAIN}/@bakery{owner}"})
        if url.path == "/api/v1/notifications":
            return self.notifications(token, query)
        if url.path == "/api/v1/streaming/user/notification" and STREAMING:
            return self.stream(token)
        self.answer(404, {"error": "Record not found"})

    def notifications(self, token: str, query: dict) -> None:
        limit = max(1, min(80, int(query.get("limit", ["40"])[0])))
        with lock:
            every = list(notifications.get(token, []))
        newest_first = every[::-1]
        if "max_id" in query:
            newest_first = [n for n in newest_first if int(n["id"]) < int(query["max_id"][0])]
        if "min_id" in query:
            # The ones immediately newer than min_id, still shown newest first.
            after = [n for n in every if int(n["id"]) > int(query["min_id"][0])][:limit]
            page = after[::-1]
        else:
            if "since_id" in query:
                newest_first = [n for n in newest_first if int(n["id"]) > int(query["since_id"][0])]
            page = newest_first[:limit]
        headers = {}
        if page:
            base = f"http://{self.headers.get('Host')}/api/v1/notifications"
            headers["Link"] = f'<{base}?max_id={page[-1]["id"]}>; rel="next", <{base}?min_id={page[0]["id"]}>; rel="prev"'
        self.answer(200, page, headers)

    def stream(self, token: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        pending = []
        with lock:
            streams.setdefault(token, []).append(pending)

        def send(text: str) -> None:
            data = text.encode()
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.flush()

        try:
            send(":)\n")
            last_beat = time.monotonic()
            while True:
                while pending:
                    notification = pending.pop(0)
                    send(f"event: notification\ndata: {json.dumps(notification)}\n\n")
                if time.monotonic() - last_beat > 15:
                    send(":thump\n")
                    last_beat = time.monotonic()
                time.sleep(0.005)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            with lock:
                streams[token].remove(pending)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
server.serve_forever()
