"""A server whose SITE_ORIGINS does not name the address its pages are opened at refuses every
page's socket: the page says so and what to do, instead of "reconnecting" for ever, and the
server's log names the refused origin."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import Server, demo_server, login

pytestmark = pytest.mark.e2e


@pytest.fixture
def misconfigured_server(tmp_path) -> Server:
    """Served on 127.0.0.1:<port>, but configured for another port."""
    own = demo_server(tmp_path, SITE_ORIGINS="http://127.0.0.1:1")
    own.start()
    yield own
    own.stop()


def test_a_refused_socket_is_explained_on_the_page_and_in_the_log(
    misconfigured_server, browser, shot
):
    server = misconfigured_server
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    login(page, server, "student07")
    page.locator(".assignment-card").first.get_by_role("button").click()
    page.wait_for_url(re.compile(r"/conversations/\d+/"))

    banner = page.locator("#socket-refused")
    expect(banner).to_be_visible(timeout=20_000)
    expect(banner).to_contain_text("服务器拒绝了本页的实时连接")
    expect(banner).to_contain_text("SITE_ORIGINS")
    assert "/login/" not in page.url  # the session is fine: no trip to the login
    shot(page, "53-socket-refused-390")
    log = Path(server.env["SQLITE_PATH"]).with_suffix(".log").read_text()
    assert f"Origin {server.url} is not one of SITE_ORIGINS http://127.0.0.1:1" in log
    context.close()
