"""The customer adapter: feeds a conversation's events to the engine and stores what it asks for.

Called by services inside their transaction (scheduler -> services -> customer -> engine). Every
action the engine schedules is stored as a ScheduledAction row before anything happens, so a
restarted server resumes pending replies and timers instead of losing them. Actions the
engine cancels are deleted: nothing needs them after a restart, and the scheduler's scan of
pending rows stays as short as the work actually pending.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache

from django.conf import settings
from django.db import transaction

from simulator.engine import (
    CancelPending,
    CustomerEngine,
    CustomerState,
    End,
    Event,
    Say,
    StartTimer,
)
from simulator.models import Conversation, ScheduledAction

# The one clock of the customer side; tests replace it to move time without sleeping.
clock: Callable[[], float] = time.time
# Told (after commit) that new actions are stored; the scheduler registers its wake-up here.
_listeners: list[Callable[[], None]] = []


def on_new_actions(callback: Callable[[], None]) -> None:
    if callback not in _listeners:
        _listeners.append(callback)


def _notify() -> None:
    for callback in _listeners:
        callback()


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


def feed(conversation: Conversation, event: Event) -> bool:
    """Give the engine one event; store its state and actions. Returns whether the state changed.

    Runs inside the caller's transaction. The caller saves `conversation.engine_state` when this
    returns True (services fold it into the one UPDATE of the conversation they already make).
    """
    engine = engine_for(conversation)
    before = (
        CustomerState.from_json(conversation.engine_state)
        if conversation.engine_state
        else engine.start(conversation.seed)
    )
    now = clock()
    state, actions = engine.react(before, event, now)
    rows = []
    for action in actions:
        match action:
            case CancelPending():
                cancel_pending(
                    conversation, kinds=(ScheduledAction.Kind.TYPING, ScheduledAction.Kind.SAY)
                )
            case Say(text=text, typing_after=typing_after, delay=delay):
                rows.append(
                    ScheduledAction(
                        conversation=conversation,
                        kind=ScheduledAction.Kind.TYPING,
                        due_at=at(now + typing_after),
                        payload={"seconds": delay - typing_after},
                    )
                )
                rows.append(
                    ScheduledAction(
                        conversation=conversation,
                        kind=ScheduledAction.Kind.SAY,
                        due_at=at(now + delay),
                        payload={"text": text},
                    )
                )
            case StartTimer(due=due):
                rows.append(
                    ScheduledAction(
                        conversation=conversation, kind=ScheduledAction.Kind.TICK, due_at=at(due)
                    )
                )
            case End(ending=ending, outcome=outcome, rating=rating, delay=delay):
                rows.append(
                    ScheduledAction(
                        conversation=conversation,
                        kind=ScheduledAction.Kind.END,
                        # A beat after the last line, so the goodbye is read before the banner.
                        due_at=at(now + delay + 0.5 * settings.CUSTOMER_TIME_SCALE),
                        payload={"ending": ending, "outcome": outcome, "rating": rating},
                    )
                )
    if rows:
        ScheduledAction.objects.bulk_create(rows)
        transaction.on_commit(_notify)
    if state == before and conversation.engine_state:
        return False  # nothing matched: no write at all
    conversation.engine_state = state.to_json()
    return True


def cancel_pending(conversation: Conversation, *, kinds: tuple[str, ...] | None = None) -> None:
    """Delete actions not yet run (all of them, or only these kinds)."""
    pending = ScheduledAction.objects.filter(conversation=conversation, done_at__isnull=True)
    if kinds:
        pending = pending.filter(kind__in=kinds)
    pending.delete()
