"""On a phone the editor of every kind of scenario stays as wide as the screen: wide tables
(the order's items) scroll in their own box, the page does not."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_the_editor_of_each_kind_fits_a_390_px_phone(server, browser, shot):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    login(page, server, "teacher")
    for kind in ("售前咨询", "售中核单", "售后投诉"):
        page.goto(f"{server.url}/scenarios/new/")
        page.get_by_text(kind).first.click()
        page.get_by_role("button", name="创建并编辑").click()
        expect(page.locator("h1")).to_have_text("编辑情景")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, kind
    items = page.locator(".items-table")
    items.scroll_into_view_if_needed()
    # The table itself is wider than the phone and scrolls sideways in its box.
    assert items.evaluate("t => t.parentElement.scrollWidth > t.parentElement.clientWidth")
    shot(page, "44-editor-order-items-390")
    context.close()
