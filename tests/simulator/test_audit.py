"""The class's audit log: every account, roster, sharing, assignment and mark change, with who."""

from __future__ import annotations

import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from assessment import services as assessment_services
from simulator import audit, classrooms, services
from simulator.models import AuditEvent
from tests.assessment import conftest as assessment_fixtures
from tests.assessment.conftest import COAT_CHAT
from tests.conftest import make_user

CJK = re.compile(r"[\u4e00-\u9fff]")
chat = assessment_fixtures.chat  # the fixture that plays and ends a chat through the services


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def only_event() -> AuditEvent:
    (event,) = AuditEvent.objects.all()
    return event


CHANGES = {
    "rename": lambda c, s, t: classrooms.rename_classroom(c, name="电商2401班(下)", by=t),
    "archive": lambda c, s, t: classrooms.archive_classroom(c, by=t),
    "join_code": lambda c, s, t: classrooms.regenerate_join_code(c, by=t),
    "remove": lambda c, s, t: classrooms.remove_student(c, student=s, by=t),
    "password": lambda c, s, t: classrooms.reset_password(s, classroom=c, by=t),
    "unlock": lambda c, s, t: services.unlock_sign_in(s, classroom=c, by=t),
    "enrol": lambda c, s, t: classrooms.enrol_students(c, names=[(1, "王小明")], by=t),
    "share": lambda c, s, t: classrooms.add_co_teacher(c, username="teacher5", by=t),
}
EXPECTED = {
    "rename": (AuditEvent.Action.CLASSROOM_RENAMED, False),
    "archive": (AuditEvent.Action.CLASSROOM_ARCHIVED, False),
    "join_code": (AuditEvent.Action.JOIN_CODE_CHANGED, False),
    "remove": (AuditEvent.Action.STUDENT_REMOVED, True),
    "password": (AuditEvent.Action.PASSWORD_RESET, True),
    "unlock": (AuditEvent.Action.SIGN_IN_UNLOCKED, True),
    "enrol": (AuditEvent.Action.STUDENTS_ADDED, False),
    "share": (AuditEvent.Action.CO_TEACHER_ADDED, False),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_each_change_to_a_class_is_logged_once_with_who_and_whom(
    change, classroom, student, teacher
):
    make_user("teacher5", role="instructor")
    CHANGES[change](classroom, student, teacher)

    event = only_event()
    action, about_student = EXPECTED[change]
    assert (event.action, event.actor, event.classroom) == (action, teacher, classroom)
    assert event.subject == (student if about_student else None)
    if about_student:
        assert event.details["student"] == student.display_name


def test_the_log_keeps_the_old_and_new_values(classroom, teacher):
    classrooms.rename_classroom(classroom, name="电商2401班(下)", by=teacher)
    event = only_event()
    assert event.details == {"old": "电商2401班", "new": "电商2401班(下)"}
    assert audit.describe(event) == "“电商2401班” → “电商2401班(下)”"


def test_a_refused_change_logs_nothing(classroom, teacher):
    with pytest.raises(classrooms.ClassroomError):
        classrooms.add_co_teacher(classroom, username="nobody", by=teacher)
    assert not AuditEvent.objects.exists()


def test_a_change_rolled_back_takes_its_log_row_with_it(classroom, teacher):
    with transaction.atomic():
        classrooms.archive_classroom(classroom, by=teacher)
        transaction.set_rollback(True)
    assert not AuditEvent.objects.exists()


def test_archiving_twice_logs_once(classroom, teacher):
    classrooms.archive_classroom(classroom, by=teacher)
    classrooms.archive_classroom(classroom, by=teacher)
    assert AuditEvent.objects.count() == 1


def test_record_refuses_to_run_outside_a_transaction(transactional_db, classroom, teacher):
    with pytest.raises(RuntimeError):
        audit.record(AuditEvent.Action.CLASSROOM_ARCHIVED, by=teacher, classroom=classroom)


def test_an_assignment_change_logs_before_and_after(assignment, teacher):
    classrooms.update_assignment(assignment, due_at=None, max_attempts=3, by=teacher)
    event = only_event()
    assert event.action == AuditEvent.Action.ASSIGNMENT_CHANGED
    assert (event.details["max_attempts_was"], event.details["max_attempts"]) == (
        assignment.max_attempts if assignment.max_attempts != 3 else None,
        3,
    )
    # Saving the same terms again changes nothing and logs nothing.
    classrooms.update_assignment(assignment, due_at=None, max_attempts=3, by=teacher)
    assert AuditEvent.objects.count() == 1


def test_a_mark_override_is_logged_against_the_students_class(chat, assignment, student, teacher):
    assessment = chat(assignment, student, COAT_CHAT).assessments.get()
    item = next(c for c in assessment.report["criteria"] if c["applicable"])
    assessment_services.override_mark(
        assessment, criterion=item["key"], new_score=0, reason="复核后扣分", by=teacher
    )
    event = only_event()
    assert (event.action, event.classroom, event.subject) == (
        AuditEvent.Action.MARK_OVERRIDDEN,
        assignment.classroom,
        student,
    )
    assert event.details["reason"] == "复核后扣分"
    assert event.details["new"] == 0


def test_the_activity_page_lists_the_class_events_newest_first(classroom, student, teacher):
    classrooms.rename_classroom(classroom, name="电商2401班(下)", by=teacher)
    classrooms.reset_password(student, classroom=classroom, by=teacher)

    html = client_for(teacher).get(reverse("simulator:classroom_activity", args=[classroom.pk]))
    text = html.content.decode()
    assert text.index('data-action="account.password_reset"') < text.index(
        'data-action="classroom.renamed"'
    )
    assert student.display_name in text
    assert "重置了学生的密码" in text


def test_the_activity_page_shows_only_this_classes_events(
    classroom, other_classroom, teacher, other_teacher
):
    classrooms.rename_classroom(other_classroom, name="别的班", by=other_teacher)
    html = client_for(teacher).get(reverse("simulator:classroom_activity", args=[classroom.pk]))
    assert "别的班" not in html.content.decode()
    assert 'data-action="' not in html.content.decode()


def test_the_activity_page_in_english_has_no_chinese_but_user_content(classroom, teacher):
    classrooms.archive_classroom(classroom, by=teacher)
    teacher.language = "en"
    teacher.save(update_fields=["language"])
    html = client_for(teacher).get(reverse("simulator:classroom_activity", args=[classroom.pk]))
    text = html.content.decode().replace(classroom.name, "").replace("简体中文", "")
    assert "archived the class" in text
    assert not CJK.search(text), CJK.findall(text)
