"""Moving an assignment to the newest version of its scenario, only before anyone starts it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from scenarios import services as scenario_services
from simulator import services, versions
from simulator.classrooms import AssignmentStarted
from tests.conftest import SCENARIO_DIR

COAT = (SCENARIO_DIR / "p1-coat-size.zh.yaml").read_text("utf-8")


@pytest.fixture
def newer(assignment):
    """Version 2 of the assignment's scenario, saved after the assignment was made."""
    version, status = scenario_services.store_scenario(
        COAT.replace("title: 大衣选哪个码\n", "title: 大衣选码（第二版）\n")
    )
    assert (status, version.number) == ("updated", 2)
    return version


def test_an_assignment_nobody_started_moves_to_the_newest_version(assignment, newer):
    moved_to = versions.move_assignment_to_newest(assignment)

    assignment.refresh_from_db()
    assert moved_to == newer
    assert assignment.scenario_version == newer


def test_once_a_student_started_the_assignment_stays_on_its_version(assignment, newer, student):
    conversation = services.start_attempt(assignment, student=student)

    with pytest.raises(AssignmentStarted) as refused:
        versions.move_assignment_to_newest(assignment)

    assignment.refresh_from_db()
    assert assignment.scenario_version.number == 1
    conversation.refresh_from_db()
    assert conversation.scenario_version.number == 1
    assert "已有 1 名学生在版本 1 上开始了这个任务" in str(refused.value)


def test_an_assignment_on_the_newest_version_is_told_so(assignment):
    with pytest.raises(versions.AlreadyNewest):
        versions.move_assignment_to_newest(assignment)


def test_the_teacher_moves_it_from_the_scenario_page_and_returns_there(
    client, teacher, assignment, newer
):
    client.force_login(teacher)
    page = reverse("scenarios:scenario", args=[newer.scenario_id])
    html = client.get(page, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    move = reverse("simulator:move_assignment", args=[assignment.pk])
    assert f'action="{move}"' in html
    assert "改用 v2" in html

    response = client.post(move, {"next": f"{page}#versions"}, follow=True)

    assert response.redirect_chain[-1][0] == f"{page}#versions"
    assignment.refresh_from_db()
    assert assignment.scenario_version == newer
    assert "的任务已改用“大衣选码（第二版）”的版本 2。" in response.content.decode()


def test_the_page_offers_no_move_once_started_and_the_post_is_refused_with_the_reason(
    client, teacher, assignment, newer, student
):
    services.start_attempt(assignment, student=student)
    client.force_login(teacher)
    page = reverse("scenarios:scenario", args=[newer.scenario_id])
    move = reverse("simulator:move_assignment", args=[assignment.pk])

    html = client.get(page, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    response = client.post(move, {"next": page}, follow=True, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert f'action="{move}"' not in html
    assert "已有学生开始，保留在原版本。" in html
    assignment.refresh_from_db()
    assert assignment.scenario_version.number == 1
    assert "已有 1 名学生在版本 1 上开始了这个任务" in response.content.decode()


def test_another_teacher_cannot_move_it(client, other_teacher, assignment, newer):
    client.force_login(other_teacher)

    response = client.post(reverse("simulator:move_assignment", args=[assignment.pk]))

    assert response.status_code == 404
    assignment.refresh_from_db()
    assert assignment.scenario_version.number == 1


def test_a_co_teacher_sees_the_class_assignment_on_the_scenario_page(
    client, classroom, assignment, newer
):
    from tests.conftest import make_user

    co_teacher = make_user("co", role="instructor")
    classroom.co_teachers.add(co_teacher)
    client.force_login(co_teacher)

    history = client.get(reverse("scenarios:scenario", args=[newer.scenario_id])).context["history"]

    assert [(use.classroom, use.number) for use in history.uses] == [(classroom.name, 1)]
    assert history.rows[1].uses == history.uses  # listed against version 1


def test_an_outside_redirect_target_is_ignored(client, teacher, assignment, newer):
    client.force_login(teacher)

    response = client.post(
        reverse("simulator:move_assignment", args=[assignment.pk]),
        {"next": "https://evil.example/"},
    )

    assert response["Location"] == reverse("simulator:classroom", args=[assignment.classroom_id])


def test_the_class_page_shows_each_assignments_version_and_offers_the_newer_one(
    client, teacher, classroom, assignment, newer, student
):
    client.force_login(teacher)
    page = reverse("simulator:classroom", args=[classroom.pk])
    move = reverse("simulator:move_assignment", args=[assignment.pk])

    before = client.get(page, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    services.start_attempt(assignment, student=student)
    after = client.get(page, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert '?version=1#versions">v1</a>' in before
    assert "v2 更新" in before
    assert f'action="{move}"' in before
    assert "v2 更新" in after  # still said, but no longer offered once a student started
    assert f'action="{move}"' not in after
