"""Classmate as customer (issue 7, part 5): pairing, the customer's end, scoring, who sees what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from assessment import services as assessment_services
from simulator import audit, peers, selectors, services
from simulator.models import AuditEvent, Conversation, Message, ScheduledAction
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(assignment, student, classmate, teacher):
    return peers.pair_classmates(assignment, agent=student, customer_player=classmate, by=teacher)


def test_pairing_opens_the_agents_attempt_with_the_script_paused_from_the_start(
    pair, student, classmate, teacher
):
    assert (pair.student, pair.customer_player, pair.is_peer) == (student, classmate, True)
    assert pair.is_taken_over
    assert pair.taken_over_by == classmate
    assert pair.engine_state["began"] is not None
    # The scripted customer never speaks: no opening line, no timer waits to run.
    assert not ScheduledAction.objects.filter(conversation=pair).exists()
    assert not pair.messages.exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.PAIRED)
    assert (event.actor, event.subject, event.details["customer"]) == (
        teacher,
        student,
        classmate.display_name,
    )


def test_the_classmate_types_as_the_customer_and_the_agent_is_heard(pair, student, classmate):
    line, _created = services.post_message(
        pair, author=classmate, text="你好，这件大衣我穿什么码？", role=Message.Role.CUSTOMER
    )
    reply, _created = services.post_message(pair, author=student, text="您好，请问您身高体重多少？")
    assert (line.seq, line.role, reply.seq) == (1, "customer", 2)
    pair.refresh_from_db()
    assert pair.customer_last_line == "你好，这件大衣我穿什么码？"
    assert "ask_open" in reply.moves or "ask_closed" in reply.moves
    # The paused engine answers nothing itself.
    assert not ScheduledAction.objects.filter(conversation=pair, kind="say").exists()


def test_a_teacher_handing_back_stops_the_classmate_typing(pair, classmate, teacher):
    services.hand_back_conversation(pair, by=teacher)
    with pytest.raises(services.NotTakenOver):
        services.post_message(pair, author=classmate, text="还在吗", role=Message.Role.CUSTOMER)


@pytest.mark.parametrize("same", [True, False])
def test_only_two_different_students_of_the_class_are_paired(
    assignment, student, outsider, teacher, same
):
    other = student if same else outsider
    with pytest.raises(peers.NotClassmates):
        peers.pair_classmates(assignment, agent=student, customer_player=other, by=teacher)
    assert not Conversation.objects.exists()


def test_a_student_in_a_chat_of_the_assignment_is_not_paired_again(
    pair, assignment, student, classmate, teacher
):
    third = make_user("student03")
    services.join_classroom(third, code=assignment.classroom.join_code)
    for agent, player in ((third, classmate), (student, third)):
        with pytest.raises(peers.AlreadyInChat):
            peers.pair_classmates(assignment, agent=agent, customer_player=player, by=teacher)


def test_pairing_keeps_the_assignments_terms(assignment, student, classmate, teacher):
    assignment.due_at = timezone.now() - timedelta(hours=1)
    assignment.save()
    with pytest.raises(services.AssignmentClosed):
        peers.pair_classmates(assignment, agent=student, customer_player=classmate, by=teacher)
    assignment.due_at, assignment.max_attempts = None, 1
    assignment.save()
    first = services.start_attempt(assignment, student=student)
    services.end_conversation(first, reason=Conversation.EndReason.STUDENT)
    with pytest.raises(services.AttemptsUsedUp):
        peers.pair_classmates(assignment, agent=student, customer_player=classmate, by=teacher)
    # The classmate still has an attempt: the same two the other way round.
    swapped = peers.pair_classmates(
        assignment, agent=classmate, customer_player=student, by=teacher
    )
    assert swapped.student == classmate


def test_pairing_at_random_pairs_everyone_free_and_leaves_one_out_of_an_odd_class(
    assignment, student, classmate, teacher
):
    for name in ("student03", "student04", "student05"):
        services.join_classroom(make_user(name), code=assignment.classroom.join_code)
    pairing = peers.pair_at_random(assignment, by=teacher)
    assert len(pairing.conversations) == 2
    assert len(pairing.unpaired) == 1
    seated = [c.student_id for c in pairing.conversations] + [
        c.customer_player_id for c in pairing.conversations
    ]
    assert len(set(seated)) == 4
    assert pairing.unpaired[0].pk not in seated
    # Again: everyone paired is busy, the one left over has nobody.
    again = peers.pair_at_random(assignment, by=teacher)
    assert again.conversations == ()
    assert again.unpaired == pairing.unpaired


def test_the_customer_ends_with_an_ending_of_the_scenario_and_the_agent_is_scored(
    pair, student, classmate, django_capture_on_commit_callbacks
):
    services.post_message(pair, author=classmate, text="这件大衣M码还有吗", role="customer")
    services.post_message(pair, author=student, text="您好，有的，您平时穿什么码呢？")
    with django_capture_on_commit_callbacks(execute=True):
        ended = peers.end_as_customer(pair, ending="sale")
    assert (ended.status, ended.end_reason, ended.ending, ended.outcome, ended.rating) == (
        "ended",
        Conversation.EndReason.CUSTOMER,
        "sale",
        "success",
        5,
    )
    assessment = assessment_services.assess_conversation(pair.pk)
    outcome = next(c for c in assessment.report["criteria"] if c["key"] == "outcome")
    assert (outcome["score"], outcome["explanation"]["code"]) == (outcome["max"], "outcome.success")


def test_an_ending_the_scenario_lacks_is_refused_and_nothing_ends(pair):
    with pytest.raises(peers.UnknownEnding):
        peers.end_as_customer(pair, ending="refund_everything")
    pair.refresh_from_db()
    assert pair.is_active


def test_who_may_see_the_role_play(pair, student, classmate, outsider, teacher):
    # The customer player reaches the chat through the socket's selector and the seat only.
    assert selectors.played_conversation_for(classmate, pair.pk) == pair
    assert selectors.chat_conversation_for(classmate, pair.pk) == pair
    with pytest.raises(Http404):
        selectors.conversation_for(classmate, pair.pk)  # transcript, report: not theirs
    with pytest.raises(Http404):
        selectors.own_conversation_for(classmate, pair.pk)  # never as the agent
    for user in (student, outsider, teacher):
        with pytest.raises(Http404):
            selectors.played_conversation_for(user, pair.pk)
    with pytest.raises(Http404):
        selectors.chat_conversation_for(outsider, pair.pk)
    assert selectors.customer_seats(classmate) == [pair]
    assert selectors.customer_seats(student) == []


def test_the_activity_log_reads_the_pairing(pair, student, classmate):
    event = AuditEvent.objects.get(action=AuditEvent.Action.PAIRED)
    line = audit.describe(event)
    assert student.display_name in line
    assert classmate.display_name in line
    assert pair.scenario_version.title in line
