"""Rule families of issue 11, third round, from the misses on the tuning part of the blind w6
role-play transcripts (text the rules had not been written from). Every case was invented for
this test before the rule (none is a labelled message); negatives pin what must not fire."""

from __future__ import annotations

import pytest

from tests.scenarios.cues.rounds import en, zh

# -- follow_up: sending the tracking number or news later, asking to hear back ------------------


@pytest.mark.parametrize(
    "text",
    [
        "明早十点前寄出，寄出后单号马上发您",
        "包裹一发走，单号第一时间给您",
        "今天能发，单号我晚点发你",
        "衣服到了穿着合不合适跟我说声",
        "路上有什么情况我盯着的",
    ],
)
def test_sending_the_tracking_number_or_news_later_is_follow_up(text):
    assert "follow_up" in zh(text, "那什么时候发")


@pytest.mark.parametrize(
    "text",
    [
        "单号是YT12345678，您可以在订单里查",  # giving it now is no commitment to come back
        "麻烦把退货单号发我一下",  # asking for the customer's number is not a report back
        "您说一声我就帮您改",
    ],
)
def test_giving_or_asking_for_a_number_now_is_not_follow_up(text):
    assert "follow_up" not in zh(text, "单号呢")


@pytest.mark.parametrize(
    "text",
    [
        "I can't promise that, but I'll ask the warehouse and let you know by noon.",
        "I'll chase it and let you know before 5.",
        "Quick update: just got word from the courier, it's moving again.",
        "Just got an update: it cleared customs this morning.",
    ],
)
def test_english_news_by_a_time_and_reported_updates_are_follow_up(text):
    assert "follow_up" in en(text, "where is my parcel??")


def test_english_let_you_know_without_a_commitment_is_not_follow_up():
    assert "follow_up" not in en("Let me know by Friday which colour you want.", "hmm")


# -- recommend: a pick by capacity or model answering a choice or a need ------------------------


@pytest.mark.parametrize(
    ("text", "customer"),
    [
        ("那就3升的吧，两个人够了", "两个人用哪个合适"),
        ("那就1.5L，放得下", "我柜子只有30厘米高"),
        ("两口人的话2升够用", "2升和3升选哪个"),
        ("三口之家5L足够了", "家里三个人 要多大的"),
    ],
)
def test_a_capacity_picked_for_the_customer_is_recommend(text, customer):
    assert "recommend" in zh(text, customer)


@pytest.mark.parametrize(
    ("text", "customer"),
    [
        ("3升的已经卖完了", "3升有货吗"),
        ("电池够用一天", "电池能用多久"),
        ("那就等您确认", "我再想想"),
    ],
)
def test_stock_news_and_plain_answers_are_not_recommend(text, customer):
    assert "recommend" not in zh(text, customer)


# -- rude: handing a transit fault to the courier, or denying it -------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "这个您联系下快递吧",
        "您去找一下物流公司吧",
        "又不是我们弄坏的，寄出去的时候好好的",
    ],
)
def test_handing_a_fault_to_the_courier_or_denying_it_is_rude(text):
    assert "rude" in zh(text, "收到就是碎的！！你们怎么包的")


@pytest.mark.parametrize(
    "text",
    [
        "我这边马上联系下快递，给您查清楚",
        "不是您的问题，我们来处理",
        "我们质检过的批次都有记录，我先查一下这件",
    ],
)
def test_taking_it_on_is_not_rude(text):
    assert "rude" not in zh(text, "收到就是碎的！！你们怎么包的")
