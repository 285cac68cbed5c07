"""Browser journeys against a real Daphne server (Django's live_server has no websockets)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"


# An expectation's wait, for every journey: what the page must show is unchanged, only how
# long a loaded 2-core CI machine may take to show it (an editor sync, a test-play turn and a
# page's first request have each taken longer than Playwright's 5 s there).
expect.set_options(timeout=15_000)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    url: str
    env: dict[str, str]
    logins: dict[str, str]
    process: subprocess.Popen | None = None
    log: IO[str] | None = None

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        return result.stdout

    def start(self) -> None:
        port = self.url.rsplit(":", 1)[1]
        # Kept open for the server's life and closed in stop() (a restart test starts it again).
        if self.log is not None:
            self.log.close()
        self.log = open(Path(self.env["SQLITE_PATH"]).with_suffix(".log"), "a")  # noqa: SIM115
        log = self.log
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "daphne",
                "-b",
                "127.0.0.1",
                "-p",
                port,
                "--websocket-max-message-size",
                "65536",
                "simulator.asgi:application",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", int(port)), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("daphne did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                # A shutdown stuck (a busy machine, a worker thread) must not leave the port
                # taken and fail every later journey with it.
                self.process.kill()
                self.process.wait(timeout=10)
            self.process = None
        if self.log is not None:
            self.log.close()
            self.log = None


def demo_server(work: Path, **extra_env: str) -> Server:
    """A migrated demo installation in `work`, on a free loopback port (not started yet)."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "simulator.settings",
        "SQLITE_PATH": str(work / "db.sqlite3"),
        "DEMO_LOGINS_FILE": str(work / "logins.txt"),
        "STATIC_ROOT": str(work / "static"),
        "SECRET_KEY": "e2e-" + "x" * 50,
        "DEBUG": "0",
        "PASSWORD_HASHERS": "django.contrib.auth.hashers.MD5PasswordHasher",
        # Customers type 5x faster than life: visible typing, but a journey in seconds.
        "CUSTOMER_TIME_SCALE": "0.2",
        # The websocket accepts pages of this server only: its real scheme, host and port.
        "SITE_ORIGINS": f"http://127.0.0.1:{port},http://localhost:{port}",
        **extra_env,
    }
    server = Server(url=f"http://127.0.0.1:{port}", env=env, logins={})
    server.manage("migrate", "--noinput", "-v0")
    server.manage("collectstatic", "--noinput", "-v0")
    server.manage("load_scenarios")
    server.manage("seed_demo")
    server.logins = dict(
        line.split(maxsplit=1) for line in (work / "logins.txt").read_text().splitlines()
    )
    return server


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Server:
    """A migrated demo installation served by Daphne on a free loopback port."""
    server = demo_server(tmp_path_factory.mktemp("server"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's chromium: Playwright's own browser builds cannot be downloaded here.
    return {
        **browser_type_launch_args,
        "executable_path": shutil.which("chromium") or "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1440, "height": 900}, "locale": "zh-CN"}


@pytest.fixture
def shot():
    """Save a screenshot as a test artefact: `shot(page, "name")`."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=False)
        return path

    return take


def login(page, server: Server, username: str) -> None:
    page.goto(server.url + "/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", server.logins[username])
    page.click("main button[type=submit]")
    page.wait_for_url(server.url + "/")
