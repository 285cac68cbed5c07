"""Flood control on the workspace socket, through the real ASGI application.

The limiter's clock is moved by hand (`flood_clock.advance`), so no test sleeps for a refill.
"""

from __future__ import annotations

import json
import uuid

import pytest
from channels.db import database_sync_to_async

from simulator import consumers, ratelimit, runtime, services
from simulator.models import Message
from tests.simulator.test_consumers import SITE, connect, receive

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

LIMITS = {
    "message.send": {"socket": (10, 2.0), "user": (20, 3.0)},
    "typing.start": {"socket": (5, 1.0), "user": (10, 2.0)},
    "subscribe": {"socket": (5, 0.5), "user": (20, 2.0)},
    "conversation.end": {"socket": (5, 0.5), "user": (10, 1.0)},
}


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.SITE_ORIGINS = [SITE]
    settings.CHAT_RATE_LIMITS = LIMITS  # the shipped defaults, spelled out for the arithmetic
    # A slow customer: nothing the script does (replying, leaving) may race the flood.
    settings.CUSTOMER_TIME_SCALE = 10.0


@pytest.fixture(autouse=True)
async def _stop_runtime(transactional_db):
    yield
    await runtime.stop()


class FloodClock:
    now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(autouse=True)
def flood_clock(monkeypatch):
    fake = FloodClock()
    monkeypatch.setattr(consumers, "clock", fake)
    monkeypatch.setattr(consumers, "user_buckets", ratelimit.Buckets())
    return fake


@pytest.fixture
async def conversation(assignment, student):
    return await database_sync_to_async(services.start_attempt)(assignment, student=student)


@pytest.fixture
async def classmates_conversation(assignment, classmate):
    return await database_sync_to_async(services.start_attempt)(assignment, student=classmate)


def send_frame(conversation, text: str = "您好，在的") -> dict:
    return {
        "type": "message.send",
        "conversation": conversation.pk,
        "client_id": str(uuid.uuid4()),
        "text": text,
    }


async def replies(communicator, count: int) -> list[dict]:
    """The next `count` acks and errors, in order (customer lines and typing skipped)."""
    got = []
    while len(got) < count:
        frame = json.loads(await communicator.receive_from(timeout=5))
        if frame["type"] in {"message.ack", "error", "subscribed"}:
            got.append(frame)
    return got


async def stored_agent_lines(conversation) -> int:
    return await database_sync_to_async(
        Message.objects.filter(conversation=conversation, role="agent").count
    )()


async def open_socket(user):
    communicator = await connect(user)
    assert (await communicator.connect())[0]
    return communicator


async def test_thirty_rapid_sends_store_the_burst_and_refuse_the_rest(conversation, student):
    communicator = await open_socket(student)

    for _ in range(30):
        await communicator.send_json_to(send_frame(conversation))
    answers = await replies(communicator, 30)

    assert [a["type"] for a in answers] == ["message.ack"] * 10 + ["error"] * 20
    refused = answers[10:]
    assert {a["code"] for a in refused} == {"rate_limited"}
    assert all(a["retry_after"] == 0.5 for a in refused)  # one token at 2/s
    assert all(a["ref"]["type"] == "message.send" for a in refused)
    assert await stored_agent_lines(conversation) == 10
    await communicator.disconnect()


async def test_after_the_refill_window_sends_are_stored_again(conversation, student, flood_clock):
    communicator = await open_socket(student)
    for _ in range(11):
        await communicator.send_json_to(send_frame(conversation))
    *_, refused = await replies(communicator, 11)
    assert refused["code"] == "rate_limited"

    flood_clock.advance(refused["retry_after"])
    await communicator.send_json_to(send_frame(conversation, "好的，马上帮您查"))

    assert (await replies(communicator, 1))[0]["type"] == "message.ack"
    assert await stored_agent_lines(conversation) == 11
    await communicator.disconnect()


async def test_a_refused_message_resent_later_with_its_client_id_is_stored_once(
    conversation, student, flood_clock
):
    communicator = await open_socket(student)
    frames = [send_frame(conversation) for _ in range(12)]
    for frame in frames:
        await communicator.send_json_to(frame)
    answers = await replies(communicator, 12)
    assert [a["type"] for a in answers[10:]] == ["error", "error"]

    flood_clock.advance(1.0)  # two tokens at 2/s: the page resends both refused messages
    for frame in frames[10:]:
        await communicator.send_json_to(frame)

    assert [a["type"] for a in await replies(communicator, 2)] == ["message.ack"] * 2
    assert await stored_agent_lines(conversation) == 12
    await communicator.disconnect()


async def test_one_students_flood_does_not_limit_a_classmate(
    conversation, classmates_conversation, student, classmate
):
    flooder = await open_socket(student)
    neighbour = await open_socket(classmate)
    for _ in range(30):
        await flooder.send_json_to(send_frame(conversation))
    await replies(flooder, 30)

    for _ in range(10):
        await neighbour.send_json_to(send_frame(classmates_conversation))

    assert [a["type"] for a in await replies(neighbour, 10)] == ["message.ack"] * 10
    assert await stored_agent_lines(classmates_conversation) == 10
    await flooder.disconnect()
    await neighbour.disconnect()


async def test_more_sockets_give_one_user_no_more_than_the_users_limit(conversation, student):
    tabs = [await open_socket(student) for _ in range(3)]

    for tab in tabs:
        for _ in range(10):  # within each socket's own burst
            await tab.send_json_to(send_frame(conversation))
    answers = [a for tab in tabs for a in await replies(tab, 10)]

    assert sum(a["type"] == "message.ack" for a in answers) == 20  # the user's burst
    assert await stored_agent_lines(conversation) == 20
    for tab in tabs:
        await tab.disconnect()


async def test_refused_frames_leave_the_socket_open(conversation, student):
    communicator = await open_socket(student)
    for _ in range(50):
        await communicator.send_json_to(send_frame(conversation))
    await replies(communicator, 50)

    await communicator.send_json_to({"type": "subscribe", "conversation": conversation.pk})

    assert (await receive(communicator, type_="subscribed"))["conversation"] == conversation.pk
    await communicator.disconnect()


async def typing_frames_seen(communicator, conversation) -> int:
    count = 0
    while not await communicator.receive_nothing(timeout=0.5):
        frame = json.loads(await communicator.receive_from())
        if frame["type"] == "error":
            raise AssertionError(f"typing got an answer: {frame}")
        if frame["type"] == "typing.start" and frame["role"] == "agent":
            count += 1
    return count


async def test_typing_flood_relays_the_burst_and_drops_the_rest_silently(
    conversation, student, teacher, flood_clock
):
    watcher = await open_socket(teacher)
    await watcher.send_json_to({"type": "subscribe", "conversation": conversation.pk})
    await receive(watcher, type_="subscribed")
    typist = await open_socket(student)

    for _ in range(1000):
        await typist.send_json_to({"type": "typing.start", "conversation": conversation.pk})

    assert await typing_frames_seen(watcher, conversation) == 5
    assert await typist.receive_nothing(timeout=0.2)  # no error frames for dropped typing
    flood_clock.advance(1.0)
    await typist.send_json_to({"type": "typing.start", "conversation": conversation.pk})
    assert await typing_frames_seen(watcher, conversation) == 1
    await watcher.disconnect()
    await typist.disconnect()


async def test_subscribe_flood_is_refused_past_the_burst(conversation, student, flood_clock):
    communicator = await open_socket(student)

    for _ in range(40):
        await communicator.send_json_to(
            {"type": "subscribe", "conversation": conversation.pk, "after": 0}
        )
    answers = await replies(communicator, 40)

    assert [a["type"] for a in answers] == ["subscribed"] * 5 + ["error"] * 35
    assert {a["code"] for a in answers[5:]} == {"rate_limited"}
    assert answers[5]["retry_after"] == 2.0  # burst 5 per 10 s
    flood_clock.advance(2.0)
    await communicator.send_json_to({"type": "subscribe", "conversation": conversation.pk})
    assert (await replies(communicator, 1))[0]["type"] == "subscribed"
    await communicator.disconnect()


async def test_resume_sends_one_page_and_says_there_is_more(
    conversation, student, settings, flood_clock
):
    settings.CHAT_RESUME_PAGE = 4

    def post(count):
        for n in range(count):
            services.post_message(
                conversation, author=student, text=f"第{n}句", client_id=uuid.uuid4()
            )

    await database_sync_to_async(post)(6)
    communicator = await open_socket(student)

    pages = []
    after = 0
    while True:
        await communicator.send_json_to(
            {"type": "subscribe", "conversation": conversation.pk, "after": after}
        )
        seqs = []
        while (frame := json.loads(await communicator.receive_from(timeout=3)))["type"] != (
            "subscribed"
        ):
            if frame["type"] == "message.new":
                seqs.append(frame["seq"])
        pages.append(seqs)
        if not frame["more"]:
            break
        after = seqs[-1]

    assert pages == [[1, 2, 3, 4], [5, 6]]
    assert frame["last_seq"] == 6
    await communicator.disconnect()


async def test_repeated_end_frames_are_refused_past_the_burst(conversation, student):
    communicator = await open_socket(student)

    for _ in range(8):
        await communicator.send_json_to(
            {"type": "conversation.end", "conversation": conversation.pk}
        )
    errors = [await receive(communicator, type_="error") for _ in range(3)]

    # The first five are done (ending twice changes nothing); the rest are not even looked up.
    assert [e["code"] for e in errors] == ["rate_limited"] * 3
    assert await communicator.receive_nothing(timeout=0.3)
    await communicator.disconnect()
