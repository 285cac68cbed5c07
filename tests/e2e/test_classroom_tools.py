"""A teacher runs a class in a browser: bulk accounts printed as login slips, a duplicate
assignment asked about, a phrase refused; at 1440 px and on a 390 px phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, login

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1440, "height": 900}
ROSTERS = {
    "1440": "学号,姓名\n2401001,欧阳思雨\n2401002,陈浩然\n2401003,李佳怡\n2401004,张伟\n",
    "390": "学号,姓名\n2401005,司马文静\n2401006,刘洋\n2401007,黄子涵\n2401008,王芳\n",
}


def full_shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def open_new_class(page, server, name: str) -> None:
    """A class of its own, so the demo class the other journeys use stays as it was."""
    login(page, server, "teacher")
    page.fill("#id_name", name)
    page.get_by_role("button", name="创建班级").click()
    page.get_by_role("link", name=name, exact=True).click()
    expect(page.locator("h1")).to_contain_text(name)


@pytest.mark.parametrize(("viewport", "suffix"), [(LAPTOP, "1440"), (PHONE, "390")])
def test_teacher_adds_students_from_a_csv_and_prints_login_slips(
    server, browser, tmp_path, viewport, suffix
):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    open_new_class(page, server, f"电商24{suffix[:2]}班 直播带货")
    full_shot(page, f"classroom-empty-{suffix}")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= viewport["width"]

    roster = tmp_path / "名单.csv"
    roster.write_bytes(ROSTERS[suffix].encode("gbk"))  # as Excel on a Chinese Windows saves it
    first_name = ROSTERS[suffix].splitlines()[1].split(",")[1]
    page.set_input_files("#add-students-form input[type=file]", str(roster))
    page.locator("#add-students-form button[type=submit]").click()

    slips = page.locator(".slip")
    expect(slips).to_have_count(4)
    expect(slips.first).to_contain_text(first_name)
    password = slips.first.locator("[data-role=password]").inner_text()
    assert re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}", password)
    expect(slips.first).to_contain_text(server.url + "/login/")
    full_shot(page, f"login-slips-{suffix}")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= viewport["width"]
    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()
    expect(page.locator("[data-print]")).to_be_hidden()
    full_shot(page, f"login-slips-print-{suffix}")
    page.emulate_media(media="screen")

    # The new student signs in with the slip.
    username = slips.first.locator("[data-role=username]").inner_text()
    student = browser.new_context(viewport=viewport, locale="zh-CN").new_page()
    student.goto(server.url + "/login/")
    student.fill("input[name=username]", username)
    student.fill("input[name=password]", password)
    student.click("main button[type=submit]")
    student.wait_for_url(server.url + "/")
    expect(student.locator("h1")).to_contain_text(first_name)

    page.get_by_role("link", name="返回班级").click()
    expect(page.locator(".roster li")).to_have_count(4)
    full_shot(page, f"classroom-{suffix}")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= viewport["width"]

    # Assigned, then archived: the student still sees the class's work but cannot start it.
    scenario = page.locator("#assign-form select[name=scenario_version] option").nth(1)
    page.select_option(
        "#assign-form select[name=scenario_version]", scenario.get_attribute("value")
    )
    page.locator("#assign-form button[type=submit]").click()
    student.reload()
    expect(student.get_by_role("button", name="开始对话")).to_be_visible()
    page.get_by_role("button", name="归档班级").click()
    student.reload()
    expect(student.locator("[data-role=archived]")).to_be_visible()
    expect(student.get_by_role("button", name="开始对话")).to_have_count(0)
    full_shot(student, f"student-archived-class-{suffix}")
    student.context.close()
    context.close()


def test_a_bad_row_is_named_and_a_duplicate_assignment_is_asked_about(server, browser):
    context = browser.new_context(viewport=LAPTOP, locale="zh-CN")
    page = context.new_page()
    open_new_class(page, server, "电商2405班")
    page.fill("#add-students-form textarea", "赵六\n\n赵六\n")
    page.locator("#add-students-form button[type=submit]").click()
    expect(page.locator("[data-role=roster-errors]")).to_contain_text("第 3 行")
    full_shot(page, "classroom-roster-error-1440")

    first = page.locator("#assign-form select[name=scenario_version] option").nth(1)
    page.select_option("#assign-form select[name=scenario_version]", first.get_attribute("value"))
    page.locator("#assign-form button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    page.select_option("#assign-form select[name=scenario_version]", first.get_attribute("value"))
    page.locator("#assign-form button[type=submit]").click()
    expect(page.locator("[data-role=duplicate-warning]")).to_be_visible()
    full_shot(page, "classroom-duplicate-warning-1440")
    page.locator("[data-role=confirm-duplicate]").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator("tr[data-assignment]")).to_have_count(2)

    page.locator("[data-link=edit-assignment]").first.click()
    page.fill("#id_max_attempts", "3")
    full_shot(page, "assignment-edit-1440")
    page.get_by_role("button", name="删除任务").click()
    expect(page.locator("[data-role=confirm]")).to_be_visible()
    full_shot(page, "confirm-delete-1440")
    page.locator("[data-role=confirm] button[type=submit]").click()
    expect(page.locator("tr[data-assignment]")).to_have_count(1)

    page.get_by_role("button", name="换邀请码").click()
    expect(page.locator("[data-role=confirm]")).to_contain_text("立即失效")
    old = page.locator("[data-role=confirm] p").inner_text()
    page.locator("[data-role=confirm] button[type=submit]").click()
    code = page.locator("[data-role=join-code]").inner_text()
    assert code not in old

    page.get_by_role("button", name="归档班级").click()
    expect(page.locator("#archived-classes")).to_contain_text("电商2405班")
    page.locator("#archived-classes summary").click()
    full_shot(page, "home-archived-1440")
    context.close()


@pytest.mark.parametrize(("viewport", "suffix"), [(LAPTOP, "1440"), (PHONE, "390")])
def test_the_lexicon_shows_built_in_phrases_and_refuses_a_lone_common_character(
    server, browser, viewport, suffix
):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    login(page, server, "teacher")
    page.goto(server.url + "/lexicon/?language=zh-hans")
    expect(page.locator("tr[data-move=apologise] .chip-builtin").first).to_be_visible()
    page.fill("#id_phrase", "的")
    page.locator("#phrase-form button[type=submit]").click()
    expect(page.locator(".flash-error")).to_contain_text("几乎每条消息")
    full_shot(page, f"lexicon-{suffix}")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= viewport["width"]
    context.close()


def test_the_classroom_tools_read_in_english(server, browser):
    context = browser.new_context(viewport=LAPTOP, locale="en-GB")
    page = context.new_page()
    login(page, server, "teacher")
    page.get_by_role("button", name="English").click()
    try:
        page.fill("#id_name", "Class 2407 Live selling")
        page.get_by_role("button", name="Create classroom").click()
        page.get_by_role("link", name="Class 2407 Live selling", exact=True).click()
        page.fill("#add-students-form textarea", "Amy Chen\nBen Li\nCarla Gómez")
        page.get_by_role("button", name="Create accounts").click()
        expect(page.locator(".slip").first).to_contain_text("Username")
        full_shot(page, "login-slips-en-1440")
        page.get_by_role("link", name="Back to the class").click()
        expect(page.locator(".roster li")).to_have_count(3)
        full_shot(page, "classroom-en-1440")
        page.goto(server.url + "/lexicon/?language=en")
        expect(page.locator("tr[data-move=apologise] .chip-builtin").first).to_be_visible()
        full_shot(page, "lexicon-en-1440")
    finally:
        page.get_by_role("button", name="简体中文").click()  # the other journeys read Chinese
        context.close()
