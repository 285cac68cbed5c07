"""The fan-out task sends frames in commit order and always stops, even on a layer that
swallows a cancel (the Redis layer did, and the suite's teardown then hung on PostgreSQL)."""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from simulator import fanout

pytestmark = pytest.mark.asyncio


class _SlowLayer:
    """A layer whose send takes a while and swallows a cancel, as a driver's await can."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, int]] = []

    async def group_send(self, group, event):
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.sleep(0.01)
        self.sent.append((group, event["n"]))


class _StuckLayer:
    """A send that swallows the first cancel and then waits on (the test loop's own ends it)."""

    async def group_send(self, group, event):
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.sleep(3600)
        await asyncio.sleep(3600)


async def test_stop_sends_everything_queued_in_order_then_ends(monkeypatch):
    layer = _SlowLayer()
    monkeypatch.setattr(fanout, "get_channel_layer", lambda: layer)
    fanout.start()
    for n in range(20):
        fanout.send("g", {"type": "x", "n": n})
    await asyncio.sleep(0.015)  # the task is now inside a send
    await asyncio.wait_for(fanout.stop(), timeout=3)
    assert layer.sent == [("g", n) for n in range(20)]


async def test_a_send_that_never_returns_cannot_hang_the_stop(monkeypatch):
    monkeypatch.setattr(fanout, "get_channel_layer", _StuckLayer)
    fanout.start()
    fanout.send("g", {"type": "x"})
    await asyncio.sleep(0)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await fanout.stop(timeout=0.2)
    assert loop.time() - started < 2.0
