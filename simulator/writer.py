"""Group commit: the chat writes of concurrent sockets share one transaction and one commit.

All ORM work of a server process runs in Channels' one database thread. A socket's write waits
for that thread anyway; while it waits, other sockets' writes queue up here, and the next trip
to the thread stores all of them with one call of the batch function (services.post_messages:
one transaction, a fixed number of statements). Every caller is answered only after the commit
that holds its write: nothing is acknowledged before it is stored, and a failed commit fails
every write in it (their clients resend, idempotently, on their client_id).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from channels.db import database_sync_to_async

Item = TypeVar("Item")
Outcome = TypeVar("Outcome")

# Enough to fill the time of one commit at saturation; more only lengthens the wait of the first.
MAX_BATCH = 64


class GroupCommit(Generic[Item, Outcome]):
    """Feeds queued items to `store(items) -> outcomes` (sync; an outcome may be an exception)."""

    def __init__(self, store: Callable[[Sequence[Item]], Sequence[Outcome | Exception]]) -> None:
        self.store = store
        self.queue: list[tuple[Item, asyncio.Future[Outcome]]] = []
        self.draining: dict[asyncio.AbstractEventLoop, asyncio.Task[None]] = {}

    async def submit(self, item: Item) -> Outcome:
        """Store `item` in the next batch; return its outcome or raise its exception."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Outcome] = loop.create_future()
        self.queue.append((item, future))
        task = self.draining.get(loop)
        if task is None or task.done():
            self.draining[loop] = loop.create_task(self._drain(), name="group-commit")
        return await future

    async def _drain(self) -> None:
        while self.queue:
            batch = self.queue[:MAX_BATCH]
            del self.queue[:MAX_BATCH]
            items = [item for item, _ in batch]
            try:
                outcomes = await database_sync_to_async(self.store)(items)
            except Exception as error:  # the transaction failed: nothing in it is stored
                outcomes = [error] * len(batch)
            for (_, future), outcome in zip(batch, outcomes, strict=True):
                if future.done():  # the caller went away (its socket closed)
                    continue
                if isinstance(outcome, Exception):
                    future.set_exception(outcome)
                else:
                    future.set_result(outcome)
