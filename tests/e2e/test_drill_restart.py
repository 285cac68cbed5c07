"""kill -9 of the real server in the middle of a rush drill loses no customer and lets none in
twice: the arrivals are stored when the drill starts, and each step is a conditional UPDATE."""

from __future__ import annotations

import os
import signal
import sqlite3
import time
import urllib.request
from pathlib import Path

import pytest

from tests.e2e.conftest import Server, demo_server

pytestmark = pytest.mark.e2e

STUDENTS = ("student01", "student02", "student03")


@pytest.fixture
def drill_server(tmp_path) -> Server:
    """A server of its own (it is killed); a 10-minute drill lasts 60 s."""
    own = demo_server(tmp_path, DRILL_TIME_SCALE="0.1")
    own.start()
    yield own
    own.stop()


def rows(server: Server, sql: str, *params: object) -> list[tuple]:
    with sqlite3.connect(Path(server.env["SQLITE_PATH"]), timeout=10) as db:
        return db.execute(sql, params).fetchall()


def visit(server: Server) -> None:
    """Any request starts the customer runtime of a (re)started server (simulator/asgi.py)."""
    with urllib.request.urlopen(server.url + "/login/", timeout=10) as response:  # noqa: S310
        assert response.status == 200


def wait_for(condition, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.timeout(300)
def test_a_killed_server_resumes_the_drill_with_every_customer_once(drill_server):
    server = drill_server
    # A class of three, and a drill started the way the teacher's page starts it (the
    # service), at three times DOMAIN.md's pace so the queue builds within seconds.
    server.manage(
        "shell",
        "-c",
        "from simulator import drills, services; from simulator.models import User;"
        "from scenarios.models import ScenarioVersion as V;"
        "t = User.objects.get(username='teacher');"
        "c = services.create_classroom(t, name='重启演练班');"
        f"[services.join_classroom(User.objects.get(username=u), code=c.join_code) for u in {STUDENTS!r}];"
        "drills.start_drill(c, by=t, versions=list(V.objects.filter(language='zh-hans')),"
        " duration=600, cap=3, intensity=3, seed=11)",
    )
    visit(server)
    ((drill_id,),) = rows(server, "SELECT id FROM simulator_drill")

    def q(sql: str) -> list[tuple]:
        return rows(server, sql, drill_id)

    planned = q("SELECT count(*) FROM simulator_drillarrival WHERE drill_id=?")
    assert planned[0][0] >= 15

    def entered() -> int:
        return q(
            "SELECT count(*) FROM simulator_drillarrival WHERE drill_id=? AND state='entered'",
        )[0][0]

    wait_for(lambda: entered() >= 4, timeout=40, what="customers to come in")
    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait(timeout=10)
    server.process = None
    before = entered()
    time.sleep(8)  # customers fall due while the server is down
    server.start()
    visit(server)

    wait_for(
        lambda: q("SELECT state FROM simulator_drill WHERE id=?")[0][0] == "ended",
        timeout=120,
        what="the drill to end on time after the restart",
    )
    states = dict(
        q(
            "SELECT state, count(*) FROM simulator_drillarrival WHERE drill_id=? GROUP BY state",
        )
    )
    # Nobody is left waiting to arrive or queued; every customer who came in is one chat.
    assert set(states) <= {"entered", "left", "dropped"}, states
    assert states.get("entered", 0) > before
    chats = q(
        "SELECT id, status, end_reason FROM simulator_conversation WHERE drill_id=?",
    )
    assert len(chats) == states["entered"]
    linked = q(
        "SELECT count(DISTINCT conversation_id) FROM simulator_drillarrival"
        " WHERE drill_id=? AND state='entered'",
    )
    assert linked[0][0] == len(chats)
    assert all(status == "ended" for _id, status, _reason in chats)
    assert "drill" in {reason for _id, _status, reason in chats}
    # Each customer's opening line was said once, however the kill fell.
    repeated = q(
        "SELECT a.conversation_id FROM simulator_message a JOIN simulator_message b"
        " ON b.conversation_id = a.conversation_id AND b.seq = 2"
        " JOIN simulator_conversation c ON c.id = a.conversation_id"
        " WHERE c.drill_id=? AND a.seq = 1 AND a.role = 'customer'"
        " AND b.role = 'customer' AND b.text = a.text",
    )
    assert repeated == []
    # A customer who left spoke first (one whose chat the drill's end closed may not have yet).
    silent = q(
        "SELECT c.id FROM simulator_conversation c WHERE c.drill_id=?"
        " AND c.end_reason = 'customer' AND NOT EXISTS (SELECT 1 FROM simulator_message m"
        " WHERE m.conversation_id = c.id AND m.seq = 1 AND m.role = 'customer')",
    )
    assert silent == []
    assert not q(
        "SELECT a.id FROM simulator_scheduledaction a JOIN simulator_conversation c"
        " ON c.id = a.conversation_id WHERE c.drill_id=? AND a.done_at IS NULL",
    )
