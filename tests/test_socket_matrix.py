"""Who may send which workspace frame about a conversation: every client frame type × role.

The websocket half of the authorisation matrix (tests/test_authorisation_matrix.py has the
URLs). A frame type of `protocol.ClientFrame` without a row in FRAMES fails
`test_every_frame_type_has_a_row`. Refused means the same `not_found` error a missing
conversation gets (an id reveals nothing), the socket stays open, and nothing is stored; an
anonymous handshake is refused before any frame flows.
"""

from __future__ import annotations

import json
import typing
import uuid
from dataclasses import dataclass

import pytest
from channels.db import database_sync_to_async

from simulator import protocol, services
from simulator.models import AuditEvent, Conversation, Message
from tests.conftest import make_user
from tests.simulator.test_consumers import connect, receive

socket_db = pytest.mark.django_db(transaction=True)

ROLES = ("student", "classmate", "player", "outsider", "teacher", "co_teacher", "other_teacher")
OWNER = frozenset({"student"})
# The classmate who plays this conversation's customer (role-play, issue 7 part 5).
PLAYER = frozenset({"player"})
CLASS = frozenset({"teacher", "co_teacher"})  # whoever teaches the class
WATCHERS = OWNER | CLASS


def taken_over(conversation: Conversation, users: dict) -> None:
    """The class's teacher plays the customer (what typing as the customer and handing back
    need)."""
    services.take_over_conversation(conversation, by=users["teacher"])


def reopened(conversation: Conversation, users: dict) -> None:
    """Active again, so each allowed role's end really ends something."""
    Conversation.objects.filter(pk=conversation.pk).update(
        status=Conversation.Status.ACTIVE, ended_at=None, end_reason=""
    )


@dataclass(frozen=True)
class FrameRow:
    allowed: frozenset[str]
    answer: str = ""  # the frame type an allowed role gets back first ("" for none)
    changes: bool = False  # whether an allowed frame changes the stored chat
    # Run before each cell: the state the frame is meant for, so a refused one could change it
    # too (None: the world as is).
    prepare: typing.Callable[[Conversation, dict], None] | None = None


def frame(kind: str, conversation_id: int, classroom_id: int = 0) -> dict:
    if kind == "monitor.subscribe":
        return {"type": kind, "classroom": classroom_id}
    body: dict = {"type": kind, "conversation": conversation_id}
    if kind in ("message.send", "customer.send", "coach.send"):
        body |= {"client_id": str(uuid.uuid4()), "text": "您好，请问有什么可以帮您？"}
    if kind == "takeover.end":
        body["state"] = "reveal"
    if kind == "tool.use":  # a product card of the coat shop
        body |= {"client_id": str(uuid.uuid4()), "tool": "product_card", "sku": "A1"}
    return body


FRAMES: dict[str, FrameRow] = {
    # Watching is for the conversation's student, whoever teaches the class and the classmate
    # playing its customer.
    "subscribe": FrameRow(WATCHERS | PLAYER, "subscribed"),
    # Only the student answers as the agent and types.
    "message.send": FrameRow(OWNER, "message.ack", changes=True),
    # Relayed to the conversation's subscribers only: the student's as the agent's, that of a
    # teacher or the classmate playing the customer as the customer's.
    "typing.start": FrameRow(WATCHERS | PLAYER, prepare=taken_over),
    # The student closes their chat; a teacher of the class may end it from the monitor; the
    # classmate playing the customer ends it as the customer.
    "conversation.end": FrameRow(WATCHERS | PLAYER, changes=True, prepare=reopened),
    # The live monitor is the class's teachers': the rows, the takeover, the notes.
    "monitor.subscribe": FrameRow(CLASS, "monitor.subscribed"),
    "takeover.start": FrameRow(CLASS, "monitor.row", changes=True),
    "takeover.end": FrameRow(CLASS, "monitor.row", changes=True, prepare=taken_over),
    "customer.send": FrameRow(CLASS | PLAYER, "message.ack", changes=True, prepare=taken_over),
    "coach.send": FrameRow(CLASS, "message.ack", changes=True),
    # The order panel's shop tools are the agent's: only the student uses them.
    "tool.use": FrameRow(OWNER, "message.ack", changes=True),
}


RELAYED = {"message.send", "typing.start", "customer.send", "coach.send", "tool.use"}


def frame_types() -> list[str]:
    union = typing.get_args(protocol.ClientFrame)[0]
    return [typing.get_args(m.model_fields["type"].annotation)[0] for m in typing.get_args(union)]


def test_every_frame_type_has_a_row():
    assert sorted(frame_types()) == sorted(FRAMES), "add the frame type to FRAMES"


@pytest.fixture
async def world(assignment, student, classmate, outsider, teacher, other_teacher, classroom):
    def build():
        co_teacher = make_user("teacher3", role="instructor")
        classroom.co_teachers.add(co_teacher)
        conversation = services.start_attempt(assignment, student=student)
        player = make_user("student04")
        services.join_classroom(player, code=classroom.join_code)
        Conversation.objects.filter(pk=conversation.pk).update(customer_player=player)
        conversation.customer_player = player
        users = {
            "student": student,
            "classmate": classmate,
            "player": player,
            "outsider": outsider,
            "teacher": teacher,
            "co_teacher": co_teacher,
            "other_teacher": other_teacher,
        }
        return conversation, users

    return await database_sync_to_async(build)()


def stored() -> tuple:
    """What a frame may change: the chat lines people wrote, the status, who plays the
    customer and the audit log (the script's own lines may arrive meanwhile: not counted)."""
    conversation = Conversation.objects.get()
    return (
        Message.objects.filter(author__isnull=False).count(),
        conversation.status,
        conversation.is_taken_over,
        AuditEvent.objects.count(),
    )


async def first_frame(communicator, types: set[str], timeout: float = 3.0) -> dict:
    while True:
        answer = json.loads(await communicator.receive_from(timeout=timeout))
        if answer["type"] in types:
            return answer


async def agent_frames(watch) -> list[dict]:
    """What the watching socket heard from people: the agent, a note, a line a teacher typed
    as the customer, their typing (the script's customer may talk meanwhile: its lines are told
    apart by their text, which no script says, its typing by its length)."""
    heard = []
    while not await watch.receive_nothing(timeout=0.2):
        answer = json.loads(await watch.receive_from())
        if answer.get("role") in ("agent", "note", "tool") or answer.get("text") == PEOPLE_TEXT:
            heard.append(answer)
        elif answer["type"] == "typing.start" and answer["seconds"] == PEOPLE_TYPING:
            heard.append(answer)  # a teacher typing as the customer
    return heard


PEOPLE_TEXT = "您好，请问有什么可以帮您？"
# A person's typing indicator lasts 3 s; the script's, at the tests' time scale, under 0.2 s.
PEOPLE_TYPING = 3


@pytest.mark.parametrize("kind", sorted(FRAMES))
@socket_db
@pytest.mark.asyncio
async def test_each_role_may_send_exactly_what_the_matrix_allows(kind, world):
    conversation, users = world
    row = FRAMES[kind]
    classroom_id = await database_sync_to_async(lambda: conversation.assignment.classroom_id)()
    # The teacher watches: nothing a refused role sends may reach the conversation's subscribers.
    watch = await connect(users["teacher"])
    assert (await watch.connect())[0]
    await watch.send_json_to(frame("subscribe", conversation.pk))
    await receive(watch, type_="subscribed")
    # Refusals first: an allowed end or send changes what later cells see.
    for role in sorted(ROLES, key=lambda role: (role in row.allowed, ROLES.index(role))):
        communicator = await connect(users[role])
        assert (await communicator.connect())[0], role
        if row.prepare is not None:
            await database_sync_to_async(row.prepare)(conversation, users)
        before = await database_sync_to_async(stored)()
        await communicator.send_json_to(frame(kind, conversation.pk, classroom_id))
        if role in row.allowed:
            if row.answer:
                answer = await first_frame(communicator, {row.answer, "error"})
                assert answer["type"] == row.answer, (role, answer)
            else:
                assert await communicator.receive_nothing(timeout=0.3), role
            after = await database_sync_to_async(stored)()
            assert (after != before) == row.changes, (role, before, after)
            if kind in RELAYED:  # the same watcher does hear an allowed one
                assert await agent_frames(watch), f"{role}'s {kind} was not relayed"
        else:
            error = await receive(communicator, type_="error")
            assert error["code"] == "not_found", (role, error)
            assert await database_sync_to_async(stored)() == before, f"{role} changed the chat"
            assert not await agent_frames(watch), f"{role}'s {kind} reached the subscribers"
            # The socket stays usable: a ping-like subscribe to a missing id is answered too.
            await communicator.send_json_to(frame("subscribe", 2**40))
            assert (await receive(communicator, type_="error"))["code"] == "not_found"
        await communicator.disconnect()
    await watch.disconnect()


@pytest.mark.parametrize("kind", sorted(FRAMES))
@socket_db
@pytest.mark.asyncio
async def test_an_anonymous_socket_never_gets_to_send_a_frame(kind, world):
    conversation, _users = world
    communicator = await connect()
    connected, _code = await communicator.connect()
    assert not connected
    assert await database_sync_to_async(stored)() == (0, conversation.status, False, 0)


# ------------------------------------------------------------------ server frames to one user


@socket_db
@pytest.mark.asyncio
async def test_a_drill_state_reaches_its_own_students_sockets_only(world, assignment, classroom):
    """drill.state (docs/protocol.md) goes to the student's own sockets: a classmate in the
    same drill, the class's teacher and an outsider hear nothing of this student's chats."""
    from django.utils import timezone

    from simulator import drills
    from simulator.models import DrillArrival

    _conversation, users = world
    sockets = {}
    for role in ("student", "classmate", "teacher", "outsider"):
        sockets[role] = await connect(users[role])
        assert (await sockets[role].connect())[0]

    def start_and_let_one_in():
        drill = drills.start_drill(
            classroom,
            by=users["teacher"],
            versions=[assignment.scenario_version],
            duration=600,
            seed=2,
        )
        first = (
            DrillArrival.objects.filter(drill=drill, student=users["student"])
            .order_by("number")
            .first()
        )
        DrillArrival.objects.filter(pk=first.pk).update(due_at=timezone.now())
        drills.reset()
        drills.run_due()
        return drill

    drill = await database_sync_to_async(start_and_let_one_in)()
    state = await receive(sockets["student"], type_="drill.state")
    assert state["drill"] == drill.pk
    assert len(state["active"]) == 1
    assert state["state"] == "running"
    for role in ("classmate", "teacher", "outsider"):
        assert await sockets[role].receive_nothing(timeout=0.3), role
    for communicator in sockets.values():
        await communicator.disconnect()
