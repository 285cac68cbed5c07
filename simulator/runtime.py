"""The customer runtime: feeds events to the engine and carries out what it schedules.

Every action the engine asks for is stored as a ScheduledAction row before anything
happens, so a restarted server resumes pending replies and timers instead of losing them.
In the embedded profile one asyncio task per server process runs due actions; claiming a
row is a conditional UPDATE, so two processes never run the same action twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from channels.db import database_sync_to_async
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from simulator import protocol
from simulator.engine import (
    CancelPending,
    CustomerEngine,
    CustomerState,
    End,
    Event,
    Say,
    StartTimer,
    Tick,
)
from simulator.models import Conversation, Message, ScheduledAction

if TYPE_CHECKING:
    from collections.abc import Callable

log = logging.getLogger(__name__)

# The one clock of the runtime; tests replace it to move time without sleeping.
clock: Callable[[], float] = time.time
# How long the loop sleeps when nothing is due; a new action wakes it earlier.
IDLE_WAIT = 1.0


def _at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


def engine_for(conversation: Conversation) -> CustomerEngine:
    return CustomerEngine(
        conversation.scenario_version.script, time_scale=settings.CUSTOMER_TIME_SCALE
    )


def feed(conversation: Conversation, event: Event) -> None:
    """Give the engine one event and store the state and actions it returns (inside a transaction)."""
    engine = engine_for(conversation)
    state = (
        CustomerState.from_json(conversation.engine_state)
        if conversation.engine_state
        else engine.start(conversation.seed)
    )
    now = clock()
    state, actions = engine.react(state, event, now)
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
                        due_at=_at(now + typing_after),
                        payload={"seconds": delay - typing_after},
                    )
                )
                rows.append(
                    ScheduledAction(
                        conversation=conversation,
                        kind=ScheduledAction.Kind.SAY,
                        due_at=_at(now + delay),
                        payload={"text": text},
                    )
                )
            case StartTimer(due=due):
                rows.append(
                    ScheduledAction(
                        conversation=conversation, kind=ScheduledAction.Kind.TICK, due_at=_at(due)
                    )
                )
            case End(ending=ending, outcome=outcome, rating=rating, delay=delay):
                rows.append(
                    ScheduledAction(
                        conversation=conversation,
                        kind=ScheduledAction.Kind.END,
                        # A beat after the last line, so the goodbye is read before the banner.
                        due_at=_at(now + delay + 0.5 * settings.CUSTOMER_TIME_SCALE),
                        payload={"ending": ending, "outcome": outcome, "rating": rating},
                    )
                )
    Conversation.objects.filter(pk=conversation.pk).update(engine_state=state.to_json())
    conversation.engine_state = state.to_json()
    if rows:
        ScheduledAction.objects.bulk_create(rows)
        transaction.on_commit(wake)


def cancel_pending(conversation: Conversation, *, kinds: tuple[str, ...] | None = None) -> None:
    """Drop actions not yet run (all of them, or only these kinds)."""
    pending = ScheduledAction.objects.filter(
        conversation=conversation, done_at__isnull=True, cancelled=False
    )
    if kinds:
        pending = pending.filter(kind__in=kinds)
    pending.update(cancelled=True)


def run_due(now: float | None = None, *, limit: int = 200) -> float | None:
    """Run every action due by `now`; return when the next one falls due (epoch seconds)."""
    # Imported here: services imports this module to feed the engine.
    from simulator import services

    now = clock() if now is None else now
    due = list(
        ScheduledAction.objects.filter(done_at__isnull=True, cancelled=False, due_at__lte=_at(now))
        .select_related("conversation__scenario_version")
        .order_by("due_at", "pk")[:limit]
    )
    for action in due:
        try:
            with transaction.atomic():
                claimed = ScheduledAction.objects.filter(
                    pk=action.pk, done_at__isnull=True, cancelled=False
                ).update(done_at=timezone.now())
                if claimed:
                    _run(action, services)
        except Exception:
            # One broken conversation must not stop every other customer in the room.
            log.exception("scheduled action %s failed", action.pk)
            ScheduledAction.objects.filter(pk=action.pk).update(done_at=timezone.now())
    following = (
        ScheduledAction.objects.filter(done_at__isnull=True, cancelled=False)
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )
    return following.timestamp() if following else None


def _run(action: ScheduledAction, services) -> None:
    conversation = Conversation.objects.select_related("scenario_version").get(
        pk=action.conversation_id
    )
    if not conversation.is_active:
        return
    match action.kind:
        case ScheduledAction.Kind.TYPING:
            frame = protocol.typing(
                conversation.pk, Message.Role.CUSTOMER, action.payload["seconds"]
            )
            transaction.on_commit(lambda: services.broadcast(conversation.group_name, frame))
        case ScheduledAction.Kind.SAY:
            services.post_message(
                conversation, author=None, text=action.payload["text"], role=Message.Role.CUSTOMER
            )
        case ScheduledAction.Kind.TICK:
            feed(conversation, Tick())
        case ScheduledAction.Kind.END:
            services.end_conversation(
                conversation,
                reason=Conversation.EndReason.CUSTOMER,
                ending=action.payload["ending"],
                outcome=action.payload["outcome"],
                rating=action.payload["rating"],
            )


# ------------------------------------------------------------------ the asyncio loop

_task: asyncio.Task[None] | None = None
_loop: asyncio.AbstractEventLoop | None = None
_wakeup: asyncio.Event | None = None
# Work to do once when the runtime starts, registered by apps simulator may not import
# (assessment scores conversations that ended while the server was down).
_start_callbacks: list[Callable[[], None]] = []


def on_start(callback: Callable[[], None]) -> None:
    """Run `callback` (sync, in a worker thread) each time the runtime loop starts."""
    if callback not in _start_callbacks:
        _start_callbacks.append(callback)


def run_start_callbacks() -> None:
    """Run the start-up work; one failing callback neither stops the others nor the runtime."""
    for callback in list(_start_callbacks):
        try:
            callback()
        except Exception:
            log.exception("runtime start-up callback %r failed", callback)


def wake() -> None:
    """Tell the loop new actions exist; safe from any thread."""
    if _loop is not None and _wakeup is not None and not _loop.is_closed():
        _loop.call_soon_threadsafe(_wakeup.set)


def ensure_started() -> None:
    """Start the runtime loop in the running event loop, once per process."""
    global _task, _loop, _wakeup
    loop = asyncio.get_running_loop()
    if _task is not None and not _task.done() and _loop is loop:
        return
    _loop, _wakeup = loop, asyncio.Event()
    _task = loop.create_task(_serve(), name="customer-runtime")


async def stop() -> None:
    """Stop the loop (tests, shutdown); pending actions stay stored for the next start."""
    global _task
    if _task is not None:
        _task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await _task
        _task = None


async def _serve() -> None:
    wakeup = _wakeup or asyncio.Event()
    await database_sync_to_async(run_start_callbacks)()
    while True:
        wakeup.clear()  # before the pass: a wake during it must not be lost
        try:
            following = await database_sync_to_async(run_due)()
        except Exception:
            log.exception("customer runtime pass failed")
            following = None
        wait = IDLE_WAIT if following is None else max(0.0, min(IDLE_WAIT, following - clock()))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(wakeup.wait(), timeout=wait)
