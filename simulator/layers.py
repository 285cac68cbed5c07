"""The embedded profile's channel layer: Channels' in-memory layer without its per-call sweep.

Channels' InMemoryChannelLayer walks every channel and every group membership for expired
entries on each send, receive and group_send, and fans a group_send out through one task per
member. With a drill's thousand conversations that walk is a thousand steps per frame, and
the tasks cost a loop iteration per frame. Here the sweep runs at most once a second and a
group's members are sent to in turn (a send to an in-memory queue never waits), which also
keeps frames to one socket in the order they were sent.
"""

from __future__ import annotations

import contextlib
import time

from channels.exceptions import ChannelFull
from channels.layers import InMemoryChannelLayer

SWEEP_EVERY = 1.0


class SweepingInMemoryChannelLayer(InMemoryChannelLayer):
    _swept = 0.0

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now - self._swept >= SWEEP_EVERY:
            self._swept = now
            super()._clean_expired()

    async def group_send(self, group: str, message: dict) -> None:
        assert isinstance(message, dict), "Message is not a dict"  # noqa: S101 (as Channels)
        self.require_valid_group_name(group)
        self._clean_expired()
        for channel in list(self.groups.get(group, {})):
            # As Channels: a full socket misses the frame; it resyncs by seq.
            with contextlib.suppress(ChannelFull):
                await self.send(channel, message)
