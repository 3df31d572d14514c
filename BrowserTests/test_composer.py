"""The composer counts as each network does while the user types."""
import os
from pathlib import Path

from playwright.sync_api import expect

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def test_counters_previews_and_verdict_follow_each_networks_rules(server, browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.goto(server["base"] + "/signup")
    page.get_by_label("Email").fill("cleo@bakery.example")
    page.get_by_label("Password").fill("croissant dough")
    page.get_by_label("Workspace name").fill("Cleo's Bakery")
    page.get_by_role("button", name="Sign up").click()
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Compose").click()
    expect(page.locator("h1")).to_have_text("Compose")

    # "Fresh bread " 12 + 🥖 2 + " " 1 + URL 23 + " for " 5 + "@ana" 4 = 47 weighted on X.
    page.get_by_label("Text", exact=True).fill("Fresh bread 🥖 https://bakery.com/today/loaves?fresh=1 for @ana")
    expect(page.locator("#tab-x .count")).to_have_text("47 / 280")
    expect(page.locator("#verdict")).to_have_text("Ready: fits every chosen network.")
    expect(page.locator("#verdict")).to_have_attribute("data-ready", "true")

    page.locator("#tab-bluesky").click()
    link = page.locator("#panel-bluesky .preview mark.link")
    expect(link).to_have_text("https://bakery.com/today/loaves?fresh=1")
    expect(page.locator("#panel-bluesky")).to_be_visible()
    expect(page.locator("#panel-x")).to_be_hidden()
    if os.environ.get("TRESTLE_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "composer.png"), full_page=True)

    # Past X's limit: the X counter turns red and scheduling is refused with the reason.
    page.get_by_label("Text", exact=True).fill("Our week in bread. " + "Rye, spelt and wheat. " * 14)
    expect(page.locator("#tab-x")).to_have_class("tab over")
    expect(page.locator("#verdict")).to_have_attribute("data-ready", "false")
    expect(page.locator("#verdict")).to_contain_text("Not ready to schedule: X — X allows 280")
    expect(page.locator("#tab-mastodon")).not_to_have_class("tab over")

    # A thread: each part is counted on its own where the network has threads.
    page.get_by_label("Text", exact=True).fill("First, the starter.")
    page.get_by_role("button", name="+ Add a part to make a thread").click()
    page.get_by_label("Part 2").fill("Then the long, slow rise.")
    expect(page.locator("#tab-x .count")).to_have_text("2 parts · 25 / 280")
    expect(page.locator("#thread-note")).to_be_visible()
    page.locator("#tab-x").click()
    expect(page.locator("#panel-x .preview")).to_have_count(2)

    # Saved as a draft, listed, and opened again with both parts.
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("h1")).to_have_text("Drafts")
    expect(page.locator("#drafts li")).to_have_count(1)
    expect(page.locator("#drafts")).to_contain_text("First, the starter.")
    expect(page.locator("#drafts")).to_contain_text("2 parts")
    page.get_by_role("link", name="Edit").click()
    expect(page.locator("h1")).to_have_text("Edit draft")
    expect(page.get_by_label("Part 2")).to_have_value("Then the long, slow rise.")
    expect(page.locator("#tab-x .count")).to_have_text("2 parts · 25 / 280")
    context.close()
