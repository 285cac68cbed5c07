"""Managing a class: rename, archive, join code, roster, bulk accounts, co-teachers, assignments."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from simulator import classrooms, services
from simulator.models import Assignment, Classroom, Conversation, Membership, User
from tests.conftest import make_user


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(client: Client, classroom) -> str:
    return client.get(reverse("simulator:classroom", args=[classroom.pk])).content.decode()


# ------------------------------------------------------------------ rename and archive


def test_a_teacher_renames_the_class(teacher, classroom):
    response = client_for(teacher).post(
        reverse("simulator:rename_classroom", args=[classroom.pk]), {"name": "  电商 2401班  "}
    )
    assert response.status_code == 302
    classroom.refresh_from_db()
    assert classroom.name == "电商 2401班"


def test_an_empty_name_is_refused_and_changes_nothing(teacher, classroom):
    response = client_for(teacher).post(
        reverse("simulator:rename_classroom", args=[classroom.pk]), {"name": ""}
    )
    assert response.status_code == 200
    assert 'id="rename-form"' in response.content.decode()
    classroom.refresh_from_db()
    assert classroom.name == "电商2401班"


def test_archiving_moves_the_class_to_the_archived_section_and_back(teacher, classroom):
    client = client_for(teacher)
    url = reverse("simulator:classroom", args=[classroom.pk])
    client.post(reverse("simulator:archive_classroom", args=[classroom.pk]))
    client.get(reverse("simulator:home"))  # the page that shows the flash message
    home = client.get(reverse("simulator:home")).content.decode()
    current, _, archived = home.partition('id="archived-classes"')
    assert url not in current
    assert f'data-archived="{classroom.pk}"' in archived

    client.post(reverse("simulator:restore_classroom", args=[classroom.pk]))
    home = client.get(reverse("simulator:home")).content.decode()
    assert 'id="archived-classes"' not in home
    assert url in home.split('class="card-grid"')[1]


def test_students_of_an_archived_class_read_transcripts_but_cannot_start(
    teacher, classroom, assignment, student
):
    first = services.start_attempt(assignment, student=student)
    services.end_conversation(first, reason=Conversation.EndReason.STUDENT)
    classrooms.archive_classroom(classroom, by=classroom.instructor)
    client = client_for(student)

    response = client.post(reverse("simulator:start_attempt", args=[assignment.pk]), follow=True)
    assert Conversation.objects.filter(student=student).count() == 1
    assert "归档" in response.content.decode()  # the refusal says why, in Chinese by default
    home = client.get(reverse("simulator:home")).content.decode()
    assert 'data-role="archived"' in home
    assert reverse("simulator:start_attempt", args=[assignment.pk]) not in home
    transcript = client.get(reverse("assessment:transcript", args=[first.pk]))
    assert transcript.status_code == 200


def test_an_archived_class_takes_no_new_students(classroom):
    classrooms.archive_classroom(classroom, by=classroom.instructor)
    newcomer = make_user("student09")
    response = client_for(newcomer).post(
        reverse("simulator:join_classroom"), {"code": classroom.join_code}, follow=True
    )
    assert not Membership.objects.filter(student=newcomer).exists()
    assert "不再接收新学生" in response.content.decode()


# ------------------------------------------------------------------ join code


def test_a_new_join_code_asks_first_then_the_old_code_stops_working(teacher, classroom):
    client = client_for(teacher)
    url = reverse("simulator:new_join_code", args=[classroom.pk])
    old = classroom.join_code

    asked = client.post(url)
    assert asked.status_code == 200
    assert 'data-role="confirm"' in asked.content.decode()
    classroom.refresh_from_db()
    assert classroom.join_code == old

    client.post(url, {"confirm": "yes"})
    classroom.refresh_from_db()
    assert classroom.join_code != old
    assert len(classroom.join_code) == 6

    late = make_user("student08")
    with pytest.raises(services.UnknownJoinCode):
        services.join_classroom(late, code=old)
    services.join_classroom(late, code=classroom.join_code)
    assert Membership.objects.filter(classroom=classroom, student=late).exists()


# ------------------------------------------------------------------ removing a student


def test_removing_a_student_asks_first_keeps_transcripts_and_hides_the_assignments(
    teacher, classroom, assignment, student
):
    conversation = services.start_attempt(assignment, student=student)
    client = client_for(teacher)
    url = reverse("simulator:remove_student", args=[classroom.pk, student.pk])

    assert 'data-role="confirm"' in client.post(url).content.decode()
    assert Membership.objects.filter(classroom=classroom, student=student).exists()

    client.post(url, {"confirm": "yes"})
    assert not Membership.objects.filter(classroom=classroom, student=student).exists()
    assert Conversation.objects.filter(pk=conversation.pk).exists()
    html = page(client, classroom)
    former = html.split('id="former-students"')[1]
    assert reverse("assessment:transcript", args=[conversation.pk]) in former
    assert client.get(reverse("assessment:transcript", args=[conversation.pk])).status_code == 200
    student_home = client_for(student).get(reverse("simulator:home")).content.decode()
    assert assignment.scenario_version.title not in student_home


def test_a_student_of_another_class_cannot_be_removed_here(teacher, classroom, outsider):
    response = client_for(teacher).post(
        reverse("simulator:remove_student", args=[classroom.pk, outsider.pk]), {"confirm": "yes"}
    )
    assert response.status_code == 404
    assert Membership.objects.filter(student=outsider).exists()


# ------------------------------------------------------------------ bulk accounts


def add(client, classroom, **data):
    return client.post(reverse("simulator:add_students", args=[classroom.pk]), data)


def test_pasted_names_become_accounts_shown_once_as_login_slips(teacher, classroom):
    client = client_for(teacher)
    response = add(client, classroom, names="王小明\n\n李华\n  陈 思雨 \n")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    slips = response.context["logins"]
    assert [login.name for login in slips] == ["王小明", "李华", "陈 思雨"]
    for login in slips:
        user = User.objects.get(username=login.username)
        assert user.check_password(login.password)
        assert user.role == User.Role.STUDENT
        assert user.display_name == login.name
        assert Membership.objects.filter(classroom=classroom, student=user).exists()
        assert login.username in html
        assert login.password in html
        assert len(login.password.replace("-", "")) >= 8
        assert not set(login.password) & set("0o1liI")
    assert len({login.username for login in slips}) == 3
    assert classroom.name in html
    assert "http://testserver/login/" in html
    assert 'class="slip"' in html
    # The passwords are not stored anywhere readable: a second look shows no slips.
    assert slips[0].password not in page(client, classroom)


def test_a_second_import_numbers_on_and_refuses_names_already_in_the_class(teacher, classroom):
    client = client_for(teacher)
    first = add(client, classroom, names="王小明").context["logins"][0]
    refused = add(client, classroom, names="李华\n王小明")
    assert refused.status_code == 400
    assert "第 2 行" in refused.content.decode() or "Line 2" in refused.content.decode()
    assert not User.objects.filter(first_name="李华").exists()  # nothing created
    second = add(client, classroom, names="李华").context["logins"][0]
    assert first.username == f"c{classroom.pk}s01"
    assert second.username == f"c{classroom.pk}s02"


@pytest.mark.parametrize(
    ("names", "line"),
    [
        ("王小明\n王小明", 2),  # duplicate
        ("王小明\n12345", 2),  # not a name
        ("王小明\n" + "长" * 41, 2),  # too long
    ],
)
def test_a_bad_row_names_its_line_and_creates_nothing(teacher, classroom, names, line):
    response = add(
        client_for(teacher),
        classroom,
        names=names,
    )
    assert response.status_code == 400
    errors = response.context["add_students_form"].non_field_errors()
    assert any(f"第 {line} 行" in str(error) for error in errors), errors
    assert User.objects.filter(role=User.Role.STUDENT).count() == 0


def test_an_empty_name_in_a_csv_row_names_its_line(teacher, classroom):
    upload = SimpleUploadedFile("roster.csv", "学号,姓名\n2401,王小明\n2402,\n".encode())
    response = add(client_for(teacher), classroom, file=upload)
    assert response.status_code == 400
    errors = [str(e) for e in response.context["add_students_form"].non_field_errors()]
    assert any("第 3 行" in e and "空" in e for e in errors), errors


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "utf-16"])
def test_a_csv_of_names_is_read_in_the_encodings_excel_saves(teacher, classroom, encoding):
    text = "学号,姓名,备注\r\n2401,王小明,班长\r\n2402,欧阳娜娜,\r\n"
    upload = SimpleUploadedFile("名单.csv", text.encode(encoding))
    response = add(client_for(teacher), classroom, file=upload)
    assert response.status_code == 200, response.content.decode()[:2000]
    assert [login.name for login in response.context["logins"]] == ["王小明", "欧阳娜娜"]


def test_a_file_in_no_known_encoding_is_refused(teacher, classroom):
    upload = SimpleUploadedFile("roster.csv", b"\xff\xff\x81\x30\xfe")
    response = add(client_for(teacher), classroom, file=upload)
    assert response.status_code == 400
    assert User.objects.filter(role=User.Role.STUDENT).count() == 0


def test_roster_names_reads_a_header_column_and_tabs_from_a_spreadsheet_paste():
    assert classrooms.roster_names("序号\t姓名\n1\t王小明\n2\tLi Hua\n") == [
        (2, "王小明"),
        (3, "Li Hua"),
    ]
    assert classrooms.roster_names("张三、李四，王五\n\nAmy Chen; Ben Li", pasted=True) == [
        (1, "张三"),
        (1, "李四"),
        (1, "王五"),
        (3, "Amy Chen"),
        (3, "Ben Li"),
    ]
    # In a CSV file a comma separates columns: the names are in the first (or titled) one.
    assert classrooms.roster_names("张三,2401\n李四,2402") == [(1, "张三"), (2, "李四")]
    with pytest.raises(classrooms.RosterError) as refused:
        classrooms.roster_names("\n\n")
    assert refused.value.problems


def test_a_lost_password_is_replaced_after_a_confirm_and_shown_once(teacher, classroom, student):
    client = client_for(teacher)
    url = reverse("simulator:reset_password", args=[classroom.pk, student.pk])
    assert 'data-role="confirm"' in client.post(url).content.decode()
    student.refresh_from_db()
    assert student.check_password("pw-student01")

    response = client.post(url, {"confirm": "yes"})
    assert response["Cache-Control"] == "no-store"
    (login,) = response.context["logins"]
    student.refresh_from_db()
    assert login.username == student.username
    assert student.check_password(login.password)
    assert not student.check_password("pw-student01")


def test_only_a_student_of_the_class_gets_a_new_password(teacher, classroom, outsider):
    response = client_for(teacher).post(
        reverse("simulator:reset_password", args=[classroom.pk, outsider.pk]), {"confirm": "yes"}
    )
    assert response.status_code == 404
    outsider.refresh_from_db()
    assert outsider.check_password("pw-student99")


# ------------------------------------------------------------------ co-teachers


def test_a_shared_class_is_taught_by_the_co_teacher_everywhere(
    teacher, other_teacher, classroom, assignment, student
):
    conversation = services.start_attempt(assignment, student=student)
    co = client_for(other_teacher)
    assert co.get(reverse("simulator:classroom", args=[classroom.pk])).status_code == 404

    client_for(teacher).post(
        reverse("simulator:add_co_teacher", args=[classroom.pk]), {"username": "TEACHER2"}
    )
    assert list(classroom.co_teachers.all()) == [other_teacher]
    assert co.get(reverse("simulator:classroom", args=[classroom.pk])).status_code == 200
    assert co.get(reverse("assessment:gradebook", args=[classroom.pk])).status_code == 200
    assert co.get(reverse("assessment:transcript", args=[conversation.pk])).status_code == 200
    co_home = co.get(reverse("simulator:home")).content.decode()
    assert classroom.name in co_home
    assert 'data-role="shared-by"' in co_home  # whose class it is
    assert 'data-role="shared-by"' not in client_for(teacher).get("/").content.decode()
    # A co-teacher manages the class (here: renames it) but does not share it further.
    co.post(reverse("simulator:rename_classroom", args=[classroom.pk]), {"name": "合上班"})
    classroom.refresh_from_db()
    assert classroom.name == "合上班"
    third = make_user("teacher3", role="instructor")
    co.post(reverse("simulator:add_co_teacher", args=[classroom.pk]), {"username": "teacher3"})
    assert third not in classroom.co_teachers.all()

    client_for(teacher).post(
        reverse("simulator:remove_co_teacher", args=[classroom.pk, other_teacher.pk])
    )
    assert co.get(reverse("simulator:classroom", args=[classroom.pk])).status_code == 404
    assert co.get(reverse("assessment:transcript", args=[conversation.pk])).status_code == 404


def test_only_a_teacher_can_be_a_co_teacher(teacher, classroom, student):
    response = client_for(teacher).post(
        reverse("simulator:add_co_teacher", args=[classroom.pk]),
        {"username": student.username},
        follow=True,
    )
    assert classroom.co_teachers.count() == 0
    assert student.username in response.content.decode()  # "no teacher has the username …"


def test_a_co_teacher_may_leave_a_class(teacher, other_teacher, classroom):
    classroom.co_teachers.add(other_teacher)
    response = client_for(other_teacher).post(
        reverse("simulator:remove_co_teacher", args=[classroom.pk, other_teacher.pk])
    )
    assert response.status_code == 302
    assert classroom.co_teachers.count() == 0


# ------------------------------------------------------------------ assignments


def assign(client, classroom, version, **extra):
    return client.post(
        reverse("simulator:classroom", args=[classroom.pk]),
        {"scenario_version": version.pk, "mode": "practice", **extra},
    )


def test_assigning_the_same_scenario_twice_asks_before_it_is_done(
    teacher, classroom, assignment, coat_scenario
):
    client = client_for(teacher)
    asked = assign(client, classroom, coat_scenario)
    assert asked.status_code == 200
    assert 'data-role="duplicate-warning"' in asked.content.decode()
    assert Assignment.objects.filter(classroom=classroom).count() == 1

    done = assign(client, classroom, coat_scenario, confirm_duplicate="on")
    assert done.status_code == 302
    assert Assignment.objects.filter(classroom=classroom).count() == 2


def test_editing_an_assignment_changes_its_due_date_and_attempts(teacher, assignment):
    due = (timezone.localtime() + timedelta(days=3)).replace(second=0, microsecond=0)
    client = client_for(teacher)
    url = reverse("simulator:edit_assignment", args=[assignment.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"due_at": due.strftime("%Y-%m-%dT%H:%M"), "max_attempts": "2"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.due_at == due
    assert assignment.max_attempts == 2


def test_attempts_cannot_drop_below_what_a_student_already_used(teacher, assignment, student):
    for _ in range(2):
        attempt = services.start_attempt(assignment, student=student)
        services.end_conversation(attempt, reason=Conversation.EndReason.STUDENT)
    response = client_for(teacher).post(
        reverse("simulator:edit_assignment", args=[assignment.pk]), {"max_attempts": "1"}
    )
    assert response.status_code == 200
    assert "2" in str(response.context["form"].errors["max_attempts"])
    assignment.refresh_from_db()
    assert assignment.max_attempts is None


def test_a_past_due_date_is_refused_unless_it_is_left_as_it_was(teacher, assignment):
    url = reverse("simulator:edit_assignment", args=[assignment.pk])
    past = timezone.localtime() - timedelta(days=1)
    response = client_for(teacher).post(url, {"due_at": past.strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 200
    assert response.context["form"].errors["due_at"]
    Assignment.objects.filter(pk=assignment.pk).update(due_at=past.replace(second=0, microsecond=0))
    response = client_for(teacher).post(
        url, {"due_at": past.strftime("%Y-%m-%dT%H:%M"), "max_attempts": "3"}
    )
    assert response.status_code == 302


def test_an_assignment_nobody_started_is_deleted_after_a_confirm(teacher, assignment):
    client = client_for(teacher)
    url = reverse("simulator:delete_assignment", args=[assignment.pk])
    assert 'data-role="confirm"' in client.post(url).content.decode()
    assert Assignment.objects.filter(pk=assignment.pk).exists()
    client.post(url, {"confirm": "yes"})
    assert not Assignment.objects.filter(pk=assignment.pk).exists()


def test_an_assignment_someone_started_is_not_deleted(teacher, assignment, student):
    services.start_attempt(assignment, student=student)
    response = client_for(teacher).post(
        reverse("simulator:delete_assignment", args=[assignment.pk]),
        {"confirm": "yes"},
        follow=True,
    )
    assert Assignment.objects.filter(pk=assignment.pk).exists()
    assert "1 名学生已开始" in response.content.decode() or "1 student has" in (
        response.content.decode()
    )


def test_another_teacher_cannot_touch_the_class(other_teacher, classroom, assignment):
    client = client_for(other_teacher)
    for name, args in [
        ("simulator:rename_classroom", [classroom.pk]),
        ("simulator:archive_classroom", [classroom.pk]),
        ("simulator:new_join_code", [classroom.pk]),
        ("simulator:add_students", [classroom.pk]),
        ("simulator:delete_assignment", [assignment.pk]),
    ]:
        response = client.post(reverse(name, args=args), {"confirm": "yes", "name": "x"})
        assert response.status_code == 404, name
    fresh = Classroom.objects.get(pk=classroom.pk)
    assert (fresh.name, fresh.join_code, fresh.archived_at) == (
        classroom.name,
        classroom.join_code,
        None,
    )
    assert Assignment.objects.filter(pk=assignment.pk).exists()


# ------------------------------------------------------------------ English is complete

CJK = __import__("re").compile(r"[\u4e00-\u9fff]")


def test_the_classroom_pages_are_all_english_in_english(
    teacher, other_teacher, assignment, student
):
    from simulator.models import Classroom

    classroom = Classroom.objects.get(pk=assignment.classroom_id)
    classrooms.rename_classroom(classroom, name="Class 2401", by=classroom.instructor)
    student.first_name = "Amy"
    student.save()
    classroom.co_teachers.add(other_teacher)
    client = client_for(teacher)
    client.post(reverse("simulator:set_language"), {"language": "en", "next": "/"})
    # The scenario's own title is Chinese content; the help text names the 姓名 column on purpose.
    title = assignment.scenario_version.title
    pages = {
        "classroom": client.get(reverse("simulator:classroom", args=[classroom.pk])),
        "duplicate": assign(client, classroom, assignment.scenario_version),
        "slips": add(client, classroom, names="Ben Lee\nCara Wu"),
        "roster error": add(client, classroom, names="Dan\nDan"),
        "edit": client.get(reverse("simulator:edit_assignment", args=[assignment.pk])),
        "confirm": client.post(reverse("simulator:new_join_code", args=[classroom.pk])),
    }
    for name, response in pages.items():
        html = response.content.decode().replace(title, "").replace("姓名", "")
        html = html.replace("简体中文", "")
        assert not CJK.search(html), (name, CJK.findall(html)[:10])
    assert "Line 2" in pages["roster error"].content.decode()
