"""A stored conversation's report reads its shop tools: the order check as the read-back, the
remark the order panel left, a transfer's outcome (services and the real ending)."""

from __future__ import annotations

import uuid

import pytest
from django.utils import translation

from assessment import messages, services
from simulator import services as chat
from simulator.models import Conversation
from tests.conftest import load_version

pytestmark = pytest.mark.django_db
NEW_ADDRESS = "杭州市西湖区文三路90号东部软件园8楼前台"


@pytest.fixture
def o1_chat(classroom, student, clock):
    version = load_version("o1-address-gift-note.zh.yaml")
    assignment = chat.assign_scenario(classroom, scenario_version=version)
    return chat.start_attempt(assignment, student=student)


def tool(conversation, student, **request):
    message, _ = chat.use_tool(
        conversation, author=student, request=request, client_id=uuid.uuid4()
    )
    return message


def report_of(conversation) -> dict:
    return services.assess_conversation(conversation.pk).report


def accuracy(report: dict) -> dict:
    return next(c for c in report["criteria"] if c["key"] == "accuracy")


def test_the_check_and_the_remark_are_credited(o1_chat, student, clock):
    chat.post_message(o1_chat, author=student, text="亲，您好~我帮您核对一下订单哦")
    check = tool(o1_chat, student, tool="order_check")
    tool(o1_chat, student, tool="order_change", item=0, size="S", address=NEW_ADDRESS)
    remark = tool(
        o1_chat, student, tool="remark", text="[11/08 小林] 改S码；改地址；生日礼物，不放价签"
    )
    chat.post_message(o1_chat, author=student, text="亲，已经改好了，48小时内发货哦")
    chat.end_conversation(o1_chat, reason=Conversation.EndReason.STUDENT)
    result = accuracy(report_of(o1_chat))
    parts = {p["key"]: p for p in result["parts"]}
    assert parts["verified"]["present"]
    assert parts["verified"]["evidence"] == [check.seq]
    assert parts["remark"]["present"]
    assert parts["remark"]["evidence"] == [remark.seq]


def test_no_remark_is_reported_by_name(o1_chat, student, clock):
    chat.post_message(o1_chat, author=student, text="亲，您好~")
    tool(o1_chat, student, tool="order_check")
    tool(o1_chat, student, tool="order_change", item=0, size="S")
    chat.end_conversation(o1_chat, reason=Conversation.EndReason.STUDENT)
    result = accuracy(report_of(o1_chat))
    assert result["explanation"]["params"]["missing"] == ["remark_empty"]
    with translation.override("zh-hans"):
        text = messages.note_text(result["explanation"]["code"], result["explanation"]["params"])
    assert "备注" in text
    assert "根本没有备注" in text or "任何备注" in text


def test_a_transfer_ends_with_an_outcome_the_report_explains(o1_chat, student, clock):
    tool(o1_chat, student, tool="transfer", text="顾客要改地址，我不会操作")
    report = report_of(Conversation.objects.get(pk=o1_chat.pk))
    outcome = next(c for c in report["criteria"] if c["key"] == "outcome")
    assert outcome["explanation"]["code"] == "outcome.transferred_easy"
    assert not outcome["failed"]
