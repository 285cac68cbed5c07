"""State changes of assessment: scoring conversations, review, release, disputes."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from assessment import messages
from assessment.models import Assessment, Comment, Dispute, MarkOverride, Rubric
from assessment.scoring import SCORER_VERSION, Ending, RubricError, combine, default_rubric, score
from assessment.scoring import Rubric as RubricSpec
from assessment.selectors import transcript_of
from scenarios import cues
from scenarios import services as scenario_services
from simulator import audit, shop_tools
from simulator.models import Assignment, Classroom, Conversation, User

log = logging.getLogger(__name__)


class AssessmentError(Exception):
    """A business rule refused the operation; `message` is shown to the user."""

    message = _("This action is not possible.")


class NotEnded(AssessmentError):
    message = _("The conversation has not ended yet.")


class UnknownCriterion(AssessmentError):
    message = _("This criterion is not part of the report.")


class MarkOutOfRange(AssessmentError):
    message = _("The mark must lie between 0 and the criterion's maximum.")


class ReasonRequired(AssessmentError):
    message = _("Please give a reason.")


class TextRequired(AssessmentError):
    message = _("Please write something first.")


class NotReleased(AssessmentError):
    message = _("This report has not been released yet.")


class DisputeOpen(AssessmentError):
    message = _("You have already disputed this mark; your teacher has not answered yet.")


# ------------------------------------------------------------------ rubrics


@transaction.atomic
def library_rubric(kind: str) -> Rubric:
    """The stored library rubric of a kind, at the version the scorer ships (idempotent)."""
    data = default_rubric(kind).to_mapping()
    rubric, _created = Rubric.objects.get_or_create(
        owner=None,
        key=data["key"],
        version=data["version"],
        defaults={"kind": data["kind"], "data": data},
    )
    return rubric


def rubric_for_kind(kind: str, *, teacher_id: int | None = None) -> Rubric:
    """The newest rubric the teacher saved for `kind`, else the library rubric of that kind."""
    if teacher_id is not None:
        own = Rubric.objects.filter(owner_id=teacher_id, kind=kind).order_by("-created_at", "-pk")
        if (newest := own.first()) is not None:
            return newest
    return library_rubric(kind)


def rubric_for(conversation: Conversation) -> Rubric:
    """Which rubric scores a conversation when it ends: the class teacher's choice for its kind.

    Saving a rubric is choosing it for one's classes (docs/decisions.md).
    """
    teacher_id = None
    if conversation.assignment_id is not None:
        teacher_id = (
            Classroom.objects.filter(assignments=conversation.assignment_id)
            .values_list("instructor_id", flat=True)
            .first()
        )
    return rubric_for_kind(conversation.scenario_version.kind, teacher_id=teacher_id)


# ------------------------------------------------------------------ scoring


@lru_cache(maxsize=256)
def _facts_of(version_id: int, source: str) -> cues.ShopFacts | None:
    # Keyed by the source too, as scenarios.services caches scripts: versions are immutable.
    script = scenario_services.script_of(version_id, source)
    return cues.facts_from_mapping(
        script.model_dump(include={"shop", "order"}, mode="json", exclude_none=True)
    )


def facts_for(conversation: Conversation) -> cues.ShopFacts | None:
    """The scenario's shop and order facts, as the recogniser saw them during the chat."""
    version = conversation.scenario_version
    return _facts_of(version.pk, version.source)


def _english(label, key: str) -> str:
    with translation.override("en"):
        return str(label(key))


def ending_of(conversation: Conversation) -> Ending:
    """How the conversation ended, in the scorer's terms: with the seller's remark as the
    order panel left it (the scenario's own when the student wrote none; None without an
    order) and whether the student transferred the customer to a supervisor."""
    order = shop_tools.order_now(conversation).order
    return Ending(
        outcome=conversation.outcome or None,
        rating=conversation.rating,
        customer_left=conversation.end_reason == Conversation.EndReason.CUSTOMER,
        agent_closed=conversation.end_reason == Conversation.EndReason.STUDENT,
        remark=str(order.get("remark") or "") if order is not None else None,
        transferred=conversation.end_reason == Conversation.EndReason.TRANSFERRED,
        teacher_ended=conversation.end_reason == Conversation.EndReason.TEACHER,
    )


def pass_mark_of(conversation: Conversation, rubric: Rubric) -> float:
    """The assignment's pass mark if the teacher set one, else the rubric's."""
    assignment = conversation.assignment
    if assignment is not None and assignment.pass_mark is not None:
        return float(assignment.pass_mark)
    return float(rubric.data.get("pass_mark", 60))


def releases_at_once(conversation: Conversation) -> bool:
    """Practice reports are shown at once; exam reports wait for the teacher."""
    return conversation.assignment is None or not conversation.assignment.is_exam


def assess_conversation(conversation_id: int, *, rubric: Rubric | None = None) -> Assessment:
    """The current assessment of an ended conversation, scoring it if it has none.

    Idempotent: called again (the receiver and the sweep may both run) it returns the same
    row. With `rubric` it re-scores explicitly: a new current row, the old ones kept.
    """
    try:
        return _assess(conversation_id, rubric=rubric)
    except IntegrityError:
        # Another process stored the current row between our read and our write.
        current = Assessment.objects.filter(conversation_id=conversation_id, current=True).first()
        if current is None:
            raise
        return current


@transaction.atomic
def _assess(conversation_id: int, *, rubric: Rubric | None) -> Assessment:
    conversation = (
        Conversation.objects.select_for_update()
        .select_related("scenario_version", "assignment")
        .get(pk=conversation_id)
    )
    if conversation.is_active:
        raise NotEnded
    current = conversation.assessments.filter(current=True).first()
    if current is not None and rubric is None:
        return current
    rubric = rubric or rubric_for(conversation)
    spec = RubricSpec.from_mapping(rubric.data)
    if conversation.drill_id is not None:
        spec = spec.in_rush()  # the response lines relax ×1.5 in a rush drill (DOMAIN.md §7)
    report = score(
        transcript_of(conversation),
        spec,
        facts=facts_for(conversation),
        ending=ending_of(conversation),
    ).to_json()
    released_at = None
    if releases_at_once(conversation):
        released_at = timezone.now()
    elif current is not None:
        released_at = current.released_at  # a re-score keeps an exam report's release
    if current is not None:
        Assessment.objects.filter(pk=current.pk).update(current=False)
    assessment = Assessment(
        conversation=conversation,
        rubric=rubric,
        scorer_version=report.get("scorer_version") or SCORER_VERSION,
        report=report,
        released_at=released_at,
    )
    _derive(assessment, overrides={}, pass_mark=pass_mark_of(conversation, rubric))
    assessment.save()
    return assessment


def effective_marks(report: dict[str, Any], overrides: dict[str, float]) -> dict[str, float]:
    """Each criterion's mark: the teacher's latest override, else the scorer's."""
    return {
        item["key"]: overrides.get(item["key"], float(item["score"]))
        for item in report.get("criteria", [])
    }


def total_of(report: dict[str, Any], overrides: dict[str, float], *, critical_cap: float) -> float:
    """The total out of 100 recomputed from the marks (the scorer's own when nothing changed).

    An overridden critical criterion counts as failed only if the teacher left it at 0.
    """
    if not overrides:
        return float(report["total"])
    marks = effective_marks(report, overrides)
    applicable = [item for item in report["criteria"] if item["applicable"]]
    if not applicable:
        return float(report["total"])
    return combine(
        ((marks[item["key"]], float(item["max"])) for item in applicable),
        critical_failed=critical_failed(report, overrides),
        critical_cap=critical_cap,
    )


def critical_failed(report: dict[str, Any], overrides: dict[str, float]) -> bool:
    """A critical item failed and the teacher did not lift it above 0."""
    for item in report.get("criteria", []):
        if not (item.get("critical") and item.get("failed") and item["applicable"]):
            continue
        if item["key"] not in overrides or overrides[item["key"]] <= 0:
            return True
    return False


def _derive(assessment: Assessment, *, overrides: dict[str, float], pass_mark: float) -> None:
    cap = float(assessment.rubric.data.get("critical_cap", 40))
    assessment.total = total_of(assessment.report, overrides, critical_cap=cap)
    assessment.critical_failed = critical_failed(assessment.report, overrides)
    assessment.passed = assessment.total >= pass_mark and not assessment.critical_failed


def latest_overrides(assessment: Assessment) -> dict[str, float]:
    """The mark each overridden criterion has now: its most recent override."""
    marks: dict[str, float] = {}
    for criterion, new_score in assessment.overrides.order_by("at", "pk").values_list(
        "criterion", "new_score"
    ):
        marks[criterion] = new_score
    return marks


def sweep_unscored() -> int:
    """Score every ended conversation that has no current assessment; return how many.

    Run when the runtime starts, so a crash between the end and the score loses nothing.
    A conversation that fails to score is logged and left for the next sweep.
    """
    pending = (
        Conversation.objects.filter(status=Conversation.Status.ENDED)
        .exclude(assessments__current=True)
        .order_by("ended_at", "pk")
        .values_list("pk", flat=True)
    )
    scored = 0
    for conversation_id in list(pending):
        try:
            assess_conversation(conversation_id)
            scored += 1
        except Exception:
            log.exception("scoring conversation %s failed; the next sweep retries", conversation_id)
    return scored


# ------------------------------------------------------------------ review


@transaction.atomic
def override_mark(
    assessment: Assessment, *, criterion: str, new_score: float, reason: str, by: User
) -> MarkOverride:
    """Change one criterion mark with a reason; the original and every change stay on record."""
    reason = reason.strip()
    if not reason:
        raise ReasonRequired
    assessment = (
        Assessment.objects.select_for_update().select_related("rubric").get(pk=assessment.pk)
    )
    item = next((c for c in assessment.report["criteria"] if c["key"] == criterion), None)
    if item is None or not item["applicable"]:
        raise UnknownCriterion
    if not 0 <= new_score <= float(item["max"]):
        raise MarkOutOfRange
    # The log says what the mark was before this change: the last override's, else the scorer's.
    before = latest_overrides(assessment).get(criterion, float(item["score"]))
    override = MarkOverride.objects.create(
        assessment=assessment,
        criterion=criterion,
        original_score=float(item["score"]),
        new_score=float(new_score),
        reason=reason,
        by=by,
    )
    conversation = Conversation.objects.select_related("assignment__classroom", "student").get(
        pk=assessment.conversation_id
    )
    audit.record(
        audit.Action.MARK_OVERRIDDEN,
        by=by,
        classroom=conversation.assignment.classroom if conversation.assignment else None,
        subject=conversation.student,
        conversation=conversation.pk,
        criterion=criterion,
        # The label's msgid (the English catalogue mirrors it): the log reads it in the
        # reader's language, without simulator importing assessment.
        criterion_label=_english(messages.criterion_label, criterion),
        old=before,
        new=float(new_score),
        reason=reason,
    )
    _derive(
        assessment,
        overrides=latest_overrides(assessment),
        pass_mark=pass_mark_of(conversation, assessment.rubric),
    )
    assessment.save(update_fields=["total", "passed", "critical_failed"])
    return override


@transaction.atomic
def release_report(assessment: Assessment) -> Assessment:
    """Show the report to the student (idempotent: the first release time stays)."""
    Assessment.objects.filter(pk=assessment.pk, released_at__isnull=True).update(
        released_at=timezone.now()
    )
    assessment.refresh_from_db(fields=["released_at"])
    return assessment


@transaction.atomic
def release_assignment(assignment: Assignment) -> int:
    """Release every current, unreleased report of the assignment; return how many."""
    return Assessment.objects.filter(
        conversation__assignment=assignment, current=True, released_at__isnull=True
    ).update(released_at=timezone.now())


@transaction.atomic
def comment_on_message(conversation: Conversation, *, seq: int, text: str, author: User) -> Comment:
    """A teacher's note on message `seq` of the conversation."""
    text = text.strip()
    if not text:
        raise TextRequired
    if not conversation.messages.filter(seq=seq).exists():
        raise AssessmentError
    return Comment.objects.create(conversation=conversation, seq=seq, text=text, author=author)


@transaction.atomic
def dispute_mark(assessment: Assessment, *, criterion: str, reason: str, student: User) -> Dispute:
    """The student objects to one criterion mark of their released report."""
    reason = reason.strip()
    if not reason:
        raise ReasonRequired
    if not assessment.is_released:
        raise NotReleased
    if not any(c["key"] == criterion for c in assessment.report.get("criteria", [])):
        raise UnknownCriterion
    # One open dispute per mark: a second (a double click, an impatient student) would only
    # be a second thing for the teacher to answer.
    if assessment.disputes.filter(criterion=criterion, answered_at__isnull=True).exists():
        raise DisputeOpen
    return Dispute.objects.create(
        assessment=assessment, criterion=criterion, reason=reason, student=student
    )


@transaction.atomic
def answer_dispute(dispute: Dispute, *, answer: str, by: User) -> Dispute:
    """The teacher's answer to a dispute; a later answer replaces the text, not the record."""
    answer = answer.strip()
    if not answer:
        raise TextRequired
    dispute.answer = answer
    dispute.answered_by = by
    dispute.answered_at = timezone.now()
    dispute.save(update_fields=["answer", "answered_by", "answered_at"])
    return dispute


# ------------------------------------------------------------------ rubrics as data


class RubricInvalid(AssessmentError):
    """The edited rubric does not validate; `error` names the field."""

    def __init__(self, error: RubricError) -> None:
        super().__init__(str(error))
        self.error = error


@transaction.atomic
def clone_rubric(rubric: Rubric, *, owner: User) -> Rubric:
    """A teacher's own copy of a rubric, version 1 of a new key, to edit."""
    taken = set(Rubric.objects.filter(owner=owner).values_list("key", flat=True))
    base = f"{rubric.kind.replace('_', '-')}-{owner.pk}"
    key = next(f"{base}-{n}" for n in range(1, len(taken) + 2) if f"{base}-{n}" not in taken)
    data = {**rubric.data, "key": key, "version": 1}
    return Rubric.objects.create(
        owner=owner,
        key=key,
        version=1,
        kind=rubric.kind,
        name=rubric.name or "",
        data=RubricSpec.from_mapping(data).to_mapping(),
        based_on=rubric,
    )


@transaction.atomic
def save_rubric_version(rubric: Rubric, *, data: dict[str, Any], name: str = "") -> Rubric:
    """Store an edit as the next version of the rubric's key; older versions stay as they were."""
    latest = (
        Rubric.objects.select_for_update()
        .filter(owner=rubric.owner, key=rubric.key)
        .order_by("-version")
        .first()
    )
    version = (latest.version if latest else rubric.version) + 1
    data = {**data, "key": rubric.key, "version": version, "kind": rubric.kind}
    try:
        spec = RubricSpec.from_mapping(data)
    except RubricError as error:
        raise RubricInvalid(error) from None
    return Rubric.objects.create(
        owner=rubric.owner,
        key=rubric.key,
        version=version,
        kind=rubric.kind,
        name=name.strip()[:120] or rubric.name,
        data=spec.to_mapping(),
        based_on=rubric,
    )


def rescore_classroom(classroom: Classroom, *, rubric: Rubric) -> int:
    """Re-score every ended conversation of the class in the rubric's kind; old scores stay."""
    conversations = Conversation.objects.filter(
        assignment__classroom=classroom,
        status=Conversation.Status.ENDED,
        scenario_version__kind=rubric.kind,
    ).values_list("pk", flat=True)
    done = 0
    for conversation_id in list(conversations):
        assess_conversation(conversation_id, rubric=rubric)
        done += 1
    return done
