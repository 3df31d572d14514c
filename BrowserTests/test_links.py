"""A shop makes a short link on the Links page and pastes the tracking line into its own site; a
visitor comes through the link, looks around, and buys; the sale appears beside the link with
its revenue. The shop's site is a small server on loopback; the visitor is headless Chromium."""
import re
import threading
from pathlib import Path
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from conftest import running_trestle, sign_up

# Headless Chromium says so in its User-Agent, which Trestle rightly counts as a fetcher.
SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
VISITOR = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"


class Shop:
    """The shop's own site: a landing page and a thank-you page, both carrying the tracking line."""

    def __init__(self):
        self.script = ""
        shop = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                if self.path.startswith("/landing"):
                    body = f"<!doctype html><title>Cakes</title>{shop.script}<h1>Our cakes</h1><a href='/thanks'>Buy</a>"
                elif self.path.startswith("/thanks"):
                    body = (f"<!doctype html><title>Thank you</title>{shop.script}<h1>Thank you</h1>"
                            "<script>addEventListener('load', function () {"
                            " trestle.sale({orderId: 'T-1001', value: 9.5, currency: 'EUR'});"
                            " document.title = 'reported'; });</script>")
                else:
                    self.send_response(404)
                    self.end_headers()
                    return
                data = body.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def links_server(trestle_binary):
    with running_trestle(trestle_binary) as running:
        yield running


def test_a_sale_on_the_shops_site_counts_for_the_link_the_visitor_came_through(links_server, browser):
    server = links_server
    shop = Shop()
    try:
        owner = browser.new_page()
        base = server["base"]
        sign_up(owner, base, "links@shop.example", "correct horse 1", "Cake Shop")
        owner.get_by_role("link", name="Links").click()
        owner.get_by_label("Address").fill(shop.base + "/landing")
        owner.get_by_label("Campaign").fill("Cakes")
        owner.get_by_role("button", name="Make short link").click()
        short = owner.locator("#new-short-url").input_value()
        assert re.fullmatch(re.escape(base) + r"/l/[A-Za-z0-9]{8}", short), short
        shop.script = owner.locator("#tracking-script").input_value()
        assert 'data-key="pk_' in shop.script

        context = browser.new_context(user_agent=VISITOR)
        visitor = context.new_page()
        visitor.goto(short)
        expect(visitor.locator("h1")).to_have_text("Our cakes")
        assert "utm_campaign=Cakes" in visitor.url and "tc=" in visitor.url, visitor.url
        # The click id is kept by the shop's own page, so the sale on a later page still carries it.
        visitor.get_by_role("link", name="Buy").click()
        expect(visitor).to_have_title("reported")
        context.close()

        for _ in range(20):
            owner.goto(base + owner.url.split(base)[1].split("?")[0])
            if "EUR 9.50" in owner.locator("#links").inner_text():
                break
            owner.wait_for_timeout(300)
        row = owner.locator("#links tbody tr").first
        expect(row).to_contain_text("EUR 9.50")
        cells = row.locator("td").all_inner_texts()
        assert cells[2:7] == ["1", "1", "0", "0", "1"], cells  # clicks, people, previews, leads, sales
        owner.set_viewport_size({"width": 1100, "height": 900})
        owner.screenshot(path=str(SCREENSHOTS / "links.png"), full_page=True)
    finally:
        shop.stop()
