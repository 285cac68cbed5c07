"""The rush drill's pages: the teacher sets it up, watches and stops it; students join it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from simulator import drills, runtime
from simulator.models import Conversation, Drill, DrillArrival
from tests.conftest import load_version


@pytest.fixture
def pool(db):
    return [load_version("p1-coat-size.zh.yaml"), load_version("a1-wrong-colour.zh.yaml")]


def running(classroom, teacher, pool, student, n=2):
    drill = drills.start_drill(
        classroom, by=teacher, versions=pool, duration=600, cap=3, intensity=1, seed=3
    )
    rows = list(DrillArrival.objects.filter(drill=drill, student=student).order_by("number"))
    for index, row in enumerate(rows):
        row.due_at = timezone.now() - timedelta(seconds=1) if index < n else drill.ends_at
        row.save(update_fields=["due_at"])
    drills.reset()
    runtime.run_due()
    return drill


def test_the_teacher_sets_up_a_drill_with_the_classes_scenarios_and_starts_it(
    client, teacher, classroom, student, assignment, pool
):
    client.force_login(teacher)
    page = client.get(reverse("simulator:classroom", args=[classroom.pk]))
    assert "双十一大促演练" in page.text
    form = client.get(reverse("simulator:start_drill", args=[classroom.pk]))
    # The class's own scenario is ticked by default.
    chosen = form.context["form"].initial["scenarios"]
    assert chosen == [assignment.scenario_version.pk]

    response = client.post(
        reverse("simulator:start_drill", args=[classroom.pk]),
        {"minutes": "10", "cap": "5", "scenarios": [v.pk for v in pool]},
    )
    drill = Drill.objects.get()
    assert response.url == reverse("simulator:drill", args=[drill.pk])
    assert (drill.duration, drill.cap, drill.started_by) == (600, 5, teacher)
    assert set(drill.scenario_versions.all()) == set(pool)
    board = client.get(response.url)
    assert board.status_code == 200
    assert "student01" in board.text


def test_a_start_without_scenarios_says_why_and_starts_nothing(client, teacher, classroom, student):
    client.force_login(teacher)
    response = client.post(
        reverse("simulator:start_drill", args=[classroom.pk]), {"minutes": "30", "cap": "3"}
    )
    assert response.status_code == 200
    assert "请至少为演练选择一个情景" in response.text
    assert not Drill.objects.exists()
    bad = client.post(
        reverse("simulator:start_drill", args=[classroom.pk]),
        {"minutes": "7", "cap": "4", "scenarios": ["x"]},
    )
    assert bad.status_code == 200
    assert not Drill.objects.exists()


def test_the_student_home_leads_with_the_running_drill(client, teacher, classroom, student, pool):
    drill = running(classroom, teacher, pool, student)
    client.force_login(student)
    home = client.get(reverse("simulator:home"))
    assert 'data-role="drill-call"' in home.text
    assert reverse("simulator:drill_workspace", args=[drill.pk]) in home.text
    drills.stop_drill(drill, by=teacher)
    assert 'data-role="drill-call"' not in client.get(reverse("simulator:home")).text


def test_the_drill_workspace_has_a_tab_per_open_chat_and_its_state(
    client, teacher, classroom, student, classmate, pool
):
    drill = running(classroom, teacher, pool, student, n=2)
    client.force_login(student)
    page = client.get(reverse("simulator:drill_workspace", args=[drill.pk]))
    assert page.status_code == 200
    chats = list(Conversation.objects.filter(drill=drill, student=student))
    assert len(chats) == 2
    for chat in chats:
        assert f'data-drill-chat="{chat.pk}"' in page.text
    state = client.get(reverse("simulator:drill_state", args=[drill.pk])).json()
    assert sorted(state["active"]) == sorted(c.pk for c in chats)
    assert state["queued"] == 0
    assert state["state"] == "running"
    one = client.get(reverse("simulator:drill_chat", args=[drill.pk, chats[0].pk]))
    assert f'data-conversation="{chats[0].pk}"' in one.text
    # A classmate sees their own drill, never this student's chats.
    client.force_login(classmate)
    assert (
        client.get(reverse("simulator:drill_chat", args=[drill.pk, chats[0].pk])).status_code == 404
    )
    assert client.get(reverse("simulator:drill_state", args=[drill.pk])).json()["active"] == []


def test_the_board_polls_until_the_drill_ends_and_stop_leads_to_the_summary(
    client, teacher, classroom, student, pool, django_capture_on_commit_callbacks
):
    drill = running(classroom, teacher, pool, student, n=2)
    client.force_login(teacher)
    board = client.get(reverse("simulator:drill_board", args=[drill.pk]))
    assert board.status_code == 200
    assert 'data-field="active">2' in board.text
    with django_capture_on_commit_callbacks(execute=True):
        stopped = client.post(reverse("simulator:stop_drill", args=[drill.pk]))
    assert stopped.url == reverse("assessment:drill_summary", args=[drill.pk])
    assert client.get(reverse("simulator:drill_board", args=[drill.pk])).status_code == 286
    summary = client.get(stopped.url)
    assert summary.status_code == 200
    (row,) = summary.context["rows"]
    assert len(row.chats) == 2
    assert row.unanswered == 2  # nobody answered either customer
    assert all(chat.total is not None for chat in row.chats)  # scored like any chat
    csv = client.get(reverse("assessment:drill_summary_csv", args=[drill.pk]))
    assert csv.content.startswith(b"\xef\xbb\xbf")
    assert "student01" in csv.content.decode("utf-8-sig")


def test_after_the_drill_the_student_finds_each_chat_on_their_home(
    client, teacher, classroom, student, classmate, pool, django_capture_on_commit_callbacks
):
    drill = running(classroom, teacher, pool, student, n=2)
    with django_capture_on_commit_callbacks(execute=True):
        drills.stop_drill(drill, by=teacher)
    client.force_login(student)
    home = client.get(reverse("simulator:home"))
    chats = list(Conversation.objects.filter(drill=drill, student=student))
    assert 'data-role="past-drills"' in home.text
    for chat in chats:
        assert reverse("assessment:transcript", args=[chat.pk]) in home.text
    assert home.text.count("data-score") >= 2  # practice reports: scored and shown at once
    client.force_login(classmate)
    other = client.get(reverse("simulator:home"))
    assert all(reverse("assessment:transcript", args=[c.pk]) not in other.text for c in chats)
