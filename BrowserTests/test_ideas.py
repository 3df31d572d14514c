"""The ideas board in a real browser: an idea is added, voted for and dragged to another column."""
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import running_trestle, sign_up

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


@pytest.fixture(scope="module")
def ideas_server(trestle_binary):
    """A Trestle of the board's own, with its own sign-up allowance."""
    with running_trestle(trestle_binary) as running:
        yield running


def test_an_idea_is_added_voted_for_and_dragged_to_another_column(ideas_server, browser):
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    sign_up(page, ideas_server["base"], "iris@bakery.example", "poppy seed roll", "Iris's Bakery")
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Ideas").click()
    expect(page.locator("h1")).to_have_text("Ideas")

    page.get_by_label("The idea, in one line").fill("Christmas stollen countdown")
    page.get_by_label("A note").fill("One photo a day of the stollen resting.")
    page.get_by_role("button", name="Add the idea").click()
    new = page.locator(".idea-column", has=page.get_by_role("heading", name="New"))
    card = new.locator(".idea", has_text="Christmas stollen countdown")
    expect(card).to_contain_text("0 votes")

    card.get_by_role("button", name="Vote for Christmas stollen countdown").click()
    card = page.locator(".idea", has_text="Christmas stollen countdown")
    expect(card).to_contain_text("1 vote — iris@bakery.example")

    worth = page.locator(".idea-column", has=page.get_by_role("heading", name="Worth doing"))
    card.drag_to(worth)
    expect(worth.locator(".idea")).to_contain_text("Christmas stollen countdown")
    expect(page.locator(".idea-column", has=page.get_by_role("heading", name="New")).locator(".idea")).to_have_count(0)
    if os.environ.get("TRESTLE_SCREENSHOTS"):
        page.screenshot(path=str(SCREENSHOTS / "ideas.png"), full_page=True)

    page.get_by_role("button", name="Make a draft of Christmas stollen countdown").click()
    expect(page.get_by_label("Text", exact=True)).to_have_value("Christmas stollen countdown\n\nOne photo a day of the stollen resting.")
    context.close()
