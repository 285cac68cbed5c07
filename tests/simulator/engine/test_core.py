"""The customer engine alone: pure, deterministic, no database."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenarios.schema import parse_source
from simulator.engine import (
    AgentClosed,
    AgentSaid,
    Begin,
    CancelPending,
    CustomerEngine,
    CustomerState,
    End,
    HandBack,
    Say,
    StartTimer,
    TakeOver,
    Tick,
)

SCRIPT = parse_source(
    (Path(__file__).resolve().parents[3] / "fixtures/scenarios/p1-coat-size.zh.yaml").read_bytes()
)


@pytest.fixture
def engine() -> CustomerEngine:
    return CustomerEngine(SCRIPT)


def said(*moves: str) -> AgentSaid:
    return AgentSaid(frozenset(moves))


def opened(engine: CustomerEngine, seed: int = 7) -> CustomerState:
    state, _ = engine.react(engine.start(seed), Begin(), 0.0)
    return state


def test_the_customer_writes_first_with_typing_before_the_line(engine):
    state, actions = engine.react(engine.start(7), Begin(), 0.0)

    say = next(a for a in actions if isinstance(a, Say))
    assert say.text in SCRIPT.states["opening"].say
    assert 0 < say.typing_after < say.delay
    assert any(isinstance(a, StartTimer) for a in actions)
    assert state.node == "opening"


def test_same_seed_and_events_replay_exactly(engine):
    events = [Begin(), said("greet"), said("ask_open"), said("recommend"), Tick()]

    def play(seed: int) -> list:
        state, out = engine.start(seed), []
        for i, event in enumerate(events):
            state, actions = engine.react(state, event, i * 60.0)
            out.append((state, actions))
        return out

    assert play(11) == play(11)


def test_an_open_question_moves_to_the_reveal(engine):
    state = opened(engine)
    state, actions = engine.react(state, said("greet", "ask_open"), 30.0)

    assert state.node == "reveal"
    assert any("毛衣" in a.text for a in actions if isinstance(a, Say))


def test_rude_phrasing_wins_over_everything_else(engine):
    state, actions = engine.react(opened(engine), said("ask_open", "rude"), 30.0)

    assert state.ended == "lost"
    assert any(isinstance(a, End) and a.outcome == "lost" for a in actions)


def test_a_second_message_while_the_reply_is_typed_is_answered_together(engine):
    state = opened(engine)
    state, first = engine.react(state, said("greet"), 30.0)
    pending = next(a for a in first if isinstance(a, Say))
    state, second = engine.react(state, said("ask_open"), 30.0 + pending.delay / 2)

    assert isinstance(second[0], CancelPending)
    assert state.node == "reveal"


def test_a_message_after_the_reply_arrived_is_a_new_turn(engine):
    state = opened(engine)
    state, first = engine.react(state, said("greet"), 30.0)
    pending = next(a for a in first if isinstance(a, Say))
    state, second = engine.react(state, said("ask_open"), 30.0 + pending.delay + 1)

    assert not any(isinstance(a, CancelPending) for a in second)
    assert state.node == "reveal"


def test_a_stale_timer_does_nothing(engine):
    state = opened(engine)
    state, _ = engine.react(state, said("ask_open"), 10.0)
    before = state
    state, actions = engine.react(state, Tick(), 11.0)

    assert actions == ()
    assert state == before


def test_silence_past_patience_nudges_then_the_customer_leaves(engine):
    state = opened(engine)
    state, actions = engine.react(state, Tick(), state.deadline)
    assert state.node == "nudge"
    state, actions = engine.react(state, Tick(), state.deadline)

    assert state.ended == "lost"
    assert any(isinstance(a, End) for a in actions)


def test_patience_scales_with_the_persona(engine):
    state = opened(engine)
    say = next(a for a in engine.react(engine.start(7), Begin(), 0.0)[1] if isinstance(a, Say))
    silence = next(t for t in SCRIPT.states["opening"].transitions if "silence" in t.on)

    assert state.deadline == pytest.approx(say.delay + silence.after * SCRIPT.persona.patience)


def test_time_scale_shrinks_every_delay(engine):
    fast = CustomerEngine(SCRIPT, time_scale=0.01)
    slow_say = next(a for a in engine.react(engine.start(3), Begin(), 0.0)[1] if isinstance(a, Say))
    fast_say = next(a for a in fast.react(fast.start(3), Begin(), 0.0)[1] if isinstance(a, Say))

    assert fast_say.delay == pytest.approx(slow_say.delay * 0.01)


def test_during_a_takeover_the_script_is_silent_until_handback(engine):
    state = opened(engine)
    state, _ = engine.react(state, TakeOver(), 5.0)
    state, actions = engine.react(state, said("ask_open"), 6.0)
    assert actions == ()
    state, _ = engine.react(state, HandBack(), 7.0)
    state, actions = engine.react(state, said("ask_open"), 8.0)

    assert state.node == "reveal"


def test_nothing_happens_after_the_student_closes(engine):
    state, _ = engine.react(opened(engine), AgentClosed(), 5.0)
    state, actions = engine.react(state, said("ask_open"), 6.0)

    assert actions == ()
    assert state.ended == "closed"


def test_state_survives_a_json_round_trip(engine):
    state = opened(engine)
    state, _ = engine.react(state, said("greet"), 3.0)

    assert CustomerState.from_json(state.to_json()) == state


def test_the_verified_sale_is_the_best_ending(engine):
    state = opened(engine)
    # Each reply once the customer has answered the last, before her patience runs out.
    steps = [("ask_open",), ("recommend",), ("resolve",), ("verify",), ("farewell",)]
    for i, moves in enumerate(steps, start=1):
        state, actions = engine.react(state, said(*moves), i * 30.0)

    assert state.ended == "sale"
    assert any(isinstance(a, End) and a.rating == 5 for a in actions)


def test_handback_at_a_chosen_state_enters_it(engine):
    state = opened(engine)
    state, _ = engine.react(state, TakeOver(), 5.0)
    state, actions = engine.react(state, HandBack(node="reveal"), 7.0)

    assert state.node == "reveal"
    assert not state.taken_over
    assert any(isinstance(a, Say) and a.text in SCRIPT.states["reveal"].say for a in actions)


def test_handback_at_an_ending_state_ends_the_conversation(engine):
    state, _ = engine.react(opened(engine), TakeOver(), 5.0)
    state, actions = engine.react(state, HandBack(node="annoyed"), 7.0)

    assert state.ended == "lost"
    assert any(isinstance(a, End) and a.outcome == "lost" for a in actions)


def test_handback_without_a_state_stays_and_restarts_patience(engine):
    state = opened(engine)
    state, _ = engine.react(state, TakeOver(), 5.0)
    assert state.deadline is None
    state, actions = engine.react(state, HandBack(), 100.0)

    assert state.node == "opening"
    assert not any(isinstance(a, Say) for a in actions)
    timer = next(a for a in actions if isinstance(a, StartTimer))
    assert timer.due > 100.0
    assert state.deadline == timer.due


def test_handback_to_an_unknown_state_is_refused(engine):
    state, _ = engine.react(opened(engine), TakeOver(), 5.0)

    with pytest.raises(ValueError, match="nowhere"):
        engine.react(state, HandBack(node="nowhere"), 7.0)
