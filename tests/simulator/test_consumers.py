"""The workspace socket driven through the real ASGI application: origin, auth, frames."""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from simulator import runtime, services
from simulator.asgi import application
from simulator.models import Conversation, Message, ScheduledAction

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]
SITE = "http://127.0.0.1:8000"
ORIGIN = (b"origin", SITE.encode())


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def session_cookie(user_or_client) -> bytes:
    client = user_or_client if isinstance(user_or_client, Client) else signed_in(user_or_client)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def connect(
    user=None, *, origin=ORIGIN, client: Client | None = None
) -> WebsocketCommunicator:
    """A socket signed in as `user` (a fresh session) or with the session of `client`."""
    headers = [origin] if origin else []
    if user is not None or client is not None:
        headers.append((b"cookie", await database_sync_to_async(session_cookie)(client or user)))
    communicator = WebsocketCommunicator(application, "/ws/workspace/", headers=headers)
    communicator.scope["server"] = ("127.0.0.1", 8000)
    return communicator


async def receive(communicator, *, type_: str, timeout: float = 3.0) -> dict:
    """The next frame of this type, skipping others (typing indicators, customer lines)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        left = deadline - asyncio.get_running_loop().time()
        frame = json.loads(await communicator.receive_from(timeout=max(0.01, left)))
        if frame["type"] == type_:
            return frame


@pytest.fixture
async def conversation(assignment, student):
    return await database_sync_to_async(services.start_attempt)(assignment, student=student)


@pytest.fixture(autouse=True)
def _site_origin(settings):
    settings.SITE_ORIGINS = [SITE, "http://localhost:8000"]


@pytest.fixture(autouse=True)
async def _stop_runtime(transactional_db):
    # Depends on the database fixture so it is torn down first: the runtime must stop
    # before the tables are flushed under it.
    yield
    await runtime.stop()
    # Connections persist (CONN_MAX_AGE): close the database thread's, or PostgreSQL refuses
    # to drop the test database while it is open.
    await database_sync_to_async(connections.close_all)()


async def test_unauthenticated_socket_is_refused(db):
    communicator = await connect(None)
    connected, code = await communicator.connect()
    assert not connected
    assert code == 4401


@pytest.mark.parametrize(
    "origin",
    [
        None,
        (b"origin", b"null"),
        (b"origin", b"http://evil.example"),
        (b"origin", b"http://localhost.evil.example"),
        (b"origin", b"http://127.0.0.1"),  # the right host on another port
        (b"origin", b"http://127.0.0.1:9999"),
        (b"origin", b"https://127.0.0.1:8000"),  # the right host and port, another scheme
        (b"origin", b"http://127.0.0.1:8000@evil.example"),
        (b"origin", b"http://127.0.0.1:99999"),  # not a port at all
    ],
)
async def test_foreign_or_missing_origin_is_refused(student, origin):
    communicator = await connect(student, origin=origin)
    connected, _ = await communicator.connect()
    assert not connected


@pytest.mark.parametrize("origin", [SITE, "http://LOCALHOST:8000", "http://localhost:8000/"])
async def test_the_sites_own_origin_is_accepted(student, origin):
    communicator = await connect(student, origin=(b"origin", origin.encode()))
    assert (await communicator.connect())[0]
    await communicator.disconnect()


async def test_two_origin_headers_are_refused(student):
    communicator = await connect(student)
    communicator.scope["headers"].append((b"origin", b"http://evil.example"))
    assert not (await communicator.connect())[0]


async def still_open(communicator) -> bool:
    await communicator.send_json_to({"type": "subscribe", "conversation": 424242})
    return (await receive(communicator, type_="error"))["code"] == "not_found"


async def test_logout_closes_every_open_socket_of_the_user(student, classmate):
    client = await database_sync_to_async(signed_in)(student)
    tabs = [await connect(client=client), await connect(student)]  # this browser, another one
    neighbour = await connect(classmate)
    for communicator in (*tabs, neighbour):
        assert (await communicator.connect())[0]

    await database_sync_to_async(client.post)(reverse("logout"))

    for tab in tabs:
        assert await tab.receive_output(timeout=3) == {"type": "websocket.close", "code": 4401}
    assert await still_open(neighbour)  # a classmate's socket is untouched
    again = await connect(client=client)
    assert await again.connect() == (False, 4401)  # the logged-out session cannot reconnect
    await neighbour.disconnect()


async def test_password_change_closes_the_users_sockets_and_other_sessions_stay_out(student):
    here = await database_sync_to_async(signed_in)(student)
    elsewhere = await database_sync_to_async(signed_in)(student)
    tabs = [await connect(client=here), await connect(client=elsewhere)]
    for tab in tabs:
        assert (await tab.connect())[0]

    response = await database_sync_to_async(here.post)(
        reverse("password_change"),
        {
            "old_password": "pw-student01",
            "new_password1": "a-new-long-passphrase",
            "new_password2": "a-new-long-passphrase",
        },
    )
    assert response.status_code == 302

    for tab in tabs:
        assert await tab.receive_output(timeout=3) == {"type": "websocket.close", "code": 4401}
    # This browser keeps its session and reconnects; the other one has to sign in again.
    back = await connect(client=here)
    assert (await back.connect())[0]
    assert await still_open(back)
    assert await (await connect(client=elsewhere)).connect() == (False, 4401)
    await back.disconnect()


async def test_message_is_stored_then_acked_then_broadcast(conversation, student):
    communicator = await connect(student)
    assert (await communicator.connect())[0]
    client_id = str(uuid.uuid4())
    await communicator.send_json_to(
        {
            "v": 1,
            "type": "message.send",
            "conversation": conversation.pk,
            "client_id": client_id,
            "text": "您好，<b>在的</b>",
        }
    )

    ack = await receive(communicator, type_="message.ack")
    stored = await database_sync_to_async(
        lambda: Message.objects.get(conversation=conversation, client_id=client_id)
    )()
    assert ack["seq"] == stored.seq
    assert stored.text == "您好，<b>在的</b>"  # stored as typed; escaped where shown
    await communicator.disconnect()


async def test_subscriber_receives_new_messages_of_its_conversation(conversation, student, teacher):
    watcher = await connect(teacher)
    assert (await watcher.connect())[0]
    await watcher.send_json_to({"type": "subscribe", "conversation": conversation.pk})
    await receive(watcher, type_="subscribed")

    agent = await connect(student)
    assert (await agent.connect())[0]
    await agent.send_json_to(
        {
            "type": "message.send",
            "conversation": conversation.pk,
            "client_id": str(uuid.uuid4()),
            "text": "您好",
        }
    )

    seen = await receive(watcher, type_="message.new")
    while seen["role"] != "agent":
        seen = await receive(watcher, type_="message.new")
    assert seen["text"] == "您好"
    await watcher.disconnect()
    await agent.disconnect()


async def test_resend_after_reconnect_acks_the_same_seq(conversation, student):
    client_id = str(uuid.uuid4())
    frame = {
        "type": "message.send",
        "conversation": conversation.pk,
        "client_id": client_id,
        "text": "在的亲",
    }
    seqs = []
    for _ in range(3):
        communicator = await connect(student)
        assert (await communicator.connect())[0]
        await communicator.send_json_to(frame)
        seqs.append((await receive(communicator, type_="message.ack"))["seq"])
        await communicator.disconnect()

    assert len(set(seqs)) == 1
    count = await database_sync_to_async(
        lambda: Message.objects.filter(client_id=client_id).count()
    )()
    assert count == 1


async def test_subscribe_with_last_seq_receives_exactly_what_was_missed(conversation, student):
    def post_three():
        return [
            services.post_message(conversation, author=student, text=text, client_id=uuid.uuid4())
            for text in ("一", "二", "三")
        ]

    first = (await database_sync_to_async(post_three)())[0][0]
    communicator = await connect(student)
    assert (await communicator.connect())[0]
    await communicator.send_json_to(
        {"type": "subscribe", "conversation": conversation.pk, "after": first.seq}
    )

    frames = []
    while (frame := json.loads(await communicator.receive_from(timeout=3)))["type"] != "subscribed":
        if frame["type"] == "message.new":
            frames.append(frame)
    # Everything after "一", in order, with no gap; the fast customer may have answered too.
    seqs = [f["seq"] for f in frames]
    assert seqs == list(range(first.seq + 1, first.seq + 1 + len(frames)))
    assert [f["text"] for f in frames if f["role"] == "agent"] == ["二", "三"]
    assert frame["last_seq"] >= first.seq + 2
    await communicator.disconnect()


async def test_foreign_conversation_is_not_found(conversation, outsider):
    communicator = await connect(outsider)
    assert (await communicator.connect())[0]
    for frame in (
        {"type": "subscribe", "conversation": conversation.pk},
        {
            "type": "message.send",
            "conversation": conversation.pk,
            "client_id": str(uuid.uuid4()),
            "text": "hi",
        },
        {"type": "conversation.end", "conversation": conversation.pk},
    ):
        await communicator.send_json_to(frame)
        error = await receive(communicator, type_="error")
        assert error["code"] == "not_found"
    missing = await connect(outsider)
    assert (await missing.connect())[0]
    await missing.send_json_to({"type": "subscribe", "conversation": 999999})
    assert (await receive(missing, type_="error"))["code"] == "not_found"  # same answer: no oracle
    count = await database_sync_to_async(lambda: Message.objects.filter(role="agent").count())()
    assert count == 0
    await communicator.disconnect()
    await missing.disconnect()


@pytest.mark.parametrize(
    ("raw", "code", "field"),
    [
        ("{not json", "malformed", ""),
        ('{"type": "dance"}', "unknown_type", "type"),
        ('{"conversation": 1}', "unknown_type", "type"),
        (
            '{"type": "message.send", "conversation": "x", "client_id": "c", "text": "t"}',
            "invalid",
            "message.send.conversation",
        ),
        (
            '{"type": "message.send", "conversation": 1, "client_id": "not-a-uuid", "text": "t"}',
            "invalid",
            "message.send.client_id",
        ),
        ('{"type": "subscribe", "conversation": -5}', "invalid", "subscribe.conversation"),
        (
            '{"type": "subscribe", "conversation": 9223372036854775807}',
            "invalid",
            "subscribe.conversation",
        ),
        ("[" * 100_000 + "]" * 100_000, "malformed", ""),
        ('"\\ud800"', "malformed", ""),
        # The version is the integer 1: not true, 1.0, "1" or 2.
        (
            '{"v": true, "type": "subscribe", "conversation": 1}',
            "unsupported_version",
            "subscribe.v",
        ),
        (
            '{"v": 1.0, "type": "subscribe", "conversation": 1}',
            "unsupported_version",
            "subscribe.v",
        ),
        (
            '{"v": "1", "type": "subscribe", "conversation": 1}',
            "unsupported_version",
            "subscribe.v",
        ),
        ('{"v": 2, "type": "subscribe", "conversation": 1}', "unsupported_version", "subscribe.v"),
    ],
)
async def test_bad_frames_get_an_error_frame_and_the_socket_stays_open(student, raw, code, field):
    communicator = await connect(student)
    assert (await communicator.connect())[0]
    await communicator.send_to(text_data=raw)

    error = await receive(communicator, type_="error")
    assert error["code"] == code
    assert error["field"] == field
    # Still usable afterwards.
    await communicator.send_json_to({"type": "subscribe", "conversation": 424242})
    assert (await receive(communicator, type_="error"))["code"] == "not_found"
    await communicator.disconnect()


async def test_oversize_text_is_refused_and_nothing_is_stored(conversation, student):
    communicator = await connect(student)
    assert (await communicator.connect())[0]
    client_id = str(uuid.uuid4())
    await communicator.send_json_to(
        {
            "type": "message.send",
            "conversation": conversation.pk,
            "client_id": client_id,
            "text": "好" * 2001,
        }
    )

    error = await receive(communicator, type_="error")
    assert error["code"] == "too_long"
    assert error["ref"]["client_id"] == client_id
    assert not await database_sync_to_async(Message.objects.filter(client_id=client_id).exists)()
    await communicator.disconnect()


@pytest.mark.parametrize(
    "text",
    [
        " \n\t ",
        "\x00",
        "\u200b\u200c\u200d\u2060\ufeff",  # zero-width characters only
        "\u3000\x00\u200b ",  # ideographic space, NUL, zero-width space
        "\u3164\u2800",  # Hangul filler, blank Braille: letters that show nothing
        "\u202e\u202d",  # bidi overrides only
    ],
)
async def test_text_that_shows_nothing_is_refused_and_not_stored(conversation, student, text):
    communicator = await connect(student)
    assert (await communicator.connect())[0]
    client_id = str(uuid.uuid4())
    await communicator.send_json_to(
        {
            "type": "message.send",
            "conversation": conversation.pk,
            "client_id": client_id,
            "text": text,
        }
    )

    error = await receive(communicator, type_="error")
    assert (error["code"], error["field"]) == ("empty", "text")
    assert error["ref"]["client_id"] == client_id
    assert not await database_sync_to_async(Message.objects.filter(client_id=client_id).exists)()
    await communicator.disconnect()


async def test_nul_and_control_characters_are_dropped_from_stored_text(conversation, student):
    communicator = await connect(student)
    assert (await communicator.connect())[0]
    client_id = str(uuid.uuid4())
    await communicator.send_json_to(
        {
            "type": "message.send",
            "conversation": conversation.pk,
            "client_id": client_id,
            "text": " 您\x00好\r\n在的\u200b亲\x07 ",
        }
    )

    await receive(communicator, type_="message.ack")
    stored = await database_sync_to_async(Message.objects.get)(client_id=client_id)
    assert stored.text == "您好\n在的亲"
    await communicator.disconnect()


async def test_a_known_client_id_with_other_text_is_refused(conversation, student):
    communicator = await connect(student)
    assert (await communicator.connect())[0]
    client_id = str(uuid.uuid4())
    frame = {"type": "message.send", "conversation": conversation.pk, "client_id": client_id}
    await communicator.send_json_to({**frame, "text": "原来的话"})
    first = await receive(communicator, type_="message.ack")

    await communicator.send_json_to({**frame, "text": "改过的话"})
    error = await receive(communicator, type_="error")
    assert error["code"] == "client_id_conflict"
    assert error["ref"] == {
        "type": "message.send",
        "conversation": conversation.pk,
        "client_id": client_id,
    }
    # The same text again is an ordinary resend: the same seq.
    await communicator.send_json_to({**frame, "text": "原来的话"})
    assert (await receive(communicator, type_="message.ack"))["seq"] == first["seq"]
    texts = await database_sync_to_async(
        lambda: list(Message.objects.filter(client_id=client_id).values_list("text", flat=True))
    )()
    assert texts == ["原来的话"]
    await communicator.disconnect()


async def test_binary_frames_are_answered_with_an_error(student):
    communicator = await connect(student)
    assert (await communicator.connect())[0]
    await communicator.send_to(bytes_data=b"\xff\xfe")
    assert (await receive(communicator, type_="error"))["code"] == "binary_frame"
    await communicator.disconnect()


async def test_student_closes_the_chat_and_every_subscriber_hears_it(conversation, student):
    communicator = await connect(student)
    assert (await communicator.connect())[0]
    await communicator.send_json_to({"type": "subscribe", "conversation": conversation.pk})
    await receive(communicator, type_="subscribed")
    await communicator.send_json_to({"type": "conversation.end", "conversation": conversation.pk})

    ended = await receive(communicator, type_="conversation.ended")
    assert ended["reason"] == "student"
    status = await database_sync_to_async(
        lambda: Conversation.objects.get(pk=conversation.pk).status
    )()
    assert status == Conversation.Status.ENDED
    await communicator.disconnect()


async def test_scripted_customer_types_then_opens_the_conversation(assignment, student, settings):
    settings.CUSTOMER_TIME_SCALE = 0.2  # slow enough to subscribe before the customer types
    communicator = await connect(student)
    assert (await communicator.connect())[0]
    conversation = await database_sync_to_async(services.start_attempt)(assignment, student=student)
    await communicator.send_json_to({"type": "subscribe", "conversation": conversation.pk})

    typing = await receive(communicator, type_="typing.start", timeout=5)
    opening = await receive(communicator, type_="message.new", timeout=10)
    assert typing["role"] == "customer"
    assert opening["role"] == "customer"
    assert opening["seq"] == 1
    await communicator.disconnect()


async def test_subscribing_while_the_customer_types_shows_the_indicator(
    assignment, student, settings
):
    settings.CUSTOMER_TIME_SCALE = 1.0  # the opening takes seconds to type
    conversation = await database_sync_to_async(services.start_attempt)(assignment, student=student)

    def typing_begun():
        ScheduledAction.objects.filter(conversation=conversation, kind="typing").update(
            done_at=timezone.now()
        )

    await database_sync_to_async(typing_begun)()  # as if the runtime had shown it already
    communicator = await connect(student)
    assert (await communicator.connect())[0]
    await communicator.send_json_to({"type": "subscribe", "conversation": conversation.pk})

    await receive(communicator, type_="subscribed")
    typing = await receive(communicator, type_="typing.start", timeout=2)
    assert typing["role"] == "customer"
    assert 0 < typing["seconds"] <= 16
    await communicator.disconnect()
