"""Announcing committed changes to the sockets of a group without stalling the database thread.

Services run in Channels' one database thread. Sending to the channel layer from there with
`async_to_sync` parks that thread until the event loop has delivered the frame, so every
message's broadcast used to be paid by every other message waiting for the thread. Here the
thread only hands the frame to the server's event loop, where one task sends the frames in the
order they were committed (a Redis layer's sends can otherwise overtake each other).

Outside a server (a management command, a sync test), nothing runs the queue: the frame is
sent at once, as before.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from asgiref.sync import SyncToAsync, async_to_sync
from channels.layers import get_channel_layer

log = logging.getLogger(__name__)

_loop: asyncio.AbstractEventLoop | None = None
_queue: asyncio.Queue[Any] | None = None
_task: asyncio.Task[None] | None = None
_STOP = object()  # the queue's last item: stop() puts it after whatever was sent before


def send(group: str, event: dict[str, Any]) -> None:
    """Send `event` to `group` after whatever was sent before it; safe from any thread."""
    loop, queue = _loop, _queue
    if loop is not None and queue is not None and not loop.is_closed():
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            queue.put_nowait((group, event))
        else:
            loop.call_soon_threadsafe(queue.put_nowait, (group, event))
        return
    # No server loop: send now. Sync code on a thread that runs a loop (a script's async main)
    # cannot wait for the send there: it goes out as a task of that loop.
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if running is not None:
        running.create_task(_send_one(group, event))
        return
    # A worker thread whose loop has stopped (a test's, at exit) cannot either:
    # async_to_sync would wait forever for it. The database holds the message anyway.
    parent = getattr(SyncToAsync.threadlocal, "main_event_loop", None)
    if parent is not None and (parent.is_closed() or not parent.is_running()):
        log.debug("no event loop to announce to %s", group)
        return
    async_to_sync(get_channel_layer().group_send)(group, event)


def start() -> None:
    """Run the sending task in the running event loop, once per process (and loop)."""
    global _loop, _queue, _task
    loop = asyncio.get_running_loop()
    if _task is not None and not _task.done() and _loop is loop:
        return
    _queue = asyncio.Queue()
    _loop = loop
    _task = loop.create_task(_drain(_queue), name="fanout")


async def stop(timeout: float = 5.0) -> None:
    """Send what is queued, in order, then stop (tests, shutdown).

    The task ends on a sentinel rather than a cancel: a cancel that lands inside a layer's
    send can be swallowed there (seen with the Redis layer), and the task then waits on its
    empty queue forever, and so would this. The wait is bounded either way.
    """
    global _loop, _queue, _task
    queue, task = _queue, _task
    _loop = _queue = _task = None
    if queue is None or task is None or task.done():
        return
    queue.put_nowait(_STOP)
    done, _ = await asyncio.wait({task}, timeout=timeout)
    if not done:
        log.warning(
            "fan-out did not finish its queue in %.0f s; %d frames dropped", timeout, queue.qsize()
        )
        task.cancel()
        await asyncio.wait({task}, timeout=1.0)


async def _send_one(group: str, event: dict[str, Any]) -> None:
    try:
        await get_channel_layer().group_send(group, event)
    except Exception:
        # The database holds the message; a socket that missed it gets it on resume.
        log.exception("could not announce to %s", group)


async def _drain(queue: asyncio.Queue[Any]) -> None:
    while (item := await queue.get()) is not _STOP:
        await _send_one(*item)
