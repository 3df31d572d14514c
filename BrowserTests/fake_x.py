"""X on loopback, as its OAuth 2 documentation describes signing in: the authorize page where the
person allows the app (the request must ask for code_challenge_method=S256), the token endpoint,
which checks the app's HTTP Basic credentials, the redirect URI and the PKCE verifier against
the authorization, and GET /2/users/me with the token it issued."""
import base64
import hashlib
import html
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

CLIENT_ID = "browser-x-client"
CLIENT_SECRET = "browser-x-secret"


class FakeX:
    def __init__(self):
        self.codes = {}  # code → (challenge, redirect URI)
        self.tokens = set()
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

            def do_GET(self):
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/i/oauth2/authorize":
                    if query.get("client_id") != CLIENT_ID or query.get("code_challenge_method") != "S256":
                        return self.answer(400, {"error": "invalid_request"})
                    code = f"code-{len(fake.codes) + 1}"
                    with fake.lock:
                        fake.codes[code] = (query["code_challenge"], query["redirect_uri"])
                    back = query["redirect_uri"] + "?" + urlencode({"state": query["state"], "code": code})
                    page = (f"<!doctype html><title>Authorize</title><h1>Trestle wants to access your X account</h1>"
                            f"<p>Scopes: {html.escape(query.get('scope', ''))}</p><a href=\"{html.escape(back)}\">Authorize app</a>").encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(page)))
                    self.end_headers()
                    return self.wfile.write(page)
                if url.path == "/2/users/me":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    if token not in fake.tokens:
                        return self.answer(401, {"title": "Unauthorized", "detail": "Unauthorized", "type": "about:blank", "status": 401})
                    return self.answer(200, {"data": {"id": "2244994945", "name": "Corner Bakery", "username": "cornerbakery",
                                                      "public_metrics": {"followers_count": 120}}})
                return self.answer(404, {"title": "Not Found Error", "detail": "Not found", "type": "about:blank", "status": 404})

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if urlparse(self.path).path != "/2/oauth2/token":
                    return self.answer(404, {"title": "Not Found Error", "detail": "Not found", "type": "about:blank", "status": 404})
                basic = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
                if self.headers.get("Authorization") != basic:
                    return self.answer(401, {"error": "unauthorized_client", "error_description": "Missing valid authorization header"})
                with fake.lock:
                    issued = fake.codes.pop(body.get("code", ""), None)
                verifier = body.get("code_verifier", "").encode()
                challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).decode().rstrip("=")
                if issued is None or issued != (challenge, body.get("redirect_uri")):
                    return self.answer(400, {"error": "invalid_grant", "error_description": "Value passed for the token was invalid."})
                token = f"x-access-{len(fake.tokens) + 1}"
                fake.tokens.add(token)
                return self.answer(200, {"token_type": "bearer", "expires_in": 7200, "access_token": token,
                                         "scope": "tweet.read tweet.write users.read media.write offline.access",
                                         "refresh_token": f"x-refresh-{len(fake.tokens)}"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
