"""The composer counts as each network does while the user types."""
import os
from pathlib import Path

from playwright.sync_api import expect

from conftest import sign_up

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def test_counters_previews_and_verdict_follow_each_networks_rules(server, browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    sign_up(page, server["base"], "cleo@bakery.example", "croissant dough", "Cleo's Bakery")
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Compose").click()
    expect(page.locator("h1")).to_have_text("Compose")

    # "Fresh bread " 12 + 🥖 2 + " " 1 + URL 23 + " for " 5 + "@ana" 4 = 47 weighted on X.
    page.get_by_label("Text", exact=True).fill("Fresh bread 🥖 https://bakery.com/today/loaves?fresh=1 for @ana")
    expect(page.locator("#tab-x .count")).to_have_text("47 / 280")
    # Without a channel the text fits, but there is nothing to schedule it to yet.
    expect(page.locator("#verdict")).to_have_text("Fits every chosen network. Connect a channel to schedule it.")
    expect(page.locator("#verdict")).to_have_attribute("data-ready", "false")

    page.locator("#tab-x").focus()
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#tab-bluesky")).to_be_focused()
    expect(page.locator("#tab-bluesky")).to_have_attribute("aria-selected", "true")
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

    # Saved as a draft, listed, and opened again with both parts and the X version.
    page.get_by_label("X version (optional)").fill("Starter, then the rise. 🧵")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("h1")).to_have_text("Posts")
    expect(page.locator("#posts li")).to_have_count(1)
    expect(page.locator("#posts")).to_contain_text("First, the starter.")
    expect(page.locator("#posts")).to_contain_text("2 parts")
    page.get_by_role("link", name="Edit").click()
    expect(page.locator("h1")).to_have_text("Edit draft")
    expect(page.get_by_label("Part 2")).to_have_value("Then the long, slow rise.")
    page.locator("#tab-x").click()
    expect(page.get_by_label("X version (optional)")).to_have_value("Starter, then the rise. 🧵")
    expect(page.locator("#tab-x .count")).to_have_text("26 / 280")
    context.close()


def _png(width: int, height: int) -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + bytes([200, 120, 40]) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def test_media_are_checked_from_their_bytes_and_per_network(server, browser):
    context = browser.new_context(viewport={"width": 1100, "height": 1000})
    page = context.new_page()
    sign_up(page, server["base"], "dev@bakery.example", "pain de campagne", "Dev's Bakery")
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Compose").click()
    page.get_by_label("Text", exact=True).fill("Today's bake")

    # A text file dressed as a PNG is refused with the reason.
    page.get_by_label("Image or video file").set_input_files(
        {"name": "bread.png", "mimeType": "image/png", "buffer": b"not really an image"})
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#media-error")).to_contain_text("bread.png is not an image or video Trestle can post")

    # A real PNG is taken; Instagram then says it wants JPEG.
    page.get_by_label("Image or video file").set_input_files(
        {"name": "loaf.png", "mimeType": "image/png", "buffer": _png(1080, 1080)})
    page.get_by_label("Alt text for the new file").fill("A golden loaf on a board")
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#media-list li")).to_have_count(1)
    expect(page.locator("#media-error")).to_be_hidden()
    expect(page.locator("#verdict")).to_have_text("Fits every chosen network. Connect a channel to schedule it.")
    page.get_by_label("Instagram").check()
    expect(page.locator("#verdict")).to_contain_text("Instagram does not take loaf.png (PNG): use JPEG.")
    expect(page.locator("#tab-instagram")).to_have_class("tab over")
    if os.environ.get("TRESTLE_SCREENSHOTS"):
        page.screenshot(path=str(SCREENSHOTS / "composer-media.png"), full_page=True)

    # Saved with the draft, and still attached when the draft is opened again.
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("link", name="Edit").click()
    expect(page.locator("#media-list li")).to_have_count(1)
    expect(page.locator("#media-list .alt")).to_have_value("A golden loaf on a board")
    context.close()
