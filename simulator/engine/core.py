"""Customer engine internals: events in, actions out, state as a frozen value."""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from scenarios.schema import MOOD_MAX, SLOTS, Script, State, Transition
from simulator.engine import lines, workbench
from simulator.engine.memory import Catalogue, Contradiction, Fact, Memory, Promise

# Reading time before the customer starts typing, in seconds (uniform).
REACTION = (1.0, 3.0)
# A long line still arrives within this many seconds: shoppers paste, they do not type essays.
MAX_TYPING = 12.0
# Seconds a timer may run late and still act at its deadline (see _tick).
TIMER_SLACK = 2.0
# The ending of a customer who left because nobody answered (persona.waiting).
IGNORED = "ignored"
CLEAR_STEPS = ("control", "listen", "empathise", "apologise", "resolve")
# Mood points (0 calm … 5 furious) each kind of thing the student does is worth.
RUDE, CONTRADICTED, BARE_REFUSAL, LEFT_WAITING, CLEAR_STEP, PLEASED = 2, 1, 1, 1, -1, -1
_FIELD = re.compile(r"\{(\w+)\}")

# ----------------------------------------------------------------------------- events


@dataclass(frozen=True)
class Begin:
    """The conversation opens; the customer writes first."""


@dataclass(frozen=True)
class AgentSaid:
    """A student's message: the recogniser's moves, the text, and what it establishes.

    `facts` come from `CustomerEngine.agent_said` (the adapter calls it with the recogniser's
    claims); an event built with moves alone is a message that established nothing.
    """

    moves: frozenset[str]
    text: str = ""
    facts: tuple[Fact, ...] = ()


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


@dataclass(frozen=True)
class ToolUsed:
    """The student used a shop tool (simulator.engine.workbench): `card` is its stored payload,
    what the customer sees of it (a product card, an order to check, a coupon …)."""

    card: Mapping[str, Any]


Event = Begin | AgentSaid | Tick | AgentClosed | TakeOver | HandBack | ToolUsed

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
    """The conversation ends with this ending after `delay` seconds (after the last line).

    `rating` is the ending's, moved by the customer's mood; `review` is the customer's words.
    """

    ending: str
    outcome: str
    rating: int
    delay: float
    review: str = ""


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
    mood: int = 1
    memory: Memory = field(default_factory=Memory)
    nudged: bool = False  # the default nudge was sent; the next silence is the last
    began: float | None = None  # when the conversation opened, on the engine's clock

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
            "mood": self.mood,
            "memory": self.memory.to_json(),
            "nudged": self.nudged,
            "began": self.began,
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
            mood=data.get("mood", 1),
            memory=Memory.from_json(data.get("memory")),
            nudged=data.get("nudged", False),
            began=data.get("began"),
        )

    @property
    def mood_level(self) -> str:
        return "calm" if self.mood <= 1 else "upset" if self.mood <= 3 else "angry"


def _mood(value: int) -> int:
    return max(0, min(MOOD_MAX, value))


# ----------------------------------------------------------------------------- engine


class CustomerEngine:
    """Plays one scenario's customer. `time_scale` < 1 speeds every delay up (tests, demos)."""

    def __init__(self, script: Script, *, time_scale: float = 1.0) -> None:
        self.script = script
        self.time_scale = time_scale
        self.catalogue = Catalogue.of(script)
        self.words = lines.defaults(script.language)

    def start(self, seed: int) -> CustomerState:
        return CustomerState(node=self.script.start, seed=seed, mood=self.script.persona.start_mood)

    def agent_said(
        self, moves: Iterable[str], text: str, claims: Iterable[Mapping[str, Any]] = ()
    ) -> AgentSaid:
        """The event for one agent message: its moves, and the facts its text and the
        recogniser's claims (JSON form) establish. Pure, so a replay rebuilds the same event."""
        return AgentSaid(frozenset(moves), text, self.catalogue.facts_in(text, claims))

    def react(
        self, state: CustomerState, event: Event, now: float
    ) -> tuple[CustomerState, tuple[Action, ...]]:
        """Answer one event at time `now` (seconds); the same inputs give the same outputs."""
        if state.ended:
            return state, ()
        match event:
            case Begin():
                return self._enter(replace(state, began=now), state.node, now)
            case AgentSaid():
                return self._agent_said(state, event, now)
            case Tick():
                return self._tick(state, now)
            case AgentClosed():
                return replace(state, ended="closed", deadline=None, pending=None), ()
            case TakeOver():
                cancel: tuple[Action, ...] = (CancelPending(),) if self._pending(state, now) else ()
                return replace(state, taken_over=True, deadline=None, pending=None), cancel
            case HandBack(node=node):
                return self._hand_back(state, node, now)
            case ToolUsed():
                return self._tool_used(state, event, now)
        raise TypeError(f"unknown event {event!r}")

    # -- hearing the student

    def _agent_said(
        self, state: CustomerState, event: AgentSaid, now: float
    ) -> tuple[CustomerState, tuple[Action, ...]]:
        state, overdue = self._catch_up(state, now)
        if state.ended:
            return state, overdue
        state, actions = self._heard(state, event, now)
        return state, overdue + actions

    def _catch_up(
        self, state: CustomerState, now: float
    ) -> tuple[CustomerState, tuple[Action, ...]]:
        overdue: tuple[Action, ...] = ()
        while not state.taken_over and state.deadline is not None and now >= state.deadline:
            # The customer's timer ran out before this message came in, but its Tick has not
            # been run yet: the customer acts on the silence first, as a replay will (each
            # timer it starts from there may have run out too).
            state, acted = self._tick(state, now)
            overdue += acted
            if state.ended:
                break
        return state, overdue

    def _heard(
        self, state: CustomerState, event: AgentSaid, now: float
    ) -> tuple[CustomerState, tuple[Action, ...]]:
        moves = event.moves
        state, challenge = self._remember(state, event)
        if state.taken_over:
            return state, ()  # the instructor answers; the customer still remembers
        prefix: tuple[Action, ...] = ()
        node = state.node
        if pending := self._pending(state, now):
            # The reply is still being typed: answer everything the student said together,
            # as a person reading a burst of messages would, instead of replying to each.
            prefix = (CancelPending(),)
            node = pending.from_node
            moves = moves | pending.moves
            state = replace(state, node=node, pending=None)
        transition = self._match(self.script.states[node], moves, state)
        ends = transition is not None and self.script.states[transition.to].end is not None
        if challenge is not None and not ends:
            # A contradiction is questioned before anything else: the script waits for the
            # student's answer in the same state.
            new_state, actions = self._speak(state, node, challenge[0], now, challenge[1])
        elif transition is None:
            # Nothing in the script reacts: keep waiting; the silence timer keeps running.
            return state, prefix
        else:
            new_state, actions = self._enter(state, transition.to, now)
        if new_state.pending is not None:
            new_state = replace(
                new_state, pending=replace(new_state.pending, from_node=node, moves=moves)
            )
        return new_state, prefix + actions

    def _remember(
        self, state: CustomerState, event: AgentSaid
    ) -> tuple[CustomerState, tuple[list[str], dict[str, str]] | None]:
        """Fold the message into memory and mood; return a challenge (line, fields) if due."""
        memory, mood = state.memory, state.mood
        challenge = None
        slots, stated = dict(memory.slots), dict(memory.stated)
        answered = dict.fromkeys(memory.answered)
        challenged = list(memory.challenged)
        for fact in event.facts:
            if fact.kind == "topic":
                answered[fact.key] = None
                continue
            if fact.kind in SLOTS:
                slots[fact.kind] = fact.value
                answered[fact.kind] = None
            elif fact.kind in ("stock", "spec"):
                answered[fact.kind] = None
            found = self._contradiction(fact, stated)
            if fact.kind in ("stock", "spec"):
                stated[f"{fact.kind}:{fact.key}"] = fact.value
            if found is not None and found not in challenged:
                challenged.append(found)
                mood += CONTRADICTED
                if challenge is None:
                    challenge = self._challenge_line(found)
        if "rude" in event.moves:
            mood += RUDE
        if Fact("refusal", "", "bare") in event.facts and not event.moves & {
            "resolve",
            "empathise",
            "apologise",
        }:
            mood += BARE_REFUSAL
        steps = list(memory.steps)
        for step in CLEAR_STEPS:
            if step in event.moves and step not in steps:
                steps.append(step)
                mood += CLEAR_STEP
        promises = memory.promises
        if "promise" in event.moves or event.moves & {"follow_up", "resolve"}:
            promises = (*promises, Promise(event.text[:160], "promise" in event.moves))
        if "promise" in event.moves:
            mood += PLEASED  # an out-of-policy promise pleases; the memory keeps it for the report
        memory = replace(
            memory,
            slots=tuple(sorted(slots.items())),
            stated=tuple(sorted(stated.items())),
            answered=tuple(answered),
            steps=tuple(steps),
            promises=promises,
            challenged=tuple(challenged),
        )
        return replace(state, memory=memory, mood=_mood(mood), nudged=False), challenge

    def _contradiction(self, fact: Fact, stated: dict[str, str]) -> Contradiction | None:
        shop = self.catalogue
        if fact.kind == "stock":
            earlier = stated.get(f"stock:{fact.key}")
            if earlier is not None and earlier != fact.value:
                kind = "said_in_stock" if earlier == "in" else "said_out_of_stock"
                return Contradiction(kind, fact.key, fact.value, earlier)
            units = shop.stock_of(fact.key)
            if units == 0 and fact.value == "in":
                return Contradiction("stock_not_shown", fact.key, fact.value, "0")
            if units and fact.value == "out":
                return Contradiction("stock_shown", fact.key, fact.value, str(units))
        elif fact.kind == "spec":
            figure = shop.spec_of(fact.key)
            if figure is not None and abs(figure - float(fact.value)) >= 0.5:
                return Contradiction("spec", fact.key, fact.value, f"{figure:g}")
        elif fact.kind == "size_unknown":
            return Contradiction("size", fact.value, fact.value, ", ".join(shop.sizes))
        return None

    def _challenge_line(self, found: Contradiction) -> tuple[list[str], dict[str, str]]:
        written = getattr(self.script.challenges, found.kind)
        options = list(written or self.words.challenges[found.kind])
        unit = "cm" if found.kind == "spec" else ""
        fields = {
            "key": self.catalogue.shown(found.key),
            "said": f"{found.said}{unit}",
            "against": f"{found.against}{unit}",
        }
        return options, fields

    # -- the shop's tools

    def _tool_used(
        self, state: CustomerState, event: ToolUsed, now: float
    ) -> tuple[CustomerState, tuple[Action, ...]]:
        """A tool use reaches the customer as the message it amounts to (`tool_event`); an
        order she checks, or a change to it, she holds against what she asked for."""
        card = event.card
        said = self.tool_event(card)
        # Overdue timers act first, as for a message (and as a replay fires them on time),
        # even for a use she never sees.
        state, overdue = self._catch_up(state, now)
        if state.ended or said is None:
            return state, overdue
        state, actions = self._card_seen(state, card, said, now)
        return state, overdue + actions

    def _card_seen(
        self, state: CustomerState, card: Mapping[str, Any], said: AgentSaid, now: float
    ) -> tuple[CustomerState, tuple[Action, ...]]:
        if card.get("kind") == workbench.COUPON and "promise" not in said.moves:
            state = replace(state, mood=_mood(state.mood + PLEASED))  # a coupon pleases
        if card.get("kind") not in (workbench.ORDER_CHECK, workbench.ORDER_CHANGE):
            return self._agent_said(state, said, now)
        problems = workbench.order_problems(
            card.get("order") or {},
            self.wants(state),
            {p.sku: p.options for p in self.script.shop.products},
        )
        words = self.words.order_wrong if problems else self.words.order_right
        fields = {"problems": self._problems_text(problems)}
        if card.get("kind") == workbench.ORDER_CHANGE and not problems:
            # The change meets her request: the script goes on as after a solution.
            return self._agent_said(state, said, now)
        # A check moves the script on as after a read-back (she noticed what was wrong); a
        # change that is still wrong keeps her where she is until it is fixed.
        follow = card.get("kind") == workbench.ORDER_CHECK
        return self._answer_card(
            state, said, now, words, fields, stay=bool(problems), follow=follow
        )

    def _answer_card(
        self,
        state: CustomerState,
        said: AgentSaid,
        now: float,
        words: list[str],
        fields: dict[str, str],
        *,
        stay: bool,
        follow: bool = True,
    ) -> tuple[CustomerState, tuple[Action, ...]]:
        """The customer's own answer to an order she read (confirming it, or saying what is
        wrong) in place of the line of the state the script moves to. A correction never takes
        the script to an ending: she waits for the fix in the state it reached, or where she is."""
        state, challenge = self._remember(state, said)
        if state.taken_over:
            return state, ()
        prefix: tuple[Action, ...] = ()
        node, moves = state.node, said.moves
        if pending := self._pending(state, now):
            prefix, node, moves = (CancelPending(),), pending.from_node, moves | pending.moves
            state = replace(state, node=node, pending=None)
        if challenge is not None:
            words, fields = challenge
        transition = self._match(self.script.states[node], moves, state) if follow else None
        target = node if transition is None else transition.to
        if self.script.states[target].end is not None:
            if not stay and challenge is None:
                new_state, actions = self._enter(state, target, now)
                return new_state, prefix + actions
            target = node
        new_state, actions = self._speak(state, target, words, now, fields)
        if new_state.pending is not None:
            new_state = replace(
                new_state, pending=replace(new_state.pending, from_node=node, moves=moves)
            )
        return new_state, prefix + actions

    def wants(self, state: CustomerState) -> dict[str, str]:
        """What the customer asked for in her order: in a pre-sale chat what the student
        recommended (she buys what she was told), else her own (the scenario's `remember`:
        the size she wears, the address she gives), then what the conversation settled."""
        remembered = {name: getattr(self.script.remember, name) for name in SLOTS}
        settled = dict(state.memory.slots)
        first, second = (
            (settled, remembered) if self.script.kind == "pre_sale" else (remembered, settled)
        )
        return {name: first.get(name) or second.get(name) or "" for name in SLOTS}

    def _problems_text(self, problems: list[workbench.Problem]) -> str:
        words = self.words.order_fields
        sep = "；" if self.script.language != "en" else "; "
        return sep.join(
            words[p.field].format(wanted=p.wanted, shown=p.shown, item=p.item) for p in problems
        )

    def tool_event(self, card: Mapping[str, Any]) -> AgentSaid | None:
        """The message a tool use amounts to for the customer; None for what she never sees
        (the seller's remark) or what ends her chat (a transfer, which the services end)."""
        kind = card.get("kind")
        zh = self.script.language != "en"
        if kind == workbench.PRODUCT_CARD:
            text = f"{card.get('name', '')} ¥{card.get('price', '')}"
            facts = (Fact("topic", "price"), Fact("topic", "spec"), Fact("topic", "stock"))
            return AgentSaid(frozenset({"recommend"}), text, facts)
        if kind == workbench.ORDER_CHECK:
            return AgentSaid(frozenset({"verify"}), "核对订单" if zh else "order check")
        if kind == workbench.ORDER_CHANGE:
            changes = card.get("changes") or {}
            facts = tuple(
                Fact(name, "", str(values[1])) for name, values in changes.items() if name in SLOTS
            )
            return AgentSaid(frozenset({"resolve"}), "修改订单" if zh else "order changed", facts)
        if kind == workbench.COUPON:
            moves = {"negotiate" if self.script.persona.type == "bargainer" else "resolve"}
            if card.get("within") is False:
                moves.add("promise")  # beyond the agent's authority: pleasing, and recorded
            amount = f"{float(card.get('amount') or 0):g}"
            text = f"优惠券¥{amount}" if zh else f"coupon ¥{amount}"
            return AgentSaid(frozenset(moves), text)
        return None

    def transferred(self, state: CustomerState) -> tuple[int, str]:
        """The rating and review of a customer passed to a supervisor: a middling mark moved
        by her mood (she still waits for an answer)."""
        rng = self._rng(state)
        review = self._fill(rng.choice(self.words.transferred), state)
        return self._rated(3, "escalated", state), review

    # -- time passing

    def _tick(self, state: CustomerState, now: float) -> tuple[CustomerState, tuple[Action, ...]]:
        if state.taken_over or state.deadline is None or now < state.deadline:
            return state, ()  # a stale timer: the student answered before it fired
        # A timer a moment late (the scheduler's pass, a busy database) acts at its deadline, so
        # a replay that fires it on time says and schedules exactly what the live run did. One
        # much later (the server was down) acts now: the customer picks up from the restart.
        late = now - state.deadline
        at, late = (state.deadline, late) if late <= TIMER_SLACK else (now, 0.0)
        state = replace(state, deadline=None, mood=_mood(state.mood + LEFT_WAITING))
        silence = next(
            (t for t in self.script.states[state.node].transitions if "silence" in t.on), None
        )
        if silence is not None:
            new_state, actions = self._enter(state, silence.to, at)
        elif not state.nudged:
            waiting = self.script.persona.waiting
            nudge = waiting.nudge or self.words.nudge
            new_state, actions = self._speak(replace(state, nudged=True), state.node, nudge, at)
        else:
            new_state, actions = self._leave(state, at)
        return new_state, _shifted(actions, late)

    def _leave(self, state: CustomerState, now: float) -> tuple[CustomerState, tuple[Action, ...]]:
        """Nobody answered the nudge: the customer leaves with the persona's bad rating."""
        waiting = self.script.persona.waiting
        rng = self._rng(state)
        actions: list[Action] = []
        delay = 0.0
        leave = waiting.leave or self.words.leave
        say = self._say(rng, self._fill(rng.choice(leave), state))
        if say is not None:
            actions.append(say)
            delay = say.delay
        review = self._fill(rng.choice(waiting.review or self.words.review), state)
        actions.append(
            End(IGNORED, "lost", self._rated(waiting.rating, "lost", state), delay, review)
        )
        state = replace(state, draws=state.draws + 1, ended=IGNORED, pending=None, deadline=None)
        return state, tuple(actions)

    def _hand_back(
        self, state: CustomerState, node: str | None, now: float
    ) -> tuple[CustomerState, tuple[Action, ...]]:
        if node is not None and node not in self.script.states:
            raise ValueError(f"unknown state {node!r}")
        state = replace(state, taken_over=False)
        if node is not None:
            return self._enter(state, node, now)
        # Staying put: the takeover stopped the patience clock, so it restarts from now.
        return self._arm_silence(state, self.script.states[state.node], now, 0.0)

    # -- choosing a transition

    @staticmethod
    def _match(node: State, moves: frozenset[str], state: CustomerState) -> Transition | None:
        for transition in node.transitions:
            if "silence" in transition.on:
                continue
            if not ("any" in transition.on or moves & set(transition.on)):
                continue
            if not set(transition.all) <= moves or moves & set(transition.unless):
                continue
            if transition.when is not None and not _holds(transition.when, state):
                continue
            return transition
        return None

    @staticmethod
    def _pending(state: CustomerState, now: float) -> Pending | None:
        return state.pending if state.pending and now < state.pending.due else None

    # -- speaking

    def _rng(self, state: CustomerState) -> random.Random:
        return random.Random(f"{state.seed}:{state.draws}")

    def _enter(
        self, state: CustomerState, name: str, now: float, *, hops: int = 0
    ) -> tuple[CustomerState, tuple[Action, ...]]:
        node = self.script.states[name]
        if node.asks and node.asks in state.memory.answered:
            answered = node.if_answered
            if answered is not None and answered.to is not None and hops < len(self.script.states):
                # Skip the question: the student answered it before it was asked.
                return self._enter(state, answered.to, now, hops=hops + 1)
            # Acknowledge instead of asking again what the student already said.
            say = (answered.say if answered else []) or self.words.acknowledge
        else:
            if node.asks:
                state = replace(state, memory=state.memory.counted(node.asks))
            say = self._by_mood(node, state)
        return self._speak(state, name, say, now)

    def _by_mood(self, node: State, state: CustomerState) -> list[str]:
        if node.say_by_mood is not None:
            return getattr(node.say_by_mood, state.mood_level) or node.say
        return node.say

    def _speak(
        self,
        state: CustomerState,
        name: str,
        say: list[str] | tuple[str, ...],
        now: float,
        fields: dict[str, str] | None = None,
    ) -> tuple[CustomerState, tuple[Action, ...]]:
        """Enter state `name` saying one of `say` (chosen by the seed); end or start its timer."""
        node = self.script.states[name]
        rng = self._rng(state)
        actions: list[Action] = []
        delay = 0.0
        pending = None
        if say:
            line = self._say(rng, self._fill(rng.choice(say), state, fields))
            if line is not None:
                actions.append(line)
                delay = line.delay
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
            review = self._fill(rng.choice(ending.review), state) if ending.review else ""
            rating = self._rated(ending.rating, ending.outcome, state)
            actions.append(End(node.end, ending.outcome, rating, delay=delay, review=review))
            return replace(state, ended=node.end), tuple(actions)
        state, timer = self._arm_silence(state, node, now, delay)
        return state, (*actions, *timer)

    def _say(self, rng: random.Random, text: str) -> Say | None:
        if not text:
            return None
        reaction = rng.uniform(*REACTION)
        typing = min(MAX_TYPING, len(text) * self.script.persona.typing_speed)
        typing_after = reaction * self.time_scale
        return Say(
            text=text, typing_after=typing_after, delay=typing_after + typing * self.time_scale
        )

    def _fill(self, text: str, state: CustomerState, fields: dict[str, str] | None = None) -> str:
        """{size}, {colour}, … from what the student said, else the scenario's `remember`."""
        values = {name: getattr(self.script.remember, name) for name in SLOTS}
        values |= {k: v for k, v in state.memory.slots if v}
        values |= fields or {}
        return _FIELD.sub(lambda m: values.get(m.group(1)) or m.group(0), text)

    def _rated(self, rating: int, outcome: str, state: CustomerState) -> int:
        """The ending's rating moved by the mood: furious customers mark down, delighted ones up
        (never a customer who was lost or escalated)."""
        change = {0: 1, 4: -1, 5: -2}.get(state.mood, 0)
        if change > 0 and outcome in ("lost", "escalated"):
            change = 0
        return max(1, min(5, rating + change))

    def _arm_silence(
        self, state: CustomerState, node: State, now: float, delay: float
    ) -> tuple[CustomerState, tuple[Action, ...]]:
        silence = next((t for t in node.transitions if "silence" in t.on), None)
        if silence is not None and silence.after is not None:
            after = silence.after
        else:
            # No silence handling in the script: the persona nudges once, then leaves.
            waiting = self.script.persona.waiting
            after = waiting.leave_after if state.nudged else waiting.nudge_after
        # Patience counts from when the customer's line arrives, scaled by the persona.
        due = now + delay + after * self.script.persona.patience * self.time_scale
        return replace(state, deadline=due), (StartTimer(due=due),)


def _holds(when: Any, state: CustomerState) -> bool:
    if when.mood_at_least is not None and state.mood < when.mood_at_least:
        return False
    if when.mood_below is not None and state.mood >= when.mood_below:
        return False
    return all(state.memory.count(name) >= n for name, n in when.count.items())


def _shifted(actions: tuple[Action, ...], late: float) -> tuple[Action, ...]:
    """Delays relative to a moment `late` seconds ago, as seen from now."""
    if late <= 0:
        return actions
    out: list[Action] = []
    for action in actions:
        if isinstance(action, Say):
            out.append(
                replace(
                    action,
                    typing_after=max(0.0, action.typing_after - late),
                    delay=max(0.0, action.delay - late),
                )
            )
        elif isinstance(action, End):
            out.append(replace(action, delay=max(0.0, action.delay - late)))
        else:
            out.append(action)
    return tuple(out)
