"""Classmate as customer through a real Daphne (issue 7, part 5): the teacher pairs two students,
one plays the customer from the role card and the suggested lines, the other answers in the
workspace, the customer ends with an ending, and the transcript names both; three browser
contexts, screenshots at 1440 and 390 px."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/peer-shots")  # noqa: S108 (where the lead looks at them)
AGENT, AGENT_NAME = "student26", "学生26"
PLAYER, PLAYER_NAME = "student27", "学生27"
SCENARIO = "大衣选哪个码"


def snap(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def test_a_classmate_plays_the_customer_and_the_agent_is_scored(server, browser, shot):
    contexts = [browser.new_context(viewport={"width": 1440, "height": 900}) for _ in range(3)]
    teacher, player, agent = (context.new_page() for context in contexts)
    player.on("dialog", lambda d: d.accept())  # the end's confirmation: yes

    # The teacher pairs the two on the class page.
    login(teacher, server, "teacher")
    teacher.locator(".classroom-card h3 a").first.click()
    form = teacher.locator("[data-role=pair-form]")
    form.locator("select[name=assignment]").select_option(label=SCENARIO)
    form.locator("select[name=agent]").select_option(label=AGENT_NAME)
    form.locator("select[name=customer]").select_option(label=PLAYER_NAME)
    form.locator("[data-role=pair]").click()
    expect(teacher.locator(".flash").first).to_contain_text(
        f"{AGENT_NAME} 担任客服，{PLAYER_NAME} 扮演顾客"
    )
    teacher.locator("#pairing").scroll_into_view_if_needed()
    class_url = teacher.url
    snap(teacher, "01-pairing-1440")

    # The classmate finds the seat on their home page: the role card and the lines.
    login(player, server, PLAYER)
    card = player.locator("[data-seat]")
    expect(card).to_contain_text(AGENT_NAME)
    card.scroll_into_view_if_needed()
    snap(player, "02a-home-player-1440")
    card.get_by_role("link", name="扮演顾客").click()
    player.wait_for_url(re.compile(r"/conversations/\d+/customer/"))
    seat_url = player.url
    expect(player.locator("[data-role=conn-state]")).to_have_attribute("data-state", "connected")
    expect(player.locator("[data-role=hidden-constraints]")).to_contain_text("肩膀偏宽")
    opening = player.locator("details[open] .line-button").first
    opening_line = opening.get_attribute("data-line")
    opening.click()
    expect(player.locator("[data-role=customer-composer] textarea")).to_have_value(opening_line)
    player.keyboard.press("Enter")
    expect(player.locator(".seat-customer")).to_have_count(1, timeout=10_000)
    snap(player, "02-seat-1440")
    shot(player, "peer-02-seat")

    # The agent answers in the workspace and reads the classmate's line as the customer's.
    login(agent, server, AGENT)
    expect(agent.locator("[data-role=peer]")).to_contain_text(PLAYER_NAME)
    snap(agent, "02b-home-agent-1440")
    agent.locator(".assignment-card", has_text=SCENARIO).first.get_by_role(
        "link", name="继续对话"
    ).click()
    agent.wait_for_url(re.compile(r"/conversations/\d+/$"))
    expect(agent.locator(".msg-customer")).to_have_count(1, timeout=10_000)
    expect(agent.locator(".msg-customer").first).to_contain_text(opening_line)
    expect(agent.locator("body")).not_to_contain_text("肩膀偏宽")  # the card is the player's
    agent.fill("[data-role=input]", "亲，您好~请问您平时穿什么码，身高体重多少呢？")
    agent.keyboard.press("Enter")
    expect(player.locator(".seat-agent")).to_have_count(1, timeout=10_000)
    player.locator("[data-role=customer-composer] textarea").fill("我160，52公斤，肩膀有点宽。")
    player.keyboard.press("Enter")
    expect(agent.locator(".msg-customer")).to_have_count(2, timeout=10_000)
    agent.fill("[data-role=input]", "推荐您拍M码哦，我帮您核对一下订单：驼色M码一件，对吗？")
    agent.keyboard.press("Enter")
    expect(player.locator(".seat-agent")).to_have_count(2, timeout=10_000)
    snap(agent, "03-agent-workspace-1440")

    # The teacher joins as the customer from the watch page: the seat says so live, no reload,
    # and the classmate may still type; the agent's page shows nothing of it.
    conversation_id = re.search(r"/conversations/(\d+)/", agent.url).group(1)
    teacher.goto(f"{server.url}/conversations/{conversation_id}/watch/")
    expect(teacher.locator("[data-role=conn-state]")).to_have_attribute("data-state", "connected")
    teacher.get_by_role("button", name="接管顾客").click()
    banner = player.locator("[data-role=teacher-banner]")
    expect(banner).to_be_visible(timeout=10_000)
    expect(banner).to_contain_text("仍可以继续输入")
    expect(player.locator("[data-role=customer-composer]")).to_be_visible()
    snap(player, "03b-seat-teacher-joined-1440")
    expect(agent.locator("body")).not_to_contain_text("接管")

    # The customer ends with an ending of the scenario: both see the end.
    player.locator("select[name=ending]").select_option("sale")
    player.locator("[data-role=end-form] button").click()
    expect(player.locator("[data-role=ended]")).to_be_visible(timeout=10_000)
    expect(player.locator("[data-role=ended-how]")).to_contain_text("5★")
    expect(agent.locator("[data-role=ended], .ended-banner").first).to_be_visible(timeout=10_000)
    snap(player, "04-seat-ended-1440")

    # The transcript names both and shows the ending; the player cannot open it.
    agent.goto(server.url + "/")
    agent.locator(".assignment-card", has_text=SCENARIO).first.locator(".attempts a").last.click()
    expect(agent.locator("[data-role=role-play]")).to_contain_text(AGENT_NAME)
    expect(agent.locator("[data-role=role-play]")).to_contain_text(PLAYER_NAME)
    # The ending shows at once in practice; an exam's student gets it with the released report.
    withheld = agent.locator("[data-metric=rating]").get_by_text("随报告公布")
    expect(agent.locator("[data-ending]").or_(withheld)).to_be_visible()
    snap(agent, "05-transcript-1440")
    response = player.goto(agent.url)
    assert response is not None
    assert response.status == 404

    # The seat and the pairing at 390 px.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    small = phone.new_page()
    login(small, server, PLAYER)
    small.locator("[data-seat]").scroll_into_view_if_needed()
    snap(small, "06a-home-player-390")
    small.goto(seat_url)
    expect(small.locator("[data-role=conn-state]")).to_have_attribute("data-state", "connected")
    snap(small, "06-seat-390")
    small.locator("[data-role=role-card]").scroll_into_view_if_needed()
    snap(small, "07-seat-card-390")
    small.locator("[data-role=suggested-lines]").scroll_into_view_if_needed()
    snap(small, "08-seat-lines-390")
    width = small.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the seat scrolls sideways at 390 px ({width})"
    login(small, server, "teacher")
    small.goto(class_url)
    small.locator("#pairing").scroll_into_view_if_needed()
    snap(small, "09-pairing-390")
    for context in (*contexts, phone):
        context.close()
