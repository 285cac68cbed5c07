"""Invariants the database keeps for assessments, rubrics and assignments."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from assessment.models import Assessment, MarkOverride, Rubric
from simulator import services as simulator_services
from simulator.models import Assignment, Conversation

RUBRIC_DATA = {"key": "r", "version": 1, "kind": "pre_sale", "pass_mark": 60, "criteria": []}


@pytest.fixture
def conversation(assignment, student):
    return Conversation.objects.create(
        assignment=assignment, student=student, scenario_version=assignment.scenario_version
    )


@pytest.fixture
def rubric(db):
    return Rubric.objects.create(key="r", version=1, kind="pre_sale", data=RUBRIC_DATA)


def assess(conversation, rubric, **fields):
    defaults = {"scorer_version": "t", "report": {}, "total": 50.0, "passed": False}
    return Assessment.objects.create(
        conversation=conversation, rubric=rubric, **{**defaults, **fields}
    )


def test_a_conversation_has_at_most_one_current_assessment(conversation, rubric):
    assess(conversation, rubric)
    assess(conversation, rubric, current=False)  # an old score stays on record
    with pytest.raises(IntegrityError), transaction.atomic():
        assess(conversation, rubric)
    assert conversation.assessments.count() == 2


def test_library_rubric_versions_are_unique_per_key(rubric):
    Rubric.objects.create(key="r", version=2, kind="pre_sale", data=RUBRIC_DATA)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rubric.objects.create(key="r", version=1, kind="pre_sale", data=RUBRIC_DATA)


def test_a_teacher_may_reuse_a_library_key_for_their_own_copy(rubric, teacher):
    Rubric.objects.create(owner=teacher, key="r", version=1, kind="pre_sale", data=RUBRIC_DATA)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rubric.objects.create(owner=teacher, key="r", version=1, kind="pre_sale", data=RUBRIC_DATA)


def test_an_override_without_a_reason_is_refused(conversation, rubric, teacher):
    assessment = assess(conversation, rubric)
    with pytest.raises(IntegrityError), transaction.atomic():
        MarkOverride.objects.create(
            assessment=assessment, criterion="clear", original_score=1, new_score=2, by=teacher
        )


def test_teacher_assigns_an_exam_with_a_pass_mark(teacher, classroom, coat_scenario):
    client = Client()
    client.force_login(teacher)
    url = reverse("simulator:classroom", args=[classroom.pk])
    form = client.get(url).content.decode()
    assert 'name="mode"' in form
    assert 'name="pass_mark"' in form
    client.post(url, {"scenario_version": coat_scenario.pk, "mode": "exam", "pass_mark": "75"})
    assignment = Assignment.objects.get(classroom=classroom)
    assert assignment.is_exam
    assert assignment.pass_mark == 75


def test_assignments_are_practice_unless_said_otherwise(classroom, coat_scenario):
    assignment = simulator_services.assign_scenario(classroom, scenario_version=coat_scenario)
    assert assignment.mode == Assignment.Mode.PRACTICE
    assert assignment.pass_mark is None


def test_the_admin_lists_assessments_read_only(admin_client, conversation, rubric):
    assess(conversation, rubric)
    page = admin_client.get(reverse("admin:assessment_assessment_changelist"))
    assert page.status_code == 200
    assert admin_client.get(reverse("admin:assessment_assessment_add")).status_code == 403
