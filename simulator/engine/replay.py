"""Replaying a conversation from what is stored: the seed, when it began, and the student's
messages with the moment the engine heard each, their moves and their claims.

The customer's timers are fired at their deadlines (as the scheduler does, give or take the
engine's TIMER_SLACK), so the same inputs give the same customer lines as the live run.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from simulator.engine.core import (
    Action,
    AgentSaid,
    Begin,
    CancelPending,
    CustomerEngine,
    CustomerState,
    End,
    Say,
    Tick,
    ToolUsed,
)


@dataclass(frozen=True)
class Heard:
    """One student message (or tool use) as stored: when the engine heard it, its moves, text
    and claims (or its card)."""

    at: float
    moves: frozenset[str]
    text: str = ""
    claims: tuple[Mapping[str, Any], ...] = ()
    # A shop tool's use: its stored card, which the customer sees instead of a text.
    card: Mapping[str, Any] | None = None


@dataclass
class Replay:
    """The customer's lines as delivered (due time, text), and the engine's last state."""

    state: CustomerState
    lines: list[tuple[float, str]] = field(default_factory=list)
    ended_at: float | None = None

    @property
    def texts(self) -> list[str]:
        return [text for _due, text in self.lines]


def replay(
    engine: CustomerEngine,
    *,
    seed: int,
    began: float,
    heard: Iterable[Heard],
    until: float = math.inf,
) -> Replay:
    """Play the conversation again; lines due after `until` (not yet sent) are left out."""
    state, actions = engine.react(engine.start(seed), Begin(), began)
    out = Replay(state)
    _apply(out, actions, began)
    for message in sorted(heard, key=lambda m: m.at):
        _tick_until(engine, out, message.at)
        if out.state.ended:
            break
        event: AgentSaid | ToolUsed = (
            ToolUsed(message.card)
            if message.card is not None
            else engine.agent_said(message.moves, message.text, message.claims)
        )
        out.state, actions = engine.react(out.state, event, message.at)
        _apply(out, actions, message.at)
    _tick_until(engine, out, until)
    out.lines = [(due, text) for due, text in out.lines if due <= until]
    return out


def _tick_until(engine: CustomerEngine, out: Replay, until: float) -> None:
    while not out.state.ended and out.state.deadline is not None and out.state.deadline <= until:
        at = out.state.deadline
        out.state, actions = engine.react(out.state, Tick(), at)
        _apply(out, actions, at)


def _apply(out: Replay, actions: tuple[Action, ...], now: float) -> None:
    for action in actions:
        match action:
            case CancelPending():
                out.lines = [(due, text) for due, text in out.lines if due <= now]
            case Say(text=text, delay=delay):
                out.lines.append((now + delay, text))
            case End(delay=delay):
                out.ended_at = now + delay
