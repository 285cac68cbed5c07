"""Evidence, claims, facts, determinism and robustness of the recogniser."""

from __future__ import annotations

import ast
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from scenarios.cues import MOVES, Recogniser, ShopFacts, facts_from_mapping, recogniser_for
from tests.scenarios.cues.conftest import SHOP

CUES_DIR = Path(__file__).resolve().parents[3] / "scenarios" / "cues"


def test_evidence_spans_point_at_the_original_text(zh: Recogniser) -> None:
    text = "亲亲！！不好意思久等了～您先别着急，我马上帮您查ｏｋ？"
    recognition = zh.recognise(text)
    assert recognition.evidence
    for item in recognition.evidence:
        assert text[item.start : item.end] == item.text
        assert item.move in MOVES
        assert item.rule


def test_evidence_spans_survive_characters_that_nfkc_expands(zh: Recogniser) -> None:
    text = "㈠ 不好意思久等了 ㍿ 您放心"
    for item in zh.recognise(text).evidence:
        assert text[item.start : item.end] == item.text


def test_claims_carry_kind_value_and_span(zh: Recogniser) -> None:
    text = "这款399元，建议拍M码，驼色只剩2件了，48小时内发货，支持7天无理由退换"
    claims = zh.recognise(text).claims
    kinds = {claim.kind for claim in claims}
    assert kinds == {"price", "size", "stock", "delivery", "policy"}
    price = next(claim for claim in claims if claim.kind == "price")
    assert price.value == 399.0
    stock = next(claim for claim in claims if claim.kind == "stock")
    assert stock.value == 2.0
    for claim in claims:
        assert text[claim.start : claim.end] == claim.text


def test_english_claims(en: Recogniser) -> None:
    claims = en.recognise("It's $49.90, in stock, and ships within 48 hours.").claims
    assert {claim.kind for claim in claims} == {"price", "stock", "delivery"}


def test_to_json_lists_moves_in_vocabulary_order(zh: Recogniser) -> None:
    data = zh.recognise("抱歉让您久等了，您好，请问有什么可以帮您？", context="在吗").to_json()
    assert data["moves"] == [move for move in MOVES if move in data["moves"]]
    assert set(data["evidence"]) == set(data["moves"])
    json.dumps(data, ensure_ascii=False)


def test_recognition_is_deterministic(zh: Recogniser) -> None:
    text = "非常理解您的心情，真的很抱歉，我们给您补发一个，您看可以吗？"
    first = zh.recognise(text, context="坏了")
    fresh = Recogniser.load("zh-hans")
    assert all(zh.recognise(text, context="坏了") == first for _ in range(5))
    assert fresh.recognise(text, context="坏了") == first


def test_facts_are_read_from_a_scenario_mapping() -> None:
    facts = facts_from_mapping(SHOP)
    assert facts is not None
    assert facts.name == "简衣"
    assert facts.products[0].price == 399
    assert facts.products[0].option_values("尺码") == ("S", "M", "L", "XL")
    assert dict(facts.products[0].stock)["驼色 M"] == 1
    assert facts.promotions == ("满300减30", "实付满299送袜子一双")
    assert facts.return_freight == "buyer"
    assert facts.free_return_allowed is False
    assert facts.compensation_limit == 10
    assert facts.ship_within_hours == 48
    assert facts.order is not None
    assert facts.order.items[0].size == "M"
    assert facts_from_mapping(SHOP["shop"]) is not None
    assert facts_from_mapping(None) is None


def test_free_form_shop_facts_from_a_transcript() -> None:
    facts = facts_from_mapping(
        "7天无理由退货，退货运费买家承担；订单有运费险；不支持改价；补偿上限10元"
    )
    assert facts is not None
    assert facts.freight_insurance is True
    assert facts.free_return_allowed is True
    assert facts.price_change is False
    assert facts.compensation_limit == 10
    no_insurance = facts_from_mapping(["无运费险", "Seller does not guarantee delivery dates"])
    assert no_insurance is not None
    assert no_insurance.freight_insurance is False


def test_empty_and_symbol_only_messages_have_no_moves(zh: Recogniser, en: Recogniser) -> None:
    for text in ("", "   ", "😂😂😂", "？？？", "……", "[表情]", "\u200b", "\x00"):
        assert zh.recognise(text).moves == frozenset()
        assert en.recognise(text).moves == frozenset()


def test_a_ten_thousand_character_message_is_handled(zh: Recogniser) -> None:
    text = ("亲，不好意思久等了，" * 1000)[:10_000]
    recognition = zh.recognise(text, context="在吗" * 3000)
    assert "apologise" in recognition.moves
    assert len(recognition.evidence) < 100


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=300), context=st.one_of(st.none(), st.text(max_size=80)))
def test_any_text_is_recognised_without_error(text: str, context: str | None) -> None:
    facts = ShopFacts(compensation_limit=10)
    for language in ("zh-hans", "en"):
        recognition = recogniser_for(language).recognise(text, facts=facts, context=context)
        assert recognition.moves <= set(MOVES)
        for item in recognition.evidence:
            assert text[item.start : item.end] == item.text
        for claim in recognition.claims:
            assert text[claim.start : claim.end] == claim.text


@settings(max_examples=100, deadline=None)
@given(
    data=st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=10),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=12,
    )
)
def test_facts_from_odd_mappings_never_raise(data: object) -> None:
    if isinstance(data, dict):
        facts_from_mapping({"shop": data, "order": data})
        facts_from_mapping(data)


def test_the_package_is_pure_python() -> None:
    # STYLE.md: pure cores import neither Django nor Channels.
    for path in CUES_DIR.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in {"django", "channels"}, f"{path.name}: {name}"
