"""The chat path gives the recogniser what the benchmark gives it: the scenario's kind and
whether this is the student's first line (a bare 您好 greets only there)."""

from __future__ import annotations

import uuid

import pytest

from simulator import services


@pytest.fixture
def conversation(assignment, student, clock):
    return services.start_attempt(assignment, student=student)


def say(conversation, student, text):
    message, _created = services.post_message(
        conversation, author=student, text=text, client_id=uuid.uuid4()
    )
    return message


def test_the_first_line_is_heard_as_the_first_and_later_ones_are_not(
    conversation, student, monkeypatch
):
    from scenarios import services as scenario_services

    seen = []
    real = scenario_services.recognise

    def spy(text, **kwargs):
        seen.append(kwargs.get("turn"))
        return real(text, **kwargs)

    monkeypatch.setattr(scenario_services, "recognise", spy)
    first = say(conversation, student, "您好")
    say(conversation, student, "请问您平时什么场合穿呢？")
    conversation.refresh_from_db()
    say(conversation, student, "您好")  # a fresh read of the conversation: still not the first

    assert seen == [1, 2, 2]
    assert "greet" in first.moves


def test_two_lines_in_one_batch_are_first_and_second(conversation, student, monkeypatch):
    from scenarios import services as scenario_services

    seen = []
    real = scenario_services.recognise
    monkeypatch.setattr(
        scenario_services,
        "recognise",
        lambda text, **kwargs: seen.append(kwargs.get("turn")) or real(text, **kwargs),
    )
    services.post_messages(
        [
            services.Post(conversation, student, "您好", uuid.uuid4()),
            services.Post(conversation, student, "在的亲", uuid.uuid4()),
        ]
    )

    assert seen == [1, 2]
