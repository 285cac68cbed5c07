"""The live monitor's services: takeover, hand-back, coaching notes, a teacher's end, the rows."""

from __future__ import annotations

import uuid

import pytest

from assessment.selectors import transcript_of
from simulator import protocol, runtime, selectors, services
from simulator.models import AuditEvent, Conversation, Message, ScheduledAction, monitor_group


@pytest.fixture
def conversation(assignment, student, clock):
    conversation = services.start_attempt(assignment, student=student)
    play_due(clock)  # the customer's opening line
    conversation.refresh_from_db()
    return conversation


@pytest.fixture
def sent(monkeypatch):
    """Every frame broadcast after commit, as (group, frame); the test's transaction never
    commits, so what waits for the commit runs at once."""
    frames: list[tuple[str, dict]] = []
    monkeypatch.setattr(services, "broadcast", lambda group, frame: frames.append((group, frame)))
    monkeypatch.setattr(services.transaction, "on_commit", lambda callback, **kw: callback())
    return frames


def play_due(clock, seconds=0.3):
    """Run what falls due within `seconds`: at the tests' time scale (0.01) a line takes at most
    0.15 s to type and the shortest patience timer is 0.6 s."""
    clock.advance(seconds)
    runtime.run_due()


def say(conversation, author, text, *, role=Message.Role.AGENT):
    message, _created = services.post_message(
        conversation, author=author, text=text, client_id=uuid.uuid4(), role=role
    )
    return message


def pending_replies(conversation) -> int:
    return ScheduledAction.objects.filter(
        conversation=conversation, kind__in=("typing", "say"), done_at__isnull=True
    ).count()


def test_taking_over_pauses_the_customer_and_drops_the_reply_being_typed(
    conversation, student, teacher, clock
):
    say(conversation, student, "亲，您好~请问您平时什么场合穿呢？")
    assert pending_replies(conversation) == 2  # the customer is about to answer

    services.take_over_conversation(conversation, by=teacher)
    play_due(clock)
    say(conversation, student, "推荐您拍M码哦")  # the engine hears it but does not answer
    for _ in range(10):
        play_due(clock, 1.0)  # not even a silence timer makes the paused customer speak

    conversation.refresh_from_db()
    assert conversation.is_taken_over
    assert conversation.taken_over_by == teacher
    assert list(conversation.messages.values_list("role", flat=True)) == [
        "customer",
        "agent",
        "agent",
    ]
    assert pending_replies(conversation) == 0
    event = AuditEvent.objects.get(action=AuditEvent.Action.TAKEN_OVER)
    assert (event.actor, event.subject, event.classroom) == (
        teacher,
        student,
        conversation.assignment.classroom,
    )
    assert event.details["conversation"] == conversation.pk


def test_a_teachers_line_is_stored_as_the_customers_and_reads_like_one(
    conversation, student, teacher, sent
):
    services.take_over_conversation(conversation, by=teacher)
    sent.clear()
    line = say(conversation, teacher, "那M码会不会太紧？", role=Message.Role.CUSTOMER)

    line.refresh_from_db()
    assert (line.role, line.author, line.seq) == ("customer", teacher, 2)
    conversation.refresh_from_db()
    assert conversation.customer_last_line == "那M码会不会太紧？"  # the next reply's context
    (frame,) = [f for group, f in sent if group == conversation.group_name]
    scripted = protocol.message_new(conversation.messages.get(seq=1))
    # What the student's socket gets: the script's shape exactly, nothing naming a person.
    assert frame.keys() == scripted.keys()
    assert frame["client_id"] is None
    assert teacher.username not in str(frame)


def test_nobody_types_as_the_customer_while_the_script_plays_it(conversation, teacher):
    with pytest.raises(services.NotTakenOver):
        say(conversation, teacher, "我是顾客", role=Message.Role.CUSTOMER)

    assert conversation.messages.count() == 1


def test_handing_back_at_a_chosen_state_makes_the_customer_speak_its_line(
    conversation, student, teacher, clock
):
    services.take_over_conversation(conversation, by=teacher)
    say(conversation, teacher, "我160，52公斤，平时上班穿。", role=Message.Role.CUSTOMER)

    services.hand_back_conversation(conversation, by=teacher, state="return_question")
    play_due(clock, 0.2)

    conversation.refresh_from_db()
    assert not conversation.is_taken_over
    assert conversation.taken_over_by is None
    assert conversation.engine_state["node"] == "return_question"
    last = conversation.messages.order_by("seq").last()
    assert (last.role, last.author, last.text) == ("customer", None, "那要是不合适，退货包运费吗？")
    event = AuditEvent.objects.get(action=AuditEvent.Action.HANDED_BACK)
    assert event.details["state"] == "return_question"
    # The engine runs again: the student's next reply gets the script's answer.
    say(conversation, student, "亲，这款支持7天无理由退换哦~")
    play_due(clock, 0.2)
    assert conversation.messages.filter(role="customer", author=None).count() == 3


def test_handing_back_where_it_paused_restarts_the_patience_clock(conversation, teacher, clock):
    services.take_over_conversation(conversation, by=teacher)
    services.hand_back_conversation(conversation, by=teacher)

    conversation.refresh_from_db()
    assert conversation.engine_state["node"] == "opening"
    assert conversation.engine_state["deadline"] == pytest.approx(clock.now + 60 * 0.01)


def test_an_unknown_state_is_refused_and_the_teacher_keeps_the_customer(conversation, teacher):
    services.take_over_conversation(conversation, by=teacher)

    with pytest.raises(services.UnknownState):
        services.hand_back_conversation(conversation, by=teacher, state="no-such-state")

    conversation.refresh_from_db()
    assert conversation.is_taken_over
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.HANDED_BACK).exists()


def test_a_second_teacher_takes_the_customer_over_from_the_first(conversation, teacher, classroom):
    from tests.conftest import make_user

    co_teacher = make_user("teacher3", role="instructor")
    classroom.co_teachers.add(co_teacher)
    services.take_over_conversation(conversation, by=teacher)
    services.take_over_conversation(conversation, by=teacher)  # idempotent: one record
    services.take_over_conversation(conversation, by=co_teacher)

    conversation.refresh_from_db()
    assert conversation.taken_over_by == co_teacher
    assert list(
        AuditEvent.objects.filter(action=AuditEvent.Action.TAKEN_OVER)
        .order_by("pk")
        .values_list("actor__username", flat=True)
    ) == ["teacher", "teacher3"]


def test_a_coaching_note_takes_the_next_seq_and_is_no_line_of_the_chat(
    conversation, student, teacher
):
    opening = conversation.messages.get()
    engine_before = conversation.engine_state
    note = say(conversation, teacher, "先问清楚穿着场合，再推荐尺码。", role=Message.Role.NOTE)

    conversation.refresh_from_db()
    # The customer never hears a note: no engine step, no reply planned, the same context.
    assert conversation.engine_state == engine_before
    assert pending_replies(conversation) == 0
    assert conversation.customer_last_line == opening.text
    reply = say(conversation, student, "亲，您好~请问您平时什么场合穿呢？")
    assert (note.seq, reply.seq) == (2, 3)
    assert (note.role, note.author) == ("note", teacher)
    lines = transcript_of(conversation).lines
    assert [line.seq for line in lines] == [1, 3]  # what the scorer and the export read
    assert [m.seq for m in selectors.messages_after(conversation, 1)] == [2, 3]  # resume has it


def test_a_teacher_ends_the_chat_with_a_reason_in_the_audit_log(conversation, teacher, sent):
    services.end_conversation(
        conversation, reason=Conversation.EndReason.TEACHER, by=teacher, note="下课了"
    )

    conversation.refresh_from_db()
    assert conversation.status == Conversation.Status.ENDED
    assert conversation.end_reason == "teacher"
    assert not conversation.scheduled_actions.filter(done_at__isnull=True).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.CONVERSATION_ENDED)
    assert (event.actor, event.details["note"]) == (teacher, "下课了")
    rows = [f for group, f in sent if group == monitor_group(conversation.assignment.classroom_id)]
    assert rows[-1]["status"] == "ended"
    ended = [f for group, f in sent if group == conversation.group_name]
    assert ended[-1]["reason"] == "teacher"


def test_a_student_closing_the_chat_writes_no_audit_row(conversation):
    services.end_conversation(conversation, reason=Conversation.EndReason.STUDENT)

    assert not AuditEvent.objects.exists()


def test_each_chat_line_updates_the_class_monitor_and_a_note_does_not(
    conversation, student, teacher, sent
):
    group = monitor_group(conversation.assignment.classroom_id)
    sent.clear()
    say(conversation, student, "亲，您好~请问您平时什么场合穿呢？")
    say(conversation, teacher, "语气可以再热情一点", role=Message.Role.NOTE)

    rows = [frame for to, frame in sent if to == group]
    assert len(rows) == 1
    (row,) = rows
    assert row["type"] == "monitor.row"
    assert row["last"]["role"] == "agent"
    assert row["last"]["seq"] == 2
    assert row["state"] == conversation.engine_state["node"]
    # The note reaches the conversation's own group (student and watching teachers) only.
    note = [frame for to, frame in sent if frame.get("role") == "note"]
    assert [to for to, frame in sent if frame.get("role") == "note"] == [conversation.group_name]
    assert note[0]["text"] == "语气可以再热情一点"


def test_starting_an_attempt_shows_a_whole_row_on_the_monitor(assignment, classmate, sent):
    conversation = services.start_attempt(assignment, student=classmate)

    (row,) = [f for group, f in sent if group == monitor_group(assignment.classroom_id)]
    assert row["full"] is True
    assert (row["conversation"], row["student"]) == (conversation.pk, classmate.display_name)
    assert row["scenario"] == assignment.scenario_version.title
    assert row["last"] is None


def test_monitor_rows_show_the_last_line_the_wait_and_the_alerts(
    conversation, student, teacher, classroom, assignment, classmate
):
    services.take_over_conversation(conversation, by=teacher)  # or the rude line ends the chat
    reply = say(conversation, student, "推荐您拍M码，肯定合适！")
    Message.objects.filter(pk=reply.pk).update(moves=["promise", "recommend"])
    rude = say(conversation, student, "爱买不买")
    Message.objects.filter(pk=rude.pk).update(moves=["rude"])
    asked = say(conversation, teacher, "你怎么这样说话？", role=Message.Role.CUSTOMER)
    again = say(conversation, teacher, "人呢？", role=Message.Role.CUSTOMER)
    say(conversation, teacher, "别和顾客顶嘴", role=Message.Role.NOTE)
    other = services.start_attempt(assignment, student=classmate)
    ended = services.start_attempt(
        assignment.__class__.objects.create(
            classroom=classroom, scenario_version=assignment.scenario_version
        ),
        student=classmate,
    )
    services.end_conversation(ended, reason=Conversation.EndReason.STUDENT)

    rows = selectors.monitor_rows([classroom.pk])

    assert [row.conversation.pk for row in rows] == [conversation.pk, other.pk]
    row = rows[0]
    assert row.last.pk == again.pk  # the note is no chat line
    assert row.waiting_since == asked.created_at  # a run waits from its first line
    assert row.alerts == {"promise", "rude"}
    assert row.taken_over_by == teacher.display_name
    assert rows[1].last is None
    assert rows[1].alerts == frozenset()
    frame = protocol.monitor_row(row)
    assert frame["alerts"] == ["promise", "rude"]
    assert frame["taken_over"] is True
    assert frame["student"] == student.display_name
