"""Reads with access checks: 'missing' and 'not yours' both raise Http404."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from scenarios.models import ScenarioVersion
from scenarios.selectors import VersionUse
from simulator.models import (
    Assignment,
    AuditEvent,
    Classroom,
    Conversation,
    Drill,
    Membership,
    Message,
    RolePlayInvite,
    ScheduledAction,
    User,
)
from simulator.protocol import ALERT_MOVES


def teaches(user: User, *, via: str = "") -> Q:
    """The one rule of who teaches a class: its owner and its co-teachers, instructors only.

    `via` is the lookup from the filtered model to its classroom (`"assignment__classroom"`);
    empty when filtering classrooms themselves. Every "teacher of the class" check goes here.
    """
    taught = Classroom.objects.none()
    if user.is_authenticated and user.is_instructor:
        taught = Classroom.objects.filter(Q(instructor=user) | Q(co_teachers=user))
    return Q(**{f"{via}__in" if via else "pk__in": taught.values("pk")})


def teaches_classroom(user: User, classroom_id: int | None) -> bool:
    """Whether `user` teaches the classroom with this id (owner or co-teacher)."""
    return (
        classroom_id is not None
        and Classroom.objects.filter(teaches(user), pk=classroom_id).exists()
    )


def conversations_visible_to(user: User) -> QuerySet[Conversation]:
    """Students see their own; instructors see those of the classrooms they teach."""
    if not user.is_authenticated:
        return Conversation.objects.none()
    if user.is_instructor:
        return Conversation.objects.filter(teaches(user, via="assignment__classroom"))
    return Conversation.objects.filter(student=user)


def conversation_for(user: User, conversation_id: int) -> Conversation:
    conversation = (
        conversations_visible_to(user)
        .select_related("scenario_version", "assignment__classroom", "student")
        .filter(pk=conversation_id)
        .first()
    )
    if conversation is None:
        raise Http404
    return conversation


def own_conversation_for(user: User, conversation_id: int) -> Conversation:
    """A conversation the user may write in as the agent: only the student's own."""
    conversation = conversation_for(user, conversation_id)
    if conversation.student_id != user.pk:
        raise Http404
    return conversation


def played_conversation_for(user: User, conversation_id: int) -> Conversation:
    """A conversation whose customer `user` plays (a classmate's role-play): its chat and role
    card, never its report. Http404 for anyone else, its agent-student included."""
    conversation = (
        Conversation.objects.filter(customer_player=user, pk=conversation_id)
        .select_related("scenario_version", "assignment__classroom", "student", "taken_over_by")
        .first()
        if user.is_authenticated
        else None
    )
    if conversation is None:
        raise Http404
    return conversation


def chat_conversation_for(user: User, conversation_id: int) -> Conversation:
    """A conversation whose chat `user` may follow live: one they may see, or whose customer
    they play. The socket's subscribe; pages other than the customer's seat use
    `conversation_for`, which a customer player never passes."""
    try:
        return conversation_for(user, conversation_id)
    except Http404:
        return played_conversation_for(user, conversation_id)


@dataclass(frozen=True)
class Invites:
    """A student's role-play invitations as their home shows them."""

    received: list[RolePlayInvite]  # pending, for them to accept or decline
    sent: list[RolePlayInvite]  # pending ones they may withdraw, and ones accepted lately


def invites_for(user: User) -> Invites:
    """Pending invitations to and from `user`, and their own accepted in the last hour whose
    chat is still going (so the inviter finds the way in)."""
    related = ("assignment__scenario_version", "agent", "player", "invited_by", "conversation")
    pending = RolePlayInvite.objects.filter(status=RolePlayInvite.Status.PENDING)
    received = list(
        pending.filter(Q(agent=user) | Q(player=user))
        .exclude(invited_by=user)
        .select_related(*related)
    )
    recent = timezone.now() - timedelta(hours=1)
    sent = list(
        RolePlayInvite.objects.filter(invited_by=user)
        .filter(
            Q(status=RolePlayInvite.Status.PENDING)
            | Q(
                status=RolePlayInvite.Status.ACCEPTED,
                answered_at__gte=recent,
                conversation__status=Conversation.Status.ACTIVE,
            )
        )
        .select_related(*related)
    )
    return Invites(received, sent)


def classmates_by_classroom(user: User) -> dict[int, list[User]]:
    """For each class of the student, the other students, by name (the invitation's choice)."""
    found: dict[int, list[User]] = {}
    for membership in (
        Membership.objects.filter(classroom__memberships__student=user)
        .exclude(student=user)
        .select_related("student")
        .order_by("student__username")
    ):
        found.setdefault(membership.classroom_id, []).append(membership.student)
    return found


def other_active_chats(user: User, conversation: Conversation) -> list[Conversation]:
    """The student's other chats still going (a rush drill's have their own workspace): the
    workspace lists them, so a second customer never waits unseen."""
    return list(
        Conversation.objects.filter(
            student=user, status=Conversation.Status.ACTIVE, assignment__drill__isnull=True
        )
        .exclude(pk=conversation.pk)
        .select_related("scenario_version")
        .order_by("started_at")[:20]
    )


def customer_seats(user: User) -> list[Conversation]:
    """The role-plays in which `user` plays the customer: active ones first, newest first."""
    return list(
        Conversation.objects.filter(customer_player=user)
        .select_related("scenario_version", "student", "assignment__classroom")
        .order_by("status", "-started_at")[:20]
    )


def taught_conversation_for(user: User, conversation_id: int) -> Conversation:
    """A conversation of a class the user teaches (owner or co-teacher): the live monitor's
    takeover, coaching notes and ending. Its own student gets Http404, like anyone else."""
    conversation = (
        Conversation.objects.filter(teaches(user, via="assignment__classroom"), pk=conversation_id)
        .select_related("scenario_version", "assignment__classroom", "student")
        .first()
    )
    if conversation is None:
        raise Http404
    return conversation


def messages_after(
    conversation: Conversation, seq: int, *, limit: int | None = None, notes: bool = True
) -> list[Message]:
    """The messages after `seq` in order, at most `limit` of them (the first ones); without
    the coaching notes for a reader who may not see them (the classmate playing the customer)."""
    messages = conversation.messages.filter(seq__gt=seq)
    if not notes:
        messages = messages.exclude(role=Message.Role.NOTE)
    return list(messages.order_by("seq")[:limit])


def taught_classroom_for(user: User, classroom_id: int) -> Classroom:
    classroom = Classroom.objects.filter(teaches(user), pk=classroom_id).first()
    if classroom is None:
        raise Http404
    return classroom


def taught_assignment_for(user: User, assignment_id: int) -> Assignment:
    """An assignment of a class the user teaches; Http404 otherwise."""
    assignment = (
        Assignment.objects.filter(teaches(user, via="classroom"), pk=assignment_id)
        .select_related("classroom", "scenario_version")
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment


def co_teacher_for(classroom: Classroom, teacher_id: int) -> User:
    """A co-teacher of `classroom`; anyone else is missing."""
    teacher = classroom.co_teachers.filter(pk=teacher_id).first()
    if teacher is None:
        raise Http404
    return teacher


def same_scenario_assignments(classroom: Classroom, version: ScenarioVersion) -> list[Assignment]:
    """The class's assignments of the same scenario, any version: assigning again needs a yes."""
    return list(
        classroom.assignments.filter(scenario_version__scenario_id=version.scenario_id)
        .select_related("scenario_version")
        .order_by("created_at")
    )


def former_students(classroom: Classroom) -> list[tuple[User, list[Conversation]]]:
    """Students removed from the class, with their attempts in it: kept for the teacher."""
    attempts: dict[int, list[Conversation]] = {}
    students: dict[int, User] = {}
    for conversation in (
        Conversation.objects.filter(assignment__classroom=classroom)
        .exclude(student__memberships__classroom=classroom)
        .select_related("student", "scenario_version")
        .order_by("started_at")
    ):
        students.setdefault(conversation.student_id, conversation.student)
        attempts.setdefault(conversation.student_id, []).append(conversation)
    return [(students[pk], attempts[pk]) for pk in students]


def classroom_student_for(classroom: Classroom, student_id: int) -> User:
    """A student enrolled in `classroom`; anyone else is missing."""
    student = User.objects.filter(pk=student_id, memberships__classroom=classroom).first()
    if student is None:
        raise Http404
    return student


def audit_events_of(classroom: Classroom) -> QuerySet[AuditEvent]:
    """The class's audit log, newest first (the caller checked the user teaches it)."""
    return classroom.audit_events.select_related("actor", "subject")


def locked_out_usernames(usernames: list[str]) -> set[str]:
    """Which of these usernames django-axes refuses now: the limit reached within the cool-off."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return set(
        AccessAttempt.objects.filter(username__in=usernames, attempt_time__gte=since)
        .values("username")
        .annotate(failures=Sum("failures_since_start"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .values_list("username", flat=True)
    )


def assignment_for_student(user: User, assignment_id: int) -> Assignment:
    assignment = (
        Assignment.objects.select_related("scenario_version", "classroom")
        .filter(pk=assignment_id, classroom__memberships__student=user)
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment


# ----------------------------------------------------------------- home pages


@dataclass(frozen=True)
class AssignmentRow:
    assignment: Assignment
    attempts: list[Conversation]
    active: Conversation | None
    classmates: tuple[User, ...] = ()  # whom the student may invite to role-play it

    @property
    def can_invite(self) -> bool:
        """A practice assignment still open, in a class with someone else in it."""
        a = self.assignment
        return bool(self.classmates) and not (a.is_exam or a.is_overdue or a.classroom.is_archived)

    @property
    def attempts_left(self) -> int | None:
        if self.assignment.max_attempts is None:
            return None
        return max(0, self.assignment.max_attempts - len(self.attempts))

    @property
    def can_start(self) -> bool:
        if self.active is not None:
            return True
        if self.assignment.classroom.is_archived:
            return False
        return self.attempts_left != 0 and not self.assignment.is_overdue


def student_assignments(user: User) -> list[AssignmentRow]:
    assignments = (
        Assignment.objects.filter(classroom__memberships__student=user)
        .select_related("scenario_version", "classroom")
        .order_by("-created_at")
    )
    attempts: dict[int, list[Conversation]] = {}
    for conversation in Conversation.objects.filter(
        student=user, assignment__in=assignments
    ).order_by("started_at"):
        attempts.setdefault(conversation.assignment_id, []).append(conversation)
    classmates = classmates_by_classroom(user)
    rows = []
    for assignment in assignments:
        own = attempts.get(assignment.pk, [])
        active = next((c for c in own if c.is_active), None)
        rows.append(
            AssignmentRow(
                assignment, own, active, tuple(classmates.get(assignment.classroom_id, ()))
            )
        )
    return rows


def student_classrooms(user: User) -> QuerySet[Classroom]:
    return Classroom.objects.filter(memberships__student=user).select_related("instructor")


def taught_classrooms(user: User, *, archived: bool = False) -> QuerySet[Classroom]:
    """The classes `user` teaches or co-teaches: the current ones, or the archived ones."""
    return (
        Classroom.objects.filter(teaches(user), archived_at__isnull=not archived)
        .select_related("instructor")
        .annotate(student_count=Count("memberships", distinct=True))
        .prefetch_related("assignments__scenario_version")
    )


def instructor_recent_conversations(user: User, limit: int = 20) -> QuerySet[Conversation]:
    return (
        conversations_visible_to(user)
        .select_related("student", "scenario_version", "assignment__classroom")
        .order_by("-started_at")[:limit]
    )


@dataclass(frozen=True)
class TaughtAssignment:
    """An assignment as its class's page lists it: progress, and the newest version it could run."""

    assignment: Assignment
    progress: dict[str, int]
    newest: int  # the newest version number of its scenario

    @property
    def movable(self) -> bool:
        """A newer version exists and nobody has started: it may move (simulator/versions.py)."""
        return (
            self.newest > self.assignment.scenario_version.number and not self.progress["started"]
        )


def assignment_rows(classroom: Classroom) -> list[TaughtAssignment]:
    """The class's assignments, newest first, each with its progress and its scenario's newest
    version."""
    assignments = list(classroom.assignments.select_related("scenario_version"))
    newest = dict(
        ScenarioVersion.objects.filter(
            scenario_id__in={a.scenario_version.scenario_id for a in assignments}
        )
        .values("scenario_id")
        .annotate(newest=Max("number"))
        .values_list("scenario_id", "newest")
    )
    return [
        TaughtAssignment(a, assignment_progress(a), newest[a.scenario_version.scenario_id])
        for a in assignments
    ]


def assignment_progress(assignment: Assignment) -> dict[str, int]:
    counts = assignment.conversations.aggregate(
        started=Count("student", distinct=True),
        finished=Count("student", filter=Q(status=Conversation.Status.ENDED), distinct=True),
    )
    return counts


def recent_agent_texts(instructor: User, language: str, limit: int = 200) -> list[str]:
    """What the instructor's students wrote lately: real samples for the lexicon editor."""
    return list(
        Message.objects.filter(
            teaches(instructor, via="conversation__assignment__classroom"),
            role=Message.Role.AGENT,
            conversation__scenario_version__language=language,
        )
        .order_by("-created_at")
        .values_list("text", flat=True)[:limit]
    )


def customer_typing_left(conversation: Conversation, now: datetime) -> float | None:
    """Seconds until the customer's line being typed is sent, if the typing has begun.

    A socket that subscribes mid-typing (a reload, a late page load) still sees the indicator.
    """
    pending = ScheduledAction.objects.filter(conversation=conversation, done_at__isnull=True)
    say = pending.filter(kind=ScheduledAction.Kind.SAY).order_by("due_at").first()
    if (
        say is None
        or pending.filter(kind=ScheduledAction.Kind.TYPING, due_at__lt=say.due_at).exists()
    ):
        return None  # nothing pending, or the customer is still reading
    return max(0.0, (say.due_at - now).total_seconds())


def scenario_uses_for(user: User, scenario_id: int) -> list[VersionUse]:
    """The assignments of the classes `user` teaches that run a version of this scenario."""
    assignments = (
        Assignment.objects.filter(
            teaches(user, via="classroom"), scenario_version__scenario_id=scenario_id
        )
        .select_related("classroom", "scenario_version")
        .annotate(started=Count("conversations__student", distinct=True))
    )
    return [
        VersionUse(
            classroom=assignment.classroom.name,
            number=assignment.scenario_version.number,
            started=assignment.started,
            classroom_url=reverse("simulator:classroom", args=[assignment.classroom_id]),
            move_url=reverse("simulator:move_assignment", args=[assignment.pk]),
        )
        for assignment in assignments
    ]


# ----------------------------------------------------------------- the live monitor


@dataclass(frozen=True)
class MonitorRow:
    """One active conversation as the live monitor shows it (protocol.monitor_row's input)."""

    conversation: Conversation
    classroom_id: int
    last: Message | None = None  # the latest chat line (a coaching note is not one)
    waiting_since: datetime | None = None  # the first customer line not yet answered
    alerts: frozenset[str] = frozenset()  # "promise", "rude": raised by any agent line so far
    taken_over_by: str | None = None

    @property
    def mood_level(self) -> str:
        mood = self.conversation.engine_state.get("mood", 1)
        return "calm" if mood <= 1 else "upset" if mood <= 3 else "angry"

    @property
    def state(self) -> str:
        return self.conversation.engine_state.get("node", "")

    @property
    def is_taken_over(self) -> bool:
        return self.conversation.is_taken_over

    @property
    def is_played_by_classmate(self) -> bool:
        """A role-play whose customer the classmate plays (no teacher has stepped in)."""
        c = self.conversation
        return c.customer_player_id is not None and c.taken_over_by_id == c.customer_player_id


def monitor_rows(
    classroom_ids: Iterable[int],
    *,
    conversation_id: int | None = None,
    drill_id: int | None = None,
) -> list[MonitorRow]:
    """The active conversations of these classes (the caller checked the user teaches them),
    oldest first, each with its last line, how long the customer has waited and its alerts.
    With `conversation_id`, that conversation only, whatever its status; with `drill_id`, that
    drill's only.

    Two queries whatever the number of conversations: the conversations, then their lines.
    """
    found = Conversation.objects.filter(assignment__classroom__in=list(classroom_ids))
    if conversation_id is None:
        found = found.filter(status=Conversation.Status.ACTIVE)
    else:
        found = found.filter(pk=conversation_id)
    if drill_id is not None:
        found = found.filter(drill_id=drill_id)
    conversations = list(
        found.select_related("student", "scenario_version", "assignment", "taken_over_by").order_by(
            "started_at", "pk"
        )
    )
    last: dict[int, Message] = {}
    waiting: dict[int, datetime | None] = {}
    alerts: dict[int, set[str]] = {}
    lines = (
        Message.objects.filter(conversation__in=[c.pk for c in conversations])
        .exclude(role=Message.Role.NOTE)
        .only("conversation_id", "seq", "role", "text", "created_at", "moves")
        .order_by("conversation_id", "seq")
    )
    for line in lines:
        pk = line.conversation_id
        last[pk] = line
        if line.role == Message.Role.CUSTOMER:
            # A run of customer lines waits from its first; a reply stops the clock.
            waiting.setdefault(pk, line.created_at)
            if waiting[pk] is None:
                waiting[pk] = line.created_at
        else:
            waiting[pk] = None
            alerts.setdefault(pk, set()).update(m for m in line.moves if m in ALERT_MOVES)
    return [
        MonitorRow(
            conversation=c,
            classroom_id=c.assignment.classroom_id,
            last=last.get(c.pk),
            waiting_since=waiting.get(c.pk),
            alerts=frozenset(alerts.get(c.pk, ())),
            taken_over_by=c.taken_over_by.display_name
            if c.taken_over_by and c.is_taken_over
            else None,
        )
        for c in conversations
    ]


# ----------------------------------------------------------------- rush drills


def taught_drill_for(user: User, drill_id: int) -> Drill:
    """A drill of a class the user teaches (owner or co-teacher); Http404 otherwise."""
    drill = (
        Drill.objects.filter(teaches(user, via="classroom"), pk=drill_id)
        .select_related("classroom", "started_by")
        .first()
    )
    if drill is None:
        raise Http404
    return drill


def student_drill_for(user: User, drill_id: int) -> Drill:
    """A drill of a class the student is in; Http404 for anyone else, teachers included."""
    drill = (
        Drill.objects.filter(pk=drill_id, classroom__memberships__student=user)
        .select_related("classroom")
        .first()
        if user.is_authenticated and not user.is_instructor
        else None
    )
    if drill is None:
        raise Http404
    return drill


def drill_chat_for(user: User, drill: Drill, conversation_id: int) -> Conversation:
    """One of the student's own chats in this drill; Http404 otherwise."""
    conversation = (
        Conversation.objects.filter(drill=drill, student=user, pk=conversation_id)
        .select_related("scenario_version", "assignment")
        .first()
    )
    if conversation is None:
        raise Http404
    return conversation


def drill_chats(user: User, drill: Drill) -> list[Conversation]:
    """The student's open chats of this drill, in the order the customers came in."""
    return list(
        Conversation.objects.filter(drill=drill, student=user, status=Conversation.Status.ACTIVE)
        .select_related("scenario_version")
        .order_by("started_at", "pk")
    )


def classroom_drills(classroom: Classroom) -> list[Drill]:
    """The class's drills, newest first (its page lists the last few)."""
    return list(classroom.drills.select_related("started_by")[:5])


def student_drill_history(user: User, *, limit: int = 3) -> list[tuple[Drill, list[Conversation]]]:
    """The student's latest drills that have ended, each with their chats in it (the home
    page lists them: drill chats belong to no assignment the student sees)."""
    chats = list(
        Conversation.objects.filter(
            student=user, drill__isnull=False, drill__state=Drill.State.ENDED
        )
        .select_related("drill__classroom", "scenario_version", "assignment")
        .order_by("-drill__started_at", "started_at", "pk")
    )
    drills: dict[int, tuple[Drill, list[Conversation]]] = {}
    for chat in chats:
        if chat.drill_id not in drills and len(drills) == limit:
            continue
        drills.setdefault(chat.drill_id, (chat.drill, []))[1].append(chat)
    return list(drills.values())
