"""Verify read from the order's facts and the customer's line (issue 11): a message that names
what the order holds, or reads back what the customer just gave, is verifying it. Wordings
invented for this test, not taken from any labelled set; written before the rule."""

from __future__ import annotations

import pytest

from scenarios.cues import facts_from_mapping, recogniser_for
from scenarios.cues.model import echoes, fact_terms, facts_named

ORDER = facts_from_mapping(
    {
        "shop": {"name": "暖居", "products": [{"sku": "T1", "name": "珊瑚绒四件套", "price": 259}]},
        "order": {
            "id": "88001234",
            "items": [
                {"sku": "T1", "name": "珊瑚绒四件套", "colour": "浅灰", "size": "1.8米", "qty": 2}
            ],
            "recipient": "周晓",
            "address": "江苏省南京市鼓楼区中山路8号",
        },
    }
)
ZH = recogniser_for("zh-hans")


def moves(text: str, context: str | None = None, facts=ORDER) -> frozenset[str]:
    return ZH.recognise(text, context=context, facts=facts).moves


def test_the_order_facts_a_message_names_are_counted_once_each():
    terms = fact_terms(ORDER)
    assert facts_named("浅灰的四件套,1.8米,寄南京鼓楼", terms) == 4
    assert facts_named("好的亲,马上安排", terms) == 0


def test_a_size_letter_counts_only_as_a_whole_token():
    facts = facts_from_mapping({"order": {"items": [{"sku": "A", "size": "M", "colour": "黑"}]}})
    terms = fact_terms(facts)
    assert facts_named("黑色 m码", terms) == 2
    assert facts_named("mm我看下", terms) == 0


@pytest.mark.parametrize(
    "text",
    [
        "好嘞,浅灰1.8米两套,寄鼓楼中山路那个地址哈",
        "给您看了下订单:四件套浅灰色,收件人周晓,没问题吧",
        "已经给您把颜色改成浅灰了,尺寸还是1.8米",
    ],
)
def test_naming_two_order_facts_is_verify(text):
    assert "verify" in moves(text, "帮我看看订单对不对")


def test_one_passing_mention_of_the_product_is_not_verify():
    assert "verify" not in moves("四件套是纯棉的亲,手感很软", "这个料子怎么样")


def test_without_an_order_the_same_words_need_the_lexicon():
    assert "verify" not in moves("四件套是纯棉的亲,手感很软", "这个料子怎么样", facts=None)


def test_reading_back_what_the_customer_just_typed_is_an_echo_for_the_model():
    context = "抬头写杭州青禾文化传媒有限公司,税号91330100XY"
    assert echoes("好的,抬头杭州青禾文化传媒有限公司,税号91330100XY,我记下了", context)
    assert not echoes("好的,我看一下", context)
    assert not echoes("好的好的,没问题的", "好的好的,没问题的吧")  # courtesy, not details
