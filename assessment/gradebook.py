"""The grade book of a classroom: students × assignments, class averages, progress (reads)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from assessment import messages
from assessment.charts import Sparkline, sparkline
from assessment.models import Assessment
from assessment.selectors import checks_granted
from simulator.models import Assignment, Classroom, User

Pick = Literal["best", "latest"]
PICKS: tuple[Pick, ...] = ("best", "latest")


@dataclass(frozen=True)
class Mark:
    criterion: str
    score: float
    max: float
    applicable: bool


@dataclass(frozen=True)
class Cell:
    """The attempt that counts for one student and one assignment."""

    assessment_id: int
    conversation_id: int
    total: float
    passed: bool
    released: bool
    attempts: int  # scored attempts of this assignment
    open_disputes: int  # the student's disputes on this attempt the teacher has not answered
    marks: tuple[Mark, ...]
    parts: tuple[tuple[str, bool], ...]  # method steps: (key, present)
    exam: bool = False  # an exam's attempts are counted as exam attempts, not practice


@dataclass(frozen=True)
class Row:
    student: User
    cells: tuple[Cell | None, ...]  # one per assignment, in the grade book's order
    progress: Sparkline  # every scored attempt, oldest first

    @property
    def average(self) -> float | None:
        totals = [c.total for c in self.cells if c is not None]
        return sum(totals) / len(totals) if totals else None


@dataclass(frozen=True)
class Column:
    assignment: Assignment
    unreleased: int  # exam reports still waiting for the teacher


@dataclass(frozen=True)
class HeatRow:
    key: str
    label: str
    cells: tuple[float | None, ...]  # per assignment: class average, percent of the maximum
    overall: float | None

    @property
    def bands(self) -> tuple[tuple[float | None, str], ...]:
        return tuple((value, heat_band(value)) for value in self.cells)

    @property
    def overall_band(self) -> str:
        return heat_band(self.overall)


@dataclass(frozen=True)
class Gradebook:
    classroom: Classroom
    assignments: tuple[Assignment, ...]
    rows: tuple[Row, ...]
    pick: Pick
    criteria: tuple[HeatRow, ...]  # class averages per criterion
    steps: tuple[HeatRow, ...]  # how often each method step was shown
    columns: tuple[Column, ...] = ()

    @property
    def weakest(self) -> tuple[HeatRow, ...]:
        """What the class misses most: criteria and steps below 60 %, worst first."""
        rows = [r for r in (*self.criteria, *self.steps) if r.overall is not None]
        return tuple(sorted((r for r in rows if r.overall < 60), key=lambda r: r.overall)[:3])


def heat_band(percent: float | None) -> str:
    if percent is None:
        return "none"
    for line, band in ((40, "h0"), (60, "h1"), (75, "h2"), (90, "h3")):
        if percent < line:
            return band
    return "h4"


def _overrides(assessment: Assessment) -> dict[str, float]:
    overrides: dict[str, float] = {}
    for row in sorted(assessment.overrides.all(), key=lambda o: (o.at, o.pk)):
        overrides[row.criterion] = row.new_score
    return overrides


def _marks(assessment: Assessment) -> tuple[Mark, ...]:
    overrides = _overrides(assessment)
    return tuple(
        Mark(
            c["key"],
            overrides.get(c["key"], float(c["score"])),
            float(c["max"]),
            bool(c["applicable"]),
        )
        for c in assessment.report.get("criteria", [])
    )


def _parts(assessment: Assessment) -> tuple[tuple[str, bool], ...]:
    # The method steps as the report shows them: a full or zero override grants all or none.
    overrides = _overrides(assessment)
    steps = []
    for c in assessment.report.get("criteria", []):
        if c["key"] not in ("clear", "seven_steps") or not c["applicable"]:
            continue
        granted = checks_granted(c, overrides.get(c["key"]))
        for part in c.get("parts", ()):
            steps.append((part["key"], bool(part["present"]) if granted is None else granted))
    return tuple(steps)


def gradebook_for(classroom: Classroom, *, pick: str = "best") -> Gradebook:
    """The grade book of a classroom the caller already may see (taught_classroom_for)."""
    chosen: Pick = "latest" if pick == "latest" else "best"
    assignments = tuple(
        classroom.assignments.select_related("scenario_version").order_by("created_at", "pk")
    )
    students = [
        m.student
        for m in classroom.memberships.select_related("student").order_by("student__username")
    ]
    scored = (
        Assessment.objects.filter(current=True, conversation__assignment__classroom=classroom)
        .select_related("conversation")
        .prefetch_related("overrides", "disputes")
        .order_by("conversation__started_at", "conversation_id")
    )
    by_pair: dict[tuple[int, int], list[Assessment]] = {}
    by_student: dict[int, list[Assessment]] = {}
    for assessment in scored:
        conversation = assessment.conversation
        by_pair.setdefault((conversation.student_id, conversation.assignment_id), []).append(
            assessment
        )
        by_student.setdefault(conversation.student_id, []).append(assessment)
    rows = []
    for student in students:
        cells: list[Cell | None] = []
        for assignment in assignments:
            attempts = by_pair.get((student.pk, assignment.pk), [])
            if not attempts:
                cells.append(None)
                continue
            # Best: the highest total, the earlier attempt on a tie. Latest: the last one.
            counted = max(attempts, key=lambda a: a.total) if chosen == "best" else attempts[-1]
            cells.append(
                Cell(
                    assessment_id=counted.pk,
                    conversation_id=counted.conversation_id,
                    total=counted.total,
                    passed=counted.passed,
                    released=counted.is_released,
                    attempts=len(attempts),
                    open_disputes=sum(1 for d in counted.disputes.all() if not d.is_answered),
                    marks=_marks(counted),
                    parts=_parts(counted),
                    exam=assignment.is_exam,
                )
            )
        history = [a.total for a in by_student.get(student.pk, [])]
        rows.append(Row(student, tuple(cells), sparkline(history)))
    unreleased: dict[int, int] = {}
    for assessment in scored:
        if not assessment.is_released:
            key = assessment.conversation.assignment_id
            unreleased[key] = unreleased.get(key, 0) + 1
    return Gradebook(
        columns=tuple(Column(a, unreleased.get(a.pk, 0)) for a in assignments),
        classroom=classroom,
        assignments=assignments,
        rows=tuple(rows),
        pick=chosen,
        criteria=_criterion_heat(rows, len(assignments)),
        steps=_step_heat(rows, len(assignments)),
    )


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def _criterion_heat(rows: list[Row], width: int) -> tuple[HeatRow, ...]:
    keys: list[str] = []
    for row in rows:
        for cell in row.cells:
            for mark in cell.marks if cell else ():
                if mark.applicable and mark.criterion not in keys:
                    keys.append(mark.criterion)
    heat = []
    for key in keys:
        columns: list[list[float]] = [[] for _ in range(width)]
        for row in rows:
            for index, cell in enumerate(row.cells):
                for mark in cell.marks if cell else ():
                    if mark.criterion == key and mark.applicable and mark.max:
                        columns[index].append(100 * mark.score / mark.max)
        heat.append(
            HeatRow(
                key,
                messages.criterion_label(key),
                tuple(_mean(column) for column in columns),
                _mean([value for column in columns for value in column]),
            )
        )
    return tuple(heat)


def _step_heat(rows: list[Row], width: int) -> tuple[HeatRow, ...]:
    keys: list[str] = []
    for row in rows:
        for cell in row.cells:
            for key, _present in cell.parts if cell else ():
                if key not in keys:
                    keys.append(key)
    heat = []
    for key in keys:
        columns: list[list[float]] = [[] for _ in range(width)]
        for row in rows:
            for index, cell in enumerate(row.cells):
                for part, present in cell.parts if cell else ():
                    if part == key:
                        columns[index].append(100.0 if present else 0.0)
        heat.append(
            HeatRow(
                key,
                messages.part_label(key),
                tuple(_mean(column) for column in columns),
                _mean([value for column in columns for value in column]),
            )
        )
    return tuple(heat)
