"""The live monitor's traces in assessment: notes are never graded, takeovers never shown to
the student."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from assessment.hints import _waiting_since
from assessment.models import Assessment
from simulator import services
from simulator.models import Message
from tests.assessment.conftest import COAT_CHAT

# Notes worded as the faults the scorer looks for: were they read as lines, marks would move.
NOTES = ["别说“爱买不买”这种话！", "不要承诺包退运费，店铺不包。", "问问顾客穿什么场合"]


def with_notes(conversation, teacher) -> None:
    for text in NOTES:
        services.post_message(conversation, author=teacher, text=text, role=Message.Role.NOTE)


@pytest.fixture
def coached(chat, assignment, student, teacher, django_capture_on_commit_callbacks):
    conversation = chat(assignment, student, COAT_CHAT[:3], end=False)
    with_notes(conversation, teacher)
    with django_capture_on_commit_callbacks(execute=True):
        for role, text in COAT_CHAT[3:]:
            services.post_message(
                conversation,
                author=student if role == "agent" else None,
                text=text,
                role=role,
            )
        services.end_conversation(conversation, reason="student", outcome="success", rating=5)
    return conversation


def marks(conversation) -> list[tuple[str, float]]:
    report = Assessment.objects.get(conversation=conversation, current=True).report
    return [(item["key"], item["score"]) for item in report["criteria"]]


def test_coaching_notes_change_no_mark(coached, chat, assignment, classmate):
    plain = chat(assignment, classmate, COAT_CHAT)

    assert coached.messages.filter(role="note").count() == len(NOTES)
    assert marks(coached) == marks(plain)


def test_the_transcript_shows_notes_and_who_typed_as_the_customer_to_teachers_only(
    assignment, student, teacher
):
    conversation = services.start_attempt(assignment, student=student)
    services.take_over_conversation(conversation, by=teacher)
    services.post_message(conversation, author=teacher, text="你们家发什么快递？", role="customer")
    with_notes(conversation, teacher)
    url = reverse("assessment:transcript", args=[conversation.pk])

    pages = {}
    for user in (student, teacher):
        client = Client()
        client.force_login(user)
        pages[user.username] = client.get(url).content.decode()

    for page in pages.values():
        assert "你们家发什么快递？" in page
        assert page.count('class="role-note"') == len(NOTES)
    assert "data-played-by" in pages["teacher"]
    assert "data-played-by" not in pages["student01"]
    assert teacher.display_name not in pages["student01"]


def test_a_note_does_not_stop_the_hints_waiting_clock(assignment, student, teacher):
    from django.utils import timezone

    conversation = services.start_attempt(assignment, student=student)
    services.post_message(conversation, author=None, text="在吗？", role="customer")
    asked = timezone.now()
    services.post_message(conversation, author=teacher, text="快回复顾客", role="note")

    waited = _waiting_since(conversation, asked)
    assert waited is not None
    assert waited >= 0
