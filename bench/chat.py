"""The chat path under load, against stock Channels in the same run: `python -m bench.chat`.

Starts the real server (Daphne, embedded profile: SQLite WAL and the in-memory layer) on a free
port with a fresh database, creates students and conversations through the project's services,
and drives real websockets speaking docs/protocol.md. For each closed-loop load (one message in
flight per conversation, no think time) it measures the product, then the stock Channels
consumers of bench/asgi.py with one ORM insert per message ("insert") and with none ("bare"),
alternately, on the same server. Then a drill-like open loop (100 students x 10 customers at
~200 messages a second) and a many-sockets closed loop.

Printed per load: conversations, sockets, messages per second stored and acknowledged,
ack and delivery latency percentiles (send to ack; send to message.new on every socket of the
conversation), customer replies' lateness against their schedule, lost and duplicated
messages, server CPU per message and peak RSS. The last line is machine-readable.

`--quick` runs in under 90 s; the default in under 3 minutes. Everything started is stopped.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
# Agent lines of an ordinary chat: they move some scripts on, so customers answer and end.
LINES = [
    "亲，在的，请问有什么可以帮您？",
    "好的，我帮您查一下，请稍等",
    "这款现在有现货的哦",
    "您平时穿什么尺码呢？",
    "我看一下您的订单信息",
    "明白了，非常理解您的心情",
    "这边给您登记一下",
    "还有其他可以帮您的吗？",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))]


# ------------------------------------------------------------------ the server


class Server:
    def __init__(self, work: Path) -> None:
        self.port = free_port()
        self.origin = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "simulator.settings",
            "SQLITE_PATH": str(work / "db.sqlite3"),
            "STATIC_ROOT": str(work / "static"),
            "DEMO_LOGINS_FILE": str(work / "logins.txt"),
            "SECRET_KEY": "bench-" + "x" * 50,
            "DEBUG": "0",
            "PORT": str(self.port),
            "SITE_ORIGINS": self.origin,
            # A load client sends without pause; flood control would measure itself.
            "CHAT_RATE_SCALE": "1000",
            "LOG_LEVEL": "ERROR",
        }
        self.log = open(work / "server.log", "w")  # noqa: SIM115 (closed in stop)
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "daphne",
                "-b",
                "127.0.0.1",
                "-p",
                str(self.port),
                "--websocket-max-message-size",
                "65536",
                "bench.asgi:application",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("daphne did not start; see server.log")
        # A first request starts the customer runtime and its start-up sweep now, while the
        # database holds no ended chat; else the sweep would score the stock consumers' rows
        # in the database thread while the first phase's sockets wait there to log in.
        page = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        page.request("GET", "/login/")
        page.getresponse().read()
        page.close()

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK

    def rss_mib(self) -> float:
        pages = int(Path(f"/proc/{self.process.pid}/statm").read_text().split()[1])
        return pages * PAGE / 2**20

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()


# ------------------------------------------------------------------ fixtures (project services)


@dataclass
class Seat:
    """One socket: a student's session and the conversations it serves."""

    cookie: str
    conversations: list[int]


class Fixtures:
    """Students and conversations, made in this process through the project's services."""

    def __init__(self) -> None:
        from scenarios.models import ScenarioVersion
        from simulator import services
        from simulator.models import User

        self.services = services
        teacher = User.objects.create(username="bench-teacher", role=User.Role.INSTRUCTOR)
        self.classroom = services.create_classroom(teacher, name="Bench")
        versions = list(ScenarioVersion.objects.filter(language="zh-hans").order_by("pk"))
        self.assignments = [
            services.assign_scenario(self.classroom, scenario_version=versions[i % len(versions)])
            for i in range(10)
        ]
        self.made = 0

    def students(self, n: int) -> list:
        from simulator.models import Membership, User

        first = self.made
        self.made += n
        users = User.objects.bulk_create(
            User(username=f"bench{i:05d}", role=User.Role.STUDENT) for i in range(first, first + n)
        )
        users = list(User.objects.filter(username__in=[u.username for u in users]).order_by("pk"))
        Membership.objects.bulk_create(
            Membership(classroom=self.classroom, student=u) for u in users
        )
        return users

    def cookie(self, user) -> str:
        from django.conf import settings
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
        from django.contrib.sessions.backends.db import SessionStore

        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return session.session_key

    def product(self, sockets: int, per_socket: int) -> list[Seat]:
        """Students with `per_socket` live conversations each, begun by the service."""
        seats = []
        for user in self.students(sockets):
            conversations = [
                self.services.start_attempt(assignment, student=user).pk
                for assignment in self.assignments[:per_socket]
            ]
            seats.append(Seat(self.cookie(user), conversations))
        return seats

    def stock(self, sockets: int) -> list[Seat]:
        """Conversation rows for the stock consumers to write into (no customer behind them)."""
        from simulator.models import Conversation

        users = self.students(sockets)
        version = self.assignments[0].scenario_version
        rows = Conversation.objects.bulk_create(
            Conversation(student=u, scenario_version=version, status="ended") for u in users
        )
        ids = (
            Conversation.objects.filter(student__in=users)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        assert len(rows) == len(ids)
        return [Seat("", [pk]) for pk in ids]

    def retire(self, seats: list[Seat]) -> None:
        """End a phase's conversations so their customers' timers do not load the next phase."""
        from simulator.models import Conversation, ScheduledAction

        ids = [c for seat in seats for c in seat.conversations]
        Conversation.objects.filter(pk__in=ids).update(status=Conversation.Status.ENDED)
        ScheduledAction.objects.filter(conversation_id__in=ids, done_at__isnull=True).delete()

    def check_stored(self, result: Result) -> None:
        """Lost: acked but not stored. Duplicated: one client_id stored twice, or seq reused."""
        from simulator.models import Message, ScheduledAction

        ids = list(result.conversations)
        stored = Counter(
            str(c)
            for c in Message.objects.filter(conversation_id__in=ids, client_id__isnull=False)
            .values_list("client_id", flat=True)
            .iterator(chunk_size=5000)
        )
        if result.kind != "bare":  # the bare consumer stores nothing by design
            result.lost += sum(1 for cid in result.acked if cid not in stored)
        result.duplicated += sum(n - 1 for n in stored.values() if n > 1)
        if result.kind == "product":
            seqs = Counter(
                Message.objects.filter(conversation_id__in=ids)
                .values_list("conversation_id", "seq")
                .iterator(chunk_size=5000)
            )
            result.duplicated += sum(n - 1 for n in seqs.values() if n > 1)
            # Lines due in the measured window, as for the acks. The chats' opening lines are
            # scheduled by this process's fixtures, which cannot wake the server's loop: they
            # wait for its idle poll (runtime.IDLE_WAIT, 1 s), which no chat begun in the server
            # does. They fall due in the warm-up and are left out.
            since = datetime.fromtimestamp(result.measured_from, tz=UTC)
            result.customer_late_ms = [
                (done - due).total_seconds() * 1000
                for due, done in ScheduledAction.objects.filter(
                    conversation_id__in=ids, kind="say", done_at__isnull=False, due_at__gte=since
                ).values_list("due_at", "done_at")
            ]


# ------------------------------------------------------------------ the load client


@dataclass
class Result:
    kind: str
    conversations: set[int] = field(default_factory=set)
    sockets: int = 0
    seconds: float = 0.0
    acked_in_window: int = 0
    ack_ms: list[float] = field(default_factory=list)
    deliver_ms: list[float] = field(default_factory=list)
    acked: set[str] = field(default_factory=set)
    errors: Counter = field(default_factory=Counter)
    unacked: int = 0
    lost: int = 0
    duplicated: int = 0
    customer_late_ms: list[float] = field(default_factory=list)
    measured_from: float = 0.0  # epoch seconds: the end of the warm-up
    customer_lines: int = 0
    customer_in_window: int = 0
    cpu_ms_per_msg: float = float("nan")
    peak_rss_mib: float = 0.0

    @property
    def rate(self) -> float:
        """Students' messages stored and acknowledged per second."""
        return self.acked_in_window / self.seconds if self.seconds else 0.0

    @property
    def stored_rate(self) -> float:
        """Every line stored per second, the customers' included."""
        return (
            (self.acked_in_window + self.customer_in_window) / self.seconds if self.seconds else 0.0
        )


class Socket:
    """One websocket: sends, matches acks and message.new to sends, counts duplicates."""

    def __init__(self, ws, result: Result, window: tuple[float, float]) -> None:
        self.ws = ws
        self.result = result
        self.window = window
        self.pending: dict[str, tuple[float, asyncio.Future]] = {}
        self.sent_at: dict[str, float] = {}
        self.seen: set[tuple[int, int]] = set()
        self.subscribed: dict[int, asyncio.Future] = {}
        self.ended: set[int] = set()  # the customer left: a student moves on to the next chat

    async def read(self) -> None:
        async for raw in self.ws:
            now = time.monotonic()
            frame = json.loads(raw)
            kind = frame.get("type")
            if kind == "message.ack":
                sent, future = self.pending.pop(frame["client_id"], (None, None))
                if future is not None and not future.done():
                    future.set_result(now)
                if sent is not None:
                    self.result.acked.add(frame["client_id"])
                    if self.window[0] <= sent < self.window[1]:
                        self.result.ack_ms.append((now - sent) * 1000)
                    if self.window[0] <= now < self.window[1]:
                        self.result.acked_in_window += 1
            elif kind == "message.new":
                key = (frame["conversation"], frame["seq"])
                # Before the load starts a line may come twice by design (subscribe joins,
                # then reads the backlog; the client drops the seq it has): not counted.
                if key in self.seen and now >= self.window[0]:
                    self.result.duplicated += 1
                self.seen.add(key)
                sent = self.sent_at.pop(frame.get("client_id") or "", None)
                if sent is not None and self.window[0] <= sent < self.window[1]:
                    self.result.deliver_ms.append((now - sent) * 1000)
                if frame.get("role") == "customer":
                    self.result.customer_lines += 1
                    if self.window[0] <= now < self.window[1]:
                        self.result.customer_in_window += 1
            elif kind == "subscribed":
                if future := self.subscribed.get(frame["conversation"]):
                    future.set_result(frame)
            elif kind == "conversation.ended":
                self.ended.add(frame["conversation"])
            elif kind == "error":
                self.result.errors[frame.get("code", "?")] += 1
                ref = frame.get("client_id") or (frame.get("ref") or {}).get("client_id")
                if ref and (entry := self.pending.pop(ref, None)):
                    entry[1].set_exception(RuntimeError(frame.get("code")))

    async def subscribe(self, conversation: int) -> None:
        self.subscribed[conversation] = asyncio.get_running_loop().create_future()
        await self.ws.send(json.dumps({"v": 1, "type": "subscribe", "conversation": conversation}))
        await asyncio.wait_for(self.subscribed[conversation], 30)

    async def send(self, conversation: int, text: str) -> asyncio.Future:
        client_id = str(uuid.uuid4())
        now = time.monotonic()
        future = asyncio.get_running_loop().create_future()
        future.add_done_callback(lambda f: f.cancelled() or f.exception())  # open loop: unread
        self.pending[client_id] = (now, future)
        self.sent_at[client_id] = now
        frame = {"v": 1, "type": "message.send", "conversation": conversation}
        await self.ws.send(json.dumps({**frame, "client_id": client_id, "text": text}))
        return future


async def drive(
    server: Server,
    seats: list[Seat],
    kind: str,
    *,
    seconds: float,
    warmup: float,
    per_conversation_rate: float | None = None,
) -> Result:
    """Closed loop (rate None: next send on ack) or open loop (each conversation at `rate`/s)."""
    from websockets.asyncio.client import connect

    result = Result(kind, {c for s in seats for c in s.conversations}, len(seats))
    path = {"product": "/ws/workspace/", "insert": "/ws/bench/insert/", "bare": "/ws/bench/bare/"}
    sockets: list[Socket] = []
    connections = []
    readers = []

    async def open_seat(seat: Seat) -> Socket:
        query = "" if kind == "product" else f"?c={seat.conversations[0]}"
        headers = {"Cookie": f"sessionid={seat.cookie}"} if seat.cookie else {}
        ws = await connect(
            f"ws://127.0.0.1:{server.port}{path[kind]}{query}",
            origin=server.origin,
            additional_headers=headers,
            ping_interval=None,
            open_timeout=60,
            max_queue=None,
        )
        connections.append(ws)
        sock = Socket(ws, result, (float("inf"), float("inf")))
        readers.append(asyncio.create_task(sock.read()))
        if kind == "product":
            for conversation in seat.conversations:
                await sock.subscribe(conversation)
        return sock

    gate = asyncio.Semaphore(50)  # handshakes in flight: a classroom does not log in at once

    async def opened(seat: Seat) -> Socket:
        async with gate:
            return await open_seat(seat)

    sockets = await asyncio.gather(*(opened(seat) for seat in seats))
    start = time.monotonic()
    window = (start + warmup, start + warmup + seconds)
    result.measured_from = time.time() + warmup
    # For a profiler attached to the server (py-spy record -p PID): when the load begins.
    print(f"# {kind}: {len(seats)} sockets open, load begins", file=sys.stderr, flush=True)
    for sock in sockets:
        sock.window = window
    stop_at = window[1]
    cpu0 = server.cpu_seconds()
    peak = server.rss_mib()

    async def closed(sock: Socket, conversation: int) -> None:
        rng = random.Random(conversation)
        while time.monotonic() < stop_at and conversation not in sock.ended:
            try:
                await asyncio.wait_for(await sock.send(conversation, rng.choice(LINES)), 30)
            except (TimeoutError, RuntimeError):
                await asyncio.sleep(0.5)  # refused (the chat ended) or lost: counted apart

    async def opened_loop(sock: Socket, conversation: int) -> None:
        rng = random.Random(conversation)
        period = 1 / per_conversation_rate
        next_at = start + rng.uniform(0, period)
        while next_at < stop_at:
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
            if conversation in sock.ended:
                return
            await sock.send(conversation, rng.choice(LINES))
            next_at += period

    async def watch_rss() -> None:
        nonlocal peak
        while True:
            peak = max(peak, server.rss_mib())
            await asyncio.sleep(0.25)

    watcher = asyncio.create_task(watch_rss())
    loop = closed if per_conversation_rate is None else opened_loop
    await asyncio.gather(
        *(
            loop(sock, c)
            for sock, seat in zip(sockets, seats, strict=True)
            for c in seat.conversations
        )
    )
    cpu1 = server.cpu_seconds()
    # Late acks still count as acked (not lost); wait a little for the stragglers.
    grace = time.monotonic() + 10
    while any(s.pending for s in sockets) and time.monotonic() < grace:
        await asyncio.sleep(0.1)
    result.unacked = sum(len(s.pending) for s in sockets)
    watcher.cancel()
    for ws in connections:
        await ws.close()
    for task in readers:
        task.cancel()
    result.seconds = seconds
    elapsed_sent = result.acked_in_window or 1
    # CPU over the measured stretch (warm-up included) per message acknowledged in it.
    result.cpu_ms_per_msg = (cpu1 - cpu0) * 1000 / max(elapsed_sent, len(result.acked))
    result.peak_rss_mib = peak
    return result


# ------------------------------------------------------------------ report


def row(label: str, r: Result) -> str:
    late = r.customer_late_ms
    return (
        f"{label:<22} conv={len(r.conversations):>5} sock={r.sockets:>5} "
        f"acked/s={r.rate:>7.1f} stored/s={r.stored_rate:>7.1f}  ack p50/p95/p99/max="
        f"{percentile(r.ack_ms, 50):>6.0f}/{percentile(r.ack_ms, 95):>5.0f}/"
        f"{percentile(r.ack_ms, 99):>5.0f}/{max(r.ack_ms, default=float('nan')):>5.0f} ms  "
        f"deliver p50/p99={percentile(r.deliver_ms, 50):>5.0f}/{percentile(r.deliver_ms, 99):>5.0f} ms  "
        f"cpu/msg={r.cpu_ms_per_msg:>5.2f} ms  rss={r.peak_rss_mib:>4.0f} MiB  "
        f"lost={r.lost} dup={r.duplicated} unacked={r.unacked}"
        + (
            f"  customer lines={r.customer_lines} late p50/p99={percentile(late, 50):.0f}/{percentile(late, 99):.0f} ms"
            if r.kind == "product"
            else ""
        )
        + (f"  errors={dict(r.errors)}" if r.errors else "")
    )


async def run(args: argparse.Namespace, server: Server, fixtures: Fixtures) -> None:
    loads = [int(n) for n in args.loads.split(",")]
    seconds, warmup = args.seconds, 1.0
    saturation: list[tuple[int, Result, Result, Result]] = []
    for n in loads:
        results = {}
        order = ["product", "insert", "bare"] if n % 2 else ["bare", "insert", "product"]
        if args.only:  # profiling one side
            results = dict.fromkeys(order, Result("skipped"))
            order = [args.only]
        for kind in order:
            seats = fixtures.product(n, 1) if kind == "product" else fixtures.stock(n)
            results[kind] = await drive(server, seats, kind, seconds=seconds, warmup=warmup)
            fixtures.check_stored(results[kind])
            fixtures.retire(seats)
        saturation.append((n, results["product"], results["insert"], results["bare"]))
        print(row(f"closed {n} product", results["product"]), flush=True)
        print(row(f"closed {n} channels+db", results["insert"]), flush=True)
        print(row(f"closed {n} channels", results["bare"]), flush=True)
        p, i, b = results["product"], results["insert"], results["bare"]
        print(
            f"{'':<22} product / channels+db = {ratio(p.rate, i.rate):.2f}x msgs/s, "
            f"{ratio(p.cpu_ms_per_msg, i.cpu_ms_per_msg):.2f}x cpu; product / channels = "
            f"{ratio(p.rate, b.rate):.2f}x msgs/s",
            flush=True,
        )
    drill = None
    if args.drill_seconds:
        seats = fixtures.product(args.drill_students, args.drill_per_student)
        rate = args.drill_rate / (args.drill_students * args.drill_per_student)
        drill = await drive(
            server,
            seats,
            "product",
            seconds=args.drill_seconds,
            warmup=5.0,
            per_conversation_rate=rate,
        )
        fixtures.check_stored(drill)
        fixtures.retire(seats)
        print(row(f"drill {args.drill_rate}/s open", drill), flush=True)
    many_ratio = None
    if args.many:
        few = await drive(
            server, fixtures.product(200, 1), "product", seconds=seconds, warmup=warmup
        )
        fixtures.check_stored(few)
        # Each new chat opens with its customer's line: let those of a thousand chats pass first.
        warm = max(3.0, args.many / 200)
        many = await drive(
            server, fixtures.product(args.many, 1), "product", seconds=seconds, warmup=warm
        )
        fixtures.check_stored(many)
        print(row("closed 200 product", few), flush=True)
        print(row(f"closed {args.many} product", many), flush=True)
        # New chats' customers speak far more than those drowned out by a closed loop: compare
        # every stored line, and the students' acked lines apart.
        many_ratio = ratio(many.stored_rate, few.stored_rate)
        print(
            f"{'':<22} {args.many} sockets / 200 sockets = {many_ratio:.2f}x stored/s, "
            f"{ratio(many.rate, few.rate):.2f}x acked/s",
            flush=True,
        )
    best = max(saturation, key=lambda entry: entry[1].rate)
    everything = [r for entry in saturation for r in entry[1:]] + ([drill] if drill else [])
    product_runs = [entry[1] for entry in saturation] + ([drill] if drill else [])
    p99 = percentile(drill.ack_ms, 99) if drill else percentile(best[1].ack_ms, 99)
    print(
        f"saturation={best[1].rate:.0f} vs_channels_insert={ratio(best[1].rate, best[2].rate):.2f} "
        f"vs_channels_bare={ratio(best[1].rate, best[3].rate):.2f} p99_ms={p99:.0f} "
        f"lost={sum(r.lost + r.unacked for r in everything)} "
        f"duplicated={sum(r.duplicated for r in product_runs)}"
        + (f" many_sockets_ratio={many_ratio:.2f}" if many_ratio is not None else "")
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one load, a short drill (< 90 s)")
    parser.add_argument("--loads", default="30,100,200", help="closed-loop conversations")
    parser.add_argument("--seconds", type=float, default=5.0, help="measured seconds per load")
    parser.add_argument("--drill-seconds", type=float, default=85.0)  # all under 3 minutes
    parser.add_argument("--drill-students", type=int, default=100)
    parser.add_argument("--drill-per-student", type=int, default=10)
    parser.add_argument("--drill-rate", type=float, default=200.0, help="student messages/s")
    parser.add_argument("--many", type=int, default=0, help="also compare N sockets with 200")
    parser.add_argument(
        "--only", choices=["product", "insert", "bare"], help="one side (profiling)"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.loads, args.seconds, args.drill_seconds = "100", 4.0, 25.0
    work = Path(tempfile.mkdtemp(prefix="bench-chat-"))
    server = Server(work)
    os.environ.update(server.env)
    # Fixtures are made between phases, when no socket is open: nothing else runs on the loop.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    started = time.monotonic()
    try:
        call_command("migrate", "--noinput", verbosity=0)
        call_command("load_scenarios", verbosity=0)
        fixtures = Fixtures()
        server.start()
        asyncio.run(run(args, server, fixtures))
    except BaseException:
        server.log.flush()
        print((work / "server.log").read_text()[-3000:], file=sys.stderr)
        raise
    finally:
        server.stop()
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(work, ignore_errors=True)
    print(f"# {time.monotonic() - started:.0f} s in all", file=sys.stderr)


if __name__ == "__main__":
    main()
