"""Double-11 rush drills (双十一大促演练): a wave of scripted customers for a whole class.

Starting a drill stores every customer of every student (`DrillArrival`, planned by the pure
simulator.engine.arrivals from the drill's seed); the scheduler (simulator.runtime) calls
`run_due` on each pass: customers whose time has come arrive, those beyond the student's cap
queue, a free chat takes the oldest in the queue, and the drill ends when its time is up.
Every step is a state change of stored rows in one transaction, so a restarted server loses
no customer and lets none arrive twice.

A queued customer's wait counts: their conversation starts at their arrival, and their first
line is stamped then (services._message), so the first response time includes the queue.

scheduler -> drills -> services -> customer adapter -> engine.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scenarios.models import ScenarioVersion
from simulator import customer, protocol, services
from simulator.engine import Begin, arrivals
from simulator.models import (
    Assignment,
    Classroom,
    Conversation,
    Drill,
    DrillArrival,
    Message,
    User,
)

log = logging.getLogger(__name__)

# The response lines relax ×1.5 in a drill (DOMAIN.md §7); the scorer applies it
# (assessment.scoring.rubric.RUSH_FACTOR, kept equal by a test), the workspace's clocks show it.
RUSH_FACTOR = 1.5
# Seconds within which a customer's line counts as answered in time on the live dashboard.
THREE_MINUTES = 180.0


class DrillRunning(services.ChatError):
    code = "drill_running"
    message = _("A drill is already running in this class. Stop it before starting another.")


class EmptyPool(services.ChatError):
    code = "drill_empty_pool"
    message = _("Choose at least one scenario for the drill's customers.")


class NoStudents(services.ChatError):
    code = "drill_no_students"
    message = _("The class has no students yet: nobody would serve the customers.")


# ------------------------------------------------------------------ starting and stopping


@transaction.atomic
def start_drill(
    classroom: Classroom,
    *,
    by: User,
    versions: Sequence[ScenarioVersion],
    duration: float,
    cap: int = 3,
    intensity: float = 1.0,
    seed: int | None = None,
) -> Drill:
    """Start a drill of `duration` seconds for every student of `classroom`; every arrival of
    every student is stored now."""
    if classroom.is_archived:
        raise services.ClassroomArchived
    if not versions:
        raise EmptyPool
    students = list(User.objects.filter(memberships__classroom=classroom).order_by("pk").only("pk"))
    if not students:
        raise NoStudents
    # One running drill per class (a constraint too): the lock makes the check and the insert
    # one step for two teachers pressing start together.
    Classroom.objects.select_for_update().filter(pk=classroom.pk).first()
    if Drill.objects.filter(classroom=classroom, state=Drill.State.RUNNING).exists():
        raise DrillRunning
    now = customer.clock()
    seed = random.SystemRandom().randrange(2**31) if seed is None else seed
    # DRILL_TIME_SCALE squeezes the whole drill, the same customers in less time.
    scale = settings.DRILL_TIME_SCALE
    drill = Drill.objects.create(
        classroom=classroom,
        started_by=by,
        duration=round(duration),
        cap=cap,
        seed=seed,
        intensity=intensity,
        started_at=customer.at(now),
        ends_at=customer.at(now + duration * scale),
    )
    drill.scenario_versions.set(versions)
    # The drill's own assignments put its conversations in the class (Assignment.drill).
    Assignment.every.bulk_create(
        Assignment(classroom=classroom, scenario_version=v, drill=drill) for v in versions
    )
    pool = [(v.pk, v.kind) for v in versions]
    rows = [
        DrillArrival(
            drill=drill,
            student=student,
            number=number,
            due_at=customer.at(now + arrival.at),
            phase=arrival.phase,
            scenario_version_id=arrival.scenario,
        )
        for student in students
        for number, arrival in enumerate(
            arrivals.plan(
                f"{seed}:{student.pk}",
                duration=duration * scale,
                pool=pool,
                intensity=intensity / scale,
            ),
            start=1,
        )
    ]
    DrillArrival.objects.bulk_create(rows)
    first = min((row.due_at for row in rows), default=drill.ends_at).timestamp()
    transaction.on_commit(lambda: customer.wake_at(first))
    return drill


@transaction.atomic
def stop_drill(drill: Drill, *, by: User | None = None) -> Drill:
    """End the drill (the teacher's stop, or its time is up); idempotent.

    Customers not arrived yet never come; those still queued are recorded as never served;
    every open chat ends with the drill's reason and is scored like any other.
    """
    locked = Drill.objects.select_for_update().filter(pk=drill.pk).first()
    if locked is None or not locked.is_running:
        return locked or drill
    now = timezone.now()
    Drill.objects.filter(pk=drill.pk).update(state=Drill.State.ENDED, ended_at=now, stopped_by=by)
    arrivals_of = DrillArrival.objects.filter(drill=drill)
    arrivals_of.filter(state=DrillArrival.State.PENDING).delete()
    arrivals_of.filter(state=DrillArrival.State.QUEUED).update(state=DrillArrival.State.DROPPED)
    for conversation in (
        drill.conversations.filter(status=Conversation.Status.ACTIVE)
        .select_related("scenario_version", "assignment")
        .order_by("pk")
    ):
        services.end_conversation(conversation, reason=Conversation.EndReason.DRILL)
    locked.refresh_from_db()
    _tell_students(locked, {a.student_id for a in arrivals_of.only("student_id")})
    return locked


# ------------------------------------------------------------------ the scheduler's pass


# A queued customer enters at most this long after a chat ends (seconds): the scheduler's
# passes come every few milliseconds in a rush, and a drill pass costs a few queries.
ADMIT_GAP = 0.5
# Seconds a pre-sale or order customer waits in the queue before giving up: the platform's own
# 3-minute line (DOMAIN.md §7), on the customer's clock (CUSTOMER_TIME_SCALE). An after-sale
# customer never simply leaves: they stay in the queue.
QUEUE_PATIENCE = 180.0
# When this process's next drill pass is due (epoch seconds): `run_due` skips passes before.
_next = 0.0


def run_due(now: float | None = None) -> float | None:
    """Arrivals, admissions and endings due by `now`; when the next one falls due (epoch
    seconds), None if no drill is running. One cheap query when none is."""
    global _next
    now = customer.clock() if now is None else now
    if not Drill.objects.filter(state=Drill.State.RUNNING).exists():
        return None
    if now < _next:
        return _next
    for drill in Drill.objects.filter(state=Drill.State.RUNNING, ends_at__lte=customer.at(now)):
        stop_drill(drill)
    with transaction.atomic():
        students = _arrive(now)
        students |= _give_up(now)
        students |= _admit()
        for drill_id, student_ids in _by_drill(students).items():
            drill = Drill.objects.get(pk=drill_id)
            transaction.on_commit(
                lambda drill=drill, ids=student_ids: _tell_students(drill, ids, committed=True)
            )
    _next = next_due(now) or now + ADMIT_GAP
    return _next


def reset() -> None:
    """Forget the planned pass (tests move the clock back and forth)."""
    global _next
    _next = 0.0


def next_due(now: float) -> float | None:
    running = Drill.objects.filter(state=Drill.State.RUNNING)
    ends = running.order_by("ends_at").values_list("ends_at", flat=True).first()
    if ends is None:
        return None
    arrival = (
        DrillArrival.objects.filter(state=DrillArrival.State.PENDING, drill__in=running)
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )
    times = [ends.timestamp()] + ([arrival.timestamp()] if arrival else [])
    if DrillArrival.objects.filter(state=DrillArrival.State.QUEUED, drill__in=running).exists():
        # A queued customer enters when a chat ends: look again soon.
        times.append(now + ADMIT_GAP)
    return min(times)


def _arrive(now: float) -> set[tuple[int, int]]:
    """Customers whose time has come join their student's queue (claimed by one UPDATE)."""
    due = list(
        DrillArrival.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(
            state=DrillArrival.State.PENDING,
            due_at__lte=customer.at(now),
            drill__state=Drill.State.RUNNING,
        )
        .values_list("pk", "drill_id", "student_id")
    )
    if due:
        DrillArrival.objects.filter(pk__in=[pk for pk, *_ in due]).update(
            state=DrillArrival.State.QUEUED
        )
    return {(drill_id, student_id) for _pk, drill_id, student_id in due}


def _give_up(now: float) -> set[tuple[int, int]]:
    """Queued customers past their patience leave unserved (after-sale ones never do)."""
    limit = customer.at(now - QUEUE_PATIENCE * settings.CUSTOMER_TIME_SCALE)
    leaving = list(
        DrillArrival.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(
            state=DrillArrival.State.QUEUED, due_at__lte=limit, drill__state=Drill.State.RUNNING
        )
        .exclude(scenario_version__kind=arrivals.AFTER_SALE)
        .values_list("pk", "drill_id", "student_id")
    )
    if leaving:
        DrillArrival.objects.filter(pk__in=[pk for pk, *_ in leaving]).update(
            state=DrillArrival.State.LEFT
        )
    return {(drill_id, student_id) for _pk, drill_id, student_id in leaving}


def _admit() -> set[tuple[int, int]]:
    """Each student with a free chat takes the oldest customers of their queue."""
    queued = list(
        DrillArrival.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(state=DrillArrival.State.QUEUED, drill__state=Drill.State.RUNNING)
        .select_related("drill", "scenario_version")
        .order_by("due_at", "pk")
    )
    if not queued:
        return set()
    busy = {
        (row["drill_id"], row["student_id"]): row["n"]
        for row in Conversation.objects.filter(
            drill__in={a.drill_id for a in queued}, status=Conversation.Status.ACTIVE
        )
        .values("drill_id", "student_id")
        .annotate(n=Count("pk"))
        .order_by()
    }
    assignments = {
        (a.drill_id, a.scenario_version_id): a
        for a in Assignment.every.filter(drill__in={a.drill_id for a in queued})
    }
    changed = set()
    for arrival in queued:
        key = (arrival.drill_id, arrival.student_id)
        if busy.get(key, 0) >= arrival.drill.cap:
            continue
        busy[key] = busy.get(key, 0) + 1
        _enter(arrival, assignments[(arrival.drill_id, arrival.scenario_version_id)])
        changed.add(key)
    return changed


def _enter(arrival: DrillArrival, assignment: Assignment) -> Conversation:
    """The customer's chat opens in the student's workspace; it began at their arrival."""
    conversation = Conversation.objects.create(
        assignment=assignment,
        student_id=arrival.student_id,
        scenario_version=arrival.scenario_version,
        drill_id=arrival.drill_id,
        seed=random.Random(f"{arrival.drill.seed}:{arrival.pk}").randrange(2**31),  # noqa: S311
    )
    Conversation.objects.filter(pk=conversation.pk).update(started_at=arrival.due_at)
    conversation.started_at = arrival.due_at
    conversation.assignment = assignment
    updated = DrillArrival.objects.filter(pk=arrival.pk, state=DrillArrival.State.QUEUED).update(
        state=DrillArrival.State.ENTERED, conversation=conversation
    )
    if not updated:  # pragma: no cover - the row lock makes this impossible
        raise RuntimeError(f"arrival {arrival.pk} entered twice")
    services.feed_customer(conversation, Begin())
    services._announce_row(conversation, assignment.classroom_id)
    return conversation


def _by_drill(keys: Iterable[tuple[int, int]]) -> dict[int, set[int]]:
    out: dict[int, set[int]] = {}
    for drill_id, student_id in keys:
        out.setdefault(drill_id, set()).add(student_id)
    return out


def _tell_students(drill: Drill, student_ids: Iterable[int], *, committed: bool = False) -> None:
    """Each student's workspaces learn their drill's state (after commit)."""
    frames = [
        (User(pk=pk).socket_group, protocol.drill_state(student_state(drill, pk)))
        for pk in student_ids
    ]

    def send() -> None:
        for group, frame in frames:
            services.broadcast(group, frame)

    if committed:
        send()
    else:
        transaction.on_commit(send)


# ------------------------------------------------------------------ reads

# Customers who came and were never served: they count as left unanswered.
NEVER_SERVED = (DrillArrival.State.LEFT, DrillArrival.State.DROPPED)


@dataclass(frozen=True)
class StudentState:
    """What a student's drill workspace shows: their open chats and their queue."""

    drill: Drill
    active: list[int]  # conversation ids, in the order they entered
    queued: int
    served: int  # chats of this drill that have ended

    def to_json(self) -> dict[str, Any]:
        return {
            "drill": self.drill.pk,
            "state": self.drill.state,
            "ends_at": self.drill.ends_at.isoformat(),
            "active": self.active,
            "queued": self.queued,
            "served": self.served,
        }


def student_state(drill: Drill, student_id: int) -> StudentState:
    conversations = list(
        Conversation.objects.filter(drill=drill, student_id=student_id)
        .order_by("started_at", "pk")
        .values_list("pk", "status")
    )
    queued = DrillArrival.objects.filter(
        drill=drill, student_id=student_id, state=DrillArrival.State.QUEUED
    ).count()
    return StudentState(
        drill=drill,
        active=[pk for pk, status in conversations if status == Conversation.Status.ACTIVE],
        queued=queued,
        served=sum(1 for _pk, status in conversations if status == Conversation.Status.ENDED),
    )


def running_drill_for_student(user: User) -> Drill | None:
    """The running drill of a class the student is in (the home page's call to join)."""
    return (
        Drill.objects.filter(state=Drill.State.RUNNING, classroom__memberships__student=user)
        .select_related("classroom")
        .first()
    )


@dataclass
class BoardRow:
    """One student on the teacher's live dashboard."""

    student: User
    served: int = 0  # chats ended after the student answered
    active: int = 0
    queued: int = 0
    waiting_since: datetime | None = None  # the longest current wait began then
    answered_in_time: int = 0
    customer_runs: int = 0  # runs of customer lines answered, or waiting past 3 minutes
    unanswered: int = 0  # chats that ended with no reply, and customers never served
    conversations: list[int] = field(default_factory=list)
    longest_wait: int | None = None  # seconds, at the board's time

    @property
    def rate(self) -> int | None:
        """The share of customer lines answered within 3 minutes so far, in per cent."""
        if not self.customer_runs:
            return None
        return round(100 * self.answered_in_time / self.customer_runs)


@dataclass(frozen=True)
class Board:
    drill: Drill
    rows: list[BoardRow]
    now: datetime

    @property
    def seconds_left(self) -> int:
        if not self.drill.is_running:
            return 0
        return max(0, round((self.drill.ends_at - self.now).total_seconds()))

    @property
    def time_left(self) -> str:
        minutes, seconds = divmod(self.seconds_left, 60)
        return f"{minutes}:{seconds:02d}"

    @property
    def totals(self) -> BoardRow:
        total = BoardRow(student=User())
        for row in self.rows:
            total.served += row.served
            total.active += row.active
            total.queued += row.queued
            total.answered_in_time += row.answered_in_time
            total.customer_runs += row.customer_runs
            total.unanswered += row.unanswered
            if row.waiting_since and (
                total.waiting_since is None or row.waiting_since < total.waiting_since
            ):
                total.waiting_since = row.waiting_since
                total.longest_wait = row.longest_wait
        return total


def board(drill: Drill) -> Board:
    """The live dashboard of a drill (the caller checked the user teaches its class): per
    student what they served, have open and queued, their longest current wait and their
    3-minute response rate so far. Four queries whatever the size of the class."""
    now = timezone.now()
    rows = {
        m.student_id: BoardRow(student=m.student)
        for m in drill.classroom.memberships.select_related("student").order_by("student__username")
    }
    for arrival in DrillArrival.objects.filter(
        drill=drill, state__in=[DrillArrival.State.QUEUED, *NEVER_SERVED]
    ).values_list("student_id", "state"):
        if (row := rows.get(arrival[0])) is None:
            continue
        if arrival[1] == DrillArrival.State.QUEUED:
            row.queued += 1
        else:
            row.unanswered += 1
    conversations = {
        c.pk: c for c in Conversation.objects.filter(drill=drill).only("pk", "student_id", "status")
    }
    answered: set[int] = set()
    waiting: dict[int, datetime | None] = {}
    for line in (
        Message.objects.filter(conversation__drill=drill)
        .exclude(role=Message.Role.NOTE)
        .order_by("conversation_id", "seq")
        .values_list("conversation_id", "role", "created_at")
    ):
        pk, role, at = line
        row = rows.get(conversations[pk].student_id)
        if row is None:
            continue
        if role == Message.Role.CUSTOMER:
            if waiting.get(pk) is None:
                waiting[pk] = at
        else:
            answered.add(pk)
            if (since := waiting.get(pk)) is not None:
                row.customer_runs += 1
                if (at - since).total_seconds() <= THREE_MINUTES:
                    row.answered_in_time += 1
            waiting[pk] = None
    for pk, conversation in conversations.items():
        row = rows.get(conversation.student_id)
        if row is None:
            continue
        row.conversations.append(pk)
        since = waiting.get(pk)
        if conversation.is_active:
            row.active += 1
            if since is not None:
                if (now - since).total_seconds() > THREE_MINUTES:
                    row.customer_runs += 1  # already late, whatever comes
                if row.waiting_since is None or since < row.waiting_since:
                    row.waiting_since = since
        elif pk in answered:
            row.served += 1
        else:
            row.unanswered += 1
    for row in rows.values():
        if row.waiting_since is not None:
            row.longest_wait = max(0, round((now - row.waiting_since).total_seconds()))
    return Board(drill=drill, rows=list(rows.values()), now=now)
