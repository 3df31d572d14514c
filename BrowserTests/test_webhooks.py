"""A shop adds a webhook in Settings, copies its secret (shown once), posts, and its own endpoint
receives the signed `delivery.published` event; the webhook's log on the page shows the call."""
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from playwright.sync_api import expect

from conftest import sign_up
from fake_mastodon import FakeMastodon


class Receiver:
    """Someone's webhook endpoint on loopback: records each call, answers 204."""

    def __init__(self):
        self.calls = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.calls.append((dict(self.headers), body))
                self.send_response(204)
                self.end_headers()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/hooks/trestle" % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def test_a_webhook_added_in_settings_receives_the_signed_publication(server, browser):
    fake = FakeMastodon(token="hook-token")
    receiver = Receiver()
    try:
        context = browser.new_context(viewport={"width": 1100, "height": 900})
        page = context.new_page()
        sign_up(page, server["base"], "hana@bakery.example", "poppy seed roll", "Hana's Bakery")
        page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Settings").click()
        page.get_by_role("link", name="Manage webhooks").click()
        expect(page.locator("h1")).to_have_text("Webhooks")
        page.get_by_label("Address").fill(receiver.url)
        page.get_by_role("button", name="Add webhook").click()
        secret = page.locator("#new-secret").input_value()
        assert secret.startswith("whsec_")
        page.goto(page.url)  # a fresh GET: a reload would send the form again
        expect(page.locator("#new-secret")).to_have_count(0)
        assert secret not in page.content()
        expect(page.locator("article.webhook")).to_contain_text("Nothing sent yet.")

        page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Channels").click()
        page.get_by_text("Or paste an access token").click()
        page.get_by_label("Instance of the token").fill(fake.url)
        page.get_by_label("Access token").fill("hook-token")
        page.get_by_role("button", name="Connect with the token").click()
        expect(page.locator("#channels li")).to_have_count(1)
        page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Compose").click()
        page.get_by_label("Text", exact=True).fill("Poppy seed rolls are back.")
        page.get_by_role("button", name="Post now").click()
        expect(page.locator("#deliveries")).to_contain_text("@bakery@bakery.example")

        # The server's worker publishes, then calls the webhook.
        for _ in range(60):
            if receiver.calls:
                break
            page.wait_for_timeout(500)
        assert len(receiver.calls) == 1
        headers, body = receiver.calls[0]
        assert headers["Content-Type"] == "application/json"
        fields = dict(part.split("=", 1) for part in headers["Trestle-Signature"].split(","))
        expected = hmac.new(secret.encode(), fields["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(fields["v1"], expected)
        event = json.loads(body)
        assert event["type"] == "delivery.published"
        assert event["data"]["delivery"]["state"] == "published"
        assert event["data"]["delivery"]["remoteURL"] == "https://bakery.example/@bakery/110000"

        page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Settings").click()
        page.get_by_role("link", name="Manage webhooks").click()
        expect(page.locator("article.webhook table")).to_contain_text("delivery.published")
        expect(page.locator("article.webhook table")).to_contain_text("HTTP 204")
        page.get_by_role("button", name="Delete the webhook to " + receiver.url).click()
        expect(page.get_by_text("No webhooks yet.")).to_be_visible()
        context.close()
    finally:
        receiver.stop()
        fake.stop()
