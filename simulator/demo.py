"""The demo classroom of the embedded profile: one teacher, thirty students, three assignments."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from scenarios.models import ScenarioVersion
from simulator import quick_replies, services
from simulator.models import Classroom, Membership, User

DEMO_CLASS = "电商2401班 网店客服实训"
STUDENTS = 30
# One assignment of each kind, so a student sees all three conversations at once.
DEMO_SCENARIOS = ("p1-coat-size", "o1-address-gift-note", "a1-wrong-colour")
# The class's quick replies (快捷短语), as a shop's workbench keeps them: (group, title, text).
# No figures: times and amounts differ by scenario, and a phrase must never state a wrong fact.
DEMO_QUICK_REPLIES = (
    ("问候", "欢迎", "亲，您好，欢迎光临{店铺}！我是客服小美，请问有什么可以帮您？"),
    ("问候", "稍等", "{顾客}您好，您说的情况我了解了，我马上帮您查一下，请稍等哦~"),
    (
        "尺码",
        "问身高体重",
        "亲，方便告诉我您平时穿的尺码和身高体重吗？我帮您推荐{商品}合适的码数。",
    ),
    (
        "发货",
        "核对订单",
        "{顾客}，我帮您核对一下订单{订单号}：商品是{商品}，收货信息麻烦您再确认一下哦。",
    ),
    ("发货", "物流查询", "亲，订单{订单号}的物流我这边帮您跟进，有新进展第一时间告诉您。"),
    ("售后", "致歉", "{顾客}，非常抱歉给您带来不好的体验，您先别着急，我来帮您处理。"),
    ("售后", "请拍照", "麻烦亲拍一张{商品}问题部位的照片发给我，我好尽快为您核实处理。"),
    ("结束语", "感谢", "感谢您对{店铺}的支持，还有其他问题随时找我哦，祝您生活愉快！"),
)


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
    if not classroom.quick_replies.exists():
        for group, title, text in DEMO_QUICK_REPLIES:
            quick_replies.add_quick_reply(classroom, group=group, title=title, text=text)
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
