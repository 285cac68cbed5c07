"""Quick replies in the workspace through real Daphne: "/" in the reply box lists the class's
and the student's own phrases, Enter or a tap inserts one filled for the customer, the student
edits it and sends it as any typed line; at 1440 and at 390 px (where the list sits between
the messages and the reply box and never covers the box)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
APOLOGY = "林女士，非常抱歉给您带来不好的体验，您先别着急，我来帮您处理。"
THANKS = "感谢您对简衣的支持，还有其他问题随时找我哦，祝您生活愉快！"
WELCOME = "亲，您好，欢迎光临简衣！我是客服小美，请问有什么可以帮您？"
WAIT = "林女士您好，您说的情况我了解了，我马上帮您查一下，请稍等哦~"


def sign_in(page, server, username: str) -> None:
    page.goto(server.url + "/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", server.logins[username])
    page.press("input[name=password]", "Enter")
    page.wait_for_url(server.url + "/")


def open_after_sale_chat(page) -> None:
    card = page.locator(".assignment-card", has_text="发错颜色，周末要穿").first
    card.get_by_role("button", name="开始对话").click()
    page.wait_for_url(re.compile(r"/conversations/\d+/"))
    expect(page.locator("[data-role=conn-state]")).to_have_attribute("data-state", "connected")
    expect(page.locator(".msg-customer")).to_have_count(1, timeout=15_000)


def test_student_types_slash_picks_a_phrase_edits_and_sends_it(server, browser, shot):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    sign_in(page, server, "student24")

    # A phrase of their own first, from the home page; the preview fills the example customer.
    page.get_by_role("link", name="我的快捷短语").click()
    page.fill("input[name=group]", "核单")
    page.fill("input[name=title]", "订单号确认")
    page.fill("textarea[name=text]", "{顾客}，您的订单{订单号}我这边看到了")
    expect(page.locator("[data-role=qr-preview]")).to_contain_text("林女士，您的订单20241105201734")
    page.fill("textarea[name=text]", "{快递单号}")
    expect(page.locator("[data-role=preview-problems]")).to_contain_text("{快递单号}")
    page.fill("textarea[name=text]", "{顾客}，您的订单{订单号}我这边看到了")
    page.get_by_role("button", name="添加快捷短语").click()
    expect(page.locator("[data-quick-reply]")).to_have_count(1)
    shot(page, "70-quick-replies-student-1440")

    page.goto(server.url + "/")
    open_after_sale_chat(page)
    box = page.locator("[data-role=input]")
    panel = page.locator("[data-role=qr-panel]")

    # "/" opens the list; Esc closes it and leaves the text alone.
    box.click()
    box.type("/")
    expect(panel).to_be_visible()
    box.press("Escape")
    expect(panel).to_be_hidden()
    expect(box).to_have_value("/")

    # Typing after "/" filters; the student's own phrase is listed with the class's.
    box.type("订单号")
    expect(page.locator("[data-role=qr-option]:visible")).to_have_count(1)
    expect(page.locator("[data-role=qr-option]:visible")).to_contain_text(
        "林女士，您的订单20241105201734我这边看到了"
    )
    box.fill("")
    box.type("/致")
    expect(page.locator("[data-role=qr-option]:visible").first).to_contain_text("致歉")
    shot(page, "71-quick-replies-slash-1440")
    box.press("Enter")  # inserts the phrase: nothing is sent
    expect(panel).to_be_hidden()
    expect(box).to_have_value(APOLOGY)
    expect(page.locator(".msg-agent")).to_have_count(0)

    box.press("End")
    box.type("给您换成驼色M码。")
    box.press("Enter")
    sent = page.locator(".msg-agent")
    expect(sent).to_have_count(1)
    expect(sent).to_contain_text(APOLOGY + "给您换成驼色M码。")
    expect(sent.locator(".msg-state")).to_have_text("已发送", timeout=10_000)
    expect(box).to_have_value("")

    # The button opens the same list with a search field; arrows and Enter pick from it.
    page.get_by_role("button", name="短语").click()
    search = page.locator("[data-role=qr-search]")
    expect(search).to_be_focused()
    search.type("感谢")
    search.press("ArrowDown")
    search.press("Enter")
    expect(box).to_have_value(THANKS)
    expect(page.locator(".msg-agent")).to_have_count(1)

    # Arrow keys move through the "/" list; Alt+1 inserts the first phrase without the list.
    box.fill("")
    box.type("/")
    box.press("ArrowDown")
    box.press("Enter")
    expect(box).to_have_value(WAIT)
    box.fill("")
    box.press("Alt+1")
    expect(box).to_have_value(WELCOME)
    expect(page.locator(".msg-agent")).to_have_count(1)

    # A Chinese input method types "、" for the "/" key: at the start of the box it opens too.
    box.fill("")
    box.type("、感谢")
    expect(page.locator("[data-role=qr-option]:visible")).to_have_count(1)
    box.press("Enter")
    expect(box).to_have_value(THANKS)
    context.close()


def test_on_a_phone_the_list_sits_above_the_reply_box_and_a_tap_inserts(server, browser, shot):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", has_touch=True)
    page = context.new_page()
    sign_in(page, server, "student25")
    open_after_sale_chat(page)
    box = page.locator("[data-role=input]")

    page.get_by_role("button", name="短语").tap()
    panel = page.locator("[data-role=qr-panel]")
    expect(panel).to_be_visible()
    panel_box, input_box = panel.bounding_box(), box.bounding_box()
    assert panel_box["y"] + panel_box["height"] <= input_box["y"] + 1  # never over the box
    assert input_box["y"] + input_box["height"] <= PHONE["height"]
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    ARTIFACTS.mkdir(exist_ok=True)
    shot(page, "72-quick-replies-phone-390")

    page.locator("[data-role=qr-option]", has_text="致歉").tap()
    expect(panel).to_be_hidden()
    expect(box).to_have_value(APOLOGY)
    box.press("End")
    box.type("马上为您处理换货。")
    page.get_by_role("button", name="发送").tap()
    expect(page.locator(".msg-agent")).to_contain_text(APOLOGY + "马上为您处理换货。")

    # "/" works on a phone too, and the filtered list still leaves the box in view.
    box.type("/感谢")
    expect(page.locator("[data-role=qr-option]:visible")).to_have_count(1)
    assert panel.bounding_box()["y"] + panel.bounding_box()["height"] <= box.bounding_box()["y"] + 1
    shot(page, "73-quick-replies-phone-slash-390")
    box.press("Enter")
    expect(box).to_have_value(THANKS)
    context.close()


@pytest.mark.parametrize("viewport", [{"width": 1440, "height": 900}, PHONE])
def test_teacher_keeps_the_class_phrases_from_the_classroom_page(server, browser, shot, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    sign_in(page, server, "teacher")
    page.locator(".classroom-card a, a", has_text="电商2401班").first.click()
    page.locator("[data-link=quick-replies]").click()
    rows = page.locator("[data-quick-reply]")
    expect(rows.first).to_be_visible()
    count = rows.count()
    assert count >= 8  # the demo's phrases (another run may have added one)
    expect(page.locator(".qr-filled").first).to_contain_text("简衣旗舰店")

    page.fill("input[name=title]", "催付")
    page.fill("textarea[name=text]", "{顾客}，您的{优惠券}还没用哦")
    page.get_by_role("button", name="添加快捷短语").click()
    expect(page.locator("[data-role=field-error]")).to_contain_text("未知的占位符 {优惠券}")
    expect(rows).to_have_count(count)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= viewport["width"]
    shot(page, f"74-quick-replies-teacher-error-{viewport['width']}")
    page.locator(".qr-group-head").first.scroll_into_view_if_needed()
    shot(page, f"75-quick-replies-teacher-list-{viewport['width']}")
    context.close()


def test_a_placeholder_the_scenario_cannot_fill_is_selected_to_type_over(server, browser):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    sign_in(page, server, "student26")
    # A pre-sale chat has no order: {订单号} stays for the student to type over.
    card = page.locator(".assignment-card", has_text="大衣选哪个码").filter(
        has_not=page.locator("[data-mode=exam]")
    )
    card.first.get_by_role("button", name="开始对话").click()
    page.wait_for_url(re.compile(r"/conversations/\d+/"))
    expect(page.locator("[data-role=conn-state]")).to_have_attribute("data-state", "connected")
    box = page.locator("[data-role=input]")
    box.click()
    box.type("/核对")
    box.press("Enter")

    expect(box).to_have_value(re.compile(r"^小雨，我帮您核对一下订单\{订单号\}：商品是羊毛"))
    selected = box.evaluate("el => el.value.slice(el.selectionStart, el.selectionEnd)")
    assert selected == "{订单号}"
    box.type("2024")
    expect(box).to_have_value(re.compile(r"订单2024："))
    context.close()
