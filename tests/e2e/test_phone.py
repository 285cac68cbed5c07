"""On a 390 px phone: a whole chat, the task behind its tab, the transcript and the home pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, login

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1440, "height": 900}

# Every element in the site header and the chat header that holds text of its own, with its
# height in lines (line-height, or 1.6 em for "normal"): a header word that wraps shows here.
HEADER_LINES = """
() => [...document.querySelectorAll('.topbar *, .ws-chat-head *, .ws-switch *')]
  .filter((el) => el.checkVisibility() && [...el.childNodes].some(
    (n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim()))
  .map((el) => {
    const style = getComputedStyle(el);
    const line = parseFloat(style.lineHeight) || 1.6 * parseFloat(style.fontSize);
    return [el.textContent.trim(), el.getBoundingClientRect().height / line];
  })
"""


def full_shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def assert_no_sideways_scroll(page) -> None:
    width = page.viewport_size["width"]
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width


def assert_header_words_do_not_wrap(page) -> None:
    lines = page.evaluate(HEADER_LINES)
    assert lines, "the header should have text"
    tall = [(text, round(n, 2)) for text, n in lines if n > 2]
    assert not tall, tall


def assert_in_viewport(page, selector: str) -> None:
    box = page.locator(selector).bounding_box()
    assert box is not None, selector
    assert box["y"] >= 0
    assert box["y"] + box["height"] <= page.viewport_size["height"], (selector, box)


def tap_height(page, selector: str) -> float:
    return page.locator(selector).first.bounding_box()["height"]


def test_student_plays_a_chat_to_the_end_on_a_phone(server, browser, shot):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", has_touch=True)
    page = context.new_page()
    login(page, server, "student12")
    assert_no_sideways_scroll(page)
    assert_header_words_do_not_wrap(page)
    shot(page, "40-phone-home-390")

    # The practice one: another journey may have assigned the same scenario as an exam.
    card = page.locator(".assignment-card", has_text="大衣选哪个码").filter(
        has_not=page.locator("[data-mode=exam]")
    )
    card.first.get_by_role("button", name="开始对话").click()
    page.wait_for_url(re.compile(r"/conversations/\d+/"))
    workspace_url = page.url
    expect(page.locator("[data-role=conn-state]")).to_have_attribute("data-state", "connected")
    expect(page.locator(".msg-customer")).to_have_count(1, timeout=15_000)

    # One column: the chat fills the screen, the task and order wait behind their tab.
    expect(page.get_by_role("tab", name="对话")).to_have_attribute("aria-selected", "true")
    expect(page.locator(".ws-facts")).to_be_hidden()
    expect(page.locator(".ws-brief")).to_be_hidden()
    assert_in_viewport(page, "[data-role=input]")
    assert_in_viewport(page, ".composer button[type=submit]")
    assert_no_sideways_scroll(page)
    assert_header_words_do_not_wrap(page)
    for target in (".ws-switch [role=tab]", "[data-role=end-button]", ".composer .btn"):
        assert tap_height(page, target) >= 40, target

    def reply(text: str, customer_lines: int) -> None:
        page.fill("[data-role=input]", text)
        page.keyboard.press("Enter")
        expect(page.locator(".msg-customer")).to_have_count(customer_lines, timeout=15_000)

    reply("亲，您好~欢迎光临简衣！请问您平时在什么场合穿呢？", 2)
    reply("推荐您拍驼色M码，肩宽40cm，里面穿厚毛衣也不会紧。", 3)
    shot(page, "41-phone-workspace-390")

    # Reading the order while the customer answers: the chat tab counts what arrived.
    page.fill("[data-role=input]", "支持7天无理由退换，不过退货运费需要您承担哦。")
    page.keyboard.press("Enter")
    page.get_by_role("tab", name="任务与订单").click()
    expect(page.locator(".ws-brief")).to_be_visible()
    expect(page.locator(".ws-facts")).to_contain_text("羊毛混纺双面大衣")
    expect(page.locator("[data-role=input]")).to_be_hidden()
    expect(page.locator("[data-role=unread]")).to_have_text(re.compile(r"^[1-9]$"), timeout=15_000)
    assert_no_sideways_scroll(page)
    shot(page, "42-phone-task-390")
    page.get_by_role("tab", name=re.compile("^对话")).click()
    expect(page.locator("[data-role=unread]")).to_be_hidden()
    expect(page.locator(".msg-customer").last).to_be_in_viewport()
    assert_in_viewport(page, "[data-role=input]")

    # An open on-screen keyboard leaves about half the height: the site bar gives way, the
    # newest line and the reply box stay.
    page.set_viewport_size({"width": 390, "height": 470})
    expect(page.locator(".topbar")).to_be_hidden()
    expect(page.locator(".msg-customer").last).to_be_in_viewport()
    assert_in_viewport(page, "[data-role=input]")
    shot(page, "42-phone-keyboard-open-390")
    page.set_viewport_size(PHONE)

    reply("好的，跟您核对一下：驼色M码1件，对吗？", 5)
    reply("感谢支持，48小时内发货，有问题随时找我~", 6)
    expect(page.locator("[data-role=ended]")).to_be_visible(timeout=15_000)
    # The practice score arrives above the banner, on the chat screen itself.
    expect(page.locator("[data-role=hints] [data-result]")).to_be_in_viewport(timeout=15_000)
    assert_in_viewport(page, "[data-role=ended] .btn")
    # The score and the banner took room from the list: it still shows the newest line.
    expect(page.locator(".msg").last).to_be_in_viewport(ratio=0.9)
    assert_header_words_do_not_wrap(page)
    shot(page, "43-phone-workspace-ended-390")

    page.get_by_role("tab", name="任务与订单").click()
    expect(page.locator(".ws-brief")).to_be_in_viewport()
    page.get_by_role("tab", name=re.compile("^对话")).click()

    page.get_by_role("link", name="查看对话记录").click()
    expect(page.locator("h1")).to_contain_text("对话记录")
    expect(page.locator(".transcript li")).to_have_count(11)  # six customer lines, five replies
    assert_no_sideways_scroll(page)
    assert_header_words_do_not_wrap(page)
    # Each line reads across the screen, not one character to a line.
    widths = page.locator(".transcript .text").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().width)"
    )
    assert min(widths) > 250, widths
    page.locator(".transcript").scroll_into_view_if_needed()
    shot(page, "44-phone-transcript-390")
    full_shot(page, "44-phone-transcript-full-390")
    transcript_url = page.url

    # The same pages on a laptop keep their three columns and side-by-side report.
    page.set_viewport_size(LAPTOP)
    page.goto(workspace_url)
    expect(page.locator(".ws-switch")).to_be_hidden()
    tabs, chat, facts = (
        page.locator(s).bounding_box() for s in (".ws-tabs", ".messages", ".ws-facts")
    )
    assert tabs["x"] < chat["x"] < facts["x"]
    expect(page.locator(".ws-brief")).to_be_visible()
    expect(page.locator("[data-role=hints] [data-result]")).to_be_visible(timeout=15_000)
    shot(page, "45-workspace-ended-1440")
    page.goto(transcript_url)
    assert_no_sideways_scroll(page)
    shot(page, "46-transcript-1440")
    page.goto(server.url + "/")
    shot(page, "47-student-home-1440")
    context.close()


def test_teacher_pages_fit_a_phone_with_tables_scrolling_in_their_cards(server, browser, shot):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", has_touch=True)
    page = context.new_page()
    login(page, server, "teacher")
    assert_no_sideways_scroll(page)
    assert_header_words_do_not_wrap(page)
    # The library table is wider than the phone: it scrolls inside its card, not the page.
    library = page.locator(".table-card").last
    assert library.evaluate("el => el.scrollWidth > el.clientWidth")
    assert library.evaluate("el => getComputedStyle(el).overflowX") == "auto"
    shot(page, "48-phone-instructor-home-390")

    # The account links fold into a menu.
    expect(page.get_by_role("link", name="修改密码")).to_be_hidden()
    page.get_by_role("button", name="账号菜单").click()
    expect(page.get_by_role("link", name="修改密码")).to_be_visible()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()
    shot(page, "49-phone-account-menu-390")
    page.keyboard.press("Escape")
    expect(page.get_by_role("link", name="修改密码")).to_be_hidden()

    page.get_by_role("link", name="进入班级").first.click()
    expect(page.locator("h1")).to_contain_text("电商2401班")
    assert_no_sideways_scroll(page)
    assert_header_words_do_not_wrap(page)
    full_shot(page, "50-phone-classroom-390")

    # A wrong address on a phone: the product's own page, one tap from home.
    response = page.goto(server.url + "/no-such-page/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("页面不存在")
    assert_no_sideways_scroll(page)
    assert tap_height(page, "[data-link=home]") >= 40
    shot(page, "52-phone-404-390")
    page.locator("[data-link=home]").click()
    expect(page.locator("h1")).to_contain_text("我的班级")

    page.set_viewport_size(LAPTOP)
    page.goto(server.url + "/")
    expect(page.get_by_role("link", name="修改密码")).to_be_visible()
    expect(page.get_by_role("button", name="账号菜单")).to_be_hidden()
    shot(page, "51-instructor-home-1440")
    context.close()
