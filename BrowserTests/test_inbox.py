"""The inbox in a real browser: an open inbox page shows what comes in without a reload — an
item kept by another process (as a separate `trestle worker` keeps it), and a mention said on
the (fake) Mastodon instance, read by the running server's worker — and is worked with the
keyboard (j, e, r) and answered from a saved reply.

The server here polls inboxes every 5 seconds (TRESTLE_INBOX_POLL_SECONDS=5)."""
import os
import sqlite3
import time
import uuid
from html import escape
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import running_trestle, sign_up
from fake_mastodon import FakeMastodon

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


@pytest.fixture(scope="module")
def inbox_server(trestle_binary):
    with running_trestle(trestle_binary, TRESTLE_INBOX_POLL_SECONDS="5") as running:
        yield running


def connect(page, base: str, fake: FakeMastodon, token: str) -> None:
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Channels").click()
    page.get_by_text("Or paste an access token").click()
    page.get_by_label("Instance of the token").fill(fake.url)
    page.get_by_label("Access token").fill(token)
    page.get_by_role("button", name="Connect with the token").click()
    expect(page.locator("#channels li")).to_have_count(1)


def open_inbox(page) -> None:
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Inbox").click()
    expect(page.locator("h1")).to_have_text("Inbox")
    # A mark that a reload would wipe: what shows later came without one.
    page.evaluate("window.notReloaded = true")


def still_the_same_page(page) -> bool:
    return page.evaluate("window.notReloaded === true")


class KeptItems:
    """Writes inbox items straight into the server's SQLite file, as another process (a
    `trestle worker` that heard them) does; the columns' encodings are read off the rows the
    server wrote itself, so they match whatever the driver stores."""

    def __init__(self, data_dir: str, channel_handle: str):
        self.db = sqlite3.connect(os.path.join(data_dir, "trestle.sqlite"), timeout=30)
        row = self.db.execute("SELECT id, workspace_id, handle, network, created_at FROM channels WHERE handle = ?", (channel_handle,)).fetchone()
        assert row, f"no channel {channel_handle}"
        self.channel, self.workspace, self.handle, self.network, created = row
        self.binary_ids = isinstance(self.channel, bytes)
        self.date_is_number = isinstance(created, (int, float))
        self.count = 0

    def new_id(self):
        made = uuid.uuid4()
        return made.bytes if self.binary_ids else str(made).upper() if str(self.channel).isupper() else str(made)

    def date(self, seconds_ago: float):
        moment = time.time() - seconds_ago
        if self.date_is_number:
            return moment
        return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(moment))

    def channel_key(self) -> str:
        return str(uuid.UUID(bytes=self.channel)) if self.binary_ids else str(self.channel).lower()

    def keep(self, text: str, name: str = "Mia Baker", handle: str = "mia@town.example", kind: str = "mention",
             seconds_ago: float = 0, read: bool = False) -> None:
        self.count += 1
        remote = f"kept-{self.count}-{uuid.uuid4().hex[:8]}"
        user = handle.split("@")[0]
        self.db.execute(
            """INSERT INTO inbox_items (id, workspace_id, channel_id, channel_handle, network, dedupe_key, kind, private, remote_id,
               remote_url, author_name, author_handle, author_url, text, html, said_at, received_at, state, read_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (self.new_id(), self.workspace, self.channel, self.handle, self.network, f"{self.channel_key()}:{remote}", kind,
             1 if kind == "message" else 0, remote, f"https://town.example/@{user}/{remote}", name, handle,
             f"https://town.example/@{user}", text, "<p>" + escape(text) + "</p>", self.date(seconds_ago), self.date(0), "open",
             self.date(0) if read else None),
        )
        self.db.commit()

    def set_state(self, text: str, state: str) -> None:
        self.db.execute("UPDATE inbox_items SET state = ? WHERE text = ?", (state, text))
        self.db.commit()

    def state_of(self, text: str) -> str:
        return self.db.execute("SELECT state FROM inbox_items WHERE text = ?", (text,)).fetchone()[0]

    def close(self) -> None:
        self.db.close()


def test_an_item_kept_by_another_process_shows_in_the_open_inbox_and_is_worked_with_keys(inbox_server, browser):
    base = inbox_server["base"]
    fake = FakeMastodon(token="inbox-token")
    try:
        context = browser.new_context(viewport={"width": 1100, "height": 900}, timezone_id="Europe/Berlin")
        page = context.new_page()
        sign_up(page, base, "ina@bakery.example", "rye and caraway", "Ina's Bakery")
        connect(page, base, fake, "inbox-token")
        open_inbox(page)
        expect(page.locator("#inbox-empty")).to_contain_text("All caught up")
        expect(page.locator("#inbox-unread")).to_be_hidden()

        kept = KeptItems(inbox_server["data"], "@bakery@bakery.example")
        kept.keep("Are the cinnamon buns vegan?", name="Leo Park", handle="leo@town.example")
        # Within the page's look at the database (2 s), without a reload.
        expect(page.locator(".inbox-item")).to_have_count(1, timeout=15_000)
        expect(page.locator(".inbox-item")).to_contain_text("Are the cinnamon buns vegan?")
        expect(page.locator("#inbox-unread-count")).to_have_text("1")
        assert still_the_same_page(page)

        page.keyboard.press("j")
        expect(page.locator(".inbox-item").first).to_be_focused()
        page.keyboard.press("e")
        expect(page.locator(".inbox-item")).to_have_count(0)
        expect(page.locator("#inbox-unread")).to_be_hidden()
        assert kept.state_of("Are the cinnamon buns vegan?") == "done"
        assert still_the_same_page(page)

        # Typing in a field is typing, not a shortcut.
        page.get_by_label("Channel").focus()
        page.keyboard.press("e")
        assert still_the_same_page(page)

        # The done one is under "Done", and can be opened again without JavaScript's help.
        page.get_by_label("State").select_option("done")
        page.get_by_role("button", name="Show").click()
        expect(page).to_have_url(f"{page.url.split('?')[0]}?state=done")
        expect(page.locator(".inbox-item")).to_contain_text("Are the cinnamon buns vegan?")

        # r opens the focused item's reply box, which a saved reply fills.
        page.get_by_role("link", name="Saved replies").click()
        page.get_by_label("Name").fill("Vegan")
        page.get_by_label("Text").fill("Yes: the cinnamon buns are made without butter or eggs.")
        page.get_by_role("button", name="Save the reply").click()
        expect(page.locator("#saved-replies")).to_contain_text("Vegan")
        open_inbox(page)
        kept.keep("Which of your breads are vegan?", name="Leo Park", handle="leo@town.example")
        expect(page.locator(".inbox-item")).to_have_count(1, timeout=15_000)
        page.keyboard.press("j")
        page.keyboard.press("r")
        answer = page.get_by_label("Your answer")
        expect(answer).to_be_focused()
        # Counted as Mastodon counts what is sent: "@leo " put first so Leo sees it, then the text.
        expect(page.locator("#reply-counter")).to_have_text("5 / 500")
        page.get_by_label("Start from a saved reply").select_option(label="Vegan")
        expect(answer).to_have_value("Yes: the cinnamon buns are made without butter or eggs.")
        expect(page.locator("#reply-counter")).to_have_text("60 / 500")
        expect(page.get_by_label("Mark done after sending")).to_be_checked()
        kept.set_state("Which of your breads are vegan?", "done")

        if os.environ.get("TRESTLE_SCREENSHOTS"):
            open_inbox(page)
            kept.keep("Do you deliver to Hill Street on Saturdays?", name="Ana Silva", handle="ana@town.example", kind="reply", seconds_ago=3600)
            kept.keep("Loved the sourdough workshop! @bakery when is the next one?", name="Sam Ortiz", handle="sam@social.example",
                      kind="mention", seconds_ago=1800, read=True)
            kept.keep("Can I order a birthday cake for 20 people for next Friday?", name="Noor Haddad", handle="noor@town.example",
                      kind="message", seconds_ago=600)
            kept.keep("Best pretzels in town, no contest.", name="Jo Weber", handle="jo@bakery.example", kind="quote", seconds_ago=60)
            expect(page.locator(".inbox-item")).to_have_count(4, timeout=15_000)
            page.keyboard.press("j")
            page.screenshot(path=str(SCREENSHOTS / "inbox.png"), full_page=True)
            phone = browser.new_context(viewport={"width": 390, "height": 844}, storage_state=context.storage_state())
            small = phone.new_page()
            small.goto(page.url)
            expect(small.locator(".inbox-item")).to_have_count(4)
            assert small.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "nothing scrolls sideways on a phone"
            small.screenshot(path=str(SCREENSHOTS / "inbox-phone.png"), full_page=True)
            if os.environ.get("TRESTLE_SCREENSHOT_ITEM"):
                small.locator(".inbox-item").nth(1).get_by_role("link", name="Open and answer").click()
                small.screenshot(path=os.environ["TRESTLE_SCREENSHOT_ITEM"] + "-phone.png", full_page=True)
                page.locator(".inbox-item").nth(1).get_by_role("link", name="Open and answer").click()
                page.screenshot(path=os.environ["TRESTLE_SCREENSHOT_ITEM"] + ".png", full_page=True)
            phone.close()
        kept.close()
        context.close()
    finally:
        fake.stop()


def test_a_mention_on_the_network_reaches_the_open_inbox_and_is_answered_with_a_saved_reply(inbox_server, browser):
    base = inbox_server["base"]
    fake = FakeMastodon(token="mention-token")
    try:
        context = browser.new_context(viewport={"width": 1100, "height": 900})
        page = context.new_page()
        sign_up(page, base, "max@bakery.example", "poppy seed roll", "Max's Bakery")
        connect(page, base, fake, "mention-token")

        open_inbox(page)
        page.get_by_role("link", name="Saved replies").click()
        page.get_by_label("Name").fill("Opening hours")
        page.get_by_label("Text").fill("We are open every day from 7 to 18.")
        page.get_by_role("button", name="Save the reply").click()
        expect(page.locator("#saved-replies")).to_contain_text("Opening hours")

        open_inbox(page)
        first = fake.add_mention("Is the bakery open on Sunday?", username="mia", display_name="Mia Baker")
        # The worker gives the new channel its reader within its upkeep round, then polls every 5 s
        # (and listens to the streaming API, which this fake does not offer).
        deadline = time.time() + 45
        while fake.notification_reads == 0 and time.time() < deadline:
            time.sleep(0.5)
        assert fake.notification_reads > 0, "the worker never asked the instance for its notifications"
        expect(page.locator(".inbox-item")).to_have_count(1, timeout=30_000)
        expect(page.locator(".inbox-item")).to_contain_text("Is the bakery open on Sunday?")
        expect(page.locator(".inbox-item")).to_contain_text("Mia Baker")
        assert still_the_same_page(page), "it came without a reload"

        page.keyboard.press("j")
        page.keyboard.press("e")
        expect(page.locator(".inbox-item")).to_have_count(0)

        second = fake.add_mention("And do you have rye bread?", username="leo", display_name="Leo Park")
        expect(page.locator(".inbox-item")).to_have_count(1, timeout=30_000)
        page.keyboard.press("j")
        page.keyboard.press("r")
        expect(page.get_by_label("Your answer")).to_be_focused()
        page.get_by_label("Start from a saved reply").select_option(label="Opening hours")
        expect(page.get_by_label("Your answer")).to_have_value("We are open every day from 7 to 18.")
        expect(page.locator("#reply-counter")).to_contain_text("/ 500")
        expect(page.get_by_label("Mark done after sending")).to_be_checked()
        page.get_by_role("button", name="Send answer").click()
        expect(page.locator("#answers")).to_contain_text("We are open every day from 7 to 18.")
        expect(page.locator("#item-state")).to_have_text("done")
        for _ in range(30):
            if page.locator("#answers .state-published").count():
                break
            page.wait_for_timeout(500)
            page.reload()
        expect(page.locator("#answers .state-published")).to_have_count(1)
        if os.environ.get("TRESTLE_SCREENSHOTS"):
            page.screenshot(path=str(SCREENSHOTS / "inbox-item.png"), full_page=True)
        answers = [status for status in fake.statuses if status["in_reply_to_id"] == second["status"]["id"]]
        assert len(answers) == 1 and "We are open every day from 7 to 18." in answers[0]["text"]
        assert first["status"]["id"] not in [status["in_reply_to_id"] for status in fake.statuses]
        context.close()
    finally:
        fake.stop()
