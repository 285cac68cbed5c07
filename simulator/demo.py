"""The demo classroom of the embedded profile: one teacher, thirty students, three assignments."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from scenarios.models import ScenarioVersion
from simulator import services
from simulator.models import Classroom, Membership, User

DEMO_CLASS = "电商2401班 网店客服实训"
STUDENTS = 30
# One assignment of each kind, so a student sees all three conversations at once.
DEMO_SCENARIOS = ("p1-coat-size", "o1-address-gift-note", "a1-wrong-colour")


@dataclass(frozen=True)
class DemoLogins:
    teacher: tuple[str, str]
    students: list[tuple[str, str]]
    join_code: str


def _password() -> str:
    # Short enough to read off a projector; random per installation, never committed.
    return secrets.token_hex(3)


def _ensure_user(username: str, *, role: str, first_name: str, passwords: dict[str, str]) -> None:
    user, created = User.objects.get_or_create(
        username=username, defaults={"role": role, "first_name": first_name}
    )
    if created or username not in passwords:
        passwords[username] = _password()
        user.set_password(passwords[username])
        user.save()


@transaction.atomic
def seed_demo(passwords_file: Path) -> DemoLogins:
    """Create what is missing of the demo classroom; reuse what exists (idempotent)."""
    passwords = _read(passwords_file)
    _ensure_user("teacher", role=User.Role.INSTRUCTOR, first_name="王老师", passwords=passwords)
    teacher = User.objects.get(username="teacher")
    classroom = Classroom.objects.filter(instructor=teacher, name=DEMO_CLASS).first()
    if classroom is None:
        classroom = services.create_classroom(teacher, name=DEMO_CLASS)
    usernames = [f"student{i:02d}" for i in range(1, STUDENTS + 1)]
    for i, username in enumerate(usernames, 1):
        _ensure_user(
            username, role=User.Role.STUDENT, first_name=f"学生{i:02d}", passwords=passwords
        )
        Membership.objects.get_or_create(
            classroom=classroom, student=User.objects.get(username=username)
        )
    if not classroom.assignments.exists():
        for slug in DEMO_SCENARIOS:
            version = (
                ScenarioVersion.objects.filter(scenario__slug=slug).order_by("-number").first()
            )
            if version is not None:
                services.assign_scenario(classroom, scenario_version=version)
    _write(passwords_file, passwords)
    return DemoLogins(
        teacher=("teacher", passwords["teacher"]),
        students=[(u, passwords[u]) for u in usernames],
        join_code=classroom.join_code,
    )


def _read(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    return dict(line.split(maxsplit=1) for line in path.read_text().splitlines() if line.strip())


def _write(path: Path, passwords: dict[str, str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{name} {password}\n" for name, password in sorted(passwords.items())))
    path.chmod(0o600)
