"""Threads or Instagram on loopback, signing in as Meta documents it for the Threads API and for
the Instagram API with Instagram Login: the authorize page where the person allows the app (the
request must ask for comma-separated scopes, and Trestle's code_challenge_method=S256, which the
fake holds both networks to), the token endpoint, which checks the app's credentials in the form
body, the redirect URI and the PKCE verifier against the authorization and answers a short-lived
token (Threads as an object, Instagram inside a "data" list), the th_exchange_token or
ig_exchange_token trade of it for a long-lived one, and the profile with that token
(GET /v1.0/me on Threads, GET /v23.0/me on Instagram). What differs between the two is in
NETWORKS."""
import base64
import hashlib
import html
import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable
from urllib.parse import parse_qs, urlencode, urlparse


@dataclass(frozen=True)
class MetaNetwork:
    name: str
    client_id: str
    client_secret: str
    scopes: tuple  # the scopes the sign-in must ask for (at least)
    heading: str  # of the authorize page
    prefix: str  # of tokens and of the exchange grant type: th_exchange_token, ig_exchange_token
    token_answer: Callable[[str], dict]  # the code exchange's answer, given the short-lived token
    profile_path: str
    profile: dict


NETWORKS = {
    "threads": MetaNetwork(
        name="Threads", client_id="browser-threads-client", client_secret="browser-threads-secret",
        scopes=("threads_basic", "threads_content_publish"),
        heading="Trestle wants to access your Threads profile", prefix="th",
        token_answer=lambda token: {"access_token": token, "user_id": 17841400000000001},
        profile_path="/v1.0/me",
        profile={"id": "17841400000000001", "username": "cornerbakery", "name": "Corner Bakery",
                 "threads_profile_picture_url": "https://scontent.cdninstagram.com/v/bakery.jpg"},
    ),
    "instagram": MetaNetwork(
        name="Instagram", client_id="browser-instagram-client", client_secret="browser-instagram-secret",
        scopes=("instagram_business_basic", "instagram_business_content_publish"),
        heading="Trestle wants to access your Instagram professional account", prefix="ig",
        token_answer=lambda token: {"data": [{"access_token": token, "user_id": "17841400000000002",
                                              "permissions": "instagram_business_basic,instagram_business_content_publish"}]},
        profile_path="/v23.0/me",
        profile={"id": "27000000000000002", "user_id": "17841400000000002", "username": "cornerbakery", "name": "Corner Bakery",
                 "account_type": "BUSINESS", "profile_picture_url": "https://scontent.cdninstagram.com/v/bakery.jpg",
                 "followers_count": 310},
    ),
}

# The Graph API's refusal of a token, as both networks answer it.
BAD_TOKEN = {"error": {"message": "Error validating access token", "type": "OAuthException", "code": 190,
                       "error_subcode": 463, "fbtrace_id": "AbC"}}


class FakeMeta:
    def __init__(self, network: str):
        self.network = NETWORKS[network]
        self.client_id = self.network.client_id
        self.client_secret = self.network.client_secret
        self.codes = {}  # code → (challenge, redirect URI)
        self.short_tokens = set()
        self.long_tokens = set()
        self.authorized = 0
        self.issued = 0
        self.lock = threading.Lock()
        fake = self
        meta = self.network

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

            def not_found(self) -> None:
                return self.answer(404, {"error": {"message": "Unsupported request: the path does not exist", "type": "GraphMethodException",
                                                   "code": 100, "fbtrace_id": "AbC"}})

            def do_GET(self):
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/oauth/authorize":
                    scopes = query.get("scope", "")
                    asked = scopes.split(",")
                    if (query.get("client_id") != meta.client_id or query.get("response_type") != "code"
                            or query.get("code_challenge_method") != "S256" or not query.get("code_challenge")
                            or not query.get("redirect_uri") or " " in scopes
                            or any(scope not in asked for scope in meta.scopes)):
                        return self.answer(400, {"error_type": "OAuthException", "code": 400, "error_message": "Invalid request"})
                    with fake.lock:
                        fake.authorized += 1
                        code = f"code-{fake.authorized}"
                        fake.codes[code] = (query["code_challenge"], query["redirect_uri"])
                    back = query["redirect_uri"] + "?" + urlencode({"code": code, "state": query.get("state", "")})
                    page = (f"<!doctype html><title>{html.escape(meta.name)}</title><h1>{html.escape(meta.heading)}</h1>"
                            f"<p>Scopes: {html.escape(scopes)}</p><a href=\"{html.escape(back)}\">Allow</a>").encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(page)))
                    self.end_headers()
                    return self.wfile.write(page)
                if url.path == "/access_token":
                    short = query.get("access_token", "")
                    with fake.lock:
                        spent = (query.get("grant_type") == f"{meta.prefix}_exchange_token"
                                 and query.get("client_secret") == meta.client_secret and short in fake.short_tokens)
                        if spent:
                            fake.short_tokens.discard(short)
                            fake.issued += 1
                            token = f"{meta.prefix}-long-{fake.issued}"
                            fake.long_tokens.add(token)
                    if not spent:
                        return self.answer(400, BAD_TOKEN)
                    return self.answer(200, {"access_token": token, "token_type": "bearer", "expires_in": 5184000})
                if url.path == meta.profile_path:
                    if query.get("access_token", "") not in fake.long_tokens:
                        return self.answer(400, BAD_TOKEN)
                    return self.answer(200, meta.profile)
                return self.not_found()

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if urlparse(self.path).path != "/oauth/access_token":
                    return self.not_found()
                refused = {"error_type": "OAuthException", "code": 400, "error_message": "Matching code was not found or was already used"}
                if (body.get("client_id") != meta.client_id or body.get("client_secret") != meta.client_secret
                        or body.get("grant_type") != "authorization_code"):
                    return self.answer(400, refused)
                with fake.lock:
                    issued = fake.codes.pop(body.get("code", ""), None)
                verifier = body.get("code_verifier", "").encode()
                challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).decode().rstrip("=")
                if issued is None or issued != (challenge, body.get("redirect_uri")):
                    return self.answer(400, refused)
                with fake.lock:
                    fake.issued += 1
                    token = f"{meta.prefix}-short-{fake.issued}"
                    fake.short_tokens.add(token)
                return self.answer(200, meta.token_answer(token))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
