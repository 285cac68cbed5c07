"""State changes a teacher makes to a class: its name, archive, join code, roster, co-teachers,
and the terms of its assignments. The chat path lives in `simulator.services`."""

from __future__ import annotations

import csv
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from simulator import audit
from simulator.models import Assignment, Classroom, Membership, User, new_join_code
from simulator.services import ChatError, close_user_sockets

# Passwords are read off a paper slip and typed on a phone: no 0/o, 1/l/i.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # noqa: S105 (an alphabet, not a secret)
MAX_ROSTER = 200
MAX_NAME = 40
# Between names on one pasted line: 张三、李四，王五.
NAME_SEPARATORS = re.compile(r"[,，、;；]")
# A first row naming its columns: which column holds the names (Excel rosters have 学号 too).
NAME_HEADERS = {"姓名", "名字", "学生姓名", "学生", "name", "full name", "student", "student name"}


class ClassroomError(ChatError):
    """A teacher's change to a class that cannot be made; the message says why."""

    code = "classroom_refused"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.message)
        if message is not None:
            self.message = message


class AssignmentStarted(ClassroomError):
    code = "assignment_started"


class RosterError(ClassroomError):
    """Bad rows in a list of names; `problems` has one line each, naming the row."""

    code = "roster_invalid"

    def __init__(self, problems: list[str]) -> None:
        super().__init__(_("Nothing was created: correct these lines and try again."))
        self.problems = problems


@dataclass(frozen=True)
class NewLogin:
    """A student account just made: the only moment its password is known in clear."""

    name: str
    username: str
    password: str


# ------------------------------------------------------------------- the class itself


@transaction.atomic
def rename_classroom(classroom: Classroom, *, name: str, by: User) -> Classroom:
    """Give the class a new name; students see it at once."""
    old, classroom.name = classroom.name, " ".join(name.split())
    classroom.save(update_fields=["name"])
    audit.record(
        audit.Action.CLASSROOM_RENAMED, by=by, classroom=classroom, old=old, new=classroom.name
    )
    return classroom


@transaction.atomic
def archive_classroom(classroom: Classroom, *, by: User) -> Classroom:
    """Take the class off the teacher's list; its students may read but no longer start."""
    if classroom.archived_at is None:
        classroom.archived_at = timezone.now()
        classroom.save(update_fields=["archived_at"])
        audit.record(audit.Action.CLASSROOM_ARCHIVED, by=by, classroom=classroom)
    return classroom


@transaction.atomic
def restore_classroom(classroom: Classroom, *, by: User) -> Classroom:
    """Bring an archived class back, as it was."""
    if classroom.archived_at is not None:
        classroom.archived_at = None
        classroom.save(update_fields=["archived_at"])
        audit.record(audit.Action.CLASSROOM_RESTORED, by=by, classroom=classroom)
    return classroom


@transaction.atomic
def regenerate_join_code(classroom: Classroom, *, by: User) -> str:
    """A fresh join code; the old one stops working at once."""
    old = classroom.join_code
    for _attempt in range(10):
        code = new_join_code()
        if code == old or Classroom.objects.filter(join_code=code).exists():
            continue
        try:
            with transaction.atomic():  # another class may take it between the check and here
                Classroom.objects.filter(pk=classroom.pk).update(join_code=code)
        except IntegrityError:
            continue
        classroom.join_code = code
        audit.record(audit.Action.JOIN_CODE_CHANGED, by=by, classroom=classroom)
        return code
    raise ClassroomError(_("No free join code was found. Please try again."))


# ------------------------------------------------------------------- students


@transaction.atomic
def remove_student(classroom: Classroom, *, student: User, by: User) -> None:
    """Take `student` out of the class: their chats stay for the teacher's records, but the
    class's assignments no longer show for them."""
    removed, _rows = Membership.objects.filter(classroom=classroom, student=student).delete()
    if removed:
        audit.record(audit.Action.STUDENT_REMOVED, by=by, classroom=classroom, subject=student)


def decode_roster(data: bytes) -> str:
    """The text of an uploaded list of names: UTF-8 (with or without a BOM), UTF-16 with a BOM,
    or GBK/GB18030 as Excel on Chinese Windows saves "CSV"."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise RosterError(
            [_("The file is neither UTF-8 nor GBK text. Save it from Excel as CSV and try again.")]
        ) from error


def roster_names(text: str, *, pasted: bool = False) -> list[tuple[int, str]]:
    """(line number, name) for each name of a pasted list or CSV text; raises RosterError naming
    every bad line. Blank lines are skipped; a first row of column titles picks the name column.
    A pasted list may also put several names on a line: 张三、李四，王五."""
    lines = text.splitlines()
    tabbed = any("\t" in line for line in lines)
    if pasted and not tabbed:
        rows = [
            (number, [piece.strip()])
            for number, line in enumerate(lines, start=1)
            for piece in NAME_SEPARATORS.split(line)
            if piece.strip()
        ]
    else:
        dialect = "excel-tab" if tabbed else "excel"
        rows = [
            (number, [cell.strip() for cell in cells])
            for number, cells in enumerate(csv.reader(lines, dialect), start=1)
        ]
    rows = [(number, cells) for number, cells in rows if any(cells)]
    column = 0
    if rows:
        titles = [cell.casefold() for cell in rows[0][1]]
        found = [index for index, title in enumerate(titles) if title in NAME_HEADERS]
        if found:
            column = found[0]
            rows = rows[1:]
    problems: list[str] = []
    names: list[tuple[int, str]] = []
    first_line: dict[str, int] = {}
    for number, cells in rows:
        name = " ".join(cells[column].split()) if column < len(cells) else ""
        if problem := name_problem(name):
            problems.append(_("Line %(line)s: %(problem)s") % {"line": number, "problem": problem})
        elif name in first_line:
            problems.append(
                _("Line %(line)s: “%(name)s” is already on line %(first)s.")
                % {"line": number, "name": name, "first": first_line[name]}
            )
        else:
            first_line[name] = number
            names.append((number, name))
    if not rows:
        problems.append(_("The list has no names."))
    elif len(rows) > MAX_ROSTER:
        problems.append(
            _("The list has %(n)s names; add at most %(max)s at a time.")
            % {"n": len(rows), "max": MAX_ROSTER}
        )
    if problems:
        raise RosterError(problems)
    return names


def name_problem(name: str) -> str | None:
    """Why `name` cannot be a student's name, or None."""
    if not name:
        return _("the name is empty.")
    if len(name) > MAX_NAME:
        return _("the name is longer than %(max)s characters.") % {"max": MAX_NAME}
    if any(unicodedata.category(char).startswith("C") for char in name):
        return _("the name contains control characters.")
    if not any(unicodedata.category(char).startswith("L") for char in name):
        return _("“%(name)s” has no letters: is it a number or a note?") % {"name": name}
    return None


@transaction.atomic
def enrol_students(
    classroom: Classroom, *, names: list[tuple[int, str]], by: User
) -> list[NewLogin]:
    """Create a student account for each (line, name) and enrol it; all or none.

    Usernames are `c<class>s<nn>`, numbered on from the class's earlier imports; passwords are
    random, shown once, and stored only as hashes.
    """
    existing = {
        student.display_name: student
        for student in User.objects.filter(memberships__classroom=classroom)
    }
    taken = [
        _("Line %(line)s: “%(name)s” is already in this class (%(username)s).")
        % {"line": line, "name": name, "username": existing[name].username}
        for line, name in names
        if name in existing
    ]
    if taken:
        raise RosterError(taken)
    prefix = f"c{classroom.pk}s"
    used = set(User.objects.filter(username__startswith=prefix).values_list("username", flat=True))
    number = 0
    logins = []
    for _line, name in names:
        number += 1
        while f"{prefix}{number:02d}" in used:
            number += 1
        username = f"{prefix}{number:02d}"
        password = new_password()
        student = User(username=username, first_name=name, role=User.Role.STUDENT)
        student.set_password(password)
        student.save()
        Membership.objects.create(classroom=classroom, student=student)
        logins.append(NewLogin(name=name, username=username, password=password))
    audit.record(
        audit.Action.STUDENTS_ADDED,
        by=by,
        classroom=classroom,
        students=[login.username for login in logins],
    )
    return logins


@transaction.atomic
def reset_password(student: User, *, classroom: Classroom, by: User) -> NewLogin:
    """A new password for a student who lost theirs; their other sign-ins end."""
    password = new_password()
    student.set_password(password)
    student.save(update_fields=["password"])
    audit.record(audit.Action.PASSWORD_RESET, by=by, classroom=classroom, subject=student)
    transaction.on_commit(lambda: close_user_sockets(student))
    return NewLogin(name=student.display_name, username=student.username, password=password)


def new_password() -> str:
    """Eight characters in two groups of four from an unambiguous alphabet: `k7mp-x3wq`."""
    chars = [secrets.choice(PASSWORD_ALPHABET) for _ in range(8)]
    return "".join(chars[:4]) + "-" + "".join(chars[4:])


# ------------------------------------------------------------------- co-teachers


@transaction.atomic
def add_co_teacher(classroom: Classroom, *, username: str, by: User) -> User:
    """Share the class with another teacher, by their username; only its owner shares it."""
    if by.pk != classroom.instructor_id:
        raise ClassroomError(_("Only the teacher who created this class can share it."))
    teacher = User.objects.filter(
        username__iexact=username.strip(), role=User.Role.INSTRUCTOR
    ).first()
    if teacher is None:
        raise ClassroomError(
            _("No teacher has the username “%(username)s”.") % {"username": username.strip()}
        )
    if teacher.pk == classroom.instructor_id:
        raise ClassroomError(_("You already teach this class."))
    classroom.co_teachers.add(teacher)
    audit.record(
        audit.Action.CO_TEACHER_ADDED, by=by, classroom=classroom, teacher=teacher.display_name
    )
    return teacher


@transaction.atomic
def remove_co_teacher(classroom: Classroom, *, teacher: User, by: User) -> None:
    """Stop sharing the class with `teacher`; the owner removes anyone, a co-teacher themself."""
    if by.pk not in (classroom.instructor_id, teacher.pk):
        raise ClassroomError(_("Only the teacher who created this class can stop sharing it."))
    classroom.co_teachers.remove(teacher)
    audit.record(
        audit.Action.CO_TEACHER_REMOVED, by=by, classroom=classroom, teacher=teacher.display_name
    )


# ------------------------------------------------------------------- assignments


@transaction.atomic
def update_assignment(
    assignment: Assignment, *, due_at: datetime | None, max_attempts: int | None, by: User
) -> Assignment:
    """New due date and attempts allowed; never fewer attempts than a student already made."""
    most = (
        assignment.conversations.values("student")
        .annotate(n=Count("pk"))
        .aggregate(most=Max("n"))["most"]
    )
    if max_attempts is not None and most is not None and max_attempts < most:
        raise ClassroomError(
            _(
                "A student has already made %(n)s attempts: allow at least %(n)s, "
                "or leave it empty for unlimited."
            )
            % {"n": most}
        )
    before = {"due_at": assignment.due_at, "max_attempts": assignment.max_attempts}
    assignment.due_at = due_at
    assignment.max_attempts = max_attempts
    assignment.save(update_fields=["due_at", "max_attempts"])
    after = {"due_at": due_at, "max_attempts": max_attempts}
    if before != after:
        audit.record(
            audit.Action.ASSIGNMENT_CHANGED,
            by=by,
            classroom=assignment.classroom,
            assignment=assignment.scenario_version.title,
            **{f"{key}_was": _plain(value) for key, value in before.items()},
            **{key: _plain(value) for key, value in after.items()},
        )
    return assignment


def _plain(value: datetime | int | None) -> str | int | None:
    """A value as the log's JSON keeps it."""
    return value.isoformat() if isinstance(value, datetime) else value


def check_deletable(assignment: Assignment) -> None:
    """Refuse, with the reason, to delete an assignment someone has started."""
    started = assignment.conversations.values("student").distinct().count()
    if started:
        raise AssignmentStarted(
            ngettext(
                "%(n)s student has already started this assignment, so it cannot be deleted: "
                "the transcripts belong to it. Change its due date to close it instead.",
                "%(n)s students have already started this assignment, so it cannot be deleted: "
                "the transcripts belong to it. Change its due date to close it instead.",
                started,
            )
            % {"n": started}
        )


@transaction.atomic
def delete_assignment(assignment: Assignment, *, by: User) -> None:
    """Withdraw an assignment nobody has started; one with attempts is kept for their records."""
    check_deletable(assignment)
    audit.record(
        audit.Action.ASSIGNMENT_DELETED,
        by=by,
        classroom=assignment.classroom,
        assignment=str(assignment),
    )
    assignment.delete()
