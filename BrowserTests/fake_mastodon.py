"""A Mastodon instance on loopback, as its API documentation describes the two calls that
connecting an account makes: verify_credentials (bearer token, 401 otherwise) and
/api/v2/instance with the instance's own limits."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeMastodon:
    def __init__(self, token: str, max_characters: int = 500, domain: str = "bakery.example"):
        self.token = token
        self.max_characters = max_characters
        self.domain = domain
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
                if self.path == "/api/v1/accounts/verify_credentials":
                    if self.headers.get("Authorization") != f"Bearer {fake.token}":
                        return self.answer(401, {"error": "The access token is invalid"})
                    return self.answer(200, {"id": "10984", "username": "bakery", "acct": "bakery",
                                             "display_name": "Corner Bakery", "url": f"https://{fake.domain}/@bakery"})
                if self.path == "/api/v2/instance":
                    return self.answer(200, {"domain": fake.domain, "title": "Bakery Social", "configuration": {
                        "statuses": {"max_characters": fake.max_characters, "characters_reserved_per_url": 23}}})
                return self.answer(404, {"error": "Record not found"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
