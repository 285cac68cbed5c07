"""The scheduler: runs the customer actions that fall due, in every server process.

scheduler -> services -> customer adapter -> engine: this module calls services to post the
customer's lines and end conversations; the adapter (simulator.customer) stores what the engine
schedules. In the embedded profile one asyncio task per server process runs due actions;
claiming a row is a conditional UPDATE, so two processes never run the same action twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from typing import TYPE_CHECKING

from channels.db import database_sync_to_async
from django.db import transaction
from django.utils import timezone

from simulator import customer, drills, fanout, protocol, services
from simulator.engine import Tick
from simulator.models import Conversation, Message, ScheduledAction

if TYPE_CHECKING:
    from collections.abc import Callable

log = logging.getLogger(__name__)

# How long the loop sleeps when nothing is due; a new action wakes it earlier.
IDLE_WAIT = 1.0
# The shortest time between two passes: in a drill something falls due every few
# milliseconds, and a pass per action cost more than the actions. 20 ms of lateness at most
# lets one pass take every action of those 20 ms together.
MIN_GAP = 0.02


def run_due(now: float | None = None, *, limit: int = 500) -> float | None:
    """Run every action due by `now`; return when the next one falls due (epoch seconds).

    One transaction for the pass: the due rows are locked (PostgreSQL: FOR UPDATE SKIP LOCKED,
    so another process takes other rows; SQLite: the write lock of the IMMEDIATE transaction)
    and claimed by one UPDATE, the customers' lines are stored together by one
    post_messages, and the rest run one by one, each in a savepoint. An action that fails is
    rolled back alone and recorded as failed, never as done.
    """
    now = customer.clock() if now is None else now
    failed: list[int] = []
    with transaction.atomic():
        due = list(
            ScheduledAction.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(done_at__isnull=True, due_at__lte=customer.at(now))
            # With the assignment: the live monitor's update names the class without a query.
            .select_related("conversation__scenario_version", "conversation__assignment")
            .order_by("due_at", "pk")[:limit]
        )
        ScheduledAction.objects.filter(pk__in=[action.pk for action in due]).update(
            done_at=timezone.now()
        )
        live = [action for action in due if action.conversation.is_active]
        lines = [action for action in live if action.kind == ScheduledAction.Kind.SAY]
        failed += _say_all(lines)
        for action in live:
            if action.kind == ScheduledAction.Kind.TYPING:
                _announce_typing(action)  # a frame after commit: nothing to roll back
            elif action.kind != ScheduledAction.Kind.SAY and not _attempt(_run, action):
                failed.append(action.pk)
        if failed:
            ScheduledAction.objects.filter(pk__in=failed).update(failed=True)
    following = (
        ScheduledAction.objects.filter(done_at__isnull=True)
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )
    # The rush drills' customers arrive, queue and enter (their own transaction).
    times = [t for t in (following.timestamp() if following else None, _drills(now)) if t]
    return min(times) if times else None


def _drills(now: float) -> float | None:
    try:
        return drills.run_due(now)
    except Exception:
        log.exception("drill pass failed")
        return None


def _attempt(function: Callable[[ScheduledAction], None], action: ScheduledAction) -> bool:
    """Run one action in a savepoint; False (logged, rolled back) if it raised."""
    try:
        with transaction.atomic():
            function(action)
    except Exception:
        # One broken conversation must not stop every other customer in the room.
        log.exception("scheduled action %s failed", action.pk)
        return False
    return True


def _say_all(actions: list[ScheduledAction]) -> list[int]:
    """Post the customers' due lines together; return the ids of those that failed."""
    if not actions:
        return []
    posts = [
        services.Post(action.conversation, None, action.payload["text"], role=Message.Role.CUSTOMER)
        for action in actions
    ]
    try:
        with transaction.atomic():
            services.post_messages(posts)
    except Exception:
        log.exception("posting %s customer lines together failed; posting one by one", len(posts))
        return [action.pk for action in actions if not _attempt(_say, action)]
    # A line refused (the conversation ended meanwhile) is done: there is nothing to say it to.
    return []


def _announce_typing(action: ScheduledAction) -> None:
    conversation = action.conversation
    frame = protocol.typing(conversation.pk, Message.Role.CUSTOMER, action.payload["seconds"])
    transaction.on_commit(lambda: services.broadcast(conversation.group_name, frame))


def _say(action: ScheduledAction) -> None:
    services.post_message(
        action.conversation, author=None, text=action.payload["text"], role=Message.Role.CUSTOMER
    )


def _run(action: ScheduledAction) -> None:
    conversation = action.conversation  # fetched with the row, scenario version included
    match action.kind:
        case ScheduledAction.Kind.TYPING:
            _announce_typing(action)
        case ScheduledAction.Kind.SAY:
            _say(action)
        case ScheduledAction.Kind.TICK:
            services.feed_customer(conversation, Tick())
        case ScheduledAction.Kind.END:
            services.end_conversation(
                conversation,
                reason=Conversation.EndReason.CUSTOMER,
                ending=action.payload["ending"],
                outcome=action.payload["outcome"],
                rating=action.payload["rating"],
                review=action.payload.get("review", ""),
            )


# ------------------------------------------------------------------ the asyncio loop

_task: asyncio.Task[None] | None = None
_loop: asyncio.AbstractEventLoop | None = None
_wakeup: asyncio.Event | None = None
# When the loop's next pass is planned (epoch seconds); infinity while a pass runs.
_planned = math.inf
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


def wake(due: float | None = None) -> None:
    """Tell the loop an action falls due at `due` (now if None); safe from any thread.

    Only a time before the loop's next planned pass wakes it: a drill stores a new action with
    every message, nearly all of them due seconds later, and each wake costs a pass.
    """
    if due is not None and due >= _planned:
        return
    if _loop is not None and _wakeup is not None and not _loop.is_closed():
        _loop.call_soon_threadsafe(_wakeup.set)


def ensure_started() -> None:
    """Start the runtime loop in the running event loop, once per process."""
    global _task, _loop, _wakeup
    loop = asyncio.get_running_loop()
    if _task is not None and not _task.done() and _loop is loop:
        return
    _loop, _wakeup = loop, asyncio.Event()
    customer.on_new_actions(wake)
    fanout.start()
    _task = loop.create_task(_serve(), name="customer-runtime")


async def stop() -> None:
    """Stop the loop (tests, shutdown); pending actions stay stored for the next start."""
    global _task
    if _task is not None:
        _task.cancel()
        # Bounded: a cancel swallowed inside a layer's or driver's await must not hang shutdown.
        await asyncio.wait({_task}, timeout=5.0)
        _task = None
    await fanout.stop()


async def _serve() -> None:
    wakeup = _wakeup or asyncio.Event()
    await database_sync_to_async(run_start_callbacks)()
    global _planned
    last = -math.inf
    while True:
        await asyncio.sleep(max(0.0, last + MIN_GAP - time.monotonic()))
        last = time.monotonic()
        wakeup.clear()  # before the pass: a wake during it must not be lost
        _planned = math.inf  # during the pass every new action wakes the next one
        try:
            following = await database_sync_to_async(run_due)()
        except Exception:
            log.exception("customer runtime pass failed")
            following = None
        wait = (
            IDLE_WAIT
            if following is None
            else max(0.0, min(IDLE_WAIT, following - customer.clock()))
        )
        _planned = customer.clock() + wait
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(wakeup.wait(), timeout=wait)
