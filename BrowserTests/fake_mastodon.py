"""A Mastodon instance on loopback, as its API documentation describes the calls that
connecting an account makes: verify_credentials (bearer token, 401 otherwise), /api/v2/instance
with the instance's own limits, and signing in: /api/v1/apps, the /oauth/authorize page where
the person allows the app, and /oauth/token, which checks the PKCE verifier; and posting:
POST /api/v1/statuses (an Idempotency-Key repeated gives the same status) and the account's
statuses; and the inbox: GET /api/v1/notifications (newest first, paged by max_id, since_id and
min_id with a Link header, as Mastodon pages it), GET /api/v1/statuses/:id and its context, and
`add_mention`, with which a test has someone say something to the account."""
import base64
import hashlib
import html
import json
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse


class FakeMastodon:
    def __init__(self, token: str, max_characters: int = 500, domain: str = "bakery.example", latency: float = 0.0):
        self.token = token
        self.latency = latency  # seconds every post takes, as a busy instance does
        self.max_characters = max_characters
        self.domain = domain
        self.codes = {}  # code → PKCE challenge it was issued for
        self.statuses = []  # every status posted, oldest first
        self.keys = {}  # Idempotency-Key → status
        self.notifications = []  # oldest first, as Mastodon entities
        self.notification_reads = 0  # how often GET /api/v1/notifications was asked
        self.others = {}  # statuses of other people, by id
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length).decode()
                # Mastodon reads form-encoded and JSON bodies alike.
                if self.headers.get("Content-Type", "").startswith("application/json"):
                    body = json.loads(raw or "{}")
                else:
                    body = {k: v[0] for k, v in parse_qs(raw).items()}
                if self.path == "/api/v1/statuses":
                    if fake.latency:
                        time.sleep(fake.latency)
                    if self.headers.get("Authorization") != f"Bearer {fake.token}":
                        return self.answer(401, {"error": "The access token is invalid"})
                    key = self.headers.get("Idempotency-Key")
                    if key in fake.keys:
                        return self.answer(200, fake.keys[key])
                    number = str(110000 + len(fake.statuses))
                    status = {"id": number, "url": f"https://{fake.domain}/@bakery/{number}",
                              "content": "<p>" + html.escape(body.get("status", "")) + "</p>", "text": body.get("status", ""),
                              "in_reply_to_id": body.get("in_reply_to_id"), "created_at": "2026-12-01T12:00:00.000Z"}
                    with fake.lock:
                        if key in fake.keys:
                            return self.answer(200, fake.keys[key])
                        status["id"] = str(110000 + len(fake.statuses))
                        status["url"] = f"https://{fake.domain}/@bakery/{status['id']}"
                        fake.statuses.append(status)
                        if key:
                            fake.keys[key] = status
                    return self.answer(200, status)
                if self.path == "/api/v1/apps":
                    return self.answer(200, {"id": "1", "name": body.get("client_name"), "client_id": "cid",
                                             "client_secret": "csecret", "redirect_uri": body.get("redirect_uris")})
                if self.path == "/oauth/token":
                    verifier = body.get("code_verifier", "")
                    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
                    if body.get("client_secret") != "csecret" or fake.codes.pop(body.get("code"), None) != challenge:
                        return self.answer(400, {"error": "invalid_grant", "error_description": "The provided authorization grant is invalid."})
                    return self.answer(200, {"access_token": fake.token, "token_type": "Bearer", "scope": "read write"})
                return self.answer(404, {"error": "Record not found"})

            def do_GET(self):
                url = urlparse(self.path)
                if url.path == "/api/v1/notifications":
                    if self.headers.get("Authorization") != f"Bearer {fake.token}":
                        return self.answer(401, {"error": "The access token is invalid"})
                    query = parse_qs(url.query)
                    page, link = fake.notifications_page(query, f"{fake.url}{url.path}")
                    with fake.lock:
                        fake.notification_reads += 1
                    data = json.dumps(page).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(data)))
                    if link:
                        self.send_header("Link", link)
                    self.end_headers()
                    self.wfile.write(data)
                    return
                if url.path.startswith("/api/v1/statuses/") and url.path.count("/") == 4:
                    if self.headers.get("Authorization") != f"Bearer {fake.token}":
                        return self.answer(401, {"error": "The access token is invalid"})
                    status = fake.status(url.path.split("/")[4])
                    if status is None:
                        return self.answer(404, {"error": "Record not found"})
                    return self.answer(200, status)
                if url.path.startswith("/api/v1/statuses/") and url.path.endswith("/context"):
                    if self.headers.get("Authorization") != f"Bearer {fake.token}":
                        return self.answer(401, {"error": "The access token is invalid"})
                    context = fake.context(url.path.split("/")[4])
                    if context is None:
                        return self.answer(404, {"error": "Record not found"})
                    return self.answer(200, context)
                if url.path == "/oauth/authorize":
                    # The instance's consent page: "Authorize" sends the person back with a code.
                    query = {k: v[0] for k, v in parse_qs(url.query).items()}
                    code = f"code-{len(fake.codes) + 1}"
                    fake.codes[code] = query.get("code_challenge")
                    back = query["redirect_uri"] + "?" + urlencode({"code": code, "state": query.get("state", "")})
                    page = (f"<!doctype html><title>Authorization required</title><h1>{html.escape(query.get('client_id', ''))} "
                            f"wants to use your account</h1><a href=\"{html.escape(back)}\">Authorize</a>").encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(page)))
                    self.end_headers()
                    self.wfile.write(page)
                    return
                if self.path == "/api/v1/accounts/verify_credentials":
                    if self.headers.get("Authorization") != f"Bearer {fake.token}":
                        return self.answer(401, {"error": "The access token is invalid"})
                    return self.answer(200, {"id": "10984", "username": "bakery", "acct": "bakery",
                                             "display_name": "Corner Bakery", "url": f"https://{fake.domain}/@bakery"})
                if url.path == "/api/v1/accounts/10984/statuses":
                    return self.answer(200, list(reversed(fake.statuses))[:40])
                if self.path == "/api/v2/instance":
                    return self.answer(200, {"domain": fake.domain, "title": "Bakery Social", "configuration": {
                        "statuses": {"max_characters": fake.max_characters, "characters_reserved_per_url": 23}}})
                return self.answer(404, {"error": "Record not found"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.request_queue_size = 128
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    # The inbox

    def account(self, username: str, display_name: str, domain: str = "town.example") -> dict:
        return {"id": str(zlib.crc32(username.encode())), "username": username, "acct": f"{username}@{domain}",
                "display_name": display_name, "url": f"https://{domain}/@{username}",
                "avatar": f"https://{domain}/avatars/{username}.png", "avatar_static": f"https://{domain}/avatars/{username}.png"}

    def add_mention(self, text: str, username: str = "mia", display_name: str = "Mia Baker", in_reply_to_id: str = None,
                    visibility: str = "public", domain: str = "town.example") -> dict:
        """Someone says `text` to the account (@bakery is put first, as Mastodon's clients do);
        a reply to one of its statuses when `in_reply_to_id` is given, a direct message when
        `visibility` is "direct". Returns the notification."""
        account = self.account(username, display_name, domain)
        with self.lock:
            number = str(900000 + len(self.others))
            content = (f'<p><span class="h-card"><a href="https://{self.domain}/@bakery" class="u-url mention">@<span>bakery</span></a></span> '
                       + html.escape(text) + "</p>")
            status = {"id": number, "created_at": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
                      "in_reply_to_id": in_reply_to_id, "in_reply_to_account_id": "10984" if in_reply_to_id else None,
                      "visibility": visibility, "url": f"https://{domain}/@{username}/{number}",
                      "uri": f"https://{domain}/users/{username}/statuses/{number}", "content": content, "account": account,
                      "mentions": [{"id": "10984", "username": "bakery", "acct": "bakery", "url": f"https://{self.domain}/@bakery"}]}
            self.others[number] = status
            notification = {"id": str(len(self.notifications) + 1), "type": "mention", "created_at": status["created_at"],
                            "account": account, "status": status}
            self.notifications.append(notification)
        return notification

    def notifications_page(self, query: dict, base: str):
        """Mastodon's paging: newest first; max_id gives older ones, since_id the newest newer
        ones, min_id the ones just after it; at most `limit` (40, up to 80)."""
        def number(name):
            value = query.get(name, [None])[0]
            return int(value) if value and value.isdigit() else None
        limit = max(1, min(80, number("limit") or 40))
        types = set(query.get("types[]", []))
        excluded = set(query.get("exclude_types[]", []))
        with self.lock:
            chosen = [n for n in self.notifications
                      if (not types or n["type"] in types) and n["type"] not in excluded
                      and (number("max_id") is None or int(n["id"]) < number("max_id"))
                      and (number("since_id") is None or int(n["id"]) > number("since_id"))
                      and (number("min_id") is None or int(n["id"]) > number("min_id"))]
        if number("min_id") is not None:
            page = list(reversed(chosen[:limit]))
        else:
            page = list(reversed(chosen))[:limit]
        if not page:
            return [], None
        link = f'<{base}?max_id={page[-1]["id"]}&limit={limit}>; rel="next", <{base}?min_id={page[0]["id"]}&limit={limit}>; rel="prev"'
        return page, link

    def status(self, status_id: str):
        """A status the fake knows, as Mastodon shows it: the account's own or someone else's."""
        with self.lock:
            if status_id in self.others:
                return self.others[status_id]
            own = next((s for s in self.statuses if s["id"] == status_id), None)
        if own is None:
            return None
        account = {"id": "10984", "username": "bakery", "acct": "bakery", "display_name": "Corner Bakery",
                   "url": f"https://{self.domain}/@bakery", "avatar": "", "avatar_static": ""}
        return dict(own, account=account, visibility=own.get("visibility", "public"),
                    in_reply_to_account_id=None, uri=own["url"], mentions=[])

    def context(self, status_id: str):
        """A status's ancestors (oldest first) and descendants, among the statuses the fake knows."""
        with self.lock:
            ids = [s["id"] for s in self.statuses] + list(self.others)
        known = {i: self.status(i) for i in ids}
        if status_id not in known:
            return None
        ancestors = []
        parent = known[status_id].get("in_reply_to_id")
        while parent in known and len(ancestors) < 40:
            ancestors.insert(0, known[parent])
            parent = known[parent].get("in_reply_to_id")
        descendants = [s for s in known.values() if s.get("in_reply_to_id") == status_id]
        return {"ancestors": ancestors, "descendants": descendants}

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
