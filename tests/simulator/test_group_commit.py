"""The chat path's guarantees under concurrency, with writes grouped into shared commits.

Through the real ASGI application: many sockets of one student sending at once into one
conversation, resends racing their originals, and a batch that mixes refused and stored lines.
"""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest
from channels.db import database_sync_to_async

from simulator import consumers, ratelimit, services, writer
from simulator.models import Conversation, Message
from tests.simulator.test_consumers import (  # noqa: F401 (fixtures)
    _site_origin,
    _stop_runtime,
    connect,
    receive,
)

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _no_flood_limit(settings, monkeypatch):
    # A burst from one student is what these tests make; flood control has its own tests.
    settings.CHAT_RATE_LIMITS = {
        kind: {"socket": (1000, 1000.0), "user": (1000, 1000.0)}
        for kind in settings.CHAT_RATE_LIMITS
    }
    monkeypatch.setattr(consumers, "user_buckets", ratelimit.Buckets())


@pytest.fixture
async def chat(assignment, student):
    return await database_sync_to_async(services.start_attempt)(assignment, student=student)


async def subscribed_socket(student, conversation):
    socket = await connect(student)
    assert (await socket.connect())[0]
    await socket.send_to(
        text_data=json.dumps({"type": "subscribe", "conversation": conversation.pk})
    )
    await receive(socket, type_="subscribed")
    return socket


def send_frame(conversation, text, client_id=None):
    return json.dumps(
        {
            "type": "message.send",
            "conversation": conversation.pk,
            "client_id": str(client_id or uuid.uuid4()),
            "text": text,
        }
    )


async def acks(socket, n):
    return [await receive(socket, type_="message.ack", timeout=10) for _ in range(n)]


async def test_concurrent_sends_into_one_conversation_get_contiguous_seq(chat, student):
    sockets = [await subscribed_socket(student, chat) for _ in range(5)]
    per_socket = 8
    for i, socket in enumerate(sockets):  # all in flight before any is stored
        for j in range(per_socket):
            await socket.send_to(text_data=send_frame(chat, f"第{i}-{j}条"))

    received = [ack for socket in sockets for ack in await acks(socket, per_socket)]

    seqs = sorted(ack["seq"] for ack in received)
    assert len(set(seqs)) == len(seqs) == 5 * per_socket
    stored = await database_sync_to_async(
        lambda: list(Message.objects.filter(conversation=chat).values_list("seq", flat=True))
    )()
    assert sorted(stored) == list(range(1, len(stored) + 1))  # no gap, no duplicate
    assert set(seqs) <= set(stored)
    for socket in sockets:
        await socket.disconnect()


async def test_a_resend_racing_its_original_is_stored_once_under_one_seq(chat, student):
    first = await subscribed_socket(student, chat)
    second = await subscribed_socket(student, chat)
    client_id = uuid.uuid4()
    await first.send_to(text_data=send_frame(chat, "您好", client_id))
    await second.send_to(text_data=send_frame(chat, "您好", client_id))  # a reconnect

    ack_one, ack_two = (await acks(first, 1))[0], (await acks(second, 1))[0]

    assert ack_one["seq"] == ack_two["seq"]
    count = await database_sync_to_async(
        Message.objects.filter(conversation=chat, client_id=client_id).count
    )()
    assert count == 1
    # And after the fact, on a fresh socket: the same seq again.
    third = await subscribed_socket(student, chat)
    await third.send_to(text_data=send_frame(chat, "您好", client_id))
    assert (await acks(third, 1))[0]["seq"] == ack_one["seq"]
    for socket in (first, second, third):
        await socket.disconnect()


async def test_one_refused_line_in_a_batch_does_not_stop_the_others(
    assignment, student, classmate, chat
):
    other = await database_sync_to_async(services.start_attempt)(assignment, student=classmate)
    await database_sync_to_async(services.end_conversation)(
        other, reason=Conversation.EndReason.STUDENT
    )
    posts = [
        services.Post(chat, student, "您好"),
        services.Post(other, classmate, "还在吗"),  # ended: refused
        services.Post(chat, student, "请问需要什么尺码"),
    ]
    group = writer.GroupCommit(services.post_messages)

    outcomes = await asyncio.gather(*(group.submit(p) for p in posts), return_exceptions=True)

    assert isinstance(outcomes[1], services.ConversationClosed)
    (first, made_first), (third, made_third) = outcomes[0], outcomes[2]
    assert made_first
    assert made_third
    assert third.seq == first.seq + 1
    texts = await database_sync_to_async(
        lambda: list(
            Message.objects.filter(conversation__in=[chat, other]).values_list("text", flat=True)
        )
    )()
    assert "还在吗" not in texts
    assert {"您好", "请问需要什么尺码"} <= set(texts)


async def test_a_failed_commit_fails_every_write_in_it_and_stores_none(chat, student):
    def broken(posts):
        services.post_messages(posts)
        raise RuntimeError("disk full")  # after the inserts, before the commit

    group = writer.GroupCommit(lambda posts: _in_one_transaction(broken, posts))
    posts = [services.Post(chat, student, f"第{i}条", uuid.uuid4()) for i in range(3)]

    outcomes = await asyncio.gather(*(group.submit(p) for p in posts), return_exceptions=True)

    assert all(isinstance(outcome, RuntimeError) for outcome in outcomes)
    count = await database_sync_to_async(
        Message.objects.filter(conversation=chat, role=Message.Role.AGENT).count
    )()
    assert count == 0


def _in_one_transaction(function, posts):
    from django.db import transaction

    with transaction.atomic():
        return function(posts)


def test_a_batch_costs_the_statements_of_one_message(assignment, student, classmate, teacher):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    chats = [services.start_attempt(assignment, student=s) for s in (student, classmate)]
    # Warm the caches and leave a reply pending in both chats, so both writes below cancel one.
    services.post_messages([services.Post(c, c.student, "您好", uuid.uuid4()) for c in chats])
    one = [services.Post(chats[0], student, "请问您平时穿什么码", uuid.uuid4())]
    many = [services.Post(chats[i % 2], None, f"第{i}条", uuid.uuid4()) for i in range(20)]

    def statements(posts) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            services.post_messages(posts)
        transaction_control = ("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT")
        return [q["sql"] for q in captured if not q["sql"].startswith(transaction_control)]

    single, batch = statements(one), statements(many)

    print(f"SQL statements: one message {len(single)}, twenty messages {len(batch)}")
    assert len(batch) <= len(single) + 1  # the same statements, not a set per message
    assert len(single) <= 7  # lock, ids, insert, schedule (delete, insert), update
