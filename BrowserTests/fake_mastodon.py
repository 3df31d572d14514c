"""A Mastodon instance on loopback, as its API documentation describes the calls that
connecting an account makes: verify_credentials (bearer token, 401 otherwise), /api/v2/instance
with the instance's own limits, and signing in: /api/v1/apps, the /oauth/authorize page where
the person allows the app, and /oauth/token, which checks the PKCE verifier; and posting:
POST /api/v1/statuses (an Idempotency-Key repeated gives the same status) and the account's
statuses."""
import base64
import hashlib
import html
import json
import threading
import time
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

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
