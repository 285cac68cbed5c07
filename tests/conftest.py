"""Shared fixtures: the four actors of every access rule, and a playable assignment."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCENARIO_DIR = ROOT / "fixtures" / "scenarios"


_BROWSER_FIXTURES = {"playwright", "browser", "context", "page", "new_context"}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    # Playwright's sync API (its session-wide driver) marks its event loop as running in the
    # main thread between its calls. A test after the journeys must not see that loop: an
    # asyncio test's own loop refuses to run or to close beside it, and async_to_sync refuses
    # to start. Hide it for the test and give it back for the next journey.
    held = asyncio._get_running_loop()
    if held is None or _BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
        return (yield)
    asyncio._set_running_loop(None)
    try:
        return (yield)
    finally:
        asyncio._set_running_loop(held)


@pytest.fixture(autouse=True)
def _fresh_phrase_cache():
    # Ids come back after a test's rollback: a cached recogniser must not outlive its test.
    from scenarios.services import forget_phrases

    forget_phrases()
    yield
    forget_phrases()


@pytest.fixture(autouse=True)
def _fresh_drill_pass():
    # The scheduler's drill pass remembers when it is next due; tests move the clock freely.
    from simulator import drills

    drills.reset()
    yield
    drills.reset()


@pytest.fixture(autouse=True)
def _fast_customers(settings):
    # The scripted customer types 100x faster, so a whole chat plays in a second or two.
    settings.CUSTOMER_TIME_SCALE = 0.01
    # Demo-strength hashing: real PBKDF2 costs ~0.5 s a user, and the tests make many.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Template tests render {% static %} without running collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def make_user(username: str, *, role: str = "student"):
    from simulator.models import User

    user = User.objects.create_user(username=username, password="pw-" + username, role=role)
    return user


@pytest.fixture
def teacher(db):
    return make_user("teacher", role="instructor")


@pytest.fixture
def other_teacher(db):
    return make_user("teacher2", role="instructor")


@pytest.fixture
def classroom(teacher):
    from simulator import services

    return services.create_classroom(teacher, name="电商2401班")


@pytest.fixture
def other_classroom(other_teacher):
    from simulator import services

    return services.create_classroom(other_teacher, name="电商2402班")


@pytest.fixture
def student(classroom):
    from simulator import services

    user = make_user("student01")
    services.join_classroom(user, code=classroom.join_code)
    return user


@pytest.fixture
def classmate(classroom):
    from simulator import services

    user = make_user("student02")
    services.join_classroom(user, code=classroom.join_code)
    return user


@pytest.fixture
def outsider(other_classroom):
    """A student of another class: every access rule is tested against them."""
    from simulator import services

    user = make_user("student99")
    services.join_classroom(user, code=other_classroom.join_code)
    return user


def load_version(name: str):
    from scenarios import services

    version, _status = services.store_scenario((SCENARIO_DIR / name).read_text(encoding="utf-8"))
    return version


@pytest.fixture
def coat_scenario(db):
    return load_version("p1-coat-size.zh.yaml")


@pytest.fixture
def assignment(classroom, coat_scenario):
    from simulator import services

    return services.assign_scenario(classroom, scenario_version=coat_scenario)


@pytest.fixture
def clock(monkeypatch):
    """The customer side's clock, moved by hand: `clock.advance(10)`."""
    from simulator import customer

    class Clock:
        now = 1_800_000_000.0

        def __call__(self) -> float:
            return self.now

        def advance(self, seconds: float) -> None:
            self.now += seconds

    fake = Clock()
    monkeypatch.setattr(customer, "clock", fake)
    return fake
