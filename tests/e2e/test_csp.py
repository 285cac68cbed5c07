"""The Content-Security-Policy blocks nothing on the product's own main pages.

Every `securitypolicyviolation` the browser reports (a blocked inline script or style, a
foreign request, a refused socket) is collected per page; there must be none.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.e2e.test_assessment import play_coat_chat

pytestmark = pytest.mark.e2e

LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture
def watched(browser):
    """A new page that records CSP violations, both as events and as console reports."""
    contexts = []

    def open_page():
        context = browser.new_context(locale="zh-CN")
        contexts.append(context)
        context.add_init_script(LISTEN)
        page = context.new_page()
        page.console_reports = []
        page.on(
            "console",
            lambda msg: (
                "Content Security Policy" in msg.text and page.console_reports.append(msg.text)
            ),
        )
        return page

    yield open_page
    for context in contexts:
        context.close()


def violations(page) -> list[str]:
    page.wait_for_load_state("networkidle")
    return page.evaluate("window.__violations") + page.console_reports


def test_no_page_of_a_practice_chat_trips_the_policy(server, watched):
    page = watched()
    seen = {}
    page.goto(server.url + "/login/")
    assert page.evaluate("window.__violations") == []  # the listener is in place
    seen["login"] = violations(page)

    login(page, server, "student21")
    seen["student home"] = violations(page)

    card = page.locator(".assignment-card", has_text="大衣选哪个码").filter(
        has_not=page.locator("[data-mode=exam]")
    )
    card.first.get_by_role("button", name="开始对话").click()
    page.wait_for_url(re.compile(r"/conversations/\d+/"))
    expect(page.locator("[data-role=conn-state]")).to_have_attribute("data-state", "connected")
    play_coat_chat(page)  # the socket, typing, the hints' htmx polling
    expect(page.locator("[data-role=hints] [data-result]")).to_be_visible(timeout=15_000)
    seen["workspace"] = violations(page)

    page.get_by_role("link", name="查看对话记录").click()
    expect(page.locator("#report .criterion").first).to_be_visible()
    page.locator("#report .criterion-head").first.click()  # report.js highlights the evidence
    seen["transcript with report"] = violations(page)

    assert seen == {name: [] for name in seen}


def test_no_teacher_page_trips_the_policy(server, watched):
    page = watched()
    seen = {}
    login(page, server, "teacher")
    seen["teacher home"] = violations(page)

    page.get_by_role("link", name="进入班级").first.click()
    expect(page.locator("h1")).to_be_visible()
    seen["classroom"] = violations(page)

    page.locator("[data-link=gradebook]").click()
    expect(page.locator("h1")).to_contain_text("成绩册")
    seen["grade book"] = violations(page)
    page.locator("[data-pick=latest]").click()  # htmx swaps the grade book in place
    expect(page.locator("[data-pick=latest]")).to_have_attribute("aria-current", "true")
    seen["grade book, latest attempts"] = violations(page)

    page.goto(server.url + "/no-such-page/")
    seen["not found"] = violations(page)

    assert seen == {name: [] for name in seen}


def test_an_inline_script_would_be_reported(server, watched):
    """The listener works: an injected inline script is blocked and counted."""
    page = watched()
    page.goto(server.url + "/login/")

    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
        " document.body.append(s); }"
    )

    assert page.evaluate("window.ran") is None
    assert any("script-src" in v for v in violations(page))
