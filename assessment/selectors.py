"""Reads for the assessment pages, scoped through simulator's access checks."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404

from assessment import messages
from assessment.messages import move_label
from assessment.models import Assessment, Comment, Dispute, MarkOverride, Rubric
from assessment.scoring.response_time import (
    AVERAGE_LINES,
    FIRST_RESPONSE_LINES,
    ResponseTimes,
    band,
    response_times,
)
from assessment.scoring.tools import ToolUse
from assessment.scoring.transcript import Line, Transcript, transcript_json
from simulator import selectors as simulator_selectors
from simulator.models import Classroom, Conversation, Message, User


@dataclass(frozen=True)
class TranscriptRow:
    message: Message
    seconds_from_start: float
    # For a customer line: how long from this line until the student answered; None if not.
    waited: float | None = None
    # On the first line of a run of customer lines only: the run's wait (the platform's round).
    run_waited: float | None = None
    run_size: int = 1
    answered: bool = True
    closing: bool = False  # the customer's parting line: nothing left to answer
    comments: tuple[Comment, ...] = ()

    @property
    def move_labels(self) -> list[tuple[str, str]]:
        return [(code, move_label(code)) for code in self.message.moves]

    @property
    def starts_run(self) -> bool:
        return self.run_waited is not None

    @property
    def band(self) -> str:
        return band(self.run_waited if self.starts_run else self.waited, AVERAGE_LINES)


@dataclass(frozen=True)
class TranscriptPage:
    conversation: Conversation
    rows: tuple[TranscriptRow, ...]
    times: ResponseTimes
    # The recogniser's tags on each line tell how the scorer read it: an exam's student sees
    # them only once the teacher releases the report.
    shows_moves: bool = True
    # Who typed a customer line while a teacher played the customer: for the class's teachers
    # only; the student reads the customer's words and nothing of the takeover.
    shows_authors: bool = False

    @property
    def first_response_band(self) -> str:
        return band(self.times.first_response, FIRST_RESPONSE_LINES)

    @property
    def average_band(self) -> str:
        return band(self.times.average, AVERAGE_LINES)


def transcript_of(conversation: Conversation) -> Transcript:
    """The conversation in the interchange form, with its scenario's facts for re-scoring.

    Chat lines only: a teacher's coaching note is no line of the chat, so the scorer, the
    export and the response times never see one.
    """
    stored = list(conversation.messages.exclude(role=Message.Role.NOTE).order_by("seq"))
    # The shop tools' uses are no lines (no response time, no moves): the scorer reads them
    # apart, by their message numbers.
    messages = [m for m in stored if m.role != Message.Role.TOOL]
    tools = tuple(
        ToolUse(
            m.seq,
            str(m.payload.get("kind", "")),
            {k: v for k, v in m.payload.items() if k != "request"},
        )
        for m in stored
        if m.role == Message.Role.TOOL
    )
    start = conversation.started_at
    script = conversation.scenario_version.script
    return Transcript(
        lines=tuple(
            Line(
                seq=m.seq,
                role=m.role,
                text=m.text,
                at=(m.created_at - start).total_seconds(),
                moves=frozenset(m.moves),
            )
            for m in messages
        ),
        language=conversation.scenario_version.language,
        kind=conversation.scenario_version.kind,
        shop_facts=script.model_dump(include={"shop", "order"}, mode="json", exclude_none=True),
        recognised=True,
        tools=tools,
        requested=script.remember.model_dump() if script.kind != "pre_sale" else {},
    )


def transcript_export_for(user: User, conversation_id: int) -> dict:
    """The transcript file of a conversation the user may see (docs/transcript-format.md)."""
    conversation = simulator_selectors.conversation_for(user, conversation_id)
    data = transcript_json(transcript_of(conversation))
    data["scenario"] = {
        "id": conversation.scenario_version.scenario.slug,
        "version": conversation.scenario_version.number,
    }
    return data


def transcript_page_for(user: User, conversation_id: int) -> TranscriptPage:
    """The transcript with response times; Http404 unless the user may see it."""
    conversation = simulator_selectors.conversation_for(user, conversation_id)
    messages = list(conversation.messages.select_related("author").order_by("seq"))
    transcript = transcript_of(conversation)
    times = response_times(
        transcript, customer_left=conversation.end_reason == Conversation.EndReason.CUSTOMER
    )
    # Each customer line shows its own wait (from that line to the reply); the run's wait,
    # which the platform counts, is shown once, on the run's first line.
    at_of = {line.seq: line.at for line in transcript.lines}
    own_wait: dict[int, float] = {}
    run_wait: dict[int, tuple[float, int]] = {}
    in_run: set[int] = set()
    run: list[int] = []
    for line in transcript.lines:
        if line.role == "customer":
            run.append(line.seq)
        elif run:
            for seq in run:
                own_wait[seq] = max(0.0, line.at - at_of[seq])
            run_wait[run[0]] = (max(0.0, line.at - at_of[run[0]]), len(run))
            in_run.update(run)
            run = []
    # A trailing run is unanswered, unless the customer ended the chat with it.
    closing = set(run) if conversation.end_reason == Conversation.EndReason.CUSTOMER else set()
    comments: dict[int, list[Comment]] = {}
    for comment in Comment.objects.filter(conversation=conversation).select_related("author"):
        comments.setdefault(comment.seq, []).append(comment)
    rows = tuple(
        TranscriptRow(
            message=m,
            seconds_from_start=(m.created_at - conversation.started_at).total_seconds(),
            waited=own_wait.get(m.seq),
            run_waited=run_wait[m.seq][0] if m.seq in run_wait else None,
            run_size=run_wait[m.seq][1] if m.seq in run_wait else 1,
            answered=m.role != "customer" or m.seq in in_run,
            closing=m.seq in closing,
            comments=tuple(comments.get(m.seq, ())),
        )
        for m in messages
    )
    # The ending is shown by its outcome and rating only: the scenario's description of it
    # may name a promise ("因为包退货运费的承诺下单") that this student never made.
    return TranscriptPage(
        conversation,
        rows,
        times,
        shows_moves=_shows_moves(user, conversation),
        shows_authors=is_teacher_of(user, conversation),
    )


def _shows_moves(user: User, conversation: Conversation) -> bool:
    assignment = conversation.assignment
    if assignment is None or not assignment.is_exam or is_teacher_of(user, conversation):
        return True
    return Assessment.objects.filter(
        conversation=conversation, current=True, released_at__isnull=False
    ).exists()


# ------------------------------------------------------------------ the report


@dataclass(frozen=True)
class PartView:
    key: str
    label: str
    present: bool
    evidence: tuple[int, ...]


@dataclass(frozen=True)
class CriterionView:
    key: str
    label: str
    score: float  # the mark that counts: the teacher's latest override, else the scorer's
    original: float
    max: float
    applicable: bool
    critical: bool
    failed: bool
    explanation: str
    advice: str
    evidence: tuple[int, ...]
    parts: tuple[PartView, ...]
    overrides: tuple[MarkOverride, ...]
    disputes: tuple[Dispute, ...]
    # A teacher's mark now counts: the chips stay the scorer's and the report says so.
    parts_as_scored: bool = False

    @property
    def overridden(self) -> bool:
        return bool(self.overrides)

    @property
    def open_dispute(self) -> bool:
        """A dispute of this mark waits for its answer: one at a time (services.DisputeOpen)."""
        return any(not d.is_answered for d in self.disputes)

    @property
    def percent(self) -> int:
        return round(100 * self.score / self.max) if self.max else 0

    @property
    def band(self) -> str:
        if not self.applicable:
            return "none"
        if self.failed and not self.overridden:
            return "poor"
        return "good" if self.percent >= 80 else "fair" if self.percent >= 60 else "poor"


@dataclass(frozen=True)
class FactErrorView:
    seq: int
    claim: str
    fact: str


@dataclass(frozen=True)
class ReportView:
    assessment: Assessment
    criteria: tuple[CriterionView, ...]
    fact_errors: tuple[FactErrorView, ...]
    advice: tuple[str, ...]
    pass_mark: float
    reviewer: bool  # the class's teacher: may override, comment, release, answer
    disputant: bool  # the student whose report it is: may dispute
    history: tuple[Assessment, ...] = ()  # earlier scores, kept by re-scoring (teacher only)

    @property
    def total(self) -> float:
        return self.assessment.total

    def criterion(self, key: str) -> CriterionView | None:
        return next((c for c in self.criteria if c.key == key), None)


def checks_granted(item: dict, new_score: float | None) -> bool | None:
    """What a teacher's mark says of a criterion's ✓/✗ checks: all, none, or nothing (None).

    Full marks grant every check and 0 grants none; a mark in between cannot say which checks
    it grants, so the scorer's stay.
    """
    if new_score is None:
        return None
    if new_score >= float(item["max"]):
        return True
    return False if new_score <= 0 else None


def _parts_after(item: dict, new_score: float | None) -> tuple[tuple[PartView, ...], bool]:
    """A criterion's checks as the scorer found them, and whether a teacher's mark now counts
    instead. The checks stay the scorer's even under a full mark: ticking 道别 because the
    teacher raised the mark showed steps that never happened (walk-through)."""
    scored = item.get("parts", ())
    parts = tuple(
        PartView(
            part["key"],
            messages.part_label(part["key"]),
            bool(part["present"]),
            tuple(part.get("evidence", ())),
        )
        for part in scored
    )
    changed = new_score is not None and new_score != float(item["score"])
    return parts, bool(scored) and changed


def report_view(assessment: Assessment, *, reviewer: bool, disputant: bool) -> ReportView:
    """The report in the active language, with the teacher's changes and the disputes."""
    from assessment import services

    report = assessment.report
    overrides: dict[str, list[MarkOverride]] = {}
    disputes: dict[str, list[Dispute]] = {}
    if assessment.pk is not None:  # an uploaded transcript's report is never stored
        for row in assessment.overrides.select_related("by").order_by("at", "pk"):
            overrides.setdefault(row.criterion, []).append(row)
        for row in assessment.disputes.select_related("student", "answered_by"):
            disputes.setdefault(row.criterion, []).append(row)
    criteria = []
    for item in report.get("criteria", []):
        key = item["key"]
        changed = overrides.get(key, [])
        explanation = item.get("explanation") or {}
        advice = item.get("advice") or {}
        parts, parts_as_scored = _parts_after(item, changed[-1].new_score if changed else None)
        criteria.append(
            CriterionView(
                key=key,
                label=messages.criterion_label(key),
                score=changed[-1].new_score if changed else float(item["score"]),
                original=float(item["score"]),
                max=float(item["max"]),
                applicable=bool(item["applicable"]),
                critical=bool(item.get("critical")),
                failed=bool(item.get("failed")) and not (changed and changed[-1].new_score > 0),
                explanation=messages.note_text(
                    explanation.get("code", "none"), explanation.get("params")
                ),
                advice=messages.note_text(advice["code"], advice.get("params")) if advice else "",
                evidence=tuple(item.get("evidence", ())),
                parts=parts,
                overrides=tuple(changed),
                disputes=tuple(disputes.get(key, ())),
                parts_as_scored=parts_as_scored,
            )
        )
    # What to do next time: the advice of the criteria that lost most, a failed one first.
    worst_first = sorted(
        # A mark the teacher raised to full needs no advice any more.
        (c for c in criteria if c.applicable and c.advice and c.score < c.max),
        key=lambda c: (not c.failed, c.score / c.max if c.max else 1.0),
    )
    if assessment.conversation_id is None:
        pass_mark = float(assessment.rubric.data.get("pass_mark", 60))
    else:
        pass_mark = services.pass_mark_of(assessment.conversation, assessment.rubric)
    return ReportView(
        assessment=assessment,
        criteria=tuple(criteria),
        fact_errors=tuple(
            FactErrorView(int(e["seq"]), str(e["claim"]), str(e["fact"]))
            for e in report.get("fact_errors", ())
        ),
        advice=tuple(dict.fromkeys(c.advice for c in worst_first)),
        pass_mark=pass_mark,
        reviewer=reviewer,
        disputant=disputant,
        history=tuple(
            Assessment.objects.filter(conversation_id=assessment.conversation_id, current=False)
            .select_related("rubric")
            .order_by("-created_at", "-pk")
        )
        if reviewer and assessment.pk is not None
        else (),
    )


def is_teacher_of(user: User, conversation: Conversation) -> bool:
    return (
        user.is_authenticated
        and user.is_instructor
        and conversation.assignment is not None
        and simulator_selectors.teaches_classroom(user, conversation.assignment.classroom_id)
    )


def report_for(user: User, conversation: Conversation) -> ReportView | None:
    """The current report of a conversation the user may see, if they may see it yet.

    The class's teacher always; the student once it is released; nobody else.
    """
    assessment = (
        Assessment.objects.filter(conversation=conversation, current=True)
        .select_related("rubric", "conversation__assignment")
        .first()
    )
    if assessment is None:
        return None
    if is_teacher_of(user, conversation):
        return report_view(assessment, reviewer=True, disputant=False)
    if conversation.student_id == user.pk and assessment.is_released:
        return report_view(assessment, reviewer=False, disputant=True)
    return None


@dataclass(frozen=True)
class DisputeAlert:
    classroom: Classroom
    disputes: tuple[Dispute, ...]  # open ones, oldest first

    @property
    def count(self) -> int:
        return len(self.disputes)

    @property
    def transcripts(self) -> tuple[tuple[Dispute, int], ...]:
        """One link per disputed transcript: its oldest open dispute and how many it has."""
        first: dict[int, Dispute] = {}
        counts: dict[int, int] = {}
        for dispute in self.disputes:
            conversation_id = dispute.assessment.conversation_id
            first.setdefault(conversation_id, dispute)
            counts[conversation_id] = counts.get(conversation_id, 0) + 1
        return tuple((first[pk], counts[pk]) for pk in first)


def open_disputes_for(user: User) -> tuple[DisputeAlert, ...]:
    """The disputes no teacher has answered yet, per class the user teaches (none for others)."""
    alerts: dict[int, list[Dispute]] = {}
    classrooms: dict[int, Classroom] = {}
    for dispute in (
        Dispute.objects.filter(
            simulator_selectors.teaches(
                user, via="assessment__conversation__assignment__classroom"
            ),
            answered_at__isnull=True,
        )
        .select_related(
            "student",
            "assessment__conversation__assignment__classroom",
            "assessment__conversation__scenario_version",
        )
        .order_by("created_at", "pk")
    ):
        classroom = dispute.assessment.conversation.assignment.classroom
        classrooms[classroom.pk] = classroom
        alerts.setdefault(classroom.pk, []).append(dispute)
    return tuple(DisputeAlert(classrooms[pk], tuple(rows)) for pk, rows in alerts.items())


def reviewed_assessment_for(user: User, assessment_id: int) -> Assessment:
    """A current assessment in a class the user teaches; Http404 otherwise."""
    assessment = (
        Assessment.objects.filter(
            simulator_selectors.teaches(user, via="conversation__assignment__classroom"),
            pk=assessment_id,
            current=True,
        )
        .select_related("conversation", "rubric")
        .first()
    )
    if assessment is None or not user.is_instructor:
        raise Http404
    return assessment


def own_released_assessment_for(user: User, assessment_id: int) -> Assessment:
    """The student's own current assessment, once released; Http404 otherwise."""
    assessment = (
        Assessment.objects.filter(
            pk=assessment_id,
            current=True,
            conversation__student=user,
            released_at__isnull=False,
        )
        .select_related("conversation")
        .first()
    )
    if assessment is None:
        raise Http404
    return assessment


def reviewed_dispute_for(user: User, dispute_id: int) -> Dispute:
    """A dispute in a class the user teaches; Http404 otherwise."""
    dispute = (
        Dispute.objects.filter(
            simulator_selectors.teaches(
                user, via="assessment__conversation__assignment__classroom"
            ),
            pk=dispute_id,
        )
        .select_related("assessment__conversation")
        .first()
    )
    if dispute is None or not user.is_instructor:
        raise Http404
    return dispute


def taught_conversation_for(user: User, conversation_id: int) -> Conversation:
    """A conversation of a class the user teaches; Http404 otherwise."""
    conversation = simulator_selectors.conversation_for(user, conversation_id)
    if not is_teacher_of(user, conversation):
        raise Http404
    return conversation


# ------------------------------------------------------------------ rubrics


@dataclass(frozen=True)
class RubricLine:
    rubric: Rubric  # the newest version of its key
    versions: int


def rubric_library_for(user: User) -> tuple[list[RubricLine], list[RubricLine]]:
    """The library rubrics (one per kind) and the teacher's own, newest version of each key."""
    from assessment import services
    from assessment.scoring import KINDS

    if not user.is_instructor:
        raise Http404
    library = [RubricLine(services.library_rubric(kind), 1) for kind in KINDS]
    own: dict[str, list[Rubric]] = {}
    for rubric in Rubric.objects.filter(owner=user).order_by("key", "-version"):
        own.setdefault(rubric.key, []).append(rubric)
    return library, [RubricLine(versions[0], len(versions)) for versions in own.values()]


def usable_rubric_for(user: User, rubric_id: int) -> Rubric:
    """A library rubric or one of the teacher's own; Http404 otherwise."""
    rubric = (
        Rubric.objects.filter(pk=rubric_id).filter(Q(owner__isnull=True) | Q(owner=user)).first()
    )
    if rubric is None or not user.is_instructor:
        raise Http404
    return rubric


def own_rubric_for(user: User, rubric_id: int) -> Rubric:
    """One of the teacher's own rubric versions; Http404 for the library and others' rubrics."""
    rubric = Rubric.objects.filter(pk=rubric_id, owner=user).first()
    if rubric is None or not user.is_instructor:
        raise Http404
    return rubric


def rubric_versions(rubric: Rubric) -> list[Rubric]:
    return list(Rubric.objects.filter(owner=rubric.owner, key=rubric.key).order_by("-version"))
