"""A post written in the composer goes out: "Post now" hands it to the worker of the running
server, and the post's page shows it published with a link to it on the instance."""
import os
from pathlib import Path

from playwright.sync_api import expect

from conftest import sign_up, wait_until_published
from fake_mastodon import FakeMastodon

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def test_post_now_from_the_composer_is_published_by_the_worker(server, browser):
    fake = FakeMastodon(token="post-token")
    try:
        context = browser.new_context(viewport={"width": 1100, "height": 900})
        page = context.new_page()
        sign_up(page, server["base"], "gus@bakery.example", "pumpernickel dark", "Gus's Bakery")
        page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Channels").click()
        page.get_by_text("Or paste an access token").click()
        page.get_by_label("Instance of the token").fill(fake.url)
        page.get_by_label("Access token").fill("post-token")
        page.get_by_role("button", name="Connect with the token").click()
        expect(page.locator("#channels li")).to_have_count(1)

        page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Compose").click()
        page.get_by_label("Text", exact=True).fill("Fresh pretzels until noon.")
        expect(page.locator("#verdict")).to_have_text("Ready: fits every chosen channel.")
        page.get_by_role("button", name="Post now").click()
        expect(page.locator("#deliveries")).to_contain_text("@bakery@bakery.example")

        wait_until_published(page)
        expect(page.get_by_role("link", name="View post")).to_have_attribute("href", "https://bakery.example/@bakery/110000")
        assert [status["text"] for status in fake.statuses] == ["Fresh pretzels until noon."]
        if os.environ.get("TRESTLE_SCREENSHOTS"):
            page.screenshot(path=str(SCREENSHOTS / "post-published.png"), full_page=True)
        context.close()
    finally:
        fake.stop()


def test_a_scheduled_post_is_on_the_calendar_and_can_be_dragged_to_another_day(server, browser):
    import datetime

    fake = FakeMastodon(token="calendar-token")
    try:
        context = browser.new_context(viewport={"width": 1300, "height": 900}, timezone_id="Europe/Berlin")
        page = context.new_page()
        sign_up(page, server["base"], "hal@bakery.example", "challah braided", "Hal's Bakery")
        page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Channels").click()
        page.get_by_text("Or paste an access token").click()
        page.get_by_label("Instance of the token").fill(fake.url)
        page.get_by_label("Access token").fill("calendar-token")
        page.get_by_role("button", name="Connect with the token").click()
        expect(page.locator("#channels li")).to_have_count(1)

        # Tuesday of next week, 09:30 in the browser's zone.
        today = datetime.date.today()
        tuesday = today + datetime.timedelta(days=7 - today.weekday() + 1)
        page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Compose").click()
        page.get_by_label("Text", exact=True).fill("Challah for the weekend.")
        page.locator("#schedule-at").fill(f"{tuesday.isoformat()}T09:30")
        page.get_by_role("button", name="Schedule").click()
        expect(page.locator("#deliveries")).to_contain_text("scheduled")

        page.goto(server["base"] + page.url.split(server["base"])[1].split("/posts/")[0] + f"/calendar?date={tuesday.isoformat()}")
        day = page.locator(f'[data-day="{tuesday.isoformat()}"]')
        expect(day).to_contain_text("09:30 Challah for the weekend.")
        if os.environ.get("TRESTLE_SCREENSHOTS"):
            page.screenshot(path=str(SCREENSHOTS / "calendar.png"), full_page=True)

        thursday = tuesday + datetime.timedelta(days=2)
        day.locator(".calendar-item").drag_to(page.locator(f'[data-day="{thursday.isoformat()}"]'))
        expect(page.locator(f'[data-day="{thursday.isoformat()}"]')).to_contain_text("09:30 Challah for the weekend.")
        expect(page.locator(f'[data-day="{tuesday.isoformat()}"]')).not_to_contain_text("Challah")
        context.close()
    finally:
        fake.stop()
