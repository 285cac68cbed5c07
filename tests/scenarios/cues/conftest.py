from __future__ import annotations

import pytest

from scenarios.cues import Recogniser, ShopFacts, facts_from_mapping, recogniser_for

SHOP = {
    "shop": {
        "name": "简衣",
        "products": [
            {
                "sku": "A1",
                "name": "羊毛混纺双面大衣",
                "price": 399,
                "options": {"颜色": ["驼色", "黑色"], "尺码": ["S", "M", "L", "XL"]},
                "specs": {"肩宽": "S 38cm / M 40cm / L 42cm / XL 44cm"},
                "stock": {"驼色 S": 2, "驼色 M": 1, "黑色 L": 0},
            }
        ],
        "promotions": ["满300减30", "实付满299送袜子一双"],
        "shipping": {
            "default": "中通包邮",
            "upgrades": ["顺丰 +12元"],
            "ship_within_hours": 48,
            "transit_days": "2-5",
        },
        "policy": {
            "returns": "7天无理由退换(未穿着、吊牌完好)",
            "return_freight": "buyer",
            "freight_insurance": False,
            "refund_before_return": False,
            "price_change": False,
            "compensation_limit": 10,
            "guaranteed_delivery": False,
            "notes": ["质量问题或发错货,来回运费由店铺承担"],
        },
    },
    "order": {
        "id": "2026111100123",
        "items": [
            {
                "sku": "A1",
                "name": "羊毛混纺双面大衣",
                "colour": "驼色",
                "size": "M",
                "qty": 1,
                "price": 399,
            }
        ],
        "recipient": "林小雨",
        "address": "浙江省杭州市西湖区",
    },
}


@pytest.fixture
def zh() -> Recogniser:
    return recogniser_for("zh-hans")


@pytest.fixture
def en() -> Recogniser:
    return recogniser_for("en")


@pytest.fixture
def strict_shop() -> ShopFacts:
    facts = facts_from_mapping(SHOP)
    assert facts is not None
    return facts
