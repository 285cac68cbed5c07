"""The customer adapter: feeds a conversation's events to the engine and stores what it asks for.

Called by services inside their transaction (scheduler -> services -> customer -> engine). Every
action the engine schedules is stored as a ScheduledAction row before anything happens, so a
restarted server resumes pending replies and timers instead of losing them. Actions the
engine cancels are deleted: nothing needs them after a restart, and the scheduler's scan of
pending rows stays as short as the work actually pending.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import transaction

from simulator.engine import (
    AgentSaid,
    Begin,
    CancelPending,
    CustomerEngine,
    CustomerState,
    End,
    Event,
    Say,
    StartTimer,
    TakeOver,
    ToolUsed,
)
from simulator.engine.replay import Heard, Replay, replay
from simulator.models import Conversation, Message, ScheduledAction

# The one clock of the customer side; tests replace it to move time without sleeping.
clock: Callable[[], float] = time.time
# Told (after commit) when the earliest of newly stored actions falls due (epoch seconds);
# the scheduler registers its wake-up here.
_listeners: list[Callable[[float], None]] = []


def on_new_actions(callback: Callable[[float], None]) -> None:
    if callback not in _listeners:
        _listeners.append(callback)


def _notify(due: float) -> None:
    for callback in _listeners:
        callback(due)


def wake_at(due: float) -> None:
    """Tell the scheduler that something stored outside this adapter (a drill's customers)
    falls due at `due` (epoch seconds); call it after commit."""
    _notify(due)


def at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


@lru_cache(maxsize=512)
def _engine(version_id: int, source: str, time_scale: float) -> CustomerEngine:
    from scenarios.services import script_of

    return CustomerEngine(script_of(version_id, source), time_scale=time_scale)


def engine_for(conversation: Conversation) -> CustomerEngine:
    """One engine per scenario version and process: versions are immutable, engines stateless."""
    version = conversation.scenario_version
    return _engine(version.pk, version.source, settings.CUSTOMER_TIME_SCALE)


def agent_said(
    conversation: Conversation, *, moves: Iterable[str], text: str, claims: list[dict[str, Any]]
) -> AgentSaid:
    """The engine's event for an agent message: its moves, and the facts (size, colour, stock,
    a size-chart figure …) its text and the recogniser's claims establish for this scenario."""
    return engine_for(conversation).agent_said(moves, text, claims)


def tool_used(conversation: Conversation, card: dict[str, Any]) -> ToolUsed:
    """The engine's event for a shop tool's use: the card as stored."""
    return ToolUsed({k: v for k, v in card.items() if k != "request"})


@dataclass(frozen=True)
class Verdict:
    rating: int
    review: str


def transferred(conversation: Conversation) -> Verdict:
    """How the customer rates being passed to a supervisor, from the engine's state now."""
    engine = engine_for(conversation)
    state = (
        CustomerState.from_json(conversation.engine_state)
        if conversation.engine_state
        else engine.start(conversation.seed)
    )
    rating, review = engine.transferred(state)
    return Verdict(rating, review)


class Schedule:
    """What the engine asks for over a batch of events, stored in two statements at the end.

    `feed` may run for many conversations (and several times for one) before `store`: a
    reply planned and then cancelled within the batch is never written at all.
    """

    def __init__(self) -> None:
        self.rows: list[ScheduledAction] = []
        self.cancelled: set[int] = set()  # conversations whose stored typing and line are void

    def feed(self, conversation: Conversation, event: Event, *, now: float | None = None) -> bool:
        """Give the engine one event at `now` (the customer clock, read if None). Returns
        whether the conversation's engine state changed.

        The caller saves `conversation.engine_state` when this returns True (services fold it
        into the one update of the conversation they already make).
        """
        engine = engine_for(conversation)
        before = (
            CustomerState.from_json(conversation.engine_state)
            if conversation.engine_state
            else engine.start(conversation.seed)
        )
        now = clock() if now is None else now
        state, actions = engine.react(before, event, now)
        for action in actions:
            self._plan(conversation, action, now)
        if state == before and conversation.engine_state:
            return False  # nothing matched: no write at all
        conversation.engine_state = state.to_json()
        return True

    def _plan(self, conversation: Conversation, action: object, now: float) -> None:
        def row(kind: str, due: float, **payload: object) -> None:
            self.rows.append(
                ScheduledAction(
                    conversation=conversation, kind=kind, due_at=at(due), payload=payload
                )
            )

        match action:
            case CancelPending():
                self.cancelled.add(conversation.pk)
                self.rows = [
                    r
                    for r in self.rows
                    if r.conversation_id != conversation.pk or r.kind not in REPLY_KINDS
                ]
            case Say(text=text, typing_after=typing_after, delay=delay):
                row(ScheduledAction.Kind.TYPING, now + typing_after, seconds=delay - typing_after)
                row(ScheduledAction.Kind.SAY, now + delay, text=text)
            case StartTimer(due=due):
                row(ScheduledAction.Kind.TICK, due)
            case End(ending=ending, outcome=outcome, rating=rating, delay=delay, review=review):
                # A beat after the last line, so the goodbye is read before the banner.
                due = now + delay + 0.5 * settings.CUSTOMER_TIME_SCALE
                row(
                    ScheduledAction.Kind.END,
                    due,
                    ending=ending,
                    outcome=outcome,
                    rating=rating,
                    review=review,
                )

    def store(self) -> None:
        """Delete the cancelled replies, insert the new actions (inside the caller's transaction)."""
        if self.cancelled:
            ScheduledAction.objects.filter(
                conversation_id__in=self.cancelled, kind__in=REPLY_KINDS, done_at__isnull=True
            ).delete()
        if self.rows:
            ScheduledAction.objects.bulk_create(self.rows)
            earliest = min(row.due_at for row in self.rows).timestamp()
            transaction.on_commit(lambda: _notify(earliest))
        self.rows, self.cancelled = [], set()


# What CancelPending voids: the reply being typed. Timers and endings stay.
REPLY_KINDS = (ScheduledAction.Kind.TYPING, ScheduledAction.Kind.SAY)


def feed(conversation: Conversation, event: Event) -> bool:
    """One event for one conversation, stored at once (see Schedule.feed)."""
    schedule = Schedule()
    changed = schedule.feed(conversation, event)
    schedule.store()
    return changed


def begin_played(conversation: Conversation) -> None:
    """The chat begins with a person playing the customer from its first line (a classmate's
    role-play): the engine starts (its clock, its seed, its opening state) and pauses at once.

    Nothing the engine asked for is stored: not its opening line, not its patience timer, so
    the scripted customer never speaks unless a teacher hands it back.
    """
    engine = engine_for(conversation)
    now = clock()
    state, _actions = engine.react(engine.start(conversation.seed), Begin(), now)
    state, _actions = engine.react(state, TakeOver(), now)
    conversation.engine_state = state.to_json()


def pause(conversation: Conversation) -> bool:
    """A teacher takes over: the engine hears TakeOver and every reply not yet sent is dropped.

    The engine cancels only a reply it still counts as pending; a stored line it has already
    let go of (its opening line, a nudge) would still reach the student in the teacher's
    place, so every unsent line goes. Timers stay: the paused engine ignores them.
    Returns whether the engine state changed (the caller saves it).
    """
    changed = feed(conversation, TakeOver())
    ScheduledAction.objects.filter(
        conversation=conversation, kind__in=REPLY_KINDS, done_at__isnull=True
    ).delete()
    return changed


def cancel_pending(conversation: Conversation) -> None:
    """Delete every action of `conversation` not yet run (it ended)."""
    ScheduledAction.objects.filter(conversation=conversation, done_at__isnull=True).delete()


def replay_of(conversation: Conversation, *, until: float | None = None) -> Replay:
    """The customer's lines as the engine says them again from what is stored: the seed, the
    moment the chat began and each agent message with the moment the engine heard it.

    The engine's lines only: where a teacher played the customer, the replay parts from the
    stored transcript at the takeover.
    """
    state = conversation.engine_state
    if not state or state.get("began") is None:
        raise ValueError(f"conversation {conversation.pk} has not begun")
    stored = conversation.messages.filter(
        role__in=[Message.Role.AGENT, Message.Role.TOOL], heard_at__isnull=False
    )
    heard = [
        Heard(at=m.heard_at, moves=frozenset(m.moves), text=m.text, claims=tuple(m.claims))
        if m.role == Message.Role.AGENT
        else Heard(at=m.heard_at, moves=frozenset(), card=tool_used(conversation, m.payload).card)
        for m in stored
    ]
    return replay(
        engine_for(conversation),
        seed=conversation.seed,
        began=state["began"],
        heard=heard,
        until=clock() if until is None else until,
    )
