"""A Mastodon account is connected from the web UI, and the composer then counts the post by
that instance's own limit."""
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from conftest import running_trestle, sign_up
from fake_mastodon import FakeMastodon
from fake_oauth_networks import FakeOAuthNetwork
from fake_x import CLIENT_ID as X_CLIENT_ID, CLIENT_SECRET as X_CLIENT_SECRET, FakeX

SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def test_a_connected_mastodon_channel_counts_by_its_instances_limit(server, browser):
    fake = FakeMastodon(token="pasted-token", max_characters=100)
    try:
        context = browser.new_context(viewport={"width": 1100, "height": 1000})
        page = context.new_page()
        sign_up(page, server["base"], "eva@bakery.example", "baguette tradition", "Eva's Bakery")
        page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Channels").click()
        expect(page.locator("h1")).to_have_text("Channels")
        expect(page.locator("#no-channels")).to_be_visible()

        # A wrong token: the instance's refusal shows on the field; the address stays, the token does not.
        page.get_by_text("Or paste an access token").click()
        page.get_by_label("Instance of the token").fill(fake.url)
        page.get_by_label("Access token").fill("typo-token")
        page.get_by_role("button", name="Connect with the token").click()
        expect(page.locator("#mastodon-accessToken-error")).to_contain_text("refused the access token")
        expect(page.get_by_label("Instance of the token")).to_have_value(fake.url)
        expect(page.get_by_label("Access token")).to_have_value("")

        page.get_by_label("Access token").fill("pasted-token")
        page.get_by_role("button", name="Connect with the token").click()
        expect(page.locator("#channels li")).to_have_count(1)
        expect(page.locator("#channels")).to_contain_text("@bakery@bakery.example")
        expect(page.locator("#channels")).to_contain_text("100 characters a post")
        if os.environ.get("TRESTLE_SCREENSHOTS"):
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "channels.png"), full_page=True)

        # The composer offers the channel, chosen, and counts by the instance's 100.
        page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Compose").click()
        channel = page.get_by_role("checkbox", name="Mastodon @bakery@bakery.example")
        expect(channel).to_be_checked()
        page.get_by_label("Text", exact=True).fill("Rye " * 30)
        tab = page.locator("#tabs .tab").first
        expect(tab).to_contain_text("120 / 100")
        expect(tab).to_have_class("tab over")
        expect(page.locator("#verdict")).to_have_attribute("data-ready", "false")
        expect(page.locator("#verdict")).to_contain_text("Mastodon @bakery@bakery.example — Mastodon allows 100; this is 120.")

        page.get_by_label("Text", exact=True).fill("Rye and spelt today, from 7.")
        expect(tab).to_contain_text("28 / 100")
        expect(page.locator("#verdict")).to_have_text("Ready: fits every chosen channel.")
        expect(page.locator("#verdict")).to_have_attribute("data-ready", "true")
        if os.environ.get("TRESTLE_SCREENSHOTS"):
            page.screenshot(path=str(SCREENSHOTS / "composer-channel.png"), full_page=True)

        # Saved as a draft for the channel, and opened again with it chosen.
        page.get_by_role("button", name="Save draft").click()
        expect(page.locator("h1")).to_have_text("Posts")
        expect(page.locator("#posts")).to_contain_text("for @bakery@bakery.example")
        page.get_by_role("link", name="Edit").click()
        expect(page.get_by_role("checkbox", name="Mastodon @bakery@bakery.example")).to_be_checked()
        context.close()
    finally:
        fake.stop()


def test_a_mastodon_account_connects_by_signing_in_on_its_instance(server, browser):
    fake = FakeMastodon(token="signed-in-token", max_characters=5000, domain="shop.example")
    try:
        context = browser.new_context(viewport={"width": 1100, "height": 900})
        page = context.new_page()
        sign_up(page, server["base"], "finn@bakery.example", "bretzel salted", "Finn's Bakery")
        page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Channels").click()
        page.get_by_label("Instance address").fill(fake.url)
        page.get_by_role("button", name="Sign in on your instance").click()
        # On the instance's own page, the person allows Trestle, and comes back to Channels.
        expect(page.get_by_role("heading")).to_contain_text("wants to use your account")
        page.get_by_role("link", name="Authorize").click()
        expect(page.locator("h1")).to_have_text("Channels")
        expect(page.locator("#channels")).to_contain_text("@bakery@shop.example")
        expect(page.locator("#channels")).to_contain_text("5000 characters a post")
        context.close()
    finally:
        fake.stop()


def test_the_channels_page_offers_x_when_the_operator_set_it_up_and_the_sign_in_lists_the_channel(trestle_binary, browser):
    fake = FakeX()
    try:
        settings = {"TRESTLE_X_CLIENT_ID": X_CLIENT_ID, "TRESTLE_X_CLIENT_SECRET": X_CLIENT_SECRET, "TRESTLE_X_BASE_URL": fake.url}
        with running_trestle(trestle_binary, **settings) as configured:
            context = browser.new_context(viewport={"width": 1100, "height": 900})
            page = context.new_page()
            sign_up(page, configured["base"], "gil@bakery.example", "pain de mie", "Gil's Bakery")
            page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Channels").click()
            card = page.locator("#connect-x")
            expect(card).to_contain_text("Connect an X account")
            expect(page.locator("#x-not-configured")).to_have_count(0)
            card.get_by_role("button", name="Connect with X").click()
            # On X's own page, the person allows Trestle, and comes back to Channels.
            expect(page.get_by_role("heading")).to_contain_text("wants to access your X account")
            page.get_by_role("link", name="Authorize app").click()
            expect(page.locator("h1")).to_have_text("Channels")
            expect(page.locator("#channels")).to_contain_text("@cornerbakery")
            expect(page.locator("#channels")).to_contain_text("280 characters a post")
            context.close()
        with running_trestle(trestle_binary) as bare:
            context = browser.new_context()
            page = context.new_page()
            sign_up(page, bare["base"], "hal@bakery.example", "pain de mie", "Hal's Bakery")
            page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Channels").click()
            expect(page.locator("#x-not-configured")).to_contain_text("Not configured by your operator")
            expect(page.locator("#x-not-configured a")).to_have_attribute("href", "/readme#registering-an-app-with-x")
            context.close()
    finally:
        fake.stop()


# Threads, Instagram, Facebook and LinkedIn sign in alike at the operator's app; what differs is
# each one's card, the network's page, the choice of account Facebook and LinkedIn ask for (the
# accounts offered, one the person may only analyse and is not offered, and the one chosen), and
# the channel listed with its limit.
OAUTH_NETWORKS = [
    pytest.param("threads", "Connect a Threads account", "Connect with Threads", "wants to access your Threads profile",
                 None, ("@cornerbakery", "500 characters a post"), ("ines", "jules"), id="threads"),
    pytest.param("instagram", "Connect an Instagram account", "Connect with Instagram",
                 "wants to access your Instagram professional account", None, ("@cornerbakery", "2200 characters a post"),
                 ("kim", "lou"), id="instagram"),
    pytest.param("facebook", "Connect a Facebook Page", "Connect with Facebook", "Trestle wants to manage your Facebook Pages",
                 (("Corner Bakery", "Corner Café"), "Stats Only", "Corner Café"), ("Corner Café", "63206 characters a post"),
                 ("mia", "ned"), id="facebook"),
    # The member themselves, and the organisation they administer (not the one they only analyse).
    pytest.param("linkedin", "Connect LinkedIn", "Connect with LinkedIn", "would like to access your LinkedIn account",
                 (("Ana Baker", "Corner Bakery"), "Stats Only", "Corner Bakery"), ("Corner Bakery", "3000 characters a post"),
                 ("oda", "pip"), id="linkedin"),
]


@pytest.mark.parametrize("network, title, button, heading, choice, listed, people", OAUTH_NETWORKS)
def test_the_channels_page_offers_an_oauth_network_when_the_operator_set_it_up_and_the_sign_in_lists_the_channel(
        trestle_binary, browser, network, title, button, heading, choice, listed, people):
    fake = FakeOAuthNetwork(network)
    setting = f"TRESTLE_{network.upper()}"
    configured_person, bare_person = people
    try:
        settings = {f"{setting}_CLIENT_ID": fake.client_id, f"{setting}_CLIENT_SECRET": fake.client_secret, f"{setting}_BASE_URL": fake.url}
        with running_trestle(trestle_binary, **settings) as configured:
            context = browser.new_context(viewport={"width": 1100, "height": 900})
            page = context.new_page()
            sign_up(page, configured["base"], f"{configured_person}@bakery.example", "pain de mie", f"{configured_person.title()}'s Bakery")
            page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Channels").click()
            card = page.locator(f"#connect-{network}")
            expect(card).to_contain_text(title)
            expect(page.locator(f"#{network}-not-configured")).to_have_count(0)
            card.get_by_role("button", name=button).click()
            # On the network's own page, the person allows Trestle, and comes back to Channels.
            expect(page.get_by_role("heading")).to_contain_text(heading)
            page.get_by_role("link", name="Allow").click()
            if choice is not None:
                # Where the sign-in can post as several (a person's Pages, a member's organisations), Trestle asks which.
                offered, withheld, chosen = choice
                expect(page.locator("h1")).to_have_text(f"Which {fake.network.name} account?")
                for name in offered:
                    expect(page.locator("#choose-account")).to_contain_text(name)
                expect(page.locator("#choose-account")).not_to_contain_text(withheld)
                page.get_by_label(chosen).check()
                page.get_by_role("button", name="Connect this account").click()
            expect(page.locator("h1")).to_have_text("Channels")
            expect(page.locator("#channels li")).to_have_count(1)
            for text in listed:
                expect(page.locator("#channels")).to_contain_text(text)
            context.close()
        with running_trestle(trestle_binary) as bare:
            context = browser.new_context()
            page = context.new_page()
            sign_up(page, bare["base"], f"{bare_person}@bakery.example", "pain de mie", f"{bare_person.title()}'s Bakery")
            page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Channels").click()
            expect(page.locator(f"#{network}-not-configured")).to_contain_text("Not configured by your operator")
            expect(page.locator(f"#{network}-not-configured a")).to_have_attribute("href", f"/readme#registering-an-app-with-{network}")
            context.close()
    finally:
        fake.stop()
