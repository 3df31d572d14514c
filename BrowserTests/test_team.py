"""A small business signs up, invites a colleague, and both see the team — in a real browser."""
import json
import os
import subprocess
import urllib.request
from pathlib import Path

from playwright.sync_api import expect

from conftest import sign_up

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def test_sign_up_log_in_create_workspace_invite_and_accept(server, browser):
    base = server["base"]
    owner = browser.new_context(viewport={"width": 1100, "height": 720})
    page = owner.new_page()

    # Sign up: the first user of a new workspace is its owner.
    sign_up(page, base, "ana@cornerbakery.example", "sourdough starter", "Corner Bakery")

    # Log out and back in.
    page.get_by_role("button", name="Log out").click()
    expect(page.locator("h1")).to_have_text("Log in to Trestle")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_label("Email").fill("ana@cornerbakery.example")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("do not match an account")
    page.get_by_label("Password").fill("sourdough starter")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("h1")).to_have_text("Corner Bakery")

    # Create a second workspace from the switcher.
    page.locator(".switcher summary").click()
    page.get_by_role("link", name="+ New workspace").click()
    page.get_by_label("Name").fill("Bakery Events")
    page.get_by_role("button", name="Create workspace").click()
    expect(page.locator("h1")).to_have_text("Bakery Events")

    # Invite by link.
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Settings").click()
    page.get_by_role("button", name="Create invitation link").click()
    link = page.locator("#invitation-url").input_value()
    assert "/invitations/inv_" in link

    # A colleague opens the link in another browser and signs up to join.
    colleague = browser.new_context()
    other = colleague.new_page()
    other.goto(link)
    expect(other.locator("h1")).to_have_text("Join Bakery Events")
    other.get_by_role("link", name="Create an account and join").click()
    other.get_by_label("Email").fill("ben@cornerbakery.example")
    other.get_by_label("Password").fill("rye and caraway")
    other.get_by_role("button", name="Sign up").click()
    expect(other.locator("h1")).to_have_text("Bakery Events")
    expect(other.locator("#members")).to_contain_text("ana@cornerbakery.example")
    expect(other.locator("#members")).to_contain_text("ben@cornerbakery.example")

    # The link is used up.
    third = browser.new_context().new_page()
    third.goto(link)
    expect(third.locator("h1")).to_have_text("This link cannot be used")

    # The owner sees both members too.
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Dashboard").click()
    expect(page.locator("#members li")).to_have_count(2)
    expect(page.locator("#members")).to_contain_text("ben@cornerbakery.example")
    if os.environ.get("TRESTLE_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "dashboard.png"))
    owner.close()
    colleague.close()


def test_command_line_user_and_token_work_with_the_api(server):
    run = lambda *args: subprocess.run(
        [str(server["binary"]), *args], env=server["env"], capture_output=True, text=True, check=True
    )
    run("user", "create", "--email", "cli@example.com", "--password", "long enough", "--workspace", "Scripts")
    token = run("token", "create", "--email", "cli@example.com", "--name", "cron").stdout.strip()
    assert token.startswith("trs_") and "\n" not in token
    request = urllib.request.Request(server["base"] + "/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    me = json.load(urllib.request.urlopen(request))
    assert me["user"]["email"] == "cli@example.com"
    assert [w["name"] for w in me["workspaces"]] == ["Scripts"]
    assert me["workspaces"][0]["role"] == "owner"


def test_openapi_document_is_valid_openapi_3_1(server):
    from openapi_spec_validator import validate

    document = json.load(urllib.request.urlopen(server["base"] + "/api/v1/openapi.json"))
    assert document["openapi"].startswith("3.1")
    validate(document)
