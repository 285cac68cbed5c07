"""Customer engine internals: events in, actions out, state as a frozen value."""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from typing import Any

from scenarios.schema import Script, State, Transition

# Reading time before the customer starts typing, in seconds (uniform).
REACTION = (1.0, 3.0)
# A long line still arrives within this many seconds: shoppers paste, they do not type essays.
MAX_TYPING = 12.0


# ----------------------------------------------------------------------------- events


@dataclass(frozen=True)
class Begin:
    """The conversation opens; the customer writes first."""


@dataclass(frozen=True)
class AgentSaid:
    moves: frozenset[str]
    text: str = ""


@dataclass(frozen=True)
class Tick:
    """A timer fired; the engine decides whether a deadline really passed."""


@dataclass(frozen=True)
class AgentClosed:
    """The student closed the conversation."""


@dataclass(frozen=True)
class TakeOver:
    """An instructor plays the customer from now on; the script falls silent."""


@dataclass(frozen=True)
class HandBack:
    """The instructor hands the customer back to the script.

    `node` names the script state to continue from: the engine enters it (says its line,
    starts its timer, or ends there). None continues from the state the takeover paused.
    """

    node: str | None = None


Event = Begin | AgentSaid | Tick | AgentClosed | TakeOver | HandBack

# ----------------------------------------------------------------------------- actions


@dataclass(frozen=True)
class Say:
    """Show 'typing' after `typing_after` seconds, send `text` after `delay` seconds."""

    text: str
    typing_after: float
    delay: float


@dataclass(frozen=True)
class CancelPending:
    """Drop the customer line not yet sent: it answered messages the student has since added to."""


@dataclass(frozen=True)
class StartTimer:
    """Wake the engine with a Tick at absolute time `due`."""

    due: float


@dataclass(frozen=True)
class End:
    """The conversation ends with this ending after `delay` seconds (after the last line)."""

    ending: str
    outcome: str
    rating: int
    delay: float


Action = Say | CancelPending | StartTimer | End

# ----------------------------------------------------------------------------- state


@dataclass(frozen=True)
class Pending:
    """A customer reply scheduled but not yet sent, and what it answered."""

    from_node: str
    moves: frozenset[str]
    due: float


@dataclass(frozen=True)
class CustomerState:
    node: str
    seed: int
    draws: int = 0
    deadline: float | None = None
    pending: Pending | None = None
    ended: str | None = None
    taken_over: bool = False
    visited: tuple[str, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "node": self.node,
            "seed": self.seed,
            "draws": self.draws,
            "deadline": self.deadline,
            "ended": self.ended,
            "taken_over": self.taken_over,
            "visited": list(self.visited),
            "pending": None,
        }
        if self.pending:
            data["pending"] = {
                "from_node": self.pending.from_node,
                "moves": sorted(self.pending.moves),
                "due": self.pending.due,
            }
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CustomerState:
        pending = data.get("pending")
        return cls(
            node=data["node"],
            seed=data["seed"],
            draws=data.get("draws", 0),
            deadline=data.get("deadline"),
            ended=data.get("ended"),
            taken_over=data.get("taken_over", False),
            visited=tuple(data.get("visited", ())),
            pending=Pending(pending["from_node"], frozenset(pending["moves"]), pending["due"])
            if pending
            else None,
        )


# ----------------------------------------------------------------------------- engine


class CustomerEngine:
    """Plays one scenario's customer. `time_scale` < 1 speeds every delay up (tests, demos)."""

    def __init__(self, script: Script, *, time_scale: float = 1.0) -> None:
        self.script = script
        self.time_scale = time_scale

    def start(self, seed: int) -> CustomerState:
        return CustomerState(node=self.script.start, seed=seed)

    def react(
        self, state: CustomerState, event: Event, now: float
    ) -> tuple[CustomerState, tuple[Action, ...]]:
        """Answer one event at time `now` (seconds); the same inputs give the same outputs."""
        if state.ended:
            return state, ()
        match event:
            case Begin():
                return self._enter(state, state.node, now, base_delay=0.0)
            case AgentSaid(moves=moves):
                return self._agent_said(state, moves, now)
            case Tick():
                return self._tick(state, now)
            case AgentClosed():
                return replace(state, ended="closed", deadline=None, pending=None), ()
            case TakeOver():
                cancel: tuple[Action, ...] = (CancelPending(),) if self._pending(state, now) else ()
                return replace(state, taken_over=True, deadline=None, pending=None), cancel
            case HandBack(node=node):
                return self._hand_back(state, node, now)
        raise TypeError(f"unknown event {event!r}")

    # -- transitions

    def _agent_said(
        self, state: CustomerState, moves: frozenset[str], now: float
    ) -> tuple[CustomerState, tuple[Action, ...]]:
        if state.taken_over:
            return state, ()
        prefix: tuple[Action, ...] = ()
        node = state.node
        if pending := self._pending(state, now):
            # The reply is still being typed: answer everything the student said together,
            # as a person reading a burst of messages would, instead of replying to each.
            prefix = (CancelPending(),)
            node = pending.from_node
            moves = moves | pending.moves
            state = replace(state, node=node, pending=None)
        transition = self._match(self.script.states[node], moves)
        if transition is None:
            # Nothing in the script reacts: keep waiting; the silence timer keeps running.
            return state, prefix
        new_state, actions = self._enter(state, transition.to, now, base_delay=0.0)
        if new_state.pending is not None:
            new_state = replace(
                new_state, pending=replace(new_state.pending, from_node=node, moves=moves)
            )
        return new_state, prefix + actions

    def _tick(self, state: CustomerState, now: float) -> tuple[CustomerState, tuple[Action, ...]]:
        if state.taken_over or state.deadline is None or now < state.deadline:
            return state, ()  # a stale timer: the student answered before it fired
        silence = next(
            (t for t in self.script.states[state.node].transitions if "silence" in t.on), None
        )
        if silence is None:
            return replace(state, deadline=None), ()
        return self._enter(replace(state, deadline=None), silence.to, now, base_delay=0.0)

    def _hand_back(
        self, state: CustomerState, node: str | None, now: float
    ) -> tuple[CustomerState, tuple[Action, ...]]:
        if node is not None and node not in self.script.states:
            raise ValueError(f"unknown state {node!r}")
        state = replace(state, taken_over=False)
        if node is not None:
            return self._enter(state, node, now, base_delay=0.0)
        # Staying put: the takeover stopped the patience clock, so it restarts from now.
        return self._arm_silence(state, self.script.states[state.node], now, 0.0)

    @staticmethod
    def _match(node: State, moves: frozenset[str]) -> Transition | None:
        for transition in node.transitions:
            if "silence" in transition.on:
                continue
            if not ("any" in transition.on or moves & set(transition.on)):
                continue
            if not set(transition.all) <= moves or moves & set(transition.unless):
                continue
            return transition
        return None

    @staticmethod
    def _pending(state: CustomerState, now: float) -> Pending | None:
        return state.pending if state.pending and now < state.pending.due else None

    def _enter(
        self, state: CustomerState, name: str, now: float, *, base_delay: float
    ) -> tuple[CustomerState, tuple[Action, ...]]:
        node = self.script.states[name]
        rng = random.Random(f"{state.seed}:{state.draws}")
        actions: list[Action] = []
        delay = base_delay
        pending = None
        if node.say:
            text = rng.choice(node.say)
            reaction = rng.uniform(*REACTION)
            typing = min(MAX_TYPING, len(text) * self.script.persona.typing_speed)
            typing_after = (base_delay + reaction) * self.time_scale
            delay = typing_after + typing * self.time_scale
            actions.append(Say(text=text, typing_after=typing_after, delay=delay))
            pending = Pending(from_node=name, moves=frozenset(), due=now + delay)
        state = replace(
            state,
            node=name,
            draws=state.draws + 1,
            pending=pending,
            deadline=None,
            visited=(*state.visited, name),
        )
        if node.end is not None:
            ending = self.script.endings[node.end]
            actions.append(End(node.end, ending.outcome, ending.rating, delay=delay))
            return replace(state, ended=node.end), tuple(actions)
        state, timer = self._arm_silence(state, node, now, delay)
        return state, (*actions, *timer)

    def _arm_silence(
        self, state: CustomerState, node: State, now: float, delay: float
    ) -> tuple[CustomerState, tuple[Action, ...]]:
        silence = next((t for t in node.transitions if "silence" in t.on), None)
        if silence is None or silence.after is None:
            return state, ()
        # Patience counts from when the customer's line arrives, scaled by the persona.
        due = now + delay + silence.after * self.script.persona.patience * self.time_scale
        return replace(state, deadline=due), (StartTimer(due=due),)
