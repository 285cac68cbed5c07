"""Chat services against the real database: seq numbers, idempotency, resume, the runtime."""

from __future__ import annotations

import uuid

import pytest

from simulator import runtime, selectors, services
from simulator.models import Conversation, Message, ScheduledAction


@pytest.fixture
def conversation(assignment, student, clock):
    return services.start_attempt(assignment, student=student)


def say(conversation, student, text, client_id=None):
    return services.post_message(
        conversation, author=student, text=text, client_id=client_id or uuid.uuid4()
    )


def play_due(clock, seconds=30.0):
    """Advance the runtime clock and run whatever fell due, as the server loop would."""
    clock.advance(seconds)
    runtime.run_due()


def test_start_attempt_schedules_the_opening_line_and_sends_it_when_due(conversation, clock):
    assert conversation.messages.count() == 0
    kinds = set(conversation.scheduled_actions.values_list("kind", flat=True))
    assert {"typing", "say", "tick"} <= kinds

    play_due(clock, 20)

    opening = conversation.messages.get()
    assert opening.seq == 1
    assert opening.role == Message.Role.CUSTOMER
    assert "码" in opening.text


def test_messages_get_consecutive_seq_numbers(conversation, student, clock):
    play_due(clock)
    first, _ = say(conversation, student, "亲，您好~")
    second, _ = say(conversation, student, "请问您平时什么场合穿呢？")

    assert (first.seq, second.seq) == (2, 3)
    conversation.refresh_from_db()
    assert conversation.last_seq == 3


def test_resend_with_same_client_id_returns_the_original_seq(conversation, student):
    client_id = uuid.uuid4()
    original, created = say(conversation, student, "您好", client_id)
    again = [say(conversation, student, "您好", client_id) for _ in range(4)]

    assert created is True
    assert all(message.pk == original.pk and not made for message, made in again)
    assert conversation.messages.filter(client_id=client_id).count() == 1


def test_resend_with_other_text_is_refused_and_keeps_the_original_row(conversation, student):
    client_id = uuid.uuid4()
    original, _ = say(conversation, student, "原来的话", client_id)
    with pytest.raises(services.ClientIdConflict):
        say(conversation, student, "改过的话", client_id)

    assert list(conversation.messages.filter(client_id=client_id)) == [original]
    assert conversation.messages.get(client_id=client_id).text == "原来的话"


def test_same_client_id_in_another_conversation_is_a_new_message(
    assignment, student, classmate, conversation
):
    other = services.start_attempt(assignment, student=classmate)
    client_id = uuid.uuid4()
    a, _ = say(conversation, student, "您好", client_id)
    b, created = say(other, classmate, "您好", client_id)

    assert created
    assert a.pk != b.pk


def test_posting_to_an_ended_conversation_is_refused(conversation, student):
    services.end_conversation(conversation, reason=Conversation.EndReason.STUDENT)

    with pytest.raises(services.ConversationClosed):
        say(conversation, student, "还在吗？")
    assert conversation.messages.count() == 0


def test_resume_returns_exactly_the_messages_after_a_seq(conversation, student, clock):
    play_due(clock)
    for text in ("您好", "请问您穿什么场合？", "好的"):
        say(conversation, student, text)

    missed = selectors.messages_after(conversation, 2)

    assert [m.seq for m in missed] == [3, 4]


def test_agent_message_is_stored_with_its_recognised_moves(conversation, student):
    message, _ = say(conversation, student, "非常抱歉让您久等了，请问您平时在什么场合穿呢？")

    assert "apologise" in message.moves
    assert "ask_open" in message.moves
    assert message.evidence["apologise"]


def test_an_open_question_leads_the_customer_to_reveal_her_sweater(conversation, student, clock):
    play_due(clock)
    say(conversation, student, "您好，请问您平时什么场合穿呢？")
    play_due(clock)

    reply = conversation.messages.filter(role=Message.Role.CUSTOMER).order_by("-seq").first()
    assert "毛衣" in reply.text


def test_a_burst_of_agent_messages_gets_one_customer_reply(conversation, student, clock):
    play_due(clock)
    say(conversation, student, "您好~")
    say(conversation, student, "请问您平时什么场合穿呢？")
    play_due(clock)

    customer_lines = conversation.messages.filter(role=Message.Role.CUSTOMER)
    assert customer_lines.count() == 2  # the opening and one answer to both messages
    assert "毛衣" in customer_lines.last().text


def test_customer_leaves_when_patience_runs_out(conversation, clock):
    for _ in range(12):  # opening, nudge, then silence until she leaves
        play_due(clock, 120)

    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.ENDED
    assert conversation.end_reason == Conversation.EndReason.CUSTOMER
    assert conversation.outcome == Conversation.Outcome.LOST


def test_a_due_reply_runs_once_even_when_two_passes_race(conversation, clock):
    clock.advance(20)
    runtime.run_due()
    runtime.run_due()  # a second server process, or a restart, running the same due rows

    assert conversation.messages.filter(role=Message.Role.CUSTOMER).count() == 1


def test_closing_the_chat_cancels_the_customers_pending_actions(conversation):
    services.end_conversation(conversation, reason=Conversation.EndReason.STUDENT)

    assert not ScheduledAction.objects.filter(
        conversation=conversation, done_at__isnull=True
    ).exists()


def test_start_attempt_returns_the_conversation_in_progress(assignment, student, conversation):
    assert services.start_attempt(assignment, student=student).pk == conversation.pk


def test_attempts_run_out_at_the_assignments_limit(assignment, student):
    assignment.max_attempts = 1
    assignment.save()
    first = services.start_attempt(assignment, student=student)
    services.end_conversation(first, reason=Conversation.EndReason.STUDENT)

    with pytest.raises(services.AttemptsUsedUp):
        services.start_attempt(assignment, student=student)


def test_unknown_join_code_is_refused(student):
    with pytest.raises(services.UnknownJoinCode):
        services.join_classroom(student, code="NOPE42")


def test_only_students_join_by_code(other_teacher, classroom):
    with pytest.raises(services.OnlyStudentsJoin):
        services.join_classroom(other_teacher, code=classroom.join_code)
    with pytest.raises(services.OnlyStudentsJoin):  # the same answer for a code that is wrong
        services.join_classroom(other_teacher, code="NOPE42")
    assert not classroom.memberships.exists()


def test_outsider_cannot_reach_a_students_conversation(conversation, outsider, other_teacher):
    from django.http import Http404

    for user in (outsider, other_teacher):
        with pytest.raises(Http404):
            selectors.conversation_for(user, conversation.pk)


def test_teacher_sees_the_conversation_but_cannot_write_as_the_agent(conversation, teacher):
    from django.http import Http404

    assert selectors.conversation_for(teacher, conversation.pk) == conversation
    with pytest.raises(Http404):
        selectors.own_conversation_for(teacher, conversation.pk)


def test_no_new_attempt_after_the_due_date(assignment, student):
    from datetime import timedelta

    from django.utils import timezone

    assignment.due_at = timezone.now() - timedelta(minutes=1)
    assignment.save()

    with pytest.raises(services.AssignmentClosed):
        services.start_attempt(assignment, student=student)


def test_an_action_that_fails_is_recorded_as_failed_and_the_others_still_run(
    assignment, student, classmate, clock, monkeypatch
):
    first = services.start_attempt(assignment, student=student)
    second = services.start_attempt(assignment, student=classmate)
    ScheduledAction.objects.filter(conversation=second, kind="tick").update(
        due_at=ScheduledAction.objects.get(conversation=second, kind="say").due_at
    )

    def broken(conversation, event):
        raise RuntimeError("engine bug")

    monkeypatch.setattr(services, "feed_customer", broken)
    play_due(clock, 20)

    # Both customers' opening lines went out together; the timers that broke are marked so.
    assert first.messages.filter(role=Message.Role.CUSTOMER).count() == 1
    assert second.messages.filter(role=Message.Role.CUSTOMER).count() == 1
    ticks = ScheduledAction.objects.filter(conversation=second, kind="tick")
    assert ticks.filter(failed=True, done_at__isnull=False).count() == 1
    assert not ScheduledAction.objects.filter(failed=True, kind="say").exists()


def test_an_archived_class_takes_no_new_attempt_and_no_new_student(assignment, student, outsider):
    from django.utils import timezone

    assignment.classroom.archived_at = timezone.now()
    assignment.classroom.save()

    with pytest.raises(services.ClassroomArchived):
        services.start_attempt(assignment, student=student)
    with pytest.raises(services.ClassroomClosedToJoin):
        services.join_classroom(outsider, code=assignment.classroom.join_code)
    assert not Conversation.objects.filter(student=student).exists()
