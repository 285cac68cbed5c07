"""The lexicon editor in a browser: typing a phrase previews what it catches, adding it keeps it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_instructor_previews_and_adds_a_phrase(server, browser, shot):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    login(page, server, "teacher")
    page.get_by_role("link", name="话术词库").click()
    page.select_option("#id_move", "apologise")
    page.locator("#phrase-form details summary").click()
    page.fill("#id_samples", "亲，让您费心了~\n好的收到")
    page.fill("#id_phrase", "让您费心了")

    expect(page.locator("#preview mark")).to_have_text("让您费心了", timeout=5_000)
    expect(page.locator("#preview .badge-new")).to_have_count(1)
    shot(page, "08-lexicon-preview")
    page.get_by_role("button", name="添加").click()

    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator(".chip", has_text="让您费心了")).to_have_count(1)
    context.close()
