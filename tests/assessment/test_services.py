"""Scoring conversations when they end, at start-up, and reviewing the scores."""

from __future__ import annotations

import pytest

from assessment import receivers, services
from assessment.models import Assessment, MarkOverride, Rubric
from simulator import runtime
from simulator import services as simulator_services
from simulator.models import Assignment, Conversation
from tests.assessment.conftest import COAT_CHAT


def test_ending_a_chat_scores_it(chat, assignment, student):
    conversation = chat(assignment, student, COAT_CHAT)

    assessment = Assessment.objects.get(conversation=conversation)
    assert assessment.current
    assert 0 <= assessment.total <= 100
    assert assessment.total == assessment.report["total"]
    assert {c["key"] for c in assessment.report["criteria"]} >= {"response_time", "seven_steps"}
    assert assessment.rubric.is_library
    assert assessment.rubric.kind == "pre_sale"
    assert assessment.scorer_version == assessment.report["scorer_version"]


def test_a_live_chat_is_not_scored(chat, assignment, student):
    conversation = chat(assignment, student, COAT_CHAT[:2], end=False)

    assert not Assessment.objects.filter(conversation=conversation).exists()
    with pytest.raises(services.NotEnded):
        services.assess_conversation(conversation.pk)


def test_a_scoring_failure_does_not_stop_the_chat_ending(chat, assignment, student, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("scorer down")

    monkeypatch.setattr(services, "score", broken)
    conversation = chat(assignment, student, COAT_CHAT)

    assert conversation.status == Conversation.Status.ENDED
    assert not Assessment.objects.filter(conversation=conversation).exists()


def test_the_start_up_sweep_scores_ended_conversations_without_a_score(
    chat, assignment, student, monkeypatch
):
    monkeypatch.setattr(services, "score", lambda *a, **k: 1 / 0)
    unscored = chat(assignment, student, COAT_CHAT)
    monkeypatch.undo()
    live = chat(assignment, student, COAT_CHAT[:2], end=False)
    assert not Assessment.objects.filter(conversation=unscored).exists()

    assert receivers.sweep_on_start in runtime._start_callbacks
    runtime.run_start_callbacks()

    assert Assessment.objects.filter(conversation=unscored, current=True).count() == 1
    assert not Assessment.objects.filter(conversation=live).exists()
    assert services.sweep_unscored() == 0  # nothing left to do the second time


def test_scoring_twice_keeps_one_current_row(chat, assignment, student):
    conversation = chat(assignment, student, COAT_CHAT)
    first = Assessment.objects.get(conversation=conversation)

    again = services.assess_conversation(conversation.pk)

    assert again.pk == first.pk
    assert conversation.assessments.count() == 1


def test_rescoring_with_another_rubric_keeps_the_old_score(chat, assignment, student, teacher):
    conversation = chat(assignment, student, COAT_CHAT)
    first = Assessment.objects.get(conversation=conversation)
    data = {**first.rubric.data, "key": "strict", "version": 1, "pass_mark": 95}
    strict = Rubric.objects.create(
        owner=teacher, key="strict", version=1, kind="pre_sale", data=data
    )

    second = services.assess_conversation(conversation.pk, rubric=strict)

    first.refresh_from_db()
    assert not first.current
    assert second.current
    assert second.rubric == strict
    assert conversation.assessments.count() == 2


def test_practice_reports_are_released_at_once_and_exam_reports_are_not(
    chat, classroom, coat_scenario, student
):
    practice = simulator_services.assign_scenario(classroom, scenario_version=coat_scenario)
    exam = simulator_services.assign_scenario(
        classroom, scenario_version=coat_scenario, mode=Assignment.Mode.EXAM
    )

    practised = chat(practice, student, COAT_CHAT).assessments.get()
    examined = chat(exam, student, COAT_CHAT).assessments.get()

    assert practised.is_released
    assert not examined.is_released
    services.release_report(examined)
    assert examined.is_released


def test_the_assignments_pass_mark_decides_passing(chat, classroom, coat_scenario, student):
    impossible = simulator_services.assign_scenario(
        classroom, scenario_version=coat_scenario, pass_mark=100
    )
    assessment = chat(impossible, student, COAT_CHAT).assessments.get()
    assert assessment.total < 100
    assert not assessment.passed


# ------------------------------------------------------------------ overrides


@pytest.fixture
def scored(chat, assignment, student):
    return chat(assignment, student, COAT_CHAT).assessments.get()


def applicable(assessment):
    return [c for c in assessment.report["criteria"] if c["applicable"]]


def test_an_override_keeps_the_original_and_recomputes_the_total(scored, teacher):
    item = min(applicable(scored), key=lambda c: c["score"] - c["max"])
    lost = item["max"] - item["score"]
    assert lost > 0, "the chat should have lost marks somewhere"
    possible = sum(c["max"] for c in applicable(scored))
    before = scored.total

    services.override_mark(
        scored, criterion=item["key"], new_score=item["max"], reason="答得好", by=teacher
    )

    scored.refresh_from_db()
    row = MarkOverride.objects.get(assessment=scored)
    assert (row.original_score, row.new_score, row.by) == (item["score"], item["max"], teacher)
    # The report stays as the scorer made it; the total follows the marks.
    assert next(c for c in scored.report["criteria"] if c["key"] == item["key"]) == item
    assert scored.total == pytest.approx(before + 100 * lost / possible, abs=0.1)


def test_the_latest_override_of_a_criterion_counts_and_all_stay_on_record(scored, teacher):
    item = applicable(scored)[0]
    services.override_mark(scored, criterion=item["key"], new_score=0, reason="一", by=teacher)
    services.override_mark(
        scored, criterion=item["key"], new_score=item["max"], reason="二", by=teacher
    )

    assert services.latest_overrides(scored) == {item["key"]: item["max"]}
    assert scored.overrides.count() == 2
    # The activity log says what each change changed: the second starts from the first's mark.
    from simulator.models import AuditEvent

    logged = AuditEvent.objects.filter(action=AuditEvent.Action.MARK_OVERRIDDEN).order_by("pk")
    assert [(e.details["old"], e.details["new"]) for e in logged] == [
        (item["score"], 0),
        (0, item["max"]),
    ]


@pytest.mark.parametrize(
    ("reason", "mark", "error"),
    [("  ", 1, services.ReasonRequired), ("ok", -1, services.MarkOutOfRange)],
)
def test_an_override_needs_a_reason_and_a_mark_in_range(scored, teacher, reason, mark, error):
    item = applicable(scored)[0]
    with pytest.raises(error):
        services.override_mark(
            scored, criterion=item["key"], new_score=mark, reason=reason, by=teacher
        )
    with pytest.raises(services.MarkOutOfRange):
        services.override_mark(
            scored, criterion=item["key"], new_score=item["max"] + 1, reason="ok", by=teacher
        )
    assert not scored.overrides.exists()


def test_a_student_disputes_only_a_released_report(
    chat, classroom, coat_scenario, student, teacher
):
    exam = simulator_services.assign_scenario(
        classroom, scenario_version=coat_scenario, mode=Assignment.Mode.EXAM
    )
    assessment = chat(exam, student, COAT_CHAT).assessments.get()
    key = assessment.report["criteria"][0]["key"]
    with pytest.raises(services.NotReleased):
        services.dispute_mark(assessment, criterion=key, reason="我问了", student=student)

    services.release_report(assessment)
    dispute = services.dispute_mark(assessment, criterion=key, reason="我问了", student=student)
    with pytest.raises(services.DisputeOpen):  # one open dispute per mark
        services.dispute_mark(assessment, criterion=key, reason="快看看", student=student)
    services.answer_dispute(dispute, answer="看第2条", by=teacher)
    # Answered, the mark may be disputed again: the answer may not have convinced.
    again = services.dispute_mark(assessment, criterion=key, reason="还是不对", student=student)
    assert again.pk != dispute.pk

    dispute.refresh_from_db()
    assert (dispute.reason, dispute.answer, dispute.answered_by) == ("我问了", "看第2条", teacher)
    assert dispute.answered_at is not None


def test_score_pending_runs_the_sweep_on_demand(chat, assignment, student, monkeypatch):
    from io import StringIO

    from django.core.management import call_command

    monkeypatch.setattr(services, "score", lambda *a, **k: 1 / 0)
    conversation = chat(assignment, student, COAT_CHAT)
    monkeypatch.undo()
    out = StringIO()

    call_command("score_pending", stdout=out)

    assert out.getvalue().strip() == "1 conversation(s) scored"
    assert conversation.assessments.filter(current=True).count() == 1


REPORT = {
    "total": 40.0,  # capped: the promise failed
    "criteria": [
        {
            "key": "promises",
            "score": 0,
            "max": 20,
            "applicable": True,
            "critical": True,
            "failed": True,
        },
        {
            "key": "clear",
            "score": 30,
            "max": 30,
            "applicable": True,
            "critical": False,
            "failed": False,
        },
        {
            "key": "courtesy",
            "score": 50,
            "max": 50,
            "applicable": True,
            "critical": False,
            "failed": False,
        },
        {
            "key": "accuracy",
            "score": 0,
            "max": 20,
            "applicable": False,
            "critical": False,
            "failed": False,
        },
    ],
}


def test_without_overrides_the_total_is_the_scorers():
    assert services.total_of(REPORT, {}, critical_cap=40) == 40.0
    assert services.critical_failed(REPORT, {})


def test_lifting_a_failed_critical_item_lifts_the_cap():
    overrides = {"promises": 10.0}
    assert not services.critical_failed(REPORT, overrides)
    # 90 of 100 applicable points; the not-applicable criterion counts for nothing.
    assert services.total_of(REPORT, overrides, critical_cap=40) == 90.0


def test_a_critical_item_left_at_zero_keeps_the_total_scaled_whatever_else_changes():
    overrides = {"promises": 0.0, "courtesy": 40.0}
    assert services.critical_failed(REPORT, overrides)
    # 70 of 100 marks, scaled into 0..40 by the failed promise, as the scorer does.
    assert services.total_of(REPORT, overrides, critical_cap=40) == 28.0


def test_the_activity_log_names_the_criterion_in_the_readers_language_and_rounds(scored, teacher):
    from django.utils import translation

    from assessment import messages
    from simulator import audit
    from simulator.models import AuditEvent

    item = applicable(scored)[0]
    services.override_mark(
        scored, criterion=item["key"], new_score=2.345, reason="复核", by=teacher
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.MARK_OVERRIDDEN)
    for language in ("zh-hans", "en"):
        with translation.override(language):
            line = audit.describe(event)
            assert line.startswith(f"{messages.criterion_label(item['key'])}:") or line.startswith(
                f"{messages.criterion_label(item['key'])}："
            )
            assert "2.3" in line
            assert "2.345" not in line
            assert item["key"] not in line or item["key"] == messages.criterion_label(item["key"])
