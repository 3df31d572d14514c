"""A fresh install adds a Site channel, posts to it with "Post now", and the worker of the
running server puts the post on the site's public page and in its feeds."""
import json
import os
import urllib.request
from pathlib import Path

from playwright.sync_api import expect

from conftest import sign_up, wait_until_published

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def test_a_post_to_a_new_site_is_on_its_page_and_in_its_feed(server, browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    sign_up(page, server["base"], "ida@bakery.example", "sourdough starter", "Ida's Bakery")
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Channels").click()
    page.get_by_label("Name", exact=True).fill("Ida's Bakery")
    page.get_by_role("button", name="Add the Site").click()
    expect(page.locator("#channels li")).to_have_count(1)
    expect(page.get_by_role("link", name="Open the page")).to_have_attribute("href", "/s/ida-s-bakery")

    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Compose").click()
    page.get_by_label("Text", exact=True).fill("Sourdough is back on Saturday. Ask @ida@bakery.example #bread https://bakery.com/sourdough")
    page.get_by_role("button", name="Post now").click()
    expect(page.locator("#deliveries")).to_contain_text("/s/ida-s-bakery")
    wait_until_published(page)

    # The public page, as a visitor on a phone sees it.
    visitor = browser.new_context(viewport={"width": 390, "height": 760})
    site = visitor.new_page()
    site.goto(server["base"] + "/s/ida-s-bakery")
    expect(site.locator("h1")).to_have_text("Ida's Bakery")
    entry = site.locator("article.site-entry")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("Sourdough is back on Saturday.")
    expect(entry.get_by_role("link", name="@ida@bakery.example")).to_have_attribute("href", "https://bakery.example/@ida")
    expect(entry.get_by_role("link", name="https://bakery.com/sourdough")).to_have_attribute("rel", "nofollow ugc noopener")
    assert site.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "nothing scrolls sideways on a phone"
    if os.environ.get("TRESTLE_SCREENSHOTS"):
        site.screenshot(path=str(SCREENSHOTS / "site.png"), full_page=True)

    with urllib.request.urlopen(server["base"] + "/s/ida-s-bakery/feed.json") as answer:
        assert answer.headers["Content-Type"].startswith("application/feed+json")
        feed = json.load(answer)
    assert [item["content_text"] for item in feed["items"]] == [
        "Sourdough is back on Saturday. Ask @ida@bakery.example #bread https://bakery.com/sourdough"
    ]
    visitor.close()
    context.close()
