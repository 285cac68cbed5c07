"""Flood control through a real Daphne process: a flooding socket is refused, a neighbour is not.

The in-process tests (tests/simulator/test_flood_control.py) check the buckets; this one checks
what a student sending hundreds of frames at the real server gets back, and that nothing beyond
the acknowledged frames is stored.
"""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from websockets.asyncio.client import connect

from tests.e2e.conftest import Server, login

pytestmark = pytest.mark.e2e

FLOOD = 300


def open_chat(browser, server: Server, username: str) -> tuple[int, str]:
    """Start the student's first assignment in a browser; its conversation id and cookie."""
    context = browser.new_context()
    page = context.new_page()
    login(page, server, username)
    page.locator(".assignment-card").first.get_by_role("button").click()
    page.wait_for_url(re.compile(r"/conversations/\d+/"))
    conversation = int(re.search(r"/conversations/(\d+)/", page.url).group(1))
    session = next(c for c in context.cookies() if c["name"] == "sessionid")
    context.close()  # its own socket stays out of the counts
    return conversation, f"sessionid={session['value']}"


def send(conversation: int, text: str) -> str:
    frame = {"type": "message.send", "conversation": conversation, "text": text}
    return json.dumps({**frame, "client_id": str(uuid.uuid4())})


async def flood_beside_a_neighbour(url: str, flooder: tuple, neighbour: tuple) -> dict:
    ws_url = url.replace("http://", "ws://") + "/ws/workspace/"
    (flood_chat, flood_cookie), (calm_chat, calm_cookie) = flooder, neighbour
    async with (
        connect(ws_url, origin=url, additional_headers={"Cookie": flood_cookie}) as noisy,
        connect(ws_url, origin=url, additional_headers={"Cookie": calm_cookie}) as calm,
    ):
        started = time.monotonic()
        for i in range(FLOOD):
            await noisy.send(send(flood_chat, f"刷屏{i}"))
        answers: dict[str, list] = {"ack": [], "rate_limited": [], "other": []}
        while sum(map(len, answers.values())) < FLOOD:
            frame = json.loads(await asyncio.wait_for(noisy.recv(), timeout=20))
            if frame["type"] == "message.ack":
                answers["ack"].append(frame["client_id"])
            elif frame["type"] == "error" and frame["code"] == "rate_limited":
                answers["rate_limited"].append(frame)
            elif frame["type"] == "error":
                answers["other"].append(frame)
        flood_seconds = time.monotonic() - started
        # The neighbour, right after: served at once, not throttled by someone else's flood.
        sent_at = time.monotonic()
        await calm.send(send(calm_chat, "您好，请问有什么可以帮您？"))
        while (frame := json.loads(await asyncio.wait_for(calm.recv(), timeout=10)))[
            "type"
        ] not in ("message.ack", "error"):
            pass
        return {
            **answers,
            "flood_seconds": flood_seconds,
            "neighbour": frame,
            "neighbour_ms": 1000 * (time.monotonic() - sent_at),
        }


def test_a_flooding_student_is_refused_and_the_neighbour_is_served(server, browser):
    flooder = open_chat(browser, server, "student17")
    neighbour = open_chat(browser, server, "student18")

    # Its own thread: Playwright's sync API keeps an event loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        result = pool.submit(
            asyncio.run, flood_beside_a_neighbour(server.url, flooder, neighbour)
        ).result(timeout=90)

    assert result["other"] == []
    # A burst of 10 and 2 a second per socket (CHAT_RATE_LIMITS): the rest is refused.
    assert 10 <= len(result["ack"]) <= 10 + 2 * result["flood_seconds"] + 2
    assert len(result["rate_limited"]) == FLOOD - len(result["ack"])
    assert all(frame["retry_after"] > 0 for frame in result["rate_limited"])
    assert {frame["ref"]["type"] for frame in result["rate_limited"]} == {"message.send"}
    assert result["neighbour"]["type"] == "message.ack", result["neighbour"]

    with sqlite3.connect(Path(server.env["SQLITE_PATH"])) as db:
        stored = {
            row[0].replace("-", "")
            for row in db.execute(
                "SELECT client_id FROM simulator_message WHERE conversation_id = ? AND role = ?",
                (flooder[0], "agent"),
            )
        }
    # Exactly what was acknowledged is stored; nothing refused slipped in.
    assert stored == {client_id.replace("-", "") for client_id in result["ack"]}
