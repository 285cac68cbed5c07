"""A restarted server loses nothing: the browser keeps the unsent reply and resumes by seq."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_reply_typed_while_the_server_is_down_is_delivered_once(server, browser, shot):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    login(page, server, "student03")
    page.locator(".assignment-card").first.get_by_role("button").click()
    page.wait_for_url(re.compile(r"/conversations/\d+/"))
    expect(page.locator(".msg-customer")).to_have_count(1, timeout=15_000)

    server.stop()
    expect(page.locator("[data-role=conn-state]")).to_have_attribute(
        "data-state", "reconnecting", timeout=10_000
    )
    page.fill("[data-role=input]", "亲，您好~请问您平时在什么场合穿呢？")
    page.keyboard.press("Enter")
    expect(page.locator(".msg-pending")).to_have_count(1)
    shot(page, "07-workspace-reconnecting")

    server.start()
    expect(page.locator("[data-role=conn-state]")).to_have_attribute(
        "data-state", "connected", timeout=20_000
    )
    expect(page.locator(".msg-pending")).to_have_count(0, timeout=10_000)
    expect(page.locator(".msg-agent")).to_have_count(1)
    # The customer answers the resent reply; nothing is shown twice.
    expect(page.locator(".msg-customer")).to_have_count(2, timeout=15_000)
    seqs = page.locator(".msg[data-seq]").evaluate_all("rows => rows.map(r => r.dataset.seq)")
    assert seqs == [str(n) for n in range(1, len(seqs) + 1)]

    page.reload()
    expect(page.locator(".msg")).to_have_count(3, timeout=10_000)
    context.close()
