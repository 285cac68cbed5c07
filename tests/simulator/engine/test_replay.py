"""Any conversation replays exactly: every library scenario, random students, random seeds.

A live run is simulated as the server runs it (timers fired a little late, as the scheduler
does; replies cancelled by a burst of messages); the replay sees only what is stored.
"""

from __future__ import annotations

import random

import pytest

from scenarios.schema import MOVES
from simulator.engine import Begin, CancelPending, CustomerEngine, Say, Tick
from simulator.engine.core import TIMER_SLACK
from simulator.engine.replay import Heard, replay
from tests.scenarios.test_library import FIXTURES, load

# Messages a student might send, with the facts they carry (text) and a recogniser's claims.
TEXTS = [
    ("", ()),
    ("建议您拍驼色M码", ()),
    ("M码有货的", ()),
    ("不好意思M码没货了", ()),
    ("M码肩宽42cm", ()),
    ("不行", ()),
    ("48小时内发货", ({"kind": "delivery", "text": "48小时内发货", "value": "48小时内发货"},)),
    ("I recommend black in size L", ()),
    ("Sorry, L is sold out", ()),
]


def live(engine: CustomerEngine, seed: int, rng: random.Random):
    """A conversation as the server plays it; returns the stored inputs and the lines sent."""
    now = 1_800_000_000.0 + rng.uniform(0, 1000)
    began = now
    state, actions = engine.react(engine.start(seed), Begin(), now)
    queued: list[tuple[float, str]] = []
    sent: list[tuple[float, str]] = []
    heard: list[Heard] = []

    def run(actions, at):
        nonlocal queued
        for action in actions:
            if isinstance(action, CancelPending):
                queued = [(due, text) for due, text in queued if due <= at]
            elif isinstance(action, Say):
                queued.append((at + action.delay, action.text))

    def deliver(until):
        nonlocal queued
        sent.extend(item for item in queued if item[0] <= until)
        queued = [item for item in queued if item[0] > until]

    run(actions, now)
    last = now  # when the scheduler last ran a timer
    for _turn in range(40):
        if state.ended:
            break
        deadline = state.deadline
        if rng.random() < 0.25 and deadline is not None:
            # The student says nothing: the timer fires, a little late as the scheduler is.
            now = max(now, deadline + rng.uniform(0, TIMER_SLACK))
            last = now
            deliver(now)
            state, actions = engine.react(state, Tick(), now)
            run(actions, now)
            continue
        # Sometimes straight away (a burst while the customer types), usually later.
        now = max(now, last) + rng.choice([0.01, 0.5, 3.0, 20.0, 45.0])
        while not state.ended and state.deadline is not None and state.deadline <= now:
            # The scheduler runs each timer as it falls due, a little late; one that fell due
            # just before the message may still be waiting for its pass (the engine runs it).
            if now - state.deadline <= TIMER_SLACK and rng.random() < 0.5:
                break
            # Never before the pass that ran the timer before it: the scheduler is one queue.
            fired = max(
                last, state.deadline + rng.uniform(0, min(TIMER_SLACK, now - state.deadline))
            )
            last = fired
            deliver(fired)
            state, actions = engine.react(state, Tick(), fired)
            run(actions, fired)
        if state.ended:
            break
        deliver(now)
        moves = frozenset(rng.sample(MOVES, rng.choice([0, 1, 1, 2, 3])))
        text, claims = rng.choice(TEXTS)
        heard.append(Heard(now, moves, text, claims))
        state, actions = engine.react(state, engine.agent_said(moves, text, claims), now)
        run(actions, now)
    if state.ended:
        now += 60
    deliver(now)
    return began, heard, [text for _due, text in sent], now


@pytest.mark.parametrize("name", [path.name for path in FIXTURES])
def test_every_library_conversation_replays_from_its_stored_inputs(name):
    engine = CustomerEngine(load(name), time_scale=0.01)
    rng = random.Random(name)
    for _ in range(8):
        seed = rng.randrange(2**31)
        began, heard, sent, until = live(engine, seed, rng)

        again = replay(engine, seed=seed, began=began, heard=heard, until=until)

        assert again.texts == sent, (name, seed)


def test_classmates_with_other_seeds_get_other_conversations():
    """Several wordings per line: different seeds, different openings across the library."""
    openings = set()
    for path in FIXTURES:
        engine = CustomerEngine(load(path.name))
        for seed in range(6):
            _state, actions = engine.react(engine.start(seed), Begin(), 0.0)
            openings.add(next(a.text for a in actions if isinstance(a, Say)))

    assert len(openings) > len(FIXTURES) * 1.5
