"""Fact families from the g6 graded batch's tuning misses (issue 10), written before the rules:
a coupon or discount denied when the shop has one, a spec's duration in a chat line that
separates its clauses with spaces, and a refund claimed for what the policy says is kept."""

from __future__ import annotations

import pytest

from assessment.scoring.accuracy import AgentLine, fact_errors
from scenarios.cues import facts_from_mapping


def _shop(**policy) -> dict:
    return {
        "shop": {
            "name": "声学小铺",
            "products": [
                {
                    "sku": "E1",
                    "name": "降噪耳机",
                    "price": 299,
                    "specs": {"续航": "单次5小时 / 加充电盒共25小时"},
                }
            ],
            "promotions": ["店铺券满279减15"],
            "shipping": {"default": "韵达包邮", "ship_within_hours": 24, "transit_days": "2-4天"},
            "policy": {"returns": "7天无理由退货", **policy},
        }
    }


SHOP = facts_from_mapping(_shop(notes=["预约金10元不退", "赠品不退不换"]))
NO_PROMOTIONS = facts_from_mapping({"shop": {**_shop()["shop"], "promotions": []}})


EN_SHOP = facts_from_mapping(_shop(notes=["The 10 yuan deposit is non-refundable"]))


def _keeping(text: str):
    """The shop whose notes keep what `text` speaks of: its deposit (English) or 预约金, 赠品."""
    return EN_SHOP if "deposit" in text else SHOP


def _errors(text: str, facts=SHOP, context: str = "") -> list:
    return list(fact_errors([AgentLine(4, text, (), frozenset(), context)], facts))


@pytest.mark.parametrize(
    "text",
    ["没券的 就这个价", "现在没有券哈", "没有优惠券呢亲", "sorry, no coupons at the moment"],
)
def test_a_coupon_denied_while_the_shop_has_one_is_a_fact_error(text):
    (error,) = _errors(text)
    assert error.kind == "promotion"
    assert "满279减15" in error.fact


@pytest.mark.parametrize("text", ["没券的 就这个价", "no coupons at the moment"])
def test_no_coupon_is_true_for_a_shop_without_one(text):
    assert _errors(text, NO_PROMOTIONS) == []


@pytest.mark.parametrize(
    "text",
    [
        "这款续航一次9小时 明天就能到货",
        "续航能有个9小时 下单24小时内发出",
    ],
)
def test_a_duration_among_space_separated_clauses_is_checked(text):
    errors = _errors(text)
    assert [e.claim for e in errors if e.claim.startswith("9")], errors


def test_a_true_duration_beside_a_shipping_clause_is_no_error():
    assert _errors("续航单次5小时 加盒子一共25小时 今天下单明天发出") == []


@pytest.mark.parametrize(
    "text",
    [
        "预约金可以退的 放心付",
        "预约金不想要了随时能退",
        "赠品也可以退哦",
        "the deposit is refundable, no worries",
    ],
)
def test_a_refund_claimed_for_what_the_policy_keeps_is_a_fact_error(text):
    (error,) = _errors(text, _keeping(text))
    assert error.kind == "policy"


@pytest.mark.parametrize(
    "text",
    [
        "预约金是不退的哦",
        "预约金付了就不能退了",
        "不好意思 预约金退不了",
        "商品可以7天无理由退",
        "赠品要跟商品一起退回的",
        "申请退款的时候预约金会原路返还到尾款里",
        "the deposit can't be refunded, sorry",
    ],
)
def test_agreeing_with_the_policy_or_speaking_of_something_else_is_no_error(text):
    assert _errors(text, _keeping(text)) == []
