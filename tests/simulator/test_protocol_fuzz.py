"""Random frames at the protocol and at a live socket: a clear error, never a crash or a half-write."""

from __future__ import annotations

import json
import random
import uuid

import pytest
from channels.db import database_sync_to_async
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator import protocol, services
from simulator.models import Message
from tests.simulator.test_consumers import connect, receive

TYPES = ["subscribe", "message.send", "typing.start", "conversation.end"]
CODES = {
    "malformed",
    "unknown_type",
    "invalid",
    "unsupported_version",
    "empty",
    "too_long",
    "binary_frame",
}

# Refusals by the services: not yours or missing, and a chat the customer has since ended.
SERVICE_CODES = {"not_found", "conversation_closed"}
# What a socket may answer with; anything else (or silence past the timeout) fails.
ANSWERS = {
    "error",
    "message.ack",
    "message.new",
    "subscribed",
    "conversation.ended",
    "typing.start",
}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
field_values = st.one_of(
    json_values,
    st.integers(min_value=-(2**60), max_value=2**60),
    st.uuids().map(str),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.sampled_from(["\x00", "\u200b\u200b", "\ud800", " ", "您好", "x" * 5000]),
)


@st.composite
def frames(draw) -> dict:
    """Mostly well-formed frames with some fields dropped, retyped or added."""
    frame: dict = {
        "type": draw(st.sampled_from(TYPES) | st.text(max_size=12)),
        "conversation": draw(st.integers(min_value=1, max_value=10) | field_values),
        "client_id": str(draw(st.uuids())),
        "text": draw(st.text(max_size=30)),
        "after": draw(st.integers(min_value=0, max_value=5)),
        "v": draw(st.sampled_from([1, 1, 1, 2, True, 1.0, "1"])),
    }
    for key in draw(st.lists(st.sampled_from(sorted(frame)), max_size=3)):
        if draw(st.booleans()):
            frame.pop(key, None)
        else:
            frame[key] = draw(field_values)
    frame |= draw(st.dictionaries(st.text(max_size=6), field_values, max_size=2))
    return frame


def parse_or_refuse(raw):
    """The parsed frame, or the ProtocolError it raised (any other exception fails the test)."""
    try:
        result = protocol.parse(raw)
    except protocol.ProtocolError as error:
        result = error
    if isinstance(result, protocol.ProtocolError):
        assert result.code in CODES, result.code
        assert result.detail
    return result


@settings(max_examples=400, deadline=None)
@given(frames())
def test_any_frame_parses_or_is_refused_with_a_known_code(frame):
    result = parse_or_refuse(json.dumps(frame))
    if isinstance(result, protocol.SendFrame):
        # What is stored: cleaned, visible, within the limit.
        assert result.text == protocol.clean_text(result.text)
        assert not protocol.is_blank(result.text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200) | st.binary(max_size=200).map(lambda b: b.decode("latin-1")))
def test_any_text_parses_or_is_refused(raw):
    parse_or_refuse(raw)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=1, max_value=3000))
def test_deep_nesting_is_refused_not_recursed(depth):
    result = parse_or_refuse("[" * depth + "]" * depth)
    assert isinstance(result, protocol.ProtocolError)


def random_frame(rng: random.Random, own: int) -> dict:
    """The socket fuzz's frames: the strategies above are for pure code; this one is seeded."""
    frame: dict = {
        "type": rng.choice([*TYPES, "message.send", "message.send", "dance", ""]),
        "conversation": rng.choice([own, own, own, 0, -1, 2**53, 424242, "1", None, 1.5]),
    }
    if rng.random() < 0.9:
        frame["client_id"] = str(uuid.uuid4()) if rng.random() < 0.8 else rng.choice(["c", 7, None])
    if rng.random() < 0.9:
        frame["text"] = rng.choice(["您好，在的", "", "\u200b", "a\x00b", "x" * 5000, ["t"], "好"])
    if rng.random() < 0.2:
        frame[rng.choice(["after", "v", "extra"])] = rng.choice([0, -3, True, 1.0, "z", {}])
    return frame


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_a_socket_survives_a_stream_of_random_frames_and_stores_only_valid_sends(
    assignment, student, settings
):
    settings.CUSTOMER_TIME_SCALE = 1000.0  # the customer stays silent: the chat stays open
    settings.CHAT_RATE_LIMITS = {
        kind: {"socket": (10_000, 10_000.0), "user": (10_000, 10_000.0)} for kind in TYPES
    }
    conversation = await database_sync_to_async(services.start_attempt)(assignment, student=student)
    communicator = await connect(student)
    assert (await communicator.connect())[0]
    rng = random.Random(20261202)
    sent: dict[str, str] = {}
    acked: set[str] = set()
    for number in range(400):
        frame = random_frame(rng, conversation.pk)
        if frame["type"] == "conversation.end" and frame.get("conversation") == conversation.pk:
            frame["type"] = "typing.start"  # keep the chat open so sends keep being tried
        if isinstance(frame.get("client_id"), str) and isinstance(frame.get("text"), str):
            sent[frame["client_id"]] = protocol.clean_text(frame["text"])
        await communicator.send_to(text_data=json.dumps(frame))
        # A sentinel after each frame: whatever the frame got back arrives before its answer.
        sentinel = 500_000 + number
        await communicator.send_json_to({"type": "subscribe", "conversation": sentinel})
        while True:
            answer = json.loads(await communicator.receive_from(timeout=5))
            if answer["type"] == "error" and answer.get("ref", {}).get("conversation") == sentinel:
                break
            assert answer["type"] in ANSWERS, answer
            if answer["type"] == "error":
                assert answer["code"] in CODES | SERVICE_CODES, answer
            if answer["type"] == "message.ack":
                acked.add(answer["client_id"])
    # Still open and answering after everything.
    await communicator.send_json_to({"type": "subscribe", "conversation": 424242})
    assert (await receive(communicator, type_="error"))["code"] == "not_found"
    await communicator.disconnect()

    stored = await database_sync_to_async(
        lambda: dict(
            Message.objects.filter(conversation=conversation, role="agent").values_list(
                "client_id", "text"
            )
        )
    )()
    assert len(acked) >= 8, f"the fuzz must include valid sends ({len(acked)})"
    # Exactly the acknowledged sends are stored, each with the text that was sent (cleaned).
    assert {str(key): text for key, text in stored.items()} == {key: sent[key] for key in acked}
