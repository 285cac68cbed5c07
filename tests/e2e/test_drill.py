"""The Double-11 rush drill through a real Daphne: the teacher starts a drill, a student sees
customers arrive without a reload, answers two chats in tabs (each keeping its draft), the
queue fills and drains, the teacher's dashboard counts live; then the summary. 1440 and 390 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import demo_server, login

pytestmark = pytest.mark.e2e

STUDENTS = ("student01", "student02")
CLASS = "双十一演练班"


@pytest.fixture(scope="module")
def drill_server(tmp_path_factory):
    # A 30-minute drill in 90 s, with every one of its customers: the queue fills in seconds.
    server = demo_server(tmp_path_factory.mktemp("drill"), DRILL_TIME_SCALE="0.05")
    server.manage(
        "shell",
        "-c",
        "from simulator import services; from simulator.models import User;"
        f"c = services.create_classroom(User.objects.get(username='teacher'), name='{CLASS}');"
        f"[services.join_classroom(User.objects.get(username=u), code=c.join_code) for u in {STUDENTS!r}]",
    )
    server.start()
    yield server
    server.stop()


@pytest.mark.timeout(300)
def test_a_class_serves_a_rush_and_the_teacher_watches_it(drill_server, browser, shot):
    server = drill_server
    teacher_context = browser.new_context(viewport={"width": 1440, "height": 900})
    student_context = browser.new_context(viewport={"width": 1440, "height": 900})
    teacher = teacher_context.new_page()
    student = student_context.new_page()
    teacher.on("dialog", lambda d: d.accept())

    # The teacher sets the drill up from the class page: 30 minutes, cap 3, the library's pool.
    login(teacher, server, "teacher")
    teacher.get_by_role("link", name=CLASS).first.click()
    expect(teacher.locator("#drill")).to_contain_text("双十一大促演练")
    teacher.locator("[data-link=start-drill]").click()
    expect(teacher.locator("h1")).to_contain_text("双十一大促演练")
    assert teacher.locator(".drill-pool input:checked").count() >= 3
    teacher.select_option("select[name=minutes]", "30")
    teacher.select_option("select[name=cap]", "3")
    shot(teacher, "drill-setup-1440")
    teacher.locator("[data-role=start-drill]").click()
    teacher.wait_for_url(re.compile(r"/drills/\d+/$"))
    expect(teacher.locator("[data-role=conn-state]")).to_have_attribute(
        "data-state", "connected", timeout=10_000
    )

    # The student's home leads with the drill; customers arrive in tabs without a reload.
    login(student, server, STUDENTS[0])
    expect(student.locator("[data-role=drill-call]")).to_be_visible()
    shot(student, "drill-home-1440")
    student.locator("[data-link=join-drill]").click()
    student.wait_for_url(re.compile(r"/drills/\d+/play/$"))
    tabs = student.locator("[data-role=tab-list] .ws-tab")
    expect(tabs.nth(1)).to_be_visible(timeout=30_000)
    expect(student.locator("[data-role=conn-state]")).to_have_attribute("data-state", "connected")

    # Answer the first chat; start a draft in the second, look at the first, come back to it.
    tabs.nth(0).click()
    first_id, second_id = (tabs.nth(i).get_attribute("data-conversation") for i in (0, 1))
    first_list = student.locator(f"ol.messages[data-conversation='{first_id}']")
    expect(first_list.locator(".msg-customer").first).to_be_visible(timeout=15_000)
    student.fill("[data-role=input]", "亲，您好~在的，请问有什么可以帮您？")
    student.locator("[data-role=input]").press("Enter")
    expect(first_list.locator(".msg-agent")).to_have_count(1, timeout=10_000)
    expect(first_list.locator(".msg-agent .msg-state")).to_have_text("已发送", timeout=10_000)
    second_name = tabs.nth(1).get_attribute("data-name")
    tabs.nth(1).click()
    expect(student.locator("[data-role=chat-name]")).to_have_text(second_name)
    student.fill("[data-role=input]", "亲亲，马上为您查询")
    tabs.nth(0).click()
    expect(student.locator("[data-role=input]")).to_have_value("")
    tabs.nth(1).click()
    expect(student.locator("[data-role=input]")).to_have_value("亲亲，马上为您查询")
    second_list = student.locator(f"ol.messages[data-conversation='{second_id}']")
    expect(second_list).to_be_visible()
    expect(first_list).to_be_hidden()
    expect(second_list.locator(".msg-customer").first).to_be_visible(timeout=15_000)
    student.locator("[data-role=input]").press("Enter")
    expect(second_list.locator(".msg-agent")).to_have_count(1, timeout=10_000)
    # Each chat kept its own lines.
    expect(first_list.locator(".msg-agent")).to_have_count(1)

    # The rush fills the cap of 3 and the queue builds: "排队中 N 位" in the tab bar.
    queue = student.locator("[data-role=drill-queue]")
    expect(queue).to_have_text(re.compile(r"排队中 \d+ 位"), timeout=40_000)
    expect(tabs).to_have_count(3)
    shot(student, "drill-workspace-1440")

    # The teacher's dashboard counts it live: open chats and the queue, per student and in all.
    expect(teacher.locator("[data-role=drill-totals] [data-field=active]")).not_to_have_text(
        "0", timeout=10_000
    )
    row = teacher.locator(f"tr[data-student={STUDENTS[0]}]")
    expect(row.locator("[data-field=active]")).to_contain_text("3", timeout=10_000)
    expect(row.locator("[data-field=queued]")).not_to_have_text("0", timeout=10_000)
    expect(teacher.locator(".monitor-row").first).to_be_visible()
    shot(teacher, "drill-dashboard-1440")

    # A customer left unanswered gives up; the oldest queued customer takes the free chat.
    expect(student.locator(".ws-tab.ws-tab-ended").first).to_be_visible(timeout=60_000)
    expect(tabs).to_have_count(4, timeout=10_000)
    expect(student.locator(".ws-tab:not(.ws-tab-ended)")).to_have_count(3)

    # The same workspace on a phone: the tabs scroll sideways, the reply box stays in reach.
    phone = student_context.new_page()
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(student.url)
    phone_tabs = phone.locator("[data-role=tab-list] .ws-tab")
    expect(phone_tabs.first).to_be_visible(timeout=15_000)
    box = phone.locator("[data-role=input]").bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= 844
    strip = phone.locator("[data-role=tab-list]").bounding_box()
    assert strip is not None
    assert strip["width"] <= 390
    shot(phone, "drill-workspace-390")
    teacher_phone = teacher_context.new_page()
    teacher_phone.set_viewport_size({"width": 390, "height": 844})
    teacher_phone.goto(teacher.url)
    expect(teacher_phone.locator("[data-role=drill-totals]")).to_be_visible()
    assert teacher_phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(teacher_phone, "drill-dashboard-390")

    # The teacher stops it: every open chat ends and is scored; the summary sums it up.
    teacher.locator("[data-role=stop-drill]").click()
    teacher.wait_for_url(re.compile(r"/drills/\d+/summary/$"))
    summary_row = teacher.locator(f"tr[data-student={STUDENTS[0]}]")
    expect(summary_row.locator("[data-field=served]")).to_have_text("2")
    expect(summary_row.locator("[data-field=score] strong")).to_be_visible(timeout=15_000)
    expect(student.locator("[data-role=drill-over]")).to_be_visible(timeout=10_000)
    shot(teacher, "drill-summary-1440")
    shot(student, "drill-over-1440")
    teacher_phone.goto(teacher.url)
    expect(teacher_phone.locator(f"tr[data-student={STUDENTS[0]}]")).to_be_visible()
    assert teacher_phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(teacher_phone, "drill-summary-390")

    # The student finds every chat of the drill on their home, with its report.
    student.locator("[data-role=drill-over] a").click()
    past = student.locator("[data-role=past-drills]")
    expect(past).to_be_visible()
    expect(past.locator("[data-score]").first).to_be_visible()
    past.scroll_into_view_if_needed()
    shot(student, "drill-home-after-1440")
    for context in (teacher_context, student_context):
        context.close()
