"""A classmate plays the customer over the workspace socket: the same frames as the teacher's
takeover, and who hears what (issue 7, part 5)."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from simulator import peers, services
from simulator.models import Conversation, Message
from tests.conftest import make_user
from tests.simulator.test_consumers import _site_origin, _stop_runtime, receive
from tests.simulator.test_monitor_socket import (
    drain,
    opened,
    receive_any,
    text_frame,
    until,
    watching,
)

__all__ = ["_site_origin", "_stop_runtime"]  # the consumer tests' autouse fixtures, used here too

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


@pytest.fixture
async def pair(assignment, student, classmate, teacher):
    return await database_sync_to_async(peers.pair_classmates)(
        assignment, agent=student, customer_player=classmate, by=teacher
    )


async def test_the_classmate_plays_the_customer_and_the_agent_answers(pair, student, classmate):
    agent = await watching(student, pair)
    player = await watching(classmate, pair)
    await player.send_json_to({"type": "typing.start", "conversation": pair.pk})
    typing = await until(agent, lambda f: f["type"] == "typing.start")
    assert typing["role"] == "customer"
    sent = text_frame("customer.send", pair, "在吗？这件大衣有M码吗")
    await player.send_json_to(sent)
    ack = await until(player, lambda f: f["type"] == "message.ack")
    line = await until(agent, lambda f: f["type"] == "message.new")
    # Read exactly as a scripted customer's line: no client id, no author.
    assert (line["role"], line["text"], line["client_id"], ack["seq"]) == (
        "customer",
        "在吗？这件大衣有M码吗",
        None,
        line["seq"],
    )
    await agent.send_json_to(text_frame("message.send", pair, "您好，M码有货的"))
    reply = await until(player, lambda f: f["type"] == "message.new" and f["role"] == "agent")
    assert reply["text"] == "您好，M码有货的"
    for communicator in (agent, player):
        await communicator.disconnect()


async def test_a_coaching_note_reaches_the_agent_never_the_customer_player(
    pair, student, classmate, teacher
):
    agent = await watching(student, pair)
    player = await watching(classmate, pair)
    coach = await opened(teacher)
    await player.send_json_to(text_frame("customer.send", pair, "有M码吗"))
    await until(agent, lambda f: f["type"] == "message.new")
    await coach.send_json_to(text_frame("coach.send", pair, "先问身高体重"))
    note = await until(agent, lambda f: f["type"] == "message.new")
    assert (note["role"], note["seq"]) == ("note", 2)
    await player.send_json_to(text_frame("customer.send", pair, "160cm能穿吗"))
    heard = await drain(player)
    assert [f["seq"] for f in heard if f["type"] == "message.new"] == [1, 3]
    assert not any(f.get("role") == "note" for f in heard)
    # Resuming skips the note too: the backlog after 0 is the customer's lines.
    await player.disconnect()
    again = await opened(classmate)
    await again.send_json_to({"type": "subscribe", "conversation": pair.pk, "after": 0})
    backlog = []
    while (frame := await receive_any(again, 3))["type"] != "subscribed":
        backlog.append(frame)
    assert [f["seq"] for f in backlog] == [1, 3]
    assert frame["last_seq"] == 3
    for communicator in (agent, again, coach):
        await communicator.disconnect()


@pytest.mark.parametrize("kind", ["message.send", "coach.send", "takeover.start", "takeover.end"])
async def test_the_customer_player_may_not_answer_coach_or_take_over(pair, classmate, kind):
    player = await opened(classmate)
    body = (
        text_frame(kind, pair, "您好")
        if kind.endswith("send")
        else {"type": kind, "conversation": pair.pk}
    )
    await player.send_json_to(body)
    error = await receive(player, type_="error")
    assert error["code"] == "not_found"
    assert not await database_sync_to_async(Message.objects.exists)()
    await player.disconnect()


async def test_another_classmate_may_not_play_or_follow_the_customer(pair, classroom):
    other = await database_sync_to_async(make_user)("student03")
    await database_sync_to_async(services.join_classroom)(other, code=classroom.join_code)
    socket = await opened(other)
    for body in (
        {"type": "subscribe", "conversation": pair.pk},
        text_frame("customer.send", pair, "我来演顾客"),
        {"type": "conversation.end", "conversation": pair.pk, "ending": "sale"},
    ):
        await socket.send_json_to(body)
        assert (await receive(socket, type_="error"))["code"] == "not_found"
    conversation = await database_sync_to_async(Conversation.objects.get)(pk=pair.pk)
    assert conversation.is_active
    assert conversation.last_seq == 0
    await socket.disconnect()


async def test_the_customer_player_ends_with_an_ending_the_scenario_offers(
    pair, student, classmate
):
    agent = await watching(student, pair)
    player = await watching(classmate, pair)
    await player.send_json_to({"type": "conversation.end", "conversation": pair.pk, "ending": "x"})
    assert (await receive(player, type_="error"))["code"] == "unknown_ending"
    await player.send_json_to(
        {"type": "conversation.end", "conversation": pair.pk, "ending": "thinking"}
    )
    ended = await until(agent, lambda f: f["type"] == "conversation.ended")
    assert (ended["reason"], ended["outcome"], ended["rating"]) == ("customer", "lost", 3)
    await until(player, lambda f: f["type"] == "conversation.ended")
    for communicator in (agent, player):
        await communicator.disconnect()


async def test_once_a_teacher_hands_back_the_player_neither_types_nor_shows_typing(
    pair, student, classmate, teacher
):
    await database_sync_to_async(services.hand_back_conversation)(pair, by=teacher)
    agent = await watching(student, pair)
    player = await watching(classmate, pair)
    await drain(agent)  # the script's own opening line, now that it plays again
    await player.send_json_to({"type": "typing.start", "conversation": pair.pk})
    await player.send_json_to(text_frame("customer.send", pair, "我还想再问问"))
    assert (await receive(player, type_="error"))["code"] == "not_taken_over"
    heard = await drain(agent)
    assert not any(f.get("text") == "我还想再问问" for f in heard)
    assert not any(f["type"] == "typing.start" and f["seconds"] == 3 for f in heard)
    for communicator in (agent, player):
        await communicator.disconnect()


async def test_a_teacher_taking_over_a_role_play_plays_beside_the_classmate(
    pair, student, classmate, teacher
):
    await database_sync_to_async(services.take_over_conversation)(pair, by=teacher)
    agent = await watching(student, pair)
    player = await watching(classmate, pair)
    coach = await opened(teacher)
    await coach.send_json_to(text_frame("customer.send", pair, "老师替顾客说一句"))
    await until(coach, lambda f: f["type"] == "message.ack")
    await player.send_json_to(text_frame("customer.send", pair, "同学接着说"))
    await until(player, lambda f: f["type"] == "message.ack")
    lines = [await until(agent, lambda f: f["type"] == "message.new") for _ in range(2)]
    assert [(f["role"], f["text"]) for f in lines] == [
        ("customer", "老师替顾客说一句"),
        ("customer", "同学接着说"),
    ]
    authors = await database_sync_to_async(
        lambda: list(Message.objects.order_by("seq").values_list("author__username", flat=True))
    )()
    assert authors == ["teacher", classmate.username]
    for communicator in (agent, player, coach):
        await communicator.disconnect()


async def test_the_seat_hears_a_takeover_and_a_hand_back_live_and_the_agent_hears_neither(
    pair, student, classmate, teacher
):
    agent = await watching(student, pair)
    player = await opened(classmate)
    await player.send_json_to({"type": "subscribe", "conversation": pair.pk})
    # On (re)subscribing, the seat learns who plays the customer now.
    first = await until(player, lambda f: f["type"] == "seat.control")
    assert (first["mode"], first["teacher"]) == ("you", None)

    await database_sync_to_async(services.take_over_conversation)(pair, by=teacher)
    joined = await until(player, lambda f: f["type"] == "seat.control")
    assert (joined["conversation"], joined["mode"]) == (pair.pk, "teacher")
    assert joined["teacher"] == teacher.display_name

    await database_sync_to_async(services.hand_back_conversation)(pair, by=teacher)
    back = await until(player, lambda f: f["type"] == "seat.control")
    assert back["mode"] == "script"
    heard = await drain(agent)
    assert not any(f["type"] == "seat.control" for f in heard)
    for communicator in (agent, player):
        await communicator.disconnect()


async def test_the_agents_own_subscribe_carries_no_seat_frame(pair, student):
    agent = await opened(student)
    await agent.send_json_to({"type": "subscribe", "conversation": pair.pk})
    heard = await drain(agent)
    assert any(f["type"] == "subscribed" for f in heard)
    assert not any(f["type"] == "seat.control" for f in heard)
    await agent.disconnect()
