"""The live monitor over the workspace socket: rows, takeover, hand-back, notes, who sees what."""

from __future__ import annotations

import json
import uuid

import pytest
from channels.db import database_sync_to_async

from simulator import services
from simulator.models import AuditEvent, Conversation, Message
from tests.simulator.test_consumers import _site_origin, _stop_runtime, connect, receive

__all__ = ["_site_origin", "_stop_runtime"]  # the consumer tests' autouse fixtures, used here too

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


@pytest.fixture
async def conversation(assignment, student):
    return await database_sync_to_async(services.start_attempt)(assignment, student=student)


async def opened(user):
    communicator = await connect(user)
    assert (await communicator.connect())[0]
    return communicator


async def watching(user, conversation) -> object:
    """A socket subscribed to the conversation, past its backlog."""
    communicator = await opened(user)
    await communicator.send_json_to({"type": "subscribe", "conversation": conversation.pk})
    await receive(communicator, type_="subscribed")
    return communicator


async def drain(communicator, seconds: float = 0.3) -> list[dict]:
    """Every frame that arrives until the socket is quiet for `seconds`."""
    frames = []
    while not await communicator.receive_nothing(timeout=seconds):
        frames.append(json.loads(await communicator.receive_from()))
    return frames


async def until(communicator, test, timeout: float = 5.0) -> dict:
    """The first frame for which `test(frame)` holds, skipping the rest."""
    while True:
        frame = await receive_any(communicator, timeout)
        if test(frame):
            return frame


async def receive_any(communicator, timeout: float) -> dict:
    return json.loads(await communicator.receive_from(timeout=timeout))


def text_frame(kind: str, conversation, text: str, client_id: str | None = None) -> dict:
    return {
        "type": kind,
        "conversation": conversation.pk,
        "client_id": client_id or str(uuid.uuid4()),
        "text": text,
    }


async def test_the_monitor_lists_the_class_and_follows_each_line(
    conversation, student, teacher, classroom
):
    monitor = await opened(teacher)
    await monitor.send_json_to({"type": "monitor.subscribe", "classroom": classroom.pk})
    row = await receive(monitor, type_="monitor.row")
    subscribed = await receive(monitor, type_="monitor.subscribed")
    assert (row["conversation"], row["full"], row["student"]) == (
        conversation.pk,
        True,
        student.display_name,
    )
    assert subscribed == {
        "v": 1,
        "type": "monitor.subscribed",
        "classroom": classroom.pk,
        "active": 1,
    }

    chat = await opened(student)
    await chat.send_json_to(text_frame("message.send", conversation, "亲，您好~在的呢"))
    await receive(chat, type_="message.ack")
    update = await until(
        monitor, lambda f: f["type"] == "monitor.row" and (f["last"] or {}).get("role") == "agent"
    )
    assert update["last"]["text"] == "亲，您好~在的呢"
    assert "full" not in update  # a small update, not the whole row again
    await monitor.disconnect()
    await chat.disconnect()


async def test_students_and_other_teachers_cannot_watch_a_class_monitor(
    conversation, student, other_teacher, classroom
):
    for user in (student, other_teacher):
        socket = await opened(user)
        await socket.send_json_to({"type": "monitor.subscribe", "classroom": classroom.pk})
        error = await receive(socket, type_="error")
        assert (error["code"], error["field"]) == ("not_found", "classroom")
        # And nothing of the monitor reaches them afterwards.
        await database_sync_to_async(services.post_message)(
            conversation, author=student, text="您好", client_id=uuid.uuid4()
        )
        assert not [f for f in await drain(socket) if f["type"] == "monitor.row"]
        await socket.disconnect()


async def test_takeover_the_student_reads_the_teachers_words_as_the_customers(
    conversation, student, teacher, settings
):
    chat = await watching(student, conversation)
    opening = await until(chat, lambda f: f["type"] == "message.new")  # the script's line
    teacher_socket = await watching(teacher, conversation)

    await teacher_socket.send_json_to({"type": "takeover.start", "conversation": conversation.pk})
    row = await receive(teacher_socket, type_="monitor.row")
    assert row["taken_over"] is True
    assert row["taken_over_by"] == teacher.display_name
    await teacher_socket.send_json_to(
        text_frame("customer.send", conversation, "我160，52公斤，平时上班穿。")
    )
    ack = await receive(teacher_socket, type_="message.ack")

    line = await until(chat, lambda f: f["type"] == "message.new" and f["seq"] == ack["seq"])
    assert line["role"] == "customer"
    assert line.keys() == opening.keys()
    assert line["client_id"] is None
    # Nothing of the takeover reached the student: no row, no name, no frame type of it.
    seen = await drain(chat)
    assert {f["type"] for f in seen} <= {"message.new", "typing.start"}
    assert teacher.username not in json.dumps([*seen, line])
    stored = await database_sync_to_async(
        lambda: Message.objects.get(conversation=conversation, seq=ack["seq"])
    )()
    assert (stored.role, stored.author_id) == ("customer", teacher.pk)
    await chat.disconnect()
    await teacher_socket.disconnect()


async def test_hand_back_at_a_chosen_state_the_engine_speaks_again(conversation, student, teacher):
    chat = await watching(student, conversation)
    await until(chat, lambda f: f["type"] == "message.new")
    teacher_socket = await opened(teacher)
    await teacher_socket.send_json_to({"type": "takeover.start", "conversation": conversation.pk})
    await receive(teacher_socket, type_="monitor.row")

    await teacher_socket.send_json_to(
        {"type": "takeover.end", "conversation": conversation.pk, "state": "return_question"}
    )
    row = await receive(teacher_socket, type_="monitor.row")
    assert (row["taken_over"], row["state"]) == (False, "return_question")
    line = await until(chat, lambda f: f["type"] == "message.new" and f["role"] == "customer")
    assert line["text"] == "那要是不合适，退货包运费吗？"

    await teacher_socket.send_json_to(
        {"type": "takeover.end", "conversation": conversation.pk, "state": "nowhere"}
    )
    assert (await receive(teacher_socket, type_="monitor.row"))["taken_over"] is False
    await chat.disconnect()
    await teacher_socket.disconnect()


async def test_an_unknown_state_is_refused(conversation, teacher):
    socket = await opened(teacher)
    await socket.send_json_to({"type": "takeover.start", "conversation": conversation.pk})
    await receive(socket, type_="monitor.row")
    await socket.send_json_to(
        {"type": "takeover.end", "conversation": conversation.pk, "state": "nowhere"}
    )

    error = await receive(socket, type_="error")
    assert error["code"] == "unknown_state"
    assert await database_sync_to_async(
        lambda: Conversation.objects.get(pk=conversation.pk).is_taken_over
    )()
    await socket.disconnect()


async def test_a_coaching_note_reaches_the_student_and_the_teachers_only(
    conversation, student, teacher, classmate, classroom
):
    chat = await watching(student, conversation)
    watcher = await watching(teacher, conversation)
    monitor = await opened(teacher)
    await monitor.send_json_to({"type": "monitor.subscribe", "classroom": classroom.pk})
    await receive(monitor, type_="monitor.subscribed")
    await drain(monitor)
    neighbour = await opened(classmate)
    await neighbour.send_json_to({"type": "subscribe", "conversation": conversation.pk})
    assert (await receive(neighbour, type_="error"))["code"] == "not_found"

    await watcher.send_json_to(text_frame("coach.send", conversation, "先问场合"))
    ack = await receive(watcher, type_="message.ack")

    for socket in (chat, watcher):
        note = await until(socket, lambda f: f.get("role") == "note")
        assert (note["seq"], note["text"], note["conversation"]) == (
            ack["seq"],
            "先问场合",
            conversation.pk,
        )
    assert not [f for f in await drain(neighbour) if f["type"] == "message.new"]
    # The monitor's rows are about the chat: a note moves none of them.
    moved = [f for f in await drain(monitor) if (f.get("last") or {}).get("seq") == ack["seq"]]
    assert moved == []
    # A reconnecting student gets it again by resume, in its place in the sequence.
    again = await opened(student)
    await again.send_json_to(
        {"type": "subscribe", "conversation": conversation.pk, "after": ack["seq"] - 1}
    )
    assert (await receive(again, type_="message.new"))["role"] == "note"
    for socket in (chat, watcher, monitor, neighbour, again):
        await socket.disconnect()


@pytest.mark.parametrize(
    "body",
    [
        {"type": "takeover.start"},
        {"type": "takeover.end", "state": "reveal"},
        {"type": "customer.send", "client_id": str(uuid.uuid4()), "text": "我要退货"},
        {"type": "coach.send", "client_id": str(uuid.uuid4()), "text": "做得好"},
    ],
    ids=lambda body: body["type"],
)
async def test_the_student_cannot_send_a_teachers_frame(conversation, student, body):
    socket = await opened(student)
    await socket.send_json_to({**body, "conversation": conversation.pk})

    error = await receive(socket, type_="error")
    assert error["code"] == "not_found"

    def untouched():
        c = Conversation.objects.get(pk=conversation.pk)
        return (
            not c.is_taken_over
            and not Message.objects.filter(author=student).exists()
            and not AuditEvent.objects.exists()
        )

    assert await database_sync_to_async(untouched)()
    await socket.disconnect()


async def test_typing_as_the_customer_needs_a_takeover(conversation, teacher):
    socket = await opened(teacher)
    await socket.send_json_to(text_frame("customer.send", conversation, "我是顾客"))

    error = await receive(socket, type_="error")
    assert error["code"] == "not_taken_over"
    assert not await database_sync_to_async(
        lambda: Message.objects.filter(author=teacher).exists()
    )()
    await socket.disconnect()


async def test_a_teacher_ends_the_chat_and_the_student_is_told(conversation, student, teacher):
    chat = await watching(student, conversation)
    socket = await opened(teacher)
    await socket.send_json_to(
        {"type": "conversation.end", "conversation": conversation.pk, "reason": "下课了"}
    )

    ended = await receive(chat, type_="conversation.ended")
    assert ended["reason"] == "teacher"
    event = await database_sync_to_async(
        lambda: AuditEvent.objects.get(action=AuditEvent.Action.CONVERSATION_ENDED)
    )()
    assert event.details["note"] == "下课了"
    await chat.disconnect()
    await socket.disconnect()


async def test_the_teacher_typing_as_the_customer_shows_the_customer_typing(
    conversation, student, teacher
):
    chat = await watching(student, conversation)
    await until(chat, lambda f: f["type"] == "message.new")  # the script's opening line
    await drain(chat)
    socket = await opened(teacher)

    await socket.send_json_to({"type": "typing.start", "conversation": conversation.pk})
    # The script plays the customer: nothing to show (its own typing, should its patience run
    # out meanwhile, lasts under 0.2 s at the tests' time scale; a person's 3 s).
    assert not [f for f in await drain(chat) if f["type"] == "typing.start" and f["seconds"] == 3]

    await socket.send_json_to({"type": "takeover.start", "conversation": conversation.pk})
    await receive(socket, type_="monitor.row")
    await socket.send_json_to({"type": "typing.start", "conversation": conversation.pk})
    typing = await until(chat, lambda f: f["type"] == "typing.start" and f["seconds"] == 3)
    assert (typing["role"], typing["conversation"]) == ("customer", conversation.pk)
    assert set(typing) == {"v", "type", "conversation", "role", "seconds"}  # as the script's
    await chat.disconnect()
    await socket.disconnect()
