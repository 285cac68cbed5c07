"""A workspace whose session ends stops reconnecting and sends the user to sign in."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def open_workspace(browser, server, username: str):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    login(page, server, username)
    page.locator(".assignment-card").first.get_by_role("button").click()
    page.wait_for_url(re.compile(r"/conversations/\d+/"))
    expect(page.locator("[data-role=conn-state]")).to_have_attribute(
        "data-state", "connected", timeout=10_000
    )
    return context, page


def test_logging_out_in_another_tab_takes_the_workspace_to_the_login(server, browser, shot):
    context, workspace = open_workspace(browser, server, "student06")
    path = workspace.url.removeprefix(server.url)
    other_tab = context.new_page()
    other_tab.goto(server.url + "/")
    # The nav's log-out form, submitted as its button would (the nav may fold it into a menu).
    other_tab.locator("form[action$='/logout/']").evaluate("form => form.requestSubmit()")
    other_tab.wait_for_url(re.compile(r"/login/"))

    # The server closes the socket with 4401; the page finds its session gone.
    workspace.wait_for_url(re.compile(r"/login/\?next="), timeout=10_000)
    assert workspace.url.endswith("next=" + path.replace("/", "%2F"))
    shot(workspace, "09-signed-out-to-login")
    context.close()


def test_a_refused_reconnect_without_a_session_goes_to_the_login(server, browser):
    context, workspace = open_workspace(browser, server, "student08")
    context.clear_cookies()  # the session is gone, with no logout to announce it
    server.stop()
    expect(workspace.locator("[data-role=conn-state]")).to_have_attribute(
        "data-state", "reconnecting", timeout=10_000
    )
    server.start()
    # Daphne refuses the handshake with HTTP 403; after a few refusals the page checks why.
    workspace.wait_for_url(re.compile(r"/login/\?next="), timeout=30_000)
    context.close()
