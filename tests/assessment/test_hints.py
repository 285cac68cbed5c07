"""Live hints in a practice chat: the next step, a long wait, a claim against the facts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from assessment import hints
from simulator import services as simulator_services
from simulator.models import Assignment


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def kinds(hints) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for hint in hints.items:
        found.setdefault(hint.kind, []).append(hint.text)
    return found


def test_a_customer_left_waiting_past_the_first_response_line_gets_a_hint(
    chat, assignment, student
):
    conversation = chat(assignment, student, [("customer", "这件大衣有M码吗？")], end=False)

    asked = conversation.messages.get().created_at
    soon = hints.hints_for(student, conversation.pk, now=asked + timedelta(seconds=5))
    late = hints.hints_for(student, conversation.pk, now=asked + timedelta(seconds=40))

    assert "wait" not in kinds(soon)
    assert kinds(late)["wait"] == ["顾客已经等了 40 秒：请马上回复。"]


def test_the_next_step_not_yet_shown_and_a_wrong_price_are_hinted(chat, assignment, student):
    conversation = chat(
        assignment,
        student,
        [
            ("customer", "这件大衣我穿什么码合适？多少钱？"),
            ("agent", "亲，您好~这款大衣只要199元哦"),
        ],
        end=False,
    )

    found = kinds(hints.hints_for(student, conversation.pk))

    assert found["step"] == ["还没有做到：询问。"]
    assert any("199" in text and "399" in text for text in found["fact"])


def test_when_the_chat_ends_the_score_shows_and_the_poll_stops(chat, assignment, student):
    conversation = chat(assignment, student, [("customer", "在吗")])
    response = client_for(student).get(reverse("assessment:hints", args=[conversation.pk]))
    assert response.status_code == 286
    total = conversation.assessments.get().total
    html = response.content.decode()
    assert "data-result" in html
    assert f">{total:.0f}</span>/100" in html


def test_an_ended_chat_not_yet_scored_keeps_polling_a_while(chat, assignment, student):
    conversation = chat(assignment, student, [("customer", "在吗")])
    conversation.assessments.all().delete()
    client = client_for(student)
    url = reverse("assessment:hints", args=[conversation.pk])
    assert client.get(url).status_code == 200
    conversation.ended_at -= timedelta(minutes=2)
    conversation.save(update_fields=["ended_at"])
    assert client.get(url).status_code == 286


def test_an_exam_shows_no_hints(chat, classroom, coat_scenario, student):
    exam = simulator_services.assign_scenario(
        classroom, scenario_version=coat_scenario, mode=Assignment.Mode.EXAM
    )
    conversation = chat(exam, student, [("customer", "在吗")], end=False)
    client = client_for(student)
    assert client.get(reverse("assessment:hints", args=[conversation.pk])).status_code == 404
    workspace = client.get(reverse("simulator:workspace", args=[conversation.pk])).content
    assert b'data-role="hints"' not in workspace


def test_the_practice_workspace_polls_for_hints(chat, assignment, student):
    conversation = chat(assignment, student, [("customer", "在吗")], end=False)
    workspace = client_for(student).get(reverse("simulator:workspace", args=[conversation.pk]))
    assert reverse("assessment:hints", args=[conversation.pk]).encode() in workspace.content


@pytest.mark.parametrize("who", ["classmate", "teacher"])
def test_only_the_student_gets_their_hints(request, chat, assignment, student, who):
    conversation = chat(assignment, student, [("customer", "在吗")], end=False)
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("assessment:hints", args=[conversation.pk])).status_code == 404
