"""Networks that sign in with OAuth 2 at the operator's app, on loopback, as each documents it:
Threads, Instagram and Facebook Pages (Meta: the Threads API, the Instagram API with Instagram
Login, Facebook Login with the Graph API v23.0) and LinkedIn (its OAuth 2.0 authorization code
flow, OpenID userinfo and versioned REST API).

Each has an authorize page where the person allows the app (the request must ask for the
network's scopes, joined as it documents: with commas at Meta, with spaces at LinkedIn, and
Trestle's code_challenge_method=S256, which the fake holds every network to), and a token
endpoint, which checks the app's credentials in the form body, the redirect URI and the PKCE
verifier against the authorization. Meta's answers a short-lived token (Threads and Facebook as
an object, Instagram inside a "data" list), traded by th_exchange_token, ig_exchange_token or
fb_exchange_token for a long-lived one; LinkedIn's answers the sixty-day token itself. With that
token: the profile (GET /v1.0/me on Threads, GET /v23.0/me on Instagram, GET /v2/userinfo on
LinkedIn). Facebook signs in a person, not a Page: GET /v23.0/me/accounts lists the Pages they
manage, each with its own Page token and the tasks they may do on it, and GET /v23.0/me with a
Page token answers that Page. LinkedIn signs in a member, who may also post as the organisations
they administer: GET /rest/organizationAcls lists their roles (the roles and states asked for),
GET /rest/organizations/{id} names each; /rest/ answers only with a LinkedIn-Version (YYYYMM) and
Rest.li 2.0.0. Graph objects answer only the `fields` asked for (and their id), as Graph does.
Meta takes the token as ?access_token=, LinkedIn as a Bearer header. What differs between the
networks is in NETWORKS."""
import base64
import hashlib
import html
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Optional
from urllib.parse import parse_qs, urlencode, urlparse


# Meta's sign-in refusals for Threads and Instagram: {"error_type", "code", "error_message"}.
def sign_in_refusal(message: str) -> dict:
    return {"error_type": "OAuthException", "code": 400, "error_message": message}


# The Graph API's error, as Facebook's endpoints answer every failure, its sign-in's too.
def graph_refusal(message: str, code: int = 100, subcode: Optional[int] = 36007) -> dict:
    error = {"message": message, "type": "OAuthException", "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    return {"error": dict(error, fbtrace_id="AbC")}


# The Graph API's refusal of a token, as every Meta network answers it.
BAD_TOKEN = graph_refusal("Error validating access token", code=190, subcode=463)
GRAPH_NOT_FOUND = {"error": {"message": "Unsupported request: the path does not exist", "type": "GraphMethodException",
                             "code": 100, "fbtrace_id": "AbC"}}


# LinkedIn's sign-in refusals, as RFC 6749 has them: {"error", "error_description"}.
def linkedin_sign_in_refusal(message: str) -> dict:
    return {"error": "invalid_request", "error_description": message}


# LinkedIn's API errors: {"status", "serviceErrorCode", "code", "message"}.
def linkedin_error(status: int, code: str, message: str, service_code: Optional[int] = None) -> dict:
    error = {"status": status, "serviceErrorCode": service_code, "code": code, "message": message}
    return {key: value for key, value in error.items() if value is not None}


def selected(graph_object: dict, fields: Optional[str]) -> dict:
    """The object as Graph answers `fields=…`: those fields it has, and its id; all without."""
    if fields is None:
        return graph_object
    asked = {"id"} | {name.strip() for name in fields.split(",")}
    return {key: value for key, value in graph_object.items() if key in asked}


@dataclass(frozen=True)
class OAuthNetwork:
    name: str
    client_id: str
    client_secret: str
    scopes: tuple  # the scopes the sign-in must ask for (at least)
    heading: str  # of the authorize page
    prefix: str  # of tokens (and at Meta of the exchange grant type: th_exchange_token, ig_exchange_token, fb_exchange_token)
    token_answer: Callable[[str], dict]  # the code exchange's answer, given the token it issues
    profile_path: str
    profile: dict  # what profile_path answers to the token the sign-in ends with
    refusal: Callable[[str], dict]  # the sign-in's error body, given its message
    code_refused: str  # the message of a code exchange refused
    authorize_path: str = "/oauth/authorize"
    scope_separator: str = ","  # Meta's; LinkedIn's is a space, as RFC 6749 has it
    token_path: str = "/oauth/access_token"  # POST: the code exchange
    # GET: the short-lived token traded for a long-lived one; None where the code exchange
    # answers the token that is kept (LinkedIn).
    exchange_path: Optional[str] = "/access_token"
    exchange_token_param: str = "access_token"  # the parameter the short-lived token goes in
    exchange_asks_client_id: bool = False
    grant_type_required: bool = True  # in the code exchange (Facebook documents none, and ignores one)
    token_prefix: str = ""  # of the tokens issued, when not `prefix`: fb-user-short-1
    long_lifetime: int = 5184000  # the long-lived token's expires_in
    bearer: bool = False  # the token comes as `Authorization: Bearer` (LinkedIn), not as ?access_token= (Graph)
    bad_token: tuple = (400, BAD_TOKEN)  # the status and body of a token refused
    not_found: tuple = (404, GRAPH_NOT_FOUND)
    # (path prefix, header, the pattern its whole value must match, the 400's body) for each
    # header the paths under the prefix need.
    required_headers: tuple = ()
    accounts_path: Optional[str] = None  # where the signed-in token lists what else it may act as
    accounts: Optional[Callable[[dict], tuple]] = None  # that list's status and body, given the query
    objects: dict = field(default_factory=dict)  # further paths the signed-in token reads, and what each answers
    pages: tuple = ()  # Facebook's Pages, as accounts_path lists them; profile_path answers each to its own token
    page_followers: int = 0


# Two Pages the person may post to, and one they may only analyse.
FACEBOOK_PAGES = (
    {"id": "10160000000000001", "name": "Corner Bakery", "username": "cornerbakery", "access_token": "fb-page-10160000000000001",
     "category": "Bakery", "tasks": ["ANALYZE", "CREATE_CONTENT", "MODERATE", "MANAGE"]},
    {"id": "10160000000000002", "name": "Corner Café", "access_token": "fb-page-10160000000000002",
     "category": "Café", "tasks": ["ANALYZE", "CREATE_CONTENT"]},
    {"id": "10160000000000003", "name": "Stats Only", "access_token": "fb-page-10160000000000003",
     "category": "Bakery", "tasks": ["ANALYZE"]},
)

# The member's roles: administrator of one organisation, analyst of another, which is not one to
# post as, and is listed only to a request that does not ask for administrators.
LINKEDIN_ROLES = (
    {"roleAssignee": "urn:li:person:782bbtaQ", "state": "APPROVED", "role": "ADMINISTRATOR", "organization": "urn:li:organization:2414183"},
    {"roleAssignee": "urn:li:person:782bbtaQ", "state": "APPROVED", "role": "ANALYST", "organization": "urn:li:organization:2414190"},
)


def organization_acls(query: dict) -> tuple:
    """GET /rest/organizationAcls?q=roleAssignee: the member's roles, those of the role and
    state asked for."""
    if query.get("q") != "roleAssignee":
        return 400, linkedin_error(400, "ILLEGAL_ARGUMENT", "Invalid query parameters passed to request")
    roles = [role for role in LINKEDIN_ROLES if all(query.get(key, role[key]) == role[key] for key in ("role", "state"))]
    return 200, {"elements": roles, "paging": {"count": 10, "start": 0, "links": []}}


REST_LI = "/rest/"

NETWORKS = {
    "threads": OAuthNetwork(
        name="Threads", client_id="browser-threads-client", client_secret="browser-threads-secret",
        scopes=("threads_basic", "threads_content_publish"),
        heading="Trestle wants to access your Threads profile", prefix="th",
        token_answer=lambda token: {"access_token": token, "user_id": 17841400000000001},
        profile_path="/v1.0/me",
        profile={"id": "17841400000000001", "username": "cornerbakery", "name": "Corner Bakery",
                 "threads_profile_picture_url": "https://scontent.cdninstagram.com/v/bakery.jpg"},
        refusal=sign_in_refusal, code_refused="Matching code was not found or was already used",
    ),
    "instagram": OAuthNetwork(
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
    "facebook": OAuthNetwork(
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
        accounts=lambda query: (200, {"data": [selected(page, query.get("fields")) for page in FACEBOOK_PAGES]}),
        pages=FACEBOOK_PAGES, page_followers=540,
    ),
    "linkedin": OAuthNetwork(
        name="LinkedIn", client_id="browser-linkedin-client", client_secret="browser-linkedin-secret",
        scopes=("openid", "w_member_social"),
        heading="Trestle would like to access your LinkedIn account", prefix="li",
        token_answer=lambda token: {"access_token": token, "expires_in": 5184000,
                                    "scope": "openid,profile,w_member_social,r_organization_social,w_organization_social,rw_organization_admin"},
        profile_path="/v2/userinfo",
        profile={"sub": "782bbtaQ", "name": "Ana Baker", "given_name": "Ana", "family_name": "Baker"},
        refusal=linkedin_sign_in_refusal,
        code_refused=("Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization code. "
                      "Or authorization code expired. Or external member binding exists"),
        authorize_path="/oauth/v2/authorization", scope_separator=" ", token_path="/oauth/v2/accessToken", exchange_path=None,
        bearer=True,
        bad_token=(401, linkedin_error(401, "INVALID_ACCESS_TOKEN", "Invalid access token", service_code=65600)),
        not_found=(404, linkedin_error(404, "RESOURCE_NOT_FOUND", "No virtual resource found")),
        required_headers=(
            (REST_LI, "LinkedIn-Version", r"\d{6}",
             linkedin_error(400, "VERSION_MISSING", "A version must be present. Please specify a version by adding the LinkedIn-Version header.")),
            (REST_LI, "X-Restli-Protocol-Version", r"2\.0\.0",
             linkedin_error(400, "ILLEGAL_ARGUMENT", "This endpoint answers Rest.li protocol 2.0.0 only: set X-Restli-Protocol-Version.")),
        ),
        accounts_path="/rest/organizationAcls", accounts=organization_acls,
        objects={
            "/rest/organizations/2414183": {"id": 2414183, "localizedName": "Corner Bakery", "vanityName": "corner-bakery"},
            "/rest/organizations/2414190": {"id": 2414190, "localizedName": "Stats Only", "vanityName": "stats-only"},
        },
    ),
}


class FakeOAuthNetwork:
    def __init__(self, network: str):
        self.network = NETWORKS[network]
        self.client_id = self.network.client_id
        self.client_secret = self.network.client_secret
        self.codes = {}  # code → (challenge, redirect URI)
        self.short_tokens = set()
        self.long_tokens = set()  # the tokens the API answers to: long-lived at Meta, LinkedIn's sixty-day ones
        self.page_tokens = {}  # Page token → the Page, once the Page list has handed it out
        self.authorized = 0
        self.issued = 0
        self.lock = threading.Lock()
        fake = self
        net = self.network

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

            def token(self, query: dict) -> str:
                if not net.bearer:
                    return query.get("access_token", "")
                scheme, _, token = self.headers.get("Authorization", "").partition(" ")
                return token if scheme.lower() == "bearer" else ""

            def missing_header(self, path: str) -> Optional[dict]:
                for prefix, header, pattern, refusal in net.required_headers:
                    if path.startswith(prefix) and not re.fullmatch(pattern, self.headers.get(header, "")):
                        return refusal
                return None

            def do_GET(self):
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == net.authorize_path:
                    scopes = query.get("scope", "")
                    asked = scopes.split(net.scope_separator)
                    other_separator = "," if net.scope_separator == " " else " "
                    if (query.get("client_id") != net.client_id or query.get("response_type") != "code"
                            or query.get("code_challenge_method") != "S256" or not query.get("code_challenge")
                            or not query.get("redirect_uri") or other_separator in scopes
                            or any(scope not in asked for scope in net.scopes)):
                        return self.answer(400, net.refusal("Invalid request"))
                    with fake.lock:
                        fake.authorized += 1
                        code = f"code-{fake.authorized}"
                        fake.codes[code] = (query["code_challenge"], query["redirect_uri"])
                    back = query["redirect_uri"] + "?" + urlencode({"code": code, "state": query.get("state", "")})
                    page = (f"<!doctype html><title>{html.escape(net.name)}</title><h1>{html.escape(net.heading)}</h1>"
                            f"<p>Scopes: {html.escape(scopes)}</p><a href=\"{html.escape(back)}\">Allow</a>").encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(page)))
                    self.end_headers()
                    return self.wfile.write(page)
                if net.exchange_path is not None and url.path == net.exchange_path:
                    short = query.get(net.exchange_token_param, "")
                    with fake.lock:
                        spent = (query.get("grant_type") == f"{net.prefix}_exchange_token"
                                 and (not net.exchange_asks_client_id or query.get("client_id") == net.client_id)
                                 and query.get("client_secret") == net.client_secret and short in fake.short_tokens)
                        if spent:
                            fake.short_tokens.discard(short)
                            fake.issued += 1
                            token = f"{net.token_prefix or net.prefix}-long-{fake.issued}"
                            fake.long_tokens.add(token)
                    if not spent:
                        return self.answer(400, BAD_TOKEN)
                    return self.answer(200, {"access_token": token, "token_type": "bearer", "expires_in": net.long_lifetime})
                if url.path not in (net.accounts_path, net.profile_path) and url.path not in net.objects:
                    return self.answer(*net.not_found)
                token = self.token(query)
                if url.path == net.profile_path and token in fake.page_tokens:  # a Page's own token answers its Page
                    page = fake.page_tokens[token]
                    profile = {key: page[key] for key in ("id", "name", "username") if key in page}
                    return self.answer(200, selected(dict(profile, followers_count=net.page_followers), query.get("fields")))
                if token not in fake.long_tokens:
                    return self.answer(*net.bad_token)
                refused = self.missing_header(url.path)
                if refused is not None:
                    return self.answer(400, refused)
                if url.path == net.accounts_path:
                    with fake.lock:
                        fake.page_tokens.update({page["access_token"]: page for page in net.pages})
                    return self.answer(*net.accounts(query))
                if url.path == net.profile_path:
                    return self.answer(200, selected(net.profile, query.get("fields")))
                return self.answer(200, selected(net.objects[url.path], query.get("fields")))

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if urlparse(self.path).path != net.token_path:
                    return self.answer(*net.not_found)
                refused = net.refusal(net.code_refused)
                grant_type = body.get("grant_type")
                if (body.get("client_id") != net.client_id or body.get("client_secret") != net.client_secret
                        or (grant_type != "authorization_code" and (net.grant_type_required or grant_type is not None))):
                    return self.answer(400, refused)
                with fake.lock:
                    issued = fake.codes.pop(body.get("code", ""), None)
                verifier = body.get("code_verifier", "").encode()
                challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).decode().rstrip("=")
                if issued is None or issued != (challenge, body.get("redirect_uri")):
                    return self.answer(400, refused)
                with fake.lock:
                    fake.issued += 1
                    if net.exchange_path is None:  # the token kept, with nothing to trade it for
                        token = f"{net.token_prefix or net.prefix}-access-{fake.issued}"
                        fake.long_tokens.add(token)
                    else:
                        token = f"{net.token_prefix or net.prefix}-short-{fake.issued}"
                        fake.short_tokens.add(token)
                return self.answer(200, net.token_answer(token))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
