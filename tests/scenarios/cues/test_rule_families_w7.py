"""Rule families of issue 11, fourth round, from the misses on the tuning part of the blind w7
role-play transcripts. Every case was invented for this test before the rule (none is a
labelled message); negatives pin what must not fire."""

from __future__ import annotations

import pytest

from tests.scenarios.cues.rounds import en, zh

# -- rude: the delivery handed to the courier ----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "物流的事我们也说不准",
        "这个就看韵达了",
        "您自己联系圆通吧 东西在他们那",
        "快递的事情我们控制不了",
    ],
)
def test_handing_the_delivery_to_the_courier_is_rude_zh(text):
    assert "rude" in zh(text, "到底哪天能到")


@pytest.mark.parametrize(
    "text",
    [
        "我这边帮您联系圆通催一下",
        "物流这块我帮您盯着 有消息马上告诉您",
        "一般看快递 2到3天能到",
    ],
)
def test_taking_the_delivery_on_or_estimating_it_is_not_rude_zh(text):
    assert "rude" not in zh(text, "到底哪天能到")


@pytest.mark.parametrize(
    "text",
    [
        "that depends on the courier, not us",
        "cant tell you that",
        "its up to the carrier now",
        "dont blame us if the courier is late",
    ],
)
def test_handing_the_delivery_to_the_courier_is_rude_en(text):
    assert "rude" in en(text, "will it arrive by friday?")


@pytest.mark.parametrize(
    "text",
    [
        "Delivery depends on the courier, but I'll chase them for you today.",
        "I'll contact the courier and get back to you within the hour.",
    ],
)
def test_delivery_news_with_help_is_not_rude_en(text):
    assert "rude" not in en(text, "will it arrive by friday?")


# -- rude: the work pushed back to the customer (en) ---------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "its all on the product page",
        "you can check it yourself in the app",
        "the return button is in your order",
        "2-5 days, you can do the math",
        "i have like 20 chats open, check ur order page",
    ],
)
def test_pushing_the_work_back_is_rude_en(text):
    assert "rude" in en(text, "when does it ship and how do I return it?")


def test_pointing_to_a_page_while_answering_is_not_rude_en():
    assert "rude" not in en(
        "It ships within 48 hours; I've also sent you the link to the size chart.",
        "when does it ship?",
    )


# -- rude: blame, sarcasm, rhetorical give-ups, flat refusals (zh) -------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "那就是您这边选错了 不是我们的事",
        "收货电话是您自己填的",
        "都说了不包邮",
        "那您去实体店买呗",
        "我又能有什么办法",
        "运费是系统设置的",
        "发货了就改不了的",
    ],
)
def test_blame_sarcasm_and_flat_refusals_are_rude_zh(text):
    assert "rude" in zh(text, "你们这什么服务 能不能帮我弄一下")


@pytest.mark.parametrize(
    "text",
    [
        "您说了要M码，我已经备注好了",
        "系统显示已经发货了，我帮您申请改地址",
        "改不了价，不过可以用店铺券满300减30",
        "您可以去线下门店试穿，也可以在这里拍",
    ],
)
def test_plain_answers_are_not_rude_zh(text):
    assert "rude" not in zh(text, "你们这什么服务 能不能帮我弄一下")
