"""A teacher authors a scenario by the form only: a validation error appears and is fixed,
the scenario is test-played to an ending while the trace is read, saved and assigned; on a
desktop and on a phone, with screenshots of the form face, the source face and test-play."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.e2e.test_csp import LISTEN

pytestmark = pytest.mark.e2e

NAME = 'input[name=\'text:["persona","name"]\']'
TITLE = "input[name='text:[\"title\"]']"


def send(page, text: str, turns: int) -> None:
    page.fill("[data-role=tp-text]", text)
    page.keyboard.press("Enter")
    expect(page.locator("#testplay [data-role=turn]")).to_have_count(turns)


@pytest.mark.parametrize(("width", "height"), [(1440, 900), (390, 844)], ids=["desktop", "phone"])
def test_teacher_authors_test_plays_saves_and_assigns(server, browser, shot, width, height):
    phone = width < 700
    title = f"T恤选码练习{width}"
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    context.add_init_script(LISTEN)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, server, "teacher")

    # A new scenario from the pre-sale template.
    page.goto(f"{server.url}/scenarios/")
    page.get_by_role("link", name="新建情景").click()
    page.get_by_text("售前咨询").first.click()
    page.get_by_role("button", name="创建并编辑").click()
    expect(page.locator("h1")).to_have_text("编辑情景")
    expect(page.locator("#editor-problems")).to_contain_text("没有问题")

    # By the form only: a title, then the customer's name cleared by mistake.
    page.fill(TITLE, title)
    page.fill(NAME, "")
    problems = page.locator("#editor-problems")
    # Two syncs in a row (the title's change, then the name's input): on a cold server under
    # load the second answer can take longer than expect's 5 s.
    expect(problems).to_have_class(re.compile("has-errors"), timeout=15_000)
    expect(problems.locator(".problem")).to_contain_text("persona.name")
    expect(problems.locator(".problem")).to_contain_text("这里不能为空")
    expect(problems).to_contain_text("有未保存的修改")
    problems.locator(".problem-go").first.click()
    expect(page.locator(NAME)).to_be_focused()
    page.locator(NAME).press_sequentially("林小姐")
    expect(problems).to_have_class(re.compile("is-clean"), timeout=15_000)
    # A change on a select re-renders the form face: a silence timer gets its seconds field.
    page.locator("#ed-shop").scroll_into_view_if_needed()
    shot(page, f"40-editor-form-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    # The source face shows what the form wrote, with line numbers.
    page.get_by_role("tab", name="YAML 源文件").click()
    source = page.locator("#editor-source-text")
    expect(source).to_be_visible()
    assert f"title: {title}\n" in source.input_value()
    assert "  name: 林小姐\n" in source.input_value()
    expect(page.locator("[data-role=gutter] span").first).to_have_text("1")
    shot(page, f"41-editor-source-{width}")
    page.get_by_role("tab", name="表单").click()
    expect(page.locator(TITLE)).to_have_value(title)
    card = page.locator(".state-card").first
    card.scroll_into_view_if_needed()
    shot(page, f"43-editor-script-{width}")

    # Test-play to an ending while reading the trace.
    if phone:
        page.get_by_role("tab", name="试玩").click()
    pane = page.locator("#testplay")
    expect(pane.locator("[data-role=turn]")).to_have_count(1)
    pane.get_by_role("button", name="重新开始").click()  # from the edited document
    expect(pane.locator(".tp-turn.tp-restart")).to_have_count(1)
    send(page, "您好，请问您平时喜欢宽松一点还是修身一点呢？", 2)
    trace = pane.locator("[data-role=trace]").last
    expect(trace.locator("[data-role=moves]")).to_contain_text("招呼")
    expect(trace.locator("[data-role=transition]")).to_contain_text("reveal")
    expect(trace.locator("[data-role=timers]")).to_contain_text("沉默")
    expect(pane.locator("mark.tp-evidence").first).to_be_visible()
    send(page, "建议您选M码，胸围100cm，穿着宽松舒服", 3)
    expect(pane.locator("[data-role=trace]").last).to_contain_text("convinced")
    pane.get_by_role("button", name=re.compile("快进 .* 秒到沉默计时")).click()
    expect(pane.locator("[data-role=ending]")).to_contain_text("成交")
    expect(pane.locator(".tp-turn.tp-tick")).to_contain_text("沉默计时器已触发")
    pane.locator("[data-role=state] summary").click()
    expect(pane.locator("[data-role=state]")).to_contain_text("done_quietly")
    shot(page, f"42-editor-testplay-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    # Save: a new version; then assign it from its page.
    if phone:
        page.get_by_role("tab", name="编辑").click()
    page.locator("[data-role=save]").click()
    expect(page.locator(".flash-success")).to_contain_text("已保存为版本 2")
    page.get_by_role("link", name="预览并布置").click()
    expect(page.locator("h1")).to_have_text(title)
    page.goto(f"{server.url}/")
    page.get_by_role("link", name="进入班级").first.click()
    option = page.locator("select[name=scenario_version] option", has_text=title).first
    page.select_option("select[name=scenario_version]", value=option.get_attribute("value"))
    page.get_by_role("button", name="布置").click()
    expect(page.locator(".flash-success")).to_contain_text(title)
    assert page.evaluate("window.__violations") == []
    context.close()
