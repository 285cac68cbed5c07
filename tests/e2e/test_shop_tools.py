"""The order panel's shop tools through real Daphne: the student sends an order check, the
scripted customer corrects the address, the student changes the order and writes the remark,
finishes, and the report credits the check and the remark; at 1440 and at 390 px (where the
tools sit behind the 任务与订单 tab)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
NEW_ADDRESS = "杭州市西湖区文三路90号东部软件园8楼前台"
REMARK = "[11/08 小林] 改S码；改地址至公司；生日礼物，不放价签"


def open_order_chat(page) -> None:
    card = page.locator(".assignment-card", has_text="改地址并备注生日礼物").first
    card.get_by_role("button", name="开始对话").click()
    page.wait_for_url(re.compile(r"/conversations/\d+/"))
    expect(page.locator("[data-role=conn-state]")).to_have_attribute("data-state", "connected")
    expect(page.locator(".msg-customer")).to_have_count(1, timeout=15_000)


def tool(page, name: str):
    """Open one tool of the panel by its summary (keyboard: focus it and press Enter)."""
    details = page.locator("details.tool", has=page.locator("summary", has_text=name))
    summary = details.locator("summary")
    summary.focus()
    summary.press("Enter")
    expect(details).to_have_attribute("open", "")
    return details


def test_check_correct_change_remark_and_the_report_credits_them(server, browser, shot):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    login(page, server, "student15")
    open_order_chat(page)
    conversation = re.search(r"/conversations/(\d+)/", page.url).group(1)
    box = page.locator("[data-role=input]")
    box.fill("亲，您好~我是客服小林，马上帮您处理哦")
    box.press("Enter")
    customer = page.locator(".msg-customer")
    expect(customer).to_have_count(2, timeout=20_000)  # the new address and the gift note

    # The order check: the customer reads it and corrects the address and the coat's size.
    tool(page, "发送核对订单").get_by_role("button", name="发送核对").click()
    check = page.locator(".msg-tool .tool-order_check")
    expect(check).to_contain_text("羊毛混纺双面大衣 · 驼色 · M × 1")
    expect(check).to_contain_text("文一路88号")
    expect(customer).to_have_count(3, timeout=20_000)
    expect(customer.last).to_contain_text(f"地址不对，是{NEW_ADDRESS}")
    expect(customer.last).to_contain_text("羊毛混纺双面大衣要S码，不是M")
    shot(page, "80-shop-tools-check-corrected-1440")

    # The teacher watching sees the same card.
    teacher = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    watch = teacher.new_page()
    login(watch, server, "teacher")
    watch.goto(f"{server.url}/conversations/{conversation}/watch/")
    expect(watch.locator(".msg-tool .tool-order_check")).to_contain_text("文一路88号")

    # The change: the order panel shows the new values; the customer goes on to the date.
    change = tool(page, "修改订单")
    change.locator("select[name=item]").select_option("0")
    change.locator("select[name=size]").select_option("S")
    change.locator("textarea[name=address]").fill(NEW_ADDRESS)
    change.get_by_role("button", name="保存修改").click()
    expect(page.locator(".msg-tool .tool-order_change")).to_contain_text("M → S")
    facts = page.locator("[data-role=order-facts]")
    expect(facts.locator("[data-order=address]")).to_have_text(NEW_ADDRESS)
    expect(facts.locator("[data-order-item='0']")).to_contain_text("驼色 · S")
    expect(customer).to_have_count(4, timeout=20_000)
    expect(customer.last).to_contain_text("到")  # 那大概什么时候能到呀 / 啥时候能到公司呀
    expect(watch.locator(".msg-tool .tool-order_change")).to_contain_text("M → S")

    remark = tool(page, "卖家备注")
    remark.locator("textarea[name=text]").fill(REMARK)
    remark.get_by_role("button", name="保存备注").click()
    expect(page.locator(".msg-tool .tool-remark")).to_contain_text("不放价签")
    expect(facts.locator("[data-order=remark]")).to_have_text(REMARK)

    # Beyond the authority the panel warns before anything is issued.
    coupon = tool(page, "发优惠券")
    expect(coupon).to_contain_text("¥10")
    coupon.locator("input[name=amount]").fill("30")
    expect(coupon.locator("[data-role=coupon-over]")).to_be_visible()
    shot(page, "81-shop-tools-panel-1440")
    coupon.locator("summary").click()
    shot(watch, "84-shop-tools-watch-1440")
    teacher.close()

    box.fill("亲，已经帮您改成S码、改好地址并备注了，48小时内发货，一般2-5天送到哦")
    box.press("Enter")
    expect(customer).to_have_count(5, timeout=20_000)
    box.fill("感谢您的支持，祝您生日快乐，再见~")
    box.press("Enter")
    expect(page.locator("[data-role=ended]")).to_be_visible(timeout=30_000)
    page.get_by_role("link", name="查看对话记录").click()
    accuracy = page.locator("[data-criterion=accuracy]")
    expect(accuracy.locator(".part-present", has_text="核对订单")).to_have_count(1)
    expect(accuracy.locator(".part-present", has_text="卖家备注写全了改动")).to_have_count(1)
    expect(page.locator("#review .role-tool")).to_have_count(3)
    accuracy.locator(".part-present", has_text="卖家备注写全了改动").locator("button").click()
    expect(page.locator("#review .role-tool .tool-remark")).to_be_visible()
    shot(page, "85-shop-tools-report-1440")

    # In English the cards and the report's notes are English; the shop's data stays as written.
    page.get_by_role("button", name="English").click()
    expect(page.locator("#review .role-tool .tool-order_check")).to_contain_text(
        "Please check your order"
    )
    expect(page.locator("[data-criterion=accuracy]")).to_contain_text(
        "Seller's remark holds every change"
    )
    page.locator("#review .role-tool .tool-order_check").scroll_into_view_if_needed()
    shot(page, "88-shop-tools-report-en-1440")
    context.close()


def test_tools_on_a_phone(server, browser, shot):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", has_touch=True, is_mobile=True)
    page = context.new_page()
    login(page, server, "student16")
    open_order_chat(page)
    page.get_by_role("tab", name="任务与订单").click()
    details = tool(page, "发送商品卡片")
    details.locator("select[name=sku]").select_option("A2")
    shot(page, "82-shop-tools-phone-panel")
    details.get_by_role("button", name="发送卡片").click()
    page.get_by_role("tab", name="对话").click()
    card = page.locator(".msg-tool .tool-product_card")
    expect(card).to_contain_text("加绒卫衣")
    expect(card).to_contain_text("¥129")
    box = card.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
    shot(page, "83-shop-tools-phone-card")

    # The order check from the tab; the customer's correction in the chat, on a phone.
    page.get_by_role("tab", name="任务与订单").click()
    tool(page, "发送核对订单").get_by_role("button", name="发送核对").click()
    page.get_by_role("tab", name="对话").click()
    expect(page.locator(".msg-customer").last).to_contain_text("地址不对", timeout=20_000)
    check = page.locator(".msg-tool .tool-order_check").bounding_box()
    assert check["x"] + check["width"] <= PHONE["width"]
    shot(page, "86-shop-tools-phone-corrected")
    context.close()


def test_the_classmate_playing_the_customer_answers_the_order_check(server, browser, shot):
    contexts = [browser.new_context(viewport={"width": 1440, "height": 900}) for _ in range(3)]
    teacher, player, agent = (context.new_page() for context in contexts)
    login(teacher, server, "teacher")
    teacher.locator(".classroom-card h3 a").first.click()
    form = teacher.locator("[data-role=pair-form]")
    form.locator("select[name=assignment]").select_option(label="改地址并备注生日礼物")
    form.locator("select[name=agent]").select_option(label="学生19")
    form.locator("select[name=customer]").select_option(label="学生20")
    form.locator("[data-role=pair]").click()
    expect(teacher.locator(".flash").first).to_contain_text("学生19 担任客服")

    login(player, server, "student20")
    player.locator("[data-seat]").get_by_role("link", name="扮演顾客").click()
    player.wait_for_url(re.compile(r"/conversations/\d+/customer/"))
    expect(player.locator("[data-role=conn-state]")).to_have_attribute("data-state", "connected")
    seat_box = player.locator("[data-role=customer-composer] textarea")
    seat_box.fill("亲，我的大衣还没发吧？想改个地址")
    seat_box.press("Enter")

    login(agent, server, "student19")
    agent.locator(".assignment-card", has_text="改地址并备注生日礼物").first.get_by_role(
        "link", name="继续对话"
    ).click()
    agent.wait_for_url(re.compile(r"/conversations/\d+/$"))
    expect(agent.locator(".msg-customer")).to_have_count(1, timeout=10_000)
    tool(agent, "发送核对订单").get_by_role("button", name="发送核对").click()
    tool(agent, "卖家备注").locator("textarea[name=text]").fill("改地址")
    agent.locator("details.tool[data-tool=remark]").get_by_role("button", name="保存备注").click()

    # The seat shows the check as a shopper sees it, with her two answers; not the remark.
    card = player.locator(".msg-tool .tool-order_check")
    expect(card).to_contain_text("文一路88号", timeout=10_000)
    expect(player.locator(".msg-tool .tool-remark")).to_contain_text("顾客看不到内容")
    expect(player.locator(".msg-tool .tool-remark")).not_to_contain_text("改地址")
    card.get_by_role("button", name="有误").click()
    expect(seat_box).to_have_value("不对哦，")
    expect(seat_box).to_be_focused()
    seat_box.press("End")
    seat_box.type("地址要改成文三路90号")
    shot(player, "87-shop-tools-seat-1440")
    seat_box.press("Enter")
    expect(agent.locator(".msg-customer").last).to_contain_text("不对哦，地址要改成文三路90号")
    for context in contexts:
        context.close()
