"""Rubrics as data: a teacher copies, edits (a new version each time) and re-scores with them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from assessment import services
from assessment.models import Assessment, Rubric
from tests.assessment.conftest import COAT_CHAT


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def own(teacher):
    library = services.library_rubric("pre_sale")
    response = client_for(teacher).post(reverse("assessment:rubric_clone", args=[library.pk]))
    rubric = Rubric.objects.get(owner=teacher)
    assert response.url == reverse("assessment:rubric_edit", args=[rubric.pk])
    return rubric


def edit_post(rubric, **changes) -> dict[str, str]:
    """The editor's fields as the page fills them, with `changes` applied."""
    post = {"name": "我的售前标准", "pass_mark": "60", "critical_cap": "40"}
    for item in rubric.data["criteria"]:
        key = item["key"]
        if item["enabled"]:
            post[f"{key}-enabled"] = "on"
        if item["critical"]:
            post[f"{key}-critical"] = "on"
        post[f"{key}-weight"] = str(item["weight"])
        for name, value in item["params"].items():
            post[f"{key}-{name}"] = (
                ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
            )
    post.update(changes)
    return {k: v for k, v in post.items() if v is not None}


def test_a_copy_starts_as_version_one_of_the_teachers_own_key(own):
    assert own.version == 1
    assert own.based_on.is_library
    assert own.data["criteria"] == own.based_on.data["criteria"]
    assert own.key != own.based_on.key


def test_saving_an_edit_stores_the_next_version_and_keeps_the_old(teacher, own):
    response = client_for(teacher).post(
        reverse("assessment:rubric_edit", args=[own.pk]),
        edit_post(
            own,
            **{
                "questions-enabled": None,
                "seven_steps-weight": "40",
                "response_time-first_response_lines": "10, 20, 40",
            },
        ),
    )
    assert response.status_code == 302
    v2 = Rubric.objects.get(owner=teacher, version=2)
    criteria = {c["key"]: c for c in v2.data["criteria"]}
    assert criteria["questions"]["enabled"] is False
    assert criteria["seven_steps"]["weight"] == 40
    assert criteria["response_time"]["params"]["first_response_lines"] == [10, 20, 40]
    assert v2.based_on == own
    own.refresh_from_db()
    assert {c["key"]: c for c in own.data["criteria"]}["questions"]["enabled"] is True


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("seven_steps-weight", "很多", "weight"),
        ("response_time-first_response_lines", "30, 15, 60", "first_response_lines"),
        ("pass_mark", "120", "pass_mark"),
        ("steps", "{not json", "steps"),
    ],
)
def test_a_bad_value_is_named_and_nothing_is_stored(teacher, own, field, value, named):
    response = client_for(teacher).post(
        reverse("assessment:rubric_edit", args=[own.pk]), edit_post(own, **{field: value})
    )
    assert response.status_code == 400
    html = response.content.decode()
    error = html[html.index("data-error") : html.index("</p>", html.index("data-error"))]
    assert named in error
    assert value in html  # the teacher's input is shown again, not lost
    assert Rubric.objects.filter(owner=teacher).count() == 1


def test_the_teachers_newest_rubric_scores_new_chats_in_their_class(
    teacher, own, chat, assignment, student
):
    client_for(teacher).post(
        reverse("assessment:rubric_edit", args=[own.pk]),
        edit_post(own, **{"questions-enabled": None}),
    )
    v2 = Rubric.objects.get(owner=teacher, version=2)

    assessment = chat(assignment, student, COAT_CHAT).assessments.get()

    assert assessment.rubric == v2
    assert "questions" not in {c["key"] for c in assessment.report["criteria"]}


def test_rescoring_a_class_with_a_chosen_rubric_keeps_the_earlier_scores(
    teacher, chat, assignment, student, classmate
):
    first = chat(assignment, student, COAT_CHAT).assessments.get()
    chat(assignment, classmate, COAT_CHAT[:2])
    strict = services.clone_rubric(first.rubric, owner=teacher)
    strict = services.save_rubric_version(strict, data={**strict.data, "pass_mark": 99})

    response = client_for(teacher).post(
        reverse("assessment:rescore", args=[assignment.classroom.pk]), {"rubric": strict.pk}
    )

    assert response.status_code == 302
    assert Assessment.objects.count() == 4
    current = Assessment.objects.filter(current=True)
    assert {a.rubric for a in current} == {strict}
    first.refresh_from_db()
    assert not first.current
    assert first.rubric.is_library


@pytest.mark.parametrize("who", ["student", "other_teacher"])
def test_others_cannot_open_or_edit_a_teachers_rubric(request, own, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("assessment:rubric_edit", args=[own.pk])).status_code == 404
    assert client.post(reverse("assessment:rubric_clone", args=[own.pk])).status_code == 404
    if who == "student":
        assert client.get(reverse("assessment:rubrics")).status_code == 404


def test_another_teacher_cannot_rescore_my_class(other_teacher, own, classroom):
    response = client_for(other_teacher).post(
        reverse("assessment:rescore", args=[classroom.pk]), {"rubric": own.pk}
    )
    assert response.status_code == 404
