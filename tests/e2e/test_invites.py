"""A student invites a classmate to role-play, through a real Daphne: the invitation appears on
the classmate's home without a reload, they accept into the customer seat, and the inviter's
home leads into the chat; screenshots at 1440 and 390 px."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/invite-shots")  # noqa: S108 (where the lead looks at them)
INVITER, INVITER_NAME = "student28", "学生28"
INVITEE, INVITEE_NAME = "student29", "学生29"
SCENARIO = "大衣选哪个码"


def snap(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def test_a_student_invites_a_classmate_who_accepts_into_the_seat(server, browser):
    wide = {"viewport": {"width": 1440, "height": 900}}
    inviter = browser.new_context(**wide).new_page()
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    invitee = phone.new_page()

    login(invitee, server, INVITEE)  # the home page is open before the invitation exists
    expect(invitee.locator("[data-role=invite-received]")).to_have_count(0)

    login(inviter, server, INVITER)
    # A practice card: an earlier test of the same server may have assigned the coat as an exam,
    # and exams are not role-played.
    card = inviter.locator(
        ".assignment-card", has_text=SCENARIO, has=inviter.locator("[data-role=invite-menu]")
    ).first
    card.locator("[data-role=invite-menu] summary").click()
    card.locator("select[name=classmate]").select_option(label=INVITEE_NAME)
    card.scroll_into_view_if_needed()
    snap(inviter, "01-invite-menu-1440")
    card.locator("[data-role=send-invite]").click()
    expect(inviter.locator(".flash").first).to_contain_text(INVITEE_NAME)
    expect(inviter.locator("[data-role=invite-sent]")).to_contain_text("等待对方回应")
    snap(inviter, "02-invite-sent-1440")

    # The classmate's open home page learns of it within the poll, no reload.
    received = invitee.locator("[data-role=invite-received]")
    expect(received).to_contain_text(INVITER_NAME, timeout=15_000)
    expect(received).to_contain_text("邀请你扮演顾客")
    snap(invitee, "03-invite-received-390")
    width = invitee.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the home page scrolls sideways at 390 px ({width})"
    received.get_by_role("button", name="接受并开始").click()
    invitee.wait_for_url(re.compile(r"/conversations/\d+/customer/"))
    expect(invitee.locator("[data-role=conn-state]")).to_have_attribute("data-state", "connected")
    expect(invitee.locator("[data-role=role-card]")).to_be_visible()

    # The inviter's home leads into the chat once it is accepted.
    sent = inviter.locator("[data-role=invite-sent]")
    expect(sent).to_contain_text("已接受", timeout=15_000)
    sent.get_by_role("link", name="继续对话").click()
    inviter.wait_for_url(re.compile(r"/conversations/\d+/$"))
    invitee.locator("[data-role=customer-composer] textarea").fill("在吗，这件大衣160穿什么码")
    invitee.keyboard.press("Enter")
    expect(inviter.locator(".msg-customer")).to_contain_text("160穿什么码", timeout=10_000)
    snap(inviter, "04-inviter-workspace-1440")
    for context in (inviter.context, phone):
        context.close()
