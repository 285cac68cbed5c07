"""kill -9 of the real server in the middle of a burst loses no acknowledged message.

With group commit, an ack means "the transaction holding this line committed": a line acked
before the kill must be in the database after it, under one seq, with no gap before it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import sqlite3
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.e2e.conftest import Server, demo_server, login

pytestmark = pytest.mark.e2e


@pytest.fixture
def burst_server(tmp_path) -> Server:
    """A server of its own (it is killed), with flood control lifted for the burst."""
    own = demo_server(tmp_path, CHAT_RATE_SCALE="100")
    own.start()
    yield own
    own.stop()


async def burst(url: str, cookie: str, conversation: int, *, kill_after: int, pid: int) -> set[str]:
    """Send 400 lines without waiting; kill the server once `kill_after` are acked."""
    acked: set[str] = set()
    ws_url = url.replace("http://", "ws://") + "/ws/workspace/"
    async with connect(ws_url, origin=url, additional_headers={"Cookie": cookie}) as ws:
        await ws.send(json.dumps({"type": "subscribe", "conversation": conversation}))

        async def send_all() -> None:
            for i in range(400):
                frame = {"type": "message.send", "conversation": conversation}
                text = f"第{i}条：亲，在的"
                await ws.send(json.dumps({**frame, "client_id": str(uuid.uuid4()), "text": text}))

        sender = asyncio.create_task(send_all())
        with contextlib.suppress(ConnectionClosed):  # it dies with the server: the point
            async for raw in ws:
                frame = json.loads(raw)
                if frame["type"] == "message.ack":
                    acked.add(frame["client_id"])
                    if len(acked) == kill_after:
                        os.kill(pid, signal.SIGKILL)
        sender.cancel()
    return acked


def test_kill_mid_burst_loses_no_acknowledged_message(burst_server, browser):
    context = browser.new_context()
    page = context.new_page()
    login(page, burst_server, "student05")
    page.locator(".assignment-card").first.get_by_role("button").click()
    page.wait_for_url(re.compile(r"/conversations/\d+/"))
    conversation = int(re.search(r"/conversations/(\d+)/", page.url).group(1))
    session = next(c for c in context.cookies() if c["name"] == "sessionid")
    cookie = f"sessionid={session['value']}"
    context.close()  # the page's own socket would resend nothing, but keep the count exact

    # Its own thread: Playwright's sync API keeps an event loop running in this one.
    pid = burst_server.process.pid
    with ThreadPoolExecutor(1) as pool:
        acked = pool.submit(
            asyncio.run, burst(burst_server.url, cookie, conversation, kill_after=60, pid=pid)
        ).result(timeout=60)
    burst_server.process.wait(timeout=10)
    burst_server.process = None
    burst_server.start()  # the restart reads the database as the kill left it

    with sqlite3.connect(Path(burst_server.env["SQLITE_PATH"])) as db:
        rows = db.execute(
            "SELECT seq, client_id FROM simulator_message WHERE conversation_id = ?",
            (conversation,),
        ).fetchall()
    stored = {uuid.UUID(client_id).hex for _seq, client_id in rows if client_id}
    assert len(acked) >= 60
    assert {uuid.UUID(a).hex for a in acked} <= stored  # acked means stored
    seqs = sorted(seq for seq, _ in rows)
    assert seqs == list(range(1, len(seqs) + 1))  # no gap, no seq twice
    assert len(stored) == len([c for _s, c in rows if c])  # no line stored twice
