"""Threads, Instagram or Facebook Pages on loopback, signing in as Meta documents it for the
Threads API, the Instagram API with Instagram Login and Facebook Login with the Graph API
v23.0: the authorize page where the person allows the app (the request must ask for
comma-separated scopes, and Trestle's code_challenge_method=S256, which the fake holds every
network to), the token endpoint, which checks the app's credentials in the form body, the
redirect URI and the PKCE verifier against the authorization and answers a short-lived token
(Threads and Facebook as an object, Instagram inside a "data" list), the th_exchange_token,
ig_exchange_token or fb_exchange_token trade of it for a long-lived one, and the profile with
that token (GET /v1.0/me on Threads, GET /v23.0/me on Instagram). Facebook signs in a person,
not a Page: with the person's long-lived token, GET /v23.0/me/accounts lists the Pages they
manage, each with its own Page token and the tasks they may do on it, and GET /v23.0/me with a
Page token answers that Page. Graph objects answer only the `fields` asked for (and their id),
as Graph does. What differs between the networks is in NETWORKS."""
import base64
import hashlib
import html
import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Optional
from urllib.parse import parse_qs, urlencode, urlparse


@dataclass(frozen=True)
class MetaNetwork:
    name: str
    client_id: str
    client_secret: str
    scopes: tuple  # the scopes the sign-in must ask for (at least)
    heading: str  # of the authorize page
    prefix: str  # of tokens and of the exchange grant type: th_exchange_token, ig_exchange_token, fb_exchange_token
    token_answer: Callable[[str], dict]  # the code exchange's answer, given the short-lived token
    profile_path: str
    profile: dict  # what profile_path answers to the long-lived token
    refusal: Callable[[str], dict]  # the sign-in's error body, given its message
    code_refused: str  # the message of a code exchange refused
    authorize_path: str = "/oauth/authorize"
    token_path: str = "/oauth/access_token"  # POST: the code exchange
    exchange_path: str = "/access_token"  # GET: the short-lived token traded for a long-lived one
    exchange_token_param: str = "access_token"  # the parameter the short-lived token goes in
    exchange_asks_client_id: bool = False
    grant_type_required: bool = True  # in the code exchange (Facebook documents none, and ignores one)
    token_prefix: str = ""  # of the tokens issued, when not `prefix`: fb-user-short-1
    long_lifetime: int = 5184000  # the long-lived token's expires_in
    accounts_path: Optional[str] = None  # where the long-lived token lists the Pages it manages
    pages: tuple = ()  # those Pages, as accounts_path lists them; profile_path answers each to its own token
    page_followers: int = 0


# Meta's sign-in refusals for Threads and Instagram: {"error_type", "code", "error_message"}.
def sign_in_refusal(message: str) -> dict:
    return {"error_type": "OAuthException", "code": 400, "error_message": message}


# The Graph API's error, as Facebook's endpoints answer every failure, its sign-in's too.
def graph_refusal(message: str, code: int = 100, subcode: Optional[int] = 36007) -> dict:
    error = {"message": message, "type": "OAuthException", "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    return {"error": dict(error, fbtrace_id="AbC")}


NETWORKS = {
    "threads": MetaNetwork(
        name="Threads", client_id="browser-threads-client", client_secret="browser-threads-secret",
        scopes=("threads_basic", "threads_content_publish"),
        heading="Trestle wants to access your Threads profile", prefix="th",
        token_answer=lambda token: {"access_token": token, "user_id": 17841400000000001},
        profile_path="/v1.0/me",
        profile={"id": "17841400000000001", "username": "cornerbakery", "name": "Corner Bakery",
                 "threads_profile_picture_url": "https://scontent.cdninstagram.com/v/bakery.jpg"},
        refusal=sign_in_refusal, code_refused="Matching code was not found or was already used",
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
        refusal=sign_in_refusal, code_refused="Matching code was not found or was already used",
    ),
    "facebook": MetaNetwork(
        name="Facebook", client_id="browser-facebook-client", client_secret="browser-facebook-secret",
        scopes=("pages_show_list", "pages_manage_posts"),
        heading="Trestle wants to manage your Facebook Pages", prefix="fb", token_prefix="fb-user",
        token_answer=lambda token: {"access_token": token, "token_type": "bearer", "expires_in": 5183},
        profile_path="/v23.0/me",
        profile={"id": "10150000000000009", "name": "Eva Baker"},  # the person, to their own token
        refusal=graph_refusal, code_refused="Invalid verification code format.",
        authorize_path="/v23.0/dialog/oauth", token_path="/v23.0/oauth/access_token",
        exchange_path="/v23.0/oauth/access_token", exchange_token_param="fb_exchange_token", exchange_asks_client_id=True,
        grant_type_required=False, long_lifetime=5183944,
        accounts_path="/v23.0/me/accounts",
        # Two Pages the person may post to, and one they may only analyse.
        pages=(
            {"id": "10160000000000001", "name": "Corner Bakery", "username": "cornerbakery", "access_token": "fb-page-10160000000000001",
             "category": "Bakery", "tasks": ["ANALYZE", "CREATE_CONTENT", "MODERATE", "MANAGE"]},
            {"id": "10160000000000002", "name": "Corner Café", "access_token": "fb-page-10160000000000002",
             "category": "Café", "tasks": ["ANALYZE", "CREATE_CONTENT"]},
            {"id": "10160000000000003", "name": "Stats Only", "access_token": "fb-page-10160000000000003",
             "category": "Bakery", "tasks": ["ANALYZE"]},
        ),
        page_followers=540,
    ),
}

# The Graph API's refusal of a token, as every network answers it.
BAD_TOKEN = graph_refusal("Error validating access token", code=190, subcode=463)


def selected(graph_object: dict, fields: Optional[str]) -> dict:
    """The object as Graph answers `fields=…`: those fields it has, and its id; all without."""
    if fields is None:
        return graph_object
    asked = {"id"} | {field.strip() for field in fields.split(",")}
    return {key: value for key, value in graph_object.items() if key in asked}


class FakeMeta:
    def __init__(self, network: str):
        self.network = NETWORKS[network]
        self.client_id = self.network.client_id
        self.client_secret = self.network.client_secret
        self.codes = {}  # code → (challenge, redirect URI)
        self.short_tokens = set()
        self.long_tokens = set()
        self.page_tokens = {}  # Page token → the Page, once the Page list has handed it out
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
                if url.path == meta.authorize_path:
                    scopes = query.get("scope", "")
                    asked = scopes.split(",")
                    if (query.get("client_id") != meta.client_id or query.get("response_type") != "code"
                            or query.get("code_challenge_method") != "S256" or not query.get("code_challenge")
                            or not query.get("redirect_uri") or " " in scopes
                            or any(scope not in asked for scope in meta.scopes)):
                        return self.answer(400, meta.refusal("Invalid request"))
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
                if url.path == meta.exchange_path:
                    short = query.get(meta.exchange_token_param, "")
                    with fake.lock:
                        spent = (query.get("grant_type") == f"{meta.prefix}_exchange_token"
                                 and (not meta.exchange_asks_client_id or query.get("client_id") == meta.client_id)
                                 and query.get("client_secret") == meta.client_secret and short in fake.short_tokens)
                        if spent:
                            fake.short_tokens.discard(short)
                            fake.issued += 1
                            token = f"{meta.token_prefix or meta.prefix}-long-{fake.issued}"
                            fake.long_tokens.add(token)
                    if not spent:
                        return self.answer(400, BAD_TOKEN)
                    return self.answer(200, {"access_token": token, "token_type": "bearer", "expires_in": meta.long_lifetime})
                token = query.get("access_token", "")
                if meta.accounts_path is not None and url.path == meta.accounts_path:
                    if token not in fake.long_tokens:
                        return self.answer(400, BAD_TOKEN)
                    with fake.lock:
                        fake.page_tokens.update({page["access_token"]: page for page in meta.pages})
                    return self.answer(200, {"data": [selected(page, query.get("fields")) for page in meta.pages]})
                if url.path == meta.profile_path:
                    if token in fake.page_tokens:
                        page = fake.page_tokens[token]
                        profile = {key: page[key] for key in ("id", "name", "username") if key in page}
                        return self.answer(200, selected(dict(profile, followers_count=meta.page_followers), query.get("fields")))
                    if token not in fake.long_tokens:
                        return self.answer(400, BAD_TOKEN)
                    return self.answer(200, selected(meta.profile, query.get("fields")))
                return self.not_found()

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if urlparse(self.path).path != meta.token_path:
                    return self.not_found()
                refused = meta.refusal(meta.code_refused)
                grant_type = body.get("grant_type")
                if (body.get("client_id") != meta.client_id or body.get("client_secret") != meta.client_secret
                        or (grant_type != "authorization_code" and (meta.grant_type_required or grant_type is not None))):
                    return self.answer(400, refused)
                with fake.lock:
                    issued = fake.codes.pop(body.get("code", ""), None)
                verifier = body.get("code_verifier", "").encode()
                challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).decode().rstrip("=")
                if issued is None or issued != (challenge, body.get("redirect_uri")):
                    return self.answer(400, refused)
                with fake.lock:
                    fake.issued += 1
                    token = f"{meta.token_prefix or meta.prefix}-short-{fake.issued}"
                    fake.short_tokens.add(token)
                return self.answer(200, meta.token_answer(token))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
