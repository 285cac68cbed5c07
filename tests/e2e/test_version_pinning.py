"""A student plays a teacher's own scenario; the teacher then edits and saves it: the student's
earlier transcript still shows the version it ran on, new chats of a moved assignment the new one."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e

TITLE = "input[name='text:[\"title\"]']"

# In the server's own database: the teacher's copy of the coat scenario, assigned in a class
# of theirs that student01 has joined by its code.
SETUP = """
from scenarios import services as s
from simulator import services
from simulator.models import User
from django.conf import settings
from pathlib import Path
teacher = User.objects.get(username="teacher")
source = (Path(settings.BASE_DIR) / "fixtures/scenarios/p1-coat-size.zh.yaml").read_text("utf-8")
source = source.replace("id: p1-coat-size\\n", "id: pin-coat\\n").replace(
    "title: 大衣选哪个码\\n", "title: 大衣选码（第一版）\\n"
)
first, _ = s.store_scenario(source, owner=teacher)
classroom = services.create_classroom(teacher, name="版本固定班")
services.join_classroom(User.objects.get(username="student01"), code=classroom.join_code)
services.assign_scenario(classroom, scenario_version=first)
print(first.scenario_id)
"""


def test_an_edit_leaves_earlier_transcripts_on_their_version(server, browser, shot):
    scenario_id = server.manage("shell", "-c", SETUP).split()[-1]

    # The student plays version 1 and closes the chat.
    student = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = student.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, server, "student01")
    page.locator(".assignment-card", has_text="大衣选码（第一版）").first.get_by_role(
        "button", name="开始对话"
    ).click()
    page.wait_for_url(re.compile(r"/conversations/\d+/"))
    expect(page.locator(".msg-customer")).to_have_count(1, timeout=15_000)
    page.fill("[data-role=input]", "亲，您好~请问您平时在什么场合穿呢？")
    page.keyboard.press("Enter")
    expect(page.locator(".msg-customer")).to_have_count(2, timeout=15_000)
    page.locator("[data-role=end-button]").click()
    expect(page.locator("[data-role=ended]")).to_be_visible(timeout=15_000)
    page.get_by_role("link", name="查看对话记录").click()
    transcript_url = page.url
    expect(page.locator("h1")).to_contain_text("大衣选码（第一版）")
    customer_lines = page.locator(".transcript li").all_inner_texts()

    # The teacher renames it in the editor and saves: version 2.
    teacher = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    desk = teacher.new_page()
    login(desk, server, "teacher")
    desk.goto(f"{server.url}/scenarios/{scenario_id}/edit/")
    desk.fill(TITLE, "大衣选码（第二版）")
    expect(desk.locator("#editor-problems")).to_contain_text("有未保存的修改")
    desk.locator("[data-role=save]").click()
    expect(desk.locator(".flash-success")).to_contain_text("已保存为版本 2")

    # The earlier transcript is still version 1's, for the student and for the teacher.
    page.goto(transcript_url)
    expect(page.locator("h1")).to_contain_text("大衣选码（第一版）")
    assert page.locator(".transcript li").all_inner_texts() == customer_lines
    shot(page, "35-pinned-transcript")
    desk.goto(transcript_url)
    expect(desk.locator("h1")).to_contain_text("大衣选码（第一版）")
    # The scenario's page says which version the class's assignment uses: still version 1.
    desk.goto(f"{server.url}/scenarios/{scenario_id}/#versions")
    expect(desk.locator(".history-table tbody tr")).to_have_count(2)
    expect(desk.locator(".uses-table")).to_contain_text("版本固定班")
    expect(desk.locator(".uses-table")).not_to_contain_text("已是最新")
    student.close()
    teacher.close()
