"""The live monitor's pages: what each teacher sees, the class filter, English complete."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from simulator import services
from simulator.models import Message

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def _default_language():
    yield
    # The language middleware activates the user's language for the thread: give it back.
    translation.deactivate()


def client_for(user, *, language: str = "") -> Client:
    client = Client()
    client.force_login(user)
    if language:
        client.post(reverse("simulator:set_language"), {"language": language, "next": "/"})
    return client


@pytest.fixture
def conversations(assignment, student, classmate, other_classroom, coat_scenario, outsider):
    mine = services.start_attempt(assignment, student=student)
    ended = services.start_attempt(assignment, student=classmate)
    services.end_conversation(ended, reason="student")
    theirs = services.start_attempt(
        services.assign_scenario(other_classroom, scenario_version=coat_scenario),
        student=outsider,
    )
    return mine, ended, theirs


def rows_of(html: str) -> list[int]:
    return [
        int(pk)
        for pk in re.findall(r'<tr class="monitor-row[^"]*" data-conversation="(\d+)"', html)
    ]


def test_the_monitor_lists_the_active_conversations_of_the_teachers_classes(
    conversations, teacher, other_teacher
):
    mine, _ended, theirs = conversations

    assert rows_of(client_for(teacher).get(reverse("simulator:monitor")).content.decode()) == [
        mine.pk
    ]
    assert rows_of(
        client_for(other_teacher).get(reverse("simulator:monitor")).content.decode()
    ) == [theirs.pk]


def test_the_class_filter_shows_one_class_and_refuses_another_teachers(
    conversations, teacher, classroom, other_classroom
):
    client = client_for(teacher)
    url = reverse("simulator:monitor")

    shown = client.get(url, {"classroom": classroom.pk})
    assert rows_of(shown.content.decode()) == [conversations[0].pk]
    assert client.get(url, {"classroom": other_classroom.pk}).status_code == 404
    assert client.get(url, {"classroom": "x"}).status_code == 404


def test_a_row_shows_the_last_line_and_an_alert(conversations, teacher, student):
    mine = conversations[0]
    services.post_message(mine, author=student, text="爱买不买", role=Message.Role.AGENT)
    Message.objects.filter(conversation=mine).update(moves=["rude"])

    html = client_for(teacher).get(reverse("simulator:monitor")).content.decode()
    assert "爱买不买" in html
    assert re.search(r'data-alert="rude">', html)  # shown: no `hidden` on it
    assert re.search(r'data-alert="promise" hidden', html)


def test_the_watch_page_offers_every_state_to_hand_back_at(conversations, teacher):
    mine = conversations[0]
    html = client_for(teacher).get(reverse("simulator:watch", args=[mine.pk])).content.decode()

    for state in mine.scenario_version.script.states:
        assert f'<option value="{state}"' in html
    assert 'data-role="take-over"' in html


@pytest.mark.parametrize("name", ["simulator:monitor", "simulator:watch"])
def test_the_english_pages_have_no_chinese_outside_user_content(
    name, conversations, teacher, student
):
    mine = conversations[0]
    args = [mine.pk] if name == "simulator:watch" else []
    html = client_for(teacher, language="en").get(reverse(name, args=args)).content.decode()
    # User and scenario content (names, titles, chat text, the shop's facts) may be Chinese.
    user_content = [
        mine.scenario_version.title,
        mine.student.display_name,
        mine.assignment.classroom.name,
        *(m.text for m in mine.messages.all()),
    ]
    for text in user_content:
        html = html.replace(text, "")
    html = re.sub(r'translate="no"[^>]*>[^<]*<', "><", html)
    # The shop's facts are the scenario's data (the workspace shows the same panel).
    # It is the panel's last card: cut from it to the end of the panel.
    html = re.sub(r"watch-facts.*?</aside>", "", html, flags=re.S)
    html = html.replace("简体中文", "")
    assert not CJK.search(html), CJK.findall(html)[:10]
