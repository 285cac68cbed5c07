"""The live monitor through a real Daphne: a teacher watches a student's chat live, takes over as
the customer, coaches, and hands the customer back to the script, in two browser contexts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/monitor-shots")  # noqa: S108 (where the lead looks at them)
STUDENT = "student14"
STUDENT_NAME = "学生14"
TEACHER_LINE = "我160，52公斤，主要上班穿，里面会穿毛衣。"
NOTE = "先问清楚场合再推荐尺码，做得好！"
HANDED_BACK_STATE = "reveal_more"  # a state the chat has not been in: its line is new here
HANDED_BACK_LINE = "我喜欢驼色的。肩宽大概39、40左右。"


def snap(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def test_teacher_watches_takes_over_coaches_and_hands_back(server, browser, shot):
    student_context = browser.new_context(viewport={"width": 1440, "height": 900})
    teacher_context = browser.new_context(viewport={"width": 1440, "height": 900})
    chat = student_context.new_page()
    monitor = teacher_context.new_page()
    dialogs: list[str] = []
    chat.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    # The teacher's one question is the end's confirmation: answered yes.
    teacher_context.on(
        "page", lambda page: page.on("dialog", lambda d: (dialogs.append(d.message), d.accept()))
    )
    monitor.on("dialog", lambda d: (dialogs.append(d.message), d.accept()))

    login(monitor, server, "teacher")
    monitor.get_by_role("link", name="实时监控").first.click()
    expect(monitor.locator("h1")).to_contain_text("实时监控")
    expect(monitor.locator("[data-role=conn-state]")).to_have_attribute("data-state", "connected")

    # The student starts: the row appears on the teacher's monitor without a reload.
    login(chat, server, STUDENT)
    chat.locator(".assignment-card", has_text="大衣选哪个码").first.get_by_role(
        "button", name="开始对话"
    ).click()
    chat.wait_for_url(re.compile(r"/conversations/\d+/"))
    expect(chat.locator(".msg-customer")).to_have_count(1, timeout=15_000)
    row = monitor.locator("tr.monitor-row", has_text=STUDENT_NAME)
    expect(row).to_have_count(1, timeout=10_000)
    expect(row.locator("[data-field=last-role]")).to_have_text("顾客", timeout=10_000)

    chat.fill("[data-role=input]", "亲，您好~欢迎光临简衣！请问您平时在什么场合穿呢？")
    chat.keyboard.press("Enter")
    expect(chat.locator(".msg-customer")).to_have_count(2, timeout=15_000)
    # The monitor follows each line: the student's reply, then the customer's answer.
    expect(row.locator("[data-field=state]")).to_have_text(re.compile(r"reveal"), timeout=10_000)
    expect(row.locator("[data-field=last-role]")).to_have_text("顾客", timeout=10_000)
    snap(monitor, "01-monitor-1440")
    shot(monitor, "monitor-01-rows")

    # Watch the chat live, the monitor staying open beside it.
    watch = teacher_context.new_page()
    watch.goto(server.url + row.get_by_role("link", name="查看").get_attribute("href"))
    expect(watch.locator("[data-role=conn-state]")).to_have_attribute("data-state", "connected")
    expect(watch.locator(".msg-customer")).to_have_count(2, timeout=10_000)
    expect(watch.locator(".msg-agent")).to_have_count(1)
    chat.fill("[data-role=input]", "好的，推荐您拍M码，肩宽40cm。")
    chat.keyboard.press("Enter")
    expect(watch.locator(".msg-agent")).to_have_count(2, timeout=10_000)  # live, no reload
    expect(chat.locator(".msg-customer")).to_have_count(3, timeout=15_000)
    expect(watch.locator(".msg-customer")).to_have_count(3, timeout=10_000)

    # Take over: the script pauses; the teacher types as the customer.
    watch.get_by_role("button", name="接管顾客").click()
    expect(watch.locator("[data-role=takeover-banner]")).to_be_visible()
    watch.fill("[data-role=customer-composer] textarea", TEACHER_LINE)
    # The student sees the customer typing, as for the script's lines.
    expect(chat.locator("[data-role=typing]")).to_be_visible(timeout=5_000)
    watch.keyboard.press("Enter")
    expect(watch.locator(".msg-customer", has_text=TEACHER_LINE)).to_have_count(1, timeout=10_000)
    expect(chat.locator(".msg-customer", has_text=TEACHER_LINE)).to_have_count(1, timeout=10_000)
    # To the student it is the customer's line, like any other: no label, no teacher's name.
    student_line = chat.locator(".msg-customer", has_text=TEACHER_LINE)
    expect(student_line.locator(".msg-label")).to_have_text("")
    assert "王老师" not in chat.content()

    # The student answers with a promise the shop does not make; the paused script stays
    # silent, and the monitor raises the alert beside the takeover.
    chat.fill("[data-role=input]", "肯定合适，不合适我给您包退运费！")
    chat.keyboard.press("Enter")
    expect(watch.locator(".msg-agent")).to_have_count(3, timeout=10_000)
    expect(row.locator("[data-alert=promise]")).to_be_visible(timeout=10_000)
    expect(row.locator("[data-field=taken-over]")).to_be_visible()
    expect(row.locator("[data-alert=rude]")).to_be_hidden()
    snap(monitor, "01b-monitor-alert-and-takeover-1440")
    watch.wait_for_timeout(2_500)  # longer than the script's reply would take at this speed
    expect(chat.locator(".msg-customer")).to_have_count(4)

    # A private coaching note reaches the student, marked as the teacher's.
    watch.fill("[data-role=note-composer] textarea", NOTE)
    watch.get_by_role("button", name="发送便条").click()
    expect(chat.locator(".msg-note", has_text=NOTE)).to_have_count(1, timeout=10_000)
    expect(chat.locator(".msg-note .msg-label")).to_contain_text("老师的指导便条")
    expect(watch.locator(".msg-note", has_text=NOTE)).to_have_count(1)
    snap(watch, "02-watch-takeover-1440")
    snap(chat, "03-student-sees-teacher-line-and-note-1440")

    # Hand back at a chosen state: the engine resumes and says that state's line.
    watch.select_option("[data-role=hand-back-state]", HANDED_BACK_STATE)
    watch.get_by_role("button", name="交回脚本").click()
    expect(watch.locator("[data-role=takeover-banner]")).to_be_hidden()
    expect(watch.locator("[data-role=state]")).to_have_text(HANDED_BACK_STATE, timeout=10_000)
    expect(chat.locator(".msg-customer", has_text=HANDED_BACK_LINE)).to_have_count(
        1, timeout=15_000
    )
    expect(watch.locator(".msg-customer", has_text=HANDED_BACK_LINE)).to_have_count(1)
    # And it plays on by the script: the student's answer gets the script's next line.
    chat.fill("[data-role=input]", "那推荐您拍驼色M码，肩宽40cm正合适。")
    chat.keyboard.press("Enter")
    expect(chat.locator(".msg-customer")).to_have_count(6, timeout=15_000)
    expect(chat.locator(".msg-customer").last).to_have_text(re.compile("退货包运费"))
    snap(chat, "04-student-after-hand-back-1440")
    snap(watch, "05-watch-after-hand-back-1440")

    # The transcript of the chat in progress follows it live.
    transcript = teacher_context.new_page()
    transcript.goto(
        watch.url.replace("/conversations/", "/assessment/transcripts/").replace("watch/", "")
    )
    expect(transcript.locator("[data-live-transcript], #transcript-live")).to_be_visible()
    before = transcript.locator(".transcript li").count()
    chat.fill("[data-role=input]", "好的，跟您核对一下：驼色M码1件，对吗？")
    chat.keyboard.press("Enter")
    expect(transcript.locator(".transcript li")).to_have_count(before + 1, timeout=10_000)
    expect(transcript.locator(".transcript .role-note")).to_have_count(1)
    expect(transcript.locator("[data-played-by]")).to_have_count(1)  # the teacher's line, marked
    snap(transcript, "06-transcript-live-1440")

    # Phones: the monitor stacks its rows, the watch page its panels.
    phone = teacher_context.new_page()
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(server.url + "/monitor/")
    expect(phone.locator("tr.monitor-row", has_text=STUDENT_NAME)).to_be_visible(timeout=10_000)
    snap(phone, "07-monitor-390")
    phone.locator("tr.monitor-row", has_text=STUDENT_NAME).get_by_role("link", name="查看").click()
    expect(phone.locator(".msg-note")).to_have_count(1, timeout=10_000)
    snap(phone, "08-watch-390")
    phone.locator(".watch-panel").scroll_into_view_if_needed()
    phone.get_by_role("button", name="接管顾客").scroll_into_view_if_needed()
    snap(phone, "09-watch-controls-390")
    chat.set_viewport_size({"width": 390, "height": 844})
    snap(chat, "10-student-390")
    assert dialogs == []

    # The teacher ends the chat with a reason; the student is told it was the teacher.
    watch.fill("[data-role=end-form] input", "下课了")
    watch.get_by_role("button", name="结束对话").click()
    expect(chat.locator("[data-role=ended]")).to_be_visible(timeout=10_000)
    expect(chat.locator("[data-role=ended-detail]")).to_have_text("老师结束了这次对话。")
    expect(watch.locator("[data-role=ended]")).to_be_visible()
    assert len(dialogs) == 1  # the teacher was asked once before the end
    snap(chat, "11-student-ended-by-teacher-390")
    student_context.close()
    teacher_context.close()
