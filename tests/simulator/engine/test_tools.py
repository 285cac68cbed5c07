"""The customer engine sees the shop's tools (issue 7 part 6): pure, no database. Cards are
built by the workbench from the scripts, as the services build them."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenarios.schema import parse_source
from simulator.engine import AgentSaid, Begin, CustomerEngine, End, Say, ToolUsed, workbench
from simulator.engine.replay import Heard, replay

FIXTURES = Path(__file__).resolve().parents[3] / "fixtures/scenarios"
NEW_ADDRESS = "杭州市西湖区文三路90号东部软件园8楼前台"


def script(name: str):
    return parse_source((FIXTURES / name).read_bytes())


@pytest.fixture
def o1() -> CustomerEngine:
    return CustomerEngine(script("o1-address-gift-note.zh.yaml"))


def card(engine: CustomerEngine, tool: str, order=None, **request) -> dict:
    order = order if order is not None else workbench.order_of(engine.script)
    return workbench.use(engine.script, tool, {"tool": tool, **request}, order=order).payload


def lines(actions) -> list[str]:
    return [a.text for a in actions if isinstance(a, Say)]


def at_new_address(engine: CustomerEngine):
    state, _ = engine.react(engine.start(3), Begin(), 0.0)
    state, _ = engine.react(state, AgentSaid(frozenset({"greet"})), 10.0)
    assert state.node == "new_address"
    return state


def test_an_order_check_that_disagrees_is_corrected_from_what_she_asked_for(o1):
    state = at_new_address(o1)
    state, actions = o1.react(state, ToolUsed(card(o1, "order_check")), 60.0)
    (line,) = lines(actions)
    assert f"地址不对，是{NEW_ADDRESS}" in line
    assert "羊毛混纺双面大衣要S码，不是M" in line
    assert "加绒卫衣" not in line  # the hoodie has no S: her size is the coat's
    # The script moves on as after a check (she noticed), but never to an ending.
    assert state.node == "noticed_size"
    assert not any(isinstance(a, End) for a in actions)


def test_a_change_that_meets_her_request_moves_the_script_on(o1):
    state = at_new_address(o1)
    state, _ = o1.react(state, ToolUsed(card(o1, "order_check")), 60.0)
    change = card(o1, "order_change", item=0, size="S", address=NEW_ADDRESS)
    state, actions = o1.react(state, ToolUsed(change), 120.0)
    assert state.node == "ship_question"
    assert lines(actions)[0] in o1.script.states["ship_question"].say
    assert dict(state.memory.slots)["size"] == "S"


def test_a_change_against_her_request_is_corrected_and_the_script_waits(o1):
    state = at_new_address(o1)
    state, _ = o1.react(state, ToolUsed(card(o1, "order_check")), 60.0)
    wrong = card(o1, "order_change", item=0, size="L", address=NEW_ADDRESS)
    after, actions = o1.react(state, ToolUsed(wrong), 120.0)
    (line,) = lines(actions)
    assert "羊毛混纺双面大衣要S码，不是L" in line
    assert "地址" not in line  # the address is right now
    assert after.node == state.node


def test_an_order_check_that_agrees_is_confirmed(o1):
    state = at_new_address(o1)
    fixed = card(o1, "order_change", item=0, size="S", address=NEW_ADDRESS)["order"]
    state, actions = o1.react(state, ToolUsed(card(o1, "order_check", order=fixed)), 60.0)
    (line,) = lines(actions)
    assert line in o1.words.order_right
    assert state.node == "noticed_size"


def test_a_remark_is_not_the_customers_to_see(o1):
    state = at_new_address(o1)
    after, actions = o1.react(state, ToolUsed(card(o1, "remark", text="生日礼物")), 60.0)
    assert after == state
    assert actions == ()


def test_a_product_card_answers_her_product_question():
    engine = CustomerEngine(script("p1-coat-size.zh.yaml"))
    state, _ = engine.react(engine.start(5), Begin(), 0.0)
    state, actions = engine.react(state, ToolUsed(card(engine, "product_card", sku="A1")), 20.0)
    assert {"price", "spec", "stock"} <= set(state.memory.answered)
    assert lines(actions)  # she answers the card as a recommendation


def test_a_coupon_pleases_a_bargainer_and_counts_as_the_concession():
    engine = CustomerEngine(script("p2-hoodie-bargain.zh.yaml"))
    start, _ = engine.react(engine.start(5), Begin(), 0.0)
    within = card(engine, "coupon", amount=10)
    state, _ = engine.react(start, ToolUsed(within), 20.0)
    assert state.mood == start.mood - 1
    assert state.node == "push_rival"  # the bargain's own branch (negotiate)


def test_a_coupon_beyond_authority_pleases_and_is_recorded_as_a_promise():
    engine = CustomerEngine(script("p2-hoodie-bargain.zh.yaml"))
    start, _ = engine.react(engine.start(5), Begin(), 0.0)
    beyond = card(engine, "coupon", amount=50)
    assert beyond["within"] is False
    state, _ = engine.react(start, ToolUsed(beyond), 20.0)
    assert state.node == "caved"
    assert state.mood < start.mood
    assert [(p.text, p.out_of_policy) for p in state.memory.promises] == [("优惠券¥50", True)]


def test_a_transfer_rates_by_mood(o1):
    state = at_new_address(o1)
    rating, review = o1.transferred(state)
    assert rating == 3
    assert review in o1.words.transferred
    angry, _ = o1.transferred(state.__class__(**{**state.__dict__, "mood": 5}))
    assert angry == 1


def test_tool_uses_replay_exactly(o1):
    live, _ = o1.react(o1.start(9), Begin(), 0.0)
    said = []
    heard = [
        Heard(at=10.0, moves=frozenset({"greet"}), text="您好"),
        Heard(at=40.0, moves=frozenset(), card=card(o1, "order_check")),
        Heard(at=90.0, moves=frozenset(), card=card(o1, "order_change", item=0, size="S")),
    ]
    for message in heard:
        event = (
            ToolUsed(message.card)
            if message.card is not None
            else o1.agent_said(message.moves, message.text)
        )
        live, actions = o1.react(live, event, message.at)
        said += [(message.at + a.delay, a.text) for a in actions if isinstance(a, Say)]
    again = replay(o1, seed=9, began=0.0, heard=heard, until=200.0)
    assert [text for _due, text in said] == again.texts[1:]
    assert again.state.node == live.node
