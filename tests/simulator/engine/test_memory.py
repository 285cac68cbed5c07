"""The customer remembers and reacts: memory, challenges, counters, mood, reviews, waiting.

Pure: a small script written here, the engine alone, no database.
"""

from __future__ import annotations

import pytest

from scenarios.schema import parse_source
from simulator.engine import (
    AgentSaid,
    Begin,
    CustomerEngine,
    CustomerState,
    End,
    Fact,
    Say,
    StartTimer,
    Tick,
)
from simulator.engine.core import IGNORED

SCRIPT = """
id: memory-test
kind: pre_sale
language: zh-hans
title: 记忆测试
brief: 回答顾客。
persona: {name: 小雨, type: bargainer, patience: 1}
shop:
  name: 简衣
  products:
    - sku: A1
      name: 大衣
      price: 399
      options: {颜色: [驼色, 黑色], 尺码: [S, M, L]}
      specs: {肩宽: S 38cm / M 40cm / L 42cm}
      stock: {驼色 S: 2, 驼色 M: 1, 黑色 L: 0}
remember: {size: M, colour: 驼色}
start: opening
states:
  opening:
    say: 在吗？这件大衣有什么码？
    transitions:
      - {on: [rude], to: lost}
      - {on: [negotiate], when: {count: {discount: 2}}, to: no_deal}
      - {on: [negotiate], to: press}
      - {on: [recommend], to: delivery_question}
      - {on: [silence], after: 60, to: lost}
  press:
    asks: discount
    say: 再便宜点嘛？
    transitions:
      - {on: [negotiate], when: {count: {discount: 2}}, to: no_deal}
      - {on: [negotiate], to: press}
      - {on: [recommend], to: delivery_question}
      - {on: [silence], after: 60, to: lost}
  delivery_question:
    asks: delivery
    say: 那多久能发货？
    transitions:
      - {on: [any], when: {mood_at_least: 4}, to: lost}
      - {on: [any], to: buy}
      - {on: [silence], after: 60, to: lost}
  buy:
    say: 好的，那我拍{colour}{size}码。
    say_by_mood:
      angry: ['行吧，{size}码，拍了。']
    transitions:
      - {on: [any], to: done}
  done:
    say: 谢谢～
    end: sale
  no_deal:
    say: 不便宜就算了。
    end: lost
  lost:
    say: 算了。
    end: lost
endings:
  sale:
    outcome: success
    rating: 4
    review: ['客服推荐的{size}码，很耐心。']
  lost: {outcome: lost, rating: 2, review: 不太满意。}
"""


@pytest.fixture
def engine() -> CustomerEngine:
    return CustomerEngine(parse_source(SCRIPT))


def opened(engine: CustomerEngine, seed: int = 3) -> CustomerState:
    return engine.react(engine.start(seed), Begin(), 0.0)[0]


def tell(engine, state, text, *moves, now=10.0, claims=()):
    """An agent message as the adapter builds it: moves plus the facts of its text."""
    return engine.react(state, engine.agent_said(moves, text, claims), now)


def line(actions) -> str:
    return next(a.text for a in actions if isinstance(a, Say))


def test_the_customer_chooses_the_size_and_colour_the_student_recommended(engine):
    state, _ = tell(engine, opened(engine), "建议您拍黑色S码，肩宽38cm刚好", "recommend")
    state, actions = tell(engine, state, "我们48小时内发货", "resolve", now=20.0)

    assert state.memory.slot("size") == "S"
    assert state.memory.slot("colour") == "黑色"
    assert line(actions) == "好的，那我拍黑色S码。"


def test_unstated_choices_fall_back_to_the_scripts_defaults(engine):
    state, _ = tell(engine, opened(engine), "这款很好看", "recommend")
    state, actions = engine.react(state, AgentSaid(frozenset({"resolve"})), 20.0)

    assert line(actions) == "好的，那我拍驼色M码。"


def test_an_answered_question_is_acknowledged_not_asked_again(engine):
    state, actions = tell(
        engine,
        opened(engine),
        "建议M码，48小时内发货",
        "recommend",
        claims=[{"kind": "delivery", "text": "48小时内发货", "value": "48小时内发货"}],
    )

    assert "delivery" in state.memory.answered
    assert "发货" not in line(actions)
    assert line(actions) in engine.words.acknowledge
    assert state.memory.count("delivery") == 0  # she did not ask


def test_an_unanswered_question_is_asked_and_counted(engine):
    state, actions = tell(engine, opened(engine), "建议M码", "recommend")

    assert line(actions) == "那多久能发货？"
    assert state.memory.count("delivery") == 1


def test_the_bargainer_presses_until_the_counter_says_she_leaves(engine):
    state = opened(engine)
    state, _ = tell(engine, state, "已经是活动价了", "negotiate", now=10.0)
    assert (state.node, state.memory.count("discount")) == ("press", 1)
    state, _ = tell(engine, state, "真的不能再少了", "negotiate", now=20.0)
    assert (state.node, state.memory.count("discount")) == ("press", 2)
    state, _actions = tell(engine, state, "价格是统一的", "negotiate", now=30.0)

    assert state.ended == "lost"
    assert state.visited[-1] == "no_deal"


def test_a_stock_claim_against_the_shops_facts_is_challenged(engine):
    state = opened(engine)
    state, actions = tell(engine, state, "黑色L有货的", now=10.0)

    assert line(actions) in {
        "页面上黑色L码显示没货了呀，真的有吗？",
        "可是黑色L码页面上显示缺货呀？",
    }
    assert state.node == "opening"
    assert state.memory.challenged[0].kind == "stock_not_shown"
    assert state.mood == 2  # bargainer starts at 1; a contradiction raises it


def test_a_claim_against_the_agents_own_earlier_message_is_challenged(engine):
    state = opened(engine)
    state, _ = tell(engine, state, "驼色M码有货", now=10.0)
    state, actions = tell(engine, state, "不好意思驼色M码没货了", now=20.0)

    assert "你刚才不是说" in line(actions)
    assert "驼色M码" in line(actions)
    assert state.memory.challenged[-1].kind == "said_in_stock"


def test_a_wrong_size_chart_figure_is_challenged_once(engine):
    state = opened(engine)
    state, actions = tell(engine, state, "M码肩宽42cm", now=10.0)
    assert "40cm" in line(actions)
    assert "42cm" in line(actions)
    state, actions = tell(engine, state, "M码肩宽42cm", "recommend", now=20.0)

    assert state.node == "delivery_question"  # the same claim is not questioned twice


def test_a_challenge_gives_way_to_an_ending(engine):
    state, _actions = tell(engine, opened(engine), "黑色L有货，爱买不买", "rude", now=10.0)

    assert state.ended == "lost"


def test_rudeness_raises_the_mood_and_clear_steps_lower_it(engine):
    state = opened(engine)
    assert state.mood == 1
    state, _ = engine.react(state, AgentSaid(frozenset({"ask_open"}), "?"), 10.0)
    state = engine.react(state, AgentSaid(frozenset({"control", "empathise"})), 20.0)[0]
    assert state.mood == 0
    state = engine.react(state, AgentSaid(frozenset({"control"})), 30.0)[0]
    assert state.mood == 0  # each CLEAR step calms once


def test_a_bare_refusal_upsets_and_a_reasoned_one_does_not(engine):
    bare, _ = tell(engine, opened(engine), "不行", now=10.0)
    reasoned, _ = tell(engine, opened(engine), "不行，因为这是平台统一价", now=10.0)

    assert (bare.mood, reasoned.mood) == (2, 1)


def test_mood_chooses_the_wording_and_moves_the_rating(engine):
    state = CustomerState(node="delivery_question", seed=1, mood=3)
    state, actions = engine.react(state, AgentSaid(frozenset({"greet"})), 10.0)
    assert line(actions) == "好的，那我拍驼色M码。"

    angry = CustomerState(node="delivery_question", seed=1, mood=5)
    angry, actions = engine.react(angry, AgentSaid(frozenset({"greet"})), 10.0)
    assert angry.ended == "lost"  # mood_at_least: 4 sends her away

    calm = CustomerState(node="buy", seed=1, mood=0)
    calm, actions = engine.react(calm, AgentSaid(frozenset({"farewell"})), 10.0)
    end = next(a for a in actions if isinstance(a, End))
    assert (end.rating, end.review) == (5, "客服推荐的M码，很耐心。")


def test_a_furious_customer_marks_the_ending_down():
    engine = CustomerEngine(parse_source(SCRIPT))
    state = CustomerState(node="buy", seed=1, mood=4)
    state, actions = engine.react(state, AgentSaid(frozenset({"farewell"})), 10.0)
    assert line(actions) == "行吧，M码，拍了。" or state.ended
    end = next(a for a in actions if isinstance(a, End))

    assert end.rating == 3


def test_an_out_of_policy_promise_pleases_and_is_recorded(engine):
    state, _ = tell(engine, opened(engine), "退货运费我们出", "promise", now=10.0)

    assert state.memory.promises[-1].out_of_policy
    assert state.memory.promises[-1].text == "退货运费我们出"
    assert state.mood == 0


def test_memory_and_mood_survive_a_json_round_trip(engine):
    state, _ = tell(engine, opened(engine), "建议黑色S码，黑色L有货", "recommend", now=10.0)
    state, _ = tell(engine, state, "给您包邮", "promise", now=20.0)

    assert CustomerState.from_json(state.to_json()) == state


def test_a_stored_state_from_before_memory_still_loads():
    old = {"node": "opening", "seed": 1, "draws": 2, "deadline": 5.0, "pending": None}

    state = CustomerState.from_json(old)

    assert (state.mood, state.memory.slots, state.nudged) == (1, (), False)


def test_a_late_timer_acts_as_if_it_fired_on_time(engine):
    state = opened(engine)
    on_time = engine.react(state, Tick(), state.deadline)
    late_state, late_actions = engine.react(state, Tick(), state.deadline + 0.7)

    assert late_state == on_time[0]
    say_on_time = next(a for a in on_time[1] if isinstance(a, Say))
    say_late = next(a for a in late_actions if isinstance(a, Say))
    assert say_late.delay == pytest.approx(say_on_time.delay - 0.7)


# ---------------------------------------------------------------- waiting without a script

UNTIMED = """
id: untimed
kind: pre_sale
language: en
title: Untimed
brief: Answer.
persona:
  name: Sam
  type: decisive
  patience: 0.5
  waiting: {nudge_after: 40, leave_after: 60, leave: "Forget it.", rating: 2}
shop: {name: Shop}
start: opening
states:
  opening:
    say: Hi, is this in stock?
    transitions:
      - {on: [any], to: done}
  done:
    say: Thanks.
    end: sale
endings:
  sale: {outcome: success, rating: 5}
"""


def test_without_silence_handling_the_persona_nudges_then_leaves_with_its_rating():
    engine = CustomerEngine(parse_source(UNTIMED))
    state, actions = engine.react(engine.start(1), Begin(), 0.0)
    say = next(a for a in actions if isinstance(a, Say))
    timer = next(a for a in actions if isinstance(a, StartTimer))
    assert timer.due == pytest.approx(say.delay + 40 * 0.5)

    state, actions = engine.react(state, Tick(), state.deadline)
    assert line(actions) in engine.words.nudge
    assert state.node == "opening"
    assert state.nudged
    leave_at = state.deadline
    assert leave_at == pytest.approx(
        timer.due + next(a for a in actions if isinstance(a, Say)).delay + 30
    )

    state, actions = engine.react(state, Tick(), leave_at)
    end = next(a for a in actions if isinstance(a, End))
    assert (state.ended, end.ending, end.outcome) == (IGNORED, IGNORED, "lost")
    assert line(actions) == "Forget it."
    assert end.rating == 2
    assert end.review in engine.words.review


def test_an_answer_after_the_default_nudge_restarts_the_waiting():
    engine = CustomerEngine(parse_source(UNTIMED))
    state, _ = engine.react(engine.start(1), Begin(), 0.0)
    state, _ = engine.react(state, Tick(), state.deadline)
    state, _ = engine.react(state, AgentSaid(frozenset(), "hello"), state.deadline - 1)

    assert state.ended == "sale"


def test_facts_are_read_in_english_too():
    engine = CustomerEngine(parse_source(UNTIMED))

    said = engine.agent_said([], "No.")

    assert Fact("refusal", "", "bare") in said.facts


def test_the_library_coat_customer_buys_the_size_and_colour_recommended():
    """p1: she takes what the student recommended, and the camel M only when nobody said."""
    from tests.scenarios.test_library import load

    engine = CustomerEngine(load("p1-coat-size.zh.yaml"))

    def play(recommendation: str) -> list[str]:
        state, _ = engine.react(engine.start(5), Begin(), 0.0)
        said = []
        for at, (text, moves) in enumerate(
            [
                ("请问您平时什么场合穿呢？", ("ask_open",)),
                (recommendation, ("recommend",)),
                ("退货运费需要您承担哦", ("resolve",)),
            ],
            start=1,
        ):
            state, actions = tell(engine, state, text, *moves, now=at * 30.0)
            said += [a.text for a in actions if isinstance(a, Say)]
        return said

    assert "好的，那我就拍黑色L码吧。" in play("建议您拍黑色L码，肩宽42cm")
    assert "好的，那我就拍驼色M码吧。" in play("这款版型很好")
