"""The order panel's shop tools as stored events: cards built by the server, in the chat's
sequence, idempotent on client_id, refused with a clear code when the scenario cannot take them."""

from __future__ import annotations

import uuid

import pytest

from assessment.selectors import transcript_of
from simulator import protocol, services, shop_tools
from simulator.models import Conversation, Message
from tests.conftest import load_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def order_chat(classroom, student, clock):
    version = load_version("o1-address-gift-note.zh.yaml")
    assignment = services.assign_scenario(classroom, scenario_version=version)
    return services.start_attempt(assignment, student=student)


def tool(conversation, student, **request):
    message, _created = services.use_tool(
        conversation, author=student, request=request, client_id=uuid.uuid4()
    )
    return message


def test_an_order_check_is_a_line_of_the_chat_with_the_order_as_its_card(order_chat, student):
    message = tool(order_chat, student, tool="order_check")
    assert message.role == Message.Role.TOOL
    assert message.seq == Conversation.objects.get(pk=order_chat.pk).last_seq
    card = message.payload
    assert card["kind"] == "order_check"
    assert [item["size"] for item in card["order"]["items"]] == ["M", "L"]
    assert card["order"]["address"].startswith("浙江省杭州市西湖区文一路88号")
    assert message.text.startswith("[核对订单] 羊毛混纺双面大衣 驼色 M ×1")
    frame = protocol.message_new(message)
    assert frame["role"] == "tool"
    assert frame["tool"]["kind"] == "order_check"
    assert "request" not in frame["tool"]  # what the client asked is no part of the card


def test_a_change_and_a_remark_show_in_the_next_check_and_the_panel(order_chat, student):
    tool(
        order_chat, student, tool="order_change", item=0, size="S", address="杭州市西湖区文三路90号"
    )
    tool(order_chat, student, tool="remark", text="[11/08 小林] 改S码；改地址；生日礼物，不放价签")
    check = tool(order_chat, student, tool="order_check")
    order = check.payload["order"]
    assert order["items"][0]["size"] == "S"
    assert order["items"][1]["size"] == "L"
    assert order["address"] == "杭州市西湖区文三路90号"
    assert order["remark"].endswith("不放价签")
    now = shop_tools.order_now(order_chat)
    assert now.order == order
    assert not now.shipped
    assert now.coupon_limit == 10


def test_a_resend_stores_once_and_another_request_under_the_same_id_conflicts(order_chat, student):
    client_id = uuid.uuid4()
    request = {"tool": "remark", "text": "生日礼物"}
    first, created = services.use_tool(
        order_chat, author=student, request=request, client_id=client_id
    )
    again, created_again = services.use_tool(
        order_chat, author=student, request=request, client_id=client_id
    )
    assert created
    assert not created_again
    assert again.pk == first.pk
    with pytest.raises(services.ClientIdConflict):
        services.use_tool(
            order_chat,
            author=student,
            request={"tool": "remark", "text": "别的"},
            client_id=client_id,
        )
    assert order_chat.messages.filter(role=Message.Role.TOOL).count() == 1


@pytest.mark.parametrize(
    ("request_", "code"),
    [
        ({"tool": "product_card", "sku": "NOPE"}, "unknown_product"),
        ({"tool": "order_change", "item": 0, "size": "XXL"}, "unknown_option"),
        ({"tool": "order_change", "item": 0, "size": "M"}, "no_change"),
        ({"tool": "order_change", "item": 5, "size": "S"}, "invalid"),
    ],
)
def test_what_the_scenario_cannot_take_is_refused_and_nothing_stored(
    order_chat, student, request_, code
):
    before = Conversation.objects.get(pk=order_chat.pk).last_seq
    with pytest.raises(services.ToolRefused) as refused:
        services.use_tool(order_chat, author=student, request=request_, client_id=uuid.uuid4())
    assert refused.value.code == code
    assert str(refused.value.message)
    assert Conversation.objects.get(pk=order_chat.pk).last_seq == before


def test_a_shipped_order_cannot_change(classroom, student, clock):
    version = load_version("o6-watch-shipped-address.zh.yaml")
    assignment = services.assign_scenario(classroom, scenario_version=version)
    chat = services.start_attempt(assignment, student=student)
    with pytest.raises(services.ToolRefused) as refused:
        tool(chat, student, tool="order_change", address="北京市朝阳区1号")
    assert refused.value.code == "order_shipped"
    assert shop_tools.order_now(chat).shipped


def test_a_pre_sale_chat_has_product_cards_but_no_order(assignment, student, clock):
    chat = services.start_attempt(assignment, student=student)
    card = tool(chat, student, tool="product_card", sku="A1")
    assert card.payload["name"] == "羊毛混纺双面大衣"
    assert card.payload["price"] == 399
    assert card.payload["options"]["尺码"] == ["S", "M", "L", "XL"]
    with pytest.raises(services.ToolRefused) as refused:
        tool(chat, student, tool="order_check")
    assert refused.value.code == "no_order"


def test_coupons_beyond_the_authority_are_marked_and_raise_the_promise_alert(order_chat, student):
    first = tool(order_chat, student, tool="coupon", amount=10)
    second = tool(order_chat, student, tool="coupon", amount=5)
    assert first.payload["within"] is True
    assert first.moves == []
    assert second.payload["within"] is False
    assert second.payload["limit"] == 10
    assert second.moves == ["promise"]


def test_a_transfer_ends_the_chat_as_transferred(order_chat, student):
    tool(order_chat, student, tool="transfer", text="顾客要求赔偿50元，超出权限")
    chat = Conversation.objects.get(pk=order_chat.pk)
    assert chat.status == Conversation.Status.ENDED
    assert chat.end_reason == Conversation.EndReason.TRANSFERRED
    assert chat.outcome == Conversation.Outcome.ESCALATED
    assert 1 <= chat.rating <= 5
    assert chat.review
    with pytest.raises(services.ConversationClosed):
        tool(chat, student, tool="remark", text="晚了")


def test_the_scorers_lines_leave_tool_uses_out(order_chat, student):
    tool(order_chat, student, tool="order_check")
    services.post_message(order_chat, author=student, text="亲，帮您核对一下订单哦")
    lines = transcript_of(Conversation.objects.get(pk=order_chat.pk)).lines
    assert [line.role for line in lines].count("agent") == 1
    assert all(line.role in ("customer", "agent") for line in lines)


def test_the_transcript_page_shows_each_card(order_chat, student, client):
    tool(order_chat, student, tool="order_check")
    tool(order_chat, student, tool="coupon", amount=30)
    tool(order_chat, student, tool="product_card", sku="A2")
    client.force_login(student)
    from django.urls import reverse

    html = client.get(reverse("assessment:transcript", args=[order_chat.pk])).content.decode()
    assert 'data-tool="order_check"' in html
    assert "文一路88号翠苑小区3幢502" in html
    assert 'data-tool="coupon"' in html
    assert "tool-outside" in html
    assert 'data-tool="product_card"' in html
    assert "加绒卫衣" in html


def test_the_workspace_panel_shows_the_order_as_it_stands_and_the_authority(
    order_chat, student, client
):
    from django.urls import reverse

    tool(
        order_chat, student, tool="order_change", item=0, size="S", address="杭州市西湖区文三路90号"
    )
    tool(order_chat, student, tool="remark", text="生日礼物，不放价签")
    client.force_login(student)
    html = client.get(reverse("simulator:workspace", args=[order_chat.pk])).content.decode()
    assert '<dd data-order="address">杭州市西湖区文三路90号</dd>' in html
    assert "羊毛混纺双面大衣 · 驼色 · S × 1" in html
    assert '<dd data-order="remark">生日礼物，不放价签</dd>' in html
    assert 'data-tool-form="order_change"' in html
    assert 'data-limit="10"' in html
    assert "本次对话优惠券合计不超过 ¥10" in html


def test_a_shipped_order_offers_no_change_form(classroom, student, clock, client):
    from django.urls import reverse

    version = load_version("o6-watch-shipped-address.zh.yaml")
    assignment = services.assign_scenario(classroom, scenario_version=version)
    chat = services.start_attempt(assignment, student=student)
    client.force_login(student)
    html = client.get(reverse("simulator:workspace", args=[chat.pk])).content.decode()
    assert 'data-tool-form="order_check"' in html
    assert 'data-tool-form="order_change"' not in html
    assert "订单已发货：地址和商品都不能再改了。" in html
