"""tool.use over the workspace socket: acknowledged like a chat line, its card to every
subscriber, a resend stored once, bad requests refused with a named field or code."""

from __future__ import annotations

import uuid

import pytest
from channels.db import database_sync_to_async

from simulator.models import Message
from tests.simulator.test_consumers import _site_origin, _stop_runtime, connect, receive  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


@pytest.fixture
async def chat(assignment, student):
    from simulator import services

    return await database_sync_to_async(services.start_attempt)(assignment, student=student)


async def test_a_card_is_acked_announced_and_stored_once(chat, student, teacher):
    socket, watch = await connect(student), await connect(teacher)
    assert (await socket.connect())[0]
    assert (await watch.connect())[0]
    for communicator in (socket, watch):
        await communicator.send_json_to({"type": "subscribe", "conversation": chat.pk})
        await receive(communicator, type_="subscribed")
    use = {
        "type": "tool.use",
        "conversation": chat.pk,
        "client_id": str(uuid.uuid4()),
        "tool": "product_card",
        "sku": "A1",
    }
    await socket.send_json_to(use)
    ack = await receive(socket, type_="message.ack")
    seen = await receive(watch, type_="message.new")
    while seen["role"] != "tool":
        seen = await receive(watch, type_="message.new")
    assert seen["seq"] == ack["seq"]
    assert seen["client_id"] == use["client_id"]
    assert seen["tool"] == {
        "kind": "product_card",
        "sku": "A1",
        "name": "羊毛混纺双面大衣",
        "price": 399.0,
        "options": {"颜色": ["驼色", "黑色"], "尺码": ["S", "M", "L", "XL"]},
    }
    await socket.send_json_to(use)  # a resend after a reconnect
    assert (await receive(socket, type_="message.ack"))["seq"] == ack["seq"]
    count = await database_sync_to_async(
        lambda: Message.objects.filter(conversation=chat, role=Message.Role.TOOL).count()
    )()
    assert count == 1
    await socket.disconnect()
    await watch.disconnect()


@pytest.mark.parametrize(
    ("extra", "code", "field"),
    [
        ({"tool": "product_card"}, "invalid", "tool.use.sku"),
        ({"tool": "coupon", "amount": -5}, "invalid", "amount"),
        ({"tool": "order_change"}, "invalid", "tool.use.address"),
        ({"tool": "order_change", "size": "S"}, "invalid", "tool.use.item"),
        ({"tool": "product_card", "sku": "ZZ"}, "unknown_product", ""),
        ({"tool": "order_check"}, "no_order", ""),
        ({"tool": "hammer"}, "invalid", "tool"),
    ],
)
async def test_bad_uses_are_refused_and_nothing_is_stored(chat, student, extra, code, field):
    socket = await connect(student)
    assert (await socket.connect())[0]
    client_id = str(uuid.uuid4())
    await socket.send_json_to(
        {"type": "tool.use", "conversation": chat.pk, "client_id": client_id} | extra
    )
    error = await receive(socket, type_="error")
    assert error["code"] == code, error
    assert error["field"].endswith(field)
    if code != "invalid" or field.startswith("tool.use"):
        assert error["ref"]["client_id"] == client_id  # the page marks that card failed
    stored = await database_sync_to_async(
        lambda: Message.objects.filter(conversation=chat, role=Message.Role.TOOL).count()
    )()
    assert stored == 0
    await socket.disconnect()


async def test_the_classmate_playing_the_customer_sees_each_card(chat, student, classmate):
    from simulator.models import Conversation

    await database_sync_to_async(
        lambda: Conversation.objects.filter(pk=chat.pk).update(customer_player=classmate)
    )()
    seat, socket = await connect(classmate), await connect(student)
    assert (await seat.connect())[0]
    assert (await socket.connect())[0]
    await seat.send_json_to({"type": "subscribe", "conversation": chat.pk})
    await receive(seat, type_="subscribed")

    def coupon() -> dict:
        return {
            "type": "tool.use",
            "conversation": chat.pk,
            "client_id": str(uuid.uuid4()),
            "tool": "coupon",
            "amount": 10,
        }

    await socket.send_json_to(coupon())
    seen = await receive(seat, type_="message.new")
    while seen["role"] != "tool":
        seen = await receive(seat, type_="message.new")
    assert seen["tool"]["kind"] == "coupon"
    assert seen["tool"]["amount"] == 10
    # The classmate's seat may not use the agent's tools.
    await seat.send_json_to(coupon())
    assert (await receive(seat, type_="error"))["code"] == "not_found"
    await seat.disconnect()
    await socket.disconnect()
