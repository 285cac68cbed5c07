"""The chat path on the scale-out profile: real PostgreSQL and Redis on 127.0.0.1.

The suite runs on the embedded profile (SQLite, in-memory layer). The group commit, the row
locks (SELECT ... FOR UPDATE, SKIP LOCKED in the scheduler), the `executemany` update and the
Redis fan-out differ on the other profile, so the chat path's tests run again on it, in a
process of their own (the settings are read once per process). `.ci/run` starts both services.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHAT_PATH_TESTS = [
    "tests/simulator/test_services.py",
    "tests/simulator/test_group_commit.py",
    "tests/simulator/test_consumers.py",
]


# A child pytest of 75 tests on PostgreSQL: 25 s on a quiet machine, but creating the test
# database waits for connections a killed earlier run left open; the suite's 120 s is too short.
@pytest.mark.timeout(420)
def test_the_chat_path_tests_pass_on_postgresql_and_redis():
    env = {
        **os.environ,
        "DATABASE_URL": os.environ.get(
            "SCALE_OUT_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"
        ),
        "REDIS_URL": os.environ.get("SCALE_OUT_REDIS_URL", "redis://127.0.0.1:6379/0"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *CHAT_PATH_TESTS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=400,
    )
    tail = "\n".join(result.stdout.splitlines()[-30:])
    assert result.returncode == 0, tail
    assert " passed" in tail
    assert "postgresql" in _engine(env)


def _engine(env: dict[str, str]) -> str:
    """The database engine the child process's settings chose (not a silent SQLite)."""
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "simulator.settings"},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
