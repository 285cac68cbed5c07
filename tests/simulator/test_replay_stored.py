"""Stored conversations replay exactly: the same customer lines from the seed, the start and
the student's stored messages with the moments the engine heard them."""

from __future__ import annotations

import contextlib
import random
import uuid

import pytest

from simulator import customer, runtime, services
from simulator.models import Conversation, Message

# What students type, from helpful to rude; the recogniser reads each on arrival as live.
REPLIES = [
    "亲，您好~欢迎光临",
    "请问您平时什么场合穿呢？",
    "您的身高体重方便说一下吗",
    "建议您拍M码，肩宽42cm",
    "M码有货的，今天下单48小时内发货",
    "不好意思，驼色M码没货了",
    "好的，那给您核对一下订单：驼色M码一件",
    "不行",
    "爱买不买",
    "感谢您的光临，祝您生活愉快",
]


@pytest.mark.parametrize("seed", range(6))
def test_a_stored_conversation_replays_to_the_same_customer_lines(
    assignment, student, clock, settings, seed
):
    settings.CUSTOMER_TIME_SCALE = 1.0  # the customer's real pace, on a clock moved by hand
    rng = random.Random(seed)
    conversation = services.start_attempt(assignment, student=student)
    for _turn in range(12):
        # The scheduler passes as the server loop does; the student answers now and then,
        # sometimes in a burst while the customer types, sometimes after a long silence.
        for _ in range(rng.choice([0, 1, 3])):
            clock.advance(rng.choice([2.0, 8.0, 25.0]))
            runtime.run_due()
        conversation.refresh_from_db()
        if not conversation.is_active:
            break
        clock.advance(rng.choice([0.5, 4.0, 20.0, 70.0]))
        services.post_message(
            conversation, author=student, text=rng.choice(REPLIES), client_id=uuid.uuid4()
        )
    for _ in range(40):  # let everything still pending play out
        clock.advance(30.0)
        runtime.run_due()
    conversation.refresh_from_db()
    stored = list(
        conversation.messages.filter(role=Message.Role.CUSTOMER).values_list("text", flat=True)
    )

    again = customer.replay_of(conversation)

    assert len(stored) >= 2  # the opening and an answer at least: something to compare
    assert again.texts == stored
    assert again.state.ended == (conversation.engine_state.get("ended"))


def test_a_conversation_that_has_not_begun_cannot_be_replayed(assignment, student):
    conversation = Conversation.objects.create(
        assignment=assignment, student=student, scenario_version=assignment.scenario_version
    )

    with pytest.raises(ValueError, match="not begun"):
        customer.replay_of(conversation)


# The order panel's tools, used among the replies (issue 7 part 6): the customer sees each.
TOOLS = [
    {"tool": "order_check"},
    {"tool": "order_change", "item": 0, "size": "S"},
    {"tool": "order_change", "address": "杭州市西湖区文三路90号东部软件园8楼前台"},
    {"tool": "order_change", "item": 0, "size": "L"},
    {"tool": "remark", "text": "生日礼物，不放价签"},
    {"tool": "coupon", "amount": 10},
    {"tool": "product_card", "sku": "A1"},
]


@pytest.mark.parametrize("seed", range(4))
def test_a_conversation_with_shop_tools_replays_to_the_same_customer_lines(
    classroom, student, clock, settings, seed
):
    from tests.conftest import load_version

    settings.CUSTOMER_TIME_SCALE = 1.0
    rng = random.Random(seed)
    version = load_version("o1-address-gift-note.zh.yaml")
    assignment = services.assign_scenario(classroom, scenario_version=version)
    conversation = services.start_attempt(assignment, student=student)

    def wait(seconds: float) -> None:
        # The scheduler passes every second or so, as the server loop does: no timer is more
        # than its slack late (a timer far later acts at the restart, which no replay knows).
        while seconds > 0:
            step = min(1.0, seconds)
            clock.advance(step)
            seconds -= step
            runtime.run_due()

    for turn in range(10):
        wait(rng.choice([0.5, 4.0, 20.0, 70.0, 140.0]))
        conversation.refresh_from_db()
        if not conversation.is_active:
            break
        if turn % 2 == 0 or rng.random() < 0.3:
            # A refused use ("no change": the order already says so) stores nothing.
            with contextlib.suppress(services.ToolRefused):
                services.use_tool(
                    conversation, author=student, request=rng.choice(TOOLS), client_id=uuid.uuid4()
                )
        else:
            services.post_message(
                conversation, author=student, text=rng.choice(REPLIES), client_id=uuid.uuid4()
            )
    for _ in range(40):
        clock.advance(30.0)
        runtime.run_due()
    conversation.refresh_from_db()
    stored = list(
        conversation.messages.filter(role=Message.Role.CUSTOMER).values_list("text", flat=True)
    )
    assert conversation.messages.filter(role=Message.Role.TOOL).exists()

    again = customer.replay_of(conversation)

    assert len(stored) >= 2
    assert again.texts == stored
