"""No false fact errors: true statements made from every library scenario's own facts (prices,
totals after a promotion, stock, size charts, specs, ship and transit times, returns, fees,
coupons, refunds of the amount paid, read-backs of the order) must raise none."""

from __future__ import annotations

import re

import pytest

from assessment.scoring.accuracy import AgentLine, fact_errors
from scenarios.cues import ShopFacts, facts_from_mapping
from scenarios.schema import parse_source
from tests.conftest import SCENARIO_DIR

SCENARIOS = sorted(path.stem for path in SCENARIO_DIR.glob("*.yaml"))
_DIGITS = "零一二三四五六七八九"


def _chinese(number: int) -> str:
    """Up to 999 in characters: 258 → 二百五十八, 30 → 三十, 105 → 一百零五."""
    hundreds, rest = divmod(number, 100)
    tens, ones = divmod(rest, 10)
    out = f"{_DIGITS[hundreds]}百" if hundreds else ""
    if tens:
        out += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    elif hundreds and ones:
        out += "零"
    return out + (_DIGITS[ones] if ones else "")


def _facts(name: str) -> ShopFacts:
    script = parse_source((SCENARIO_DIR / f"{name}.yaml").read_bytes())
    facts = facts_from_mapping(
        script.model_dump(include={"shop", "order"}, mode="json", exclude_none=True)
    )
    assert facts is not None
    return facts


def _products(facts: ShopFacts, zh: bool) -> list[str]:
    said = []
    for p in facts.products:
        if p.price is not None:
            price, two = f"{p.price:g}", f"{p.price * 2:g}"
            if zh:
                said += [
                    f"{p.name}{price}元",
                    f"{p.name}的价格是{price}",
                    f"两件{p.name}一共{two}元",
                ]
                if p.price == int(p.price) and p.price * 2 < 1000:
                    said += [
                        f"{p.name}{_chinese(int(p.price))}元",
                        f"两件一共{_chinese(int(p.price * 2))}",
                    ]
            else:
                said += [
                    f"The {p.name} is {price} yuan.",
                    f"Two of the {p.name} come to {two} yuan in total.",
                ]
            for promo in facts.promotions:
                found = re.search(r"满\s*(\d+)\s*减\s*(\d+)|(\d+) off orders over (\d+)", promo)
                if not found:
                    continue
                least = float(found.group(1) or found.group(4))
                cut = float(found.group(2) or found.group(3))
                for qty in (1, 2, 3):
                    if p.price * qty >= least:
                        total = f"{p.price * qty - cut:g}"
                        said.append(
                            f"{qty}件{p.name}满减后到手{total}元"
                            if zh
                            else f"{qty} x {p.name}, after the {cut:g} off that's {total} yuan."
                        )
        for key, count in p.stock:
            if count > 0:
                said += (
                    [f"{key}还有{count}件", f"{key}有货的"]
                    if zh
                    else [f"{key} is in stock, {count} left.", f"Yes, {key} is available."]
                )
            else:
                said += [f"{key}没货了"] if zh else [f"{key} is out of stock."]
        for key, text in p.specs:
            said.append(
                f"{p.name}{key}是{text}" if zh else f"The {p.name}'s {key.lower()} is {text}."
            )
            for size, value in re.findall(r"(XXL|XL|XS|S|M|L)\s*(\d+(?:\.\d+)?)", text):
                said.append(
                    f"{size}码{key}{value}cm"
                    if zh
                    else f"The {size} has a {key.lower()} of {value} cm."
                )
    return said


def _policy(facts: ShopFacts, zh: bool) -> list[str]:
    said = list(facts.notes)
    if facts.ship_within_hours:
        hours = f"{facts.ship_within_hours:g}"
        said.append(f"付款后{hours}小时内给您发出" if zh else f"It ships within {hours} hours.")
        if facts.transit_days:
            said.append(
                f"我们{hours}小时内发货，{facts.transit_days}到货"
                if zh
                else f"We ship within {hours} hours and it takes {facts.transit_days}."
            )
    if facts.transit_days:
        said.append(
            f"一般{facts.transit_days}到" if zh else f"It usually arrives in {facts.transit_days}."
        )
    if facts.returns:
        said.append(f"我们支持{facts.returns}" if zh else f"We offer {facts.returns}.")
    for upgrade in facts.shipping_upgrades:
        if fee := re.search(r"\d+", upgrade):
            said.append(
                f"顺丰的话需要加{fee.group()}元"
                if zh
                else f"SF Express is {fee.group()} yuan extra."
            )
    if facts.compensation_limit:
        limit = f"{facts.compensation_limit:g}"
        said.append(
            f"给您补偿一张{limit}元优惠券" if zh else f"I can give you a {limit}-yuan coupon."
        )
    if facts.order and facts.order.total is not None:
        total = f"{facts.order.total:g}"
        said += (
            [f"您实付{total}元", f"退您{total}元"]
            if zh
            else [f"You paid {total} yuan.", f"I'll refund you {total} yuan."]
        )
        for item in facts.order.items:
            if item.size:
                said.append(
                    f"跟您核对一下：{item.colour}{item.size}码{item.qty}件"
                    if zh
                    else f"Let me confirm: {item.colour} {item.size}, {item.qty} piece."
                )
    return said


@pytest.mark.parametrize("name", SCENARIOS)
def test_true_statements_of_a_library_scenario_raise_no_fact_error(name):
    facts = _facts(name)
    zh = name.endswith(".zh")
    said = _products(facts, zh) + _policy(facts, zh)
    assert len(said) >= 10  # every library scenario states enough to check

    flagged = [
        (text, error.kind)
        for text in said
        for error in fact_errors([AgentLine(1, text, (), frozenset(), "")], facts)
    ]

    assert flagged == []


def test_a_false_statement_of_a_library_scenario_is_still_caught():
    facts = _facts("p1-coat-size.zh")
    line = AgentLine(1, "M码肩宽44cm，驼色M还有5件", (), frozenset(), "")

    assert sorted(error.kind for error in fact_errors([line], facts)) == ["size", "stock"]
