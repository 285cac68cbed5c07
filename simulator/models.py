"""Classrooms, assignments and the conversations students hold in them."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scenarios.models import ScenarioVersion

# No 0/O or 1/I: codes are read aloud and copied from a projector.
JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(6))


class User(AbstractUser):
    class Role(models.TextChoices):
        STUDENT = "student", _("Student")
        INSTRUCTOR = "instructor", _("Instructor")

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.STUDENT)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, blank=True, default=""
    )

    @property
    def is_instructor(self) -> bool:
        return self.role == self.Role.INSTRUCTOR

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def socket_group(self) -> str:
        """Every open workspace socket of this user, in every server process."""
        return f"user.{self.pk}"


class Classroom(models.Model):
    name = models.CharField(_("name"), max_length=80)
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("instructor"),
        on_delete=models.PROTECT,
        related_name="taught_classrooms",
    )
    # Shared explicitly by the owner: a co-teacher sees and runs the class as the owner does.
    co_teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("co-teachers"),
        blank=True,
        related_name="co_taught_classrooms",
    )
    join_code = models.CharField(_("join code"), max_length=12, unique=True, default=new_join_code)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # An archived class leaves the teacher's list; its students read transcripts, start nothing.
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    class Meta:
        verbose_name = _("classroom")
        verbose_name_plural = _("classrooms")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Membership(models.Model):
    classroom = models.ForeignKey(
        Classroom, verbose_name=_("classroom"), on_delete=models.CASCADE, related_name="memberships"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["classroom", "student"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.student} @ {self.classroom}"


class AssignmentManager(models.Manager["Assignment"]):
    """The class's assignments as teachers and students list them: a rush drill's own
    (one per scenario of its pool, `Assignment.drill`) are not among them. Relations and joins
    (`conversation.assignment`, `assignment__classroom`) still reach them; `Assignment.every`
    lists them too."""

    def get_queryset(self) -> models.QuerySet[Assignment]:
        return super().get_queryset().filter(drill__isnull=True)


class Assignment(models.Model):
    class Mode(models.TextChoices):
        PRACTICE = "practice", _("Practice")
        EXAM = "exam", _("Exam")

    classroom = models.ForeignKey(
        Classroom, verbose_name=_("classroom"), on_delete=models.CASCADE, related_name="assignments"
    )
    scenario_version = models.ForeignKey(
        ScenarioVersion, verbose_name=_("scenario"), on_delete=models.PROTECT
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"), null=True, blank=True, help_text=_("Empty for unlimited.")
    )
    # Practice shows the report at once; an exam waits for the teacher to release it.
    mode = models.CharField(_("mode"), max_length=12, choices=Mode.choices, default=Mode.PRACTICE)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark"), null=True, blank=True, help_text=_("Empty for the rubric's pass mark.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # A rush drill's scenario: its conversations belong to the class through it, so every
    # teacher check, report and export reaches them; lists of assignments leave it out.
    drill = models.ForeignKey(
        "Drill",
        verbose_name=_("drill"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="drill_assignments",
    )

    every = models.Manager()
    objects = AssignmentManager()

    class Meta:
        base_manager_name = "every"
        default_manager_name = "objects"
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.scenario_version.title} → {self.classroom}"

    @property
    def is_overdue(self) -> bool:
        return self.due_at is not None and self.due_at <= timezone.now()

    @property
    def is_exam(self) -> bool:
        return self.mode == self.Mode.EXAM


class Conversation(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("In progress")
        ENDED = "ended", _("Ended")

    class Outcome(models.TextChoices):
        SUCCESS = "success", _("Success")
        PARTIAL = "partial", _("Partly resolved")
        LOST = "lost", _("Customer lost")
        ESCALATED = "escalated", _("Escalated")

    class EndReason(models.TextChoices):
        CUSTOMER = "customer", _("The customer ended the chat")
        STUDENT = "student", _("The student closed the chat")
        TEACHER = "teacher", _("A teacher ended the chat")
        DRILL = "drill", _("The drill ended")
        TRANSFERRED = "transferred", _("The student transferred the chat to a supervisor")

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assignment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        related_name="conversations",
    )
    scenario_version = models.ForeignKey(
        ScenarioVersion, verbose_name=_("scenario"), on_delete=models.PROTECT
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    last_seq = models.PositiveIntegerField(default=0)
    seed = models.BigIntegerField(default=0)
    engine_state = models.JSONField(default=dict, blank=True)
    # The customer's latest line, kept here so recognising an agent message needs no search
    # back through the conversation ("可以的" answers it: DESIGN.md, context of a move).
    customer_last_line = models.TextField(blank=True, default="")
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.CharField(
        _("ended by"), max_length=12, choices=EndReason.choices, blank=True, default=""
    )
    ending = models.CharField(_("ending"), max_length=64, blank=True, default="")
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome.choices, blank=True, default=""
    )
    rating = models.PositiveSmallIntegerField(_("customer rating"), null=True, blank=True)
    # The customer's short review at the end, in the scenario's language (the script's words).
    review = models.TextField(_("customer review"), blank=True, default="")
    # The teacher playing the customer (the live monitor's takeover), while the engine is paused;
    # the engine's own state says whether it is (engine_state["taken_over"]).
    taken_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("played by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A classmate playing the customer (role-play, issue 7 part 5): the engine is paused from
    # the start, this student types the customer's lines from the role card; `student` is the
    # agent, whose attempt it is and whose transcript is scored.
    customer_player = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer played by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="played_conversations",
    )
    # A customer of a Double-11 rush drill (simulator/drills.py); `started_at` is when the
    # customer arrived, queue included, and their first line is stamped then.
    drill = models.ForeignKey(
        "Drill",
        verbose_name=_("drill"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
    )

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["student", "status"], name="conversation_student_status")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.scenario_version.title}"

    @property
    def group_name(self) -> str:
        return f"conversation.{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def classroom_pk(self) -> int | None:
        """The class of the attempt, read from the assignment when it came with it."""
        if self.assignment_id is None:
            return None
        if Conversation.assignment.is_cached(self):
            return self.assignment.classroom_id
        return (
            Assignment.every.filter(pk=self.assignment_id)
            .values_list("classroom_id", flat=True)
            .first()
        )

    @property
    def is_taken_over(self) -> bool:
        """A teacher plays the customer: the engine is paused."""
        return bool(self.engine_state.get("taken_over"))

    @property
    def is_peer(self) -> bool:
        """A classmate plays the customer (role-play)."""
        return self.customer_player_id is not None


def monitor_group(classroom_id: int) -> str:
    """The live monitor of a class: its teachers' sockets, never a student's."""
    return f"classroom.{classroom_id}.monitor"


class Drill(models.Model):
    """A Double-11 rush drill (双十一大促演练): a wave of scripted customers for every student of
    a class at once, each student serving up to `cap` of them while the rest queue."""

    class State(models.TextChoices):
        RUNNING = "running", _("Running")
        ENDED = "ended", _("Ended")

    DURATIONS = (10, 20, 30)  # minutes offered to the teacher
    CAPS = (3, 5, 8)  # novice, standard, Double-11 stretch (DOMAIN.md §7)

    classroom = models.ForeignKey(
        Classroom, verbose_name=_("classroom"), on_delete=models.CASCADE, related_name="drills"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    scenario_versions = models.ManyToManyField(
        ScenarioVersion, verbose_name=_("scenarios"), related_name="+"
    )
    duration = models.PositiveIntegerField(_("duration (seconds)"))
    cap = models.PositiveSmallIntegerField(_("chats at once per student"), default=3)
    seed = models.BigIntegerField(default=0)
    # The arrival pace (1 = DOMAIN.md's curve); tests and demos squeeze a drill into seconds.
    intensity = models.FloatField(default=1.0)
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.RUNNING
    )
    started_at = models.DateTimeField(_("started at"))
    ends_at = models.DateTimeField(_("ends at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    stopped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("stopped by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("rush drill")
        verbose_name_plural = _("rush drills")
        ordering = ["-started_at"]
        constraints = [
            # One drill at a time in a class: the students' queues are per drill.
            models.UniqueConstraint(
                fields=["classroom"],
                condition=Q(state="running"),
                name="drill_one_running_per_class",
            )
        ]

    def __str__(self) -> str:
        return f"{self.classroom} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def is_running(self) -> bool:
        return self.state == self.State.RUNNING

    @property
    def minutes(self) -> int:
        return round(self.duration / 60)


class DrillArrival(models.Model):
    """One customer of a drill for one student, stored when the drill starts.

    pending -> queued (arrived, the student's chats at the cap) -> entered (a conversation);
    or left (gave up in the queue), or dropped (still queued when the drill ended). Each step is a conditional UPDATE, so a restart
    resumes the schedule and no customer arrives twice.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Not arrived yet")
        QUEUED = "queued", _("Queued")
        ENTERED = "entered", _("Being served")
        LEFT = "left", _("Gave up in the queue")
        DROPPED = "dropped", _("Never served")

    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="arrivals")
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="drill_arrivals"
    )
    number = models.PositiveSmallIntegerField()  # the student's nth customer
    due_at = models.DateTimeField()
    phase = models.CharField(max_length=16)
    scenario_version = models.ForeignKey(
        ScenarioVersion, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING)
    conversation = models.OneToOneField(
        Conversation, null=True, blank=True, on_delete=models.SET_NULL, related_name="arrival"
    )

    class Meta:
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["drill", "student", "number"], name="drill_arrival_unique"
            )
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=Q(state__in=["pending", "queued"]),
                name="drill_arrival_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.drill_id}/{self.student_id}#{self.number} {self.state}"


class Message(models.Model):
    class Role(models.TextChoices):
        CUSTOMER = "customer", _("Customer")
        AGENT = "agent", _("Agent")
        # A teacher's private coaching note to the student: in the conversation's sequence (so
        # resume works), never a chat line (the scorer and the customer engine skip it).
        NOTE = "note", _("Coaching note")
        # A use of the shop's tools (a product card, an order check, an order change, a remark,
        # a coupon, a transfer): a line of the chat whose card is drawn from `payload`.
        TOOL = "tool", _("Shop tool")

    conversation = models.ForeignKey(
        Conversation,
        verbose_name=_("conversation"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
    seq = models.PositiveIntegerField(_("number"))
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    text = models.TextField(_("text"))
    client_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(_("sent at"))
    # Recognised once, when stored, so the engine and the scorer never disagree (DESIGN.md).
    moves = models.JSONField(default=list, blank=True)
    evidence = models.JSONField(default=dict, blank=True)
    claims = models.JSONField(default=list, blank=True)
    # The customer engine's clock when it heard this agent message (epoch seconds): with the
    # seed, the moves and the claims, what a replay needs to say exactly the same lines.
    heard_at = models.FloatField(null=True, blank=True)
    # A tool use's card (simulator.engine.workbench) and the request it answered (`request`,
    # compared on a resend with the same client_id); empty for every other line.
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        # By the column, not the relation: "conversation" would order by the conversation's own
        # ordering and join its table into every query of messages.
        ordering = ["conversation_id", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "seq"], name="message_unique_seq"),
            models.UniqueConstraint(
                fields=["conversation", "client_id"],
                condition=Q(client_id__isnull=False),
                name="message_unique_client_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.conversation_id}#{self.seq} {self.role}"


class ScheduledAction(models.Model):
    """A customer action due later (typing, a line, a patience check): stored, so a restart resumes it."""

    class Kind(models.TextChoices):
        TYPING = "typing", _("Typing indicator")
        SAY = "say", _("Customer line")
        TICK = "tick", _("Timer")
        END = "end", _("End of conversation")

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="scheduled_actions"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    due_at = models.DateTimeField()
    payload = models.JSONField(default=dict, blank=True)
    # Set when the action ran, or was tried and failed (then `failed`); cancelled ones are deleted.
    done_at = models.DateTimeField(null=True, blank=True)
    failed = models.BooleanField(default=False)

    class Meta:
        indexes = [
            # The scheduler's scan: only what is still pending, by due time.
            models.Index(
                fields=["due_at"],
                condition=Q(done_at__isnull=True),
                name="scheduled_action_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.conversation_id} at {self.due_at:%H:%M:%S}"


class AuditEvent(models.Model):
    """Who changed what in a class: accounts, roster, sharing, assignments and marks.

    Rows are only ever added (simulator.audit.record, inside the change's own transaction), so
    the log and the change commit or roll back together. Scenario edits are audited by their
    immutable versions (`ScenarioVersion.saved_by`), mark changes also by `MarkOverride`.
    """

    class Action(models.TextChoices):
        CLASSROOM_RENAMED = "classroom.renamed", _("renamed the class")
        CLASSROOM_ARCHIVED = "classroom.archived", _("archived the class")
        CLASSROOM_RESTORED = "classroom.restored", _("restored the class")
        JOIN_CODE_CHANGED = "classroom.join_code", _("issued a new join code")
        STUDENTS_ADDED = "roster.added", _("added students")
        STUDENT_REMOVED = "roster.removed", _("removed a student")
        PASSWORD_RESET = "account.password_reset", _("reset a student's password")
        SIGN_IN_UNLOCKED = "account.unlocked", _("unlocked a student's sign-in")
        CO_TEACHER_ADDED = "sharing.added", _("shared the class with a teacher")
        CO_TEACHER_REMOVED = "sharing.removed", _("stopped sharing the class with a teacher")
        ASSIGNMENT_CREATED = "assignment.created", _("assigned a scenario")
        ASSIGNMENT_CHANGED = "assignment.changed", _("changed an assignment")
        ASSIGNMENT_DELETED = "assignment.deleted", _("deleted an assignment")
        MARK_OVERRIDDEN = "mark.overridden", _("changed a mark")
        TAKEN_OVER = "conversation.taken_over", _("took over a customer")
        HANDED_BACK = "conversation.handed_back", _("handed a customer back to the script")
        CONVERSATION_ENDED = "conversation.ended", _("ended a student's conversation")
        PAIRED = "conversation.paired", _("paired classmates for a role-play")
        INVITED = "conversation.invited", _("invited a classmate to a role-play")
        QUICK_REPLY_CHANGED = "quick_reply.changed", _("changed the class's quick replies")

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    # SET_NULL: the record outlives the accounts it names; `details` keeps their names.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=40, choices=Action.choices)
    classroom = models.ForeignKey(
        Classroom,
        verbose_name=_("classroom"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("concerning"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class QuickReply(models.Model):
    """A canned phrase (快捷短语) the agent inserts into the reply box and edits before sending.

    Exactly one owner: a class's phrase (kept by whoever teaches it) or a student's own.
    """

    classroom = models.ForeignKey(
        Classroom,
        verbose_name=_("classroom"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="quick_replies",
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("student"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="quick_replies",
    )
    group = models.CharField(_("group"), max_length=20, blank=True, default="")
    title = models.CharField(_("title"), max_length=30)
    text = models.TextField(_("text"), max_length=500)
    # Lower first; gaps are fine (a move swaps two positions).
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("quick reply")
        verbose_name_plural = _("quick replies")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(classroom__isnull=True, student__isnull=False)
                | Q(classroom__isnull=False, student__isnull=True),
                name="quick_reply_one_owner",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_class_wide(self) -> bool:
        return self.classroom_id is not None


class RolePlayInvite(models.Model):
    """A student asks a classmate to role-play an assignment (issue 7, part 5): one answers as
    the shop, the other plays the customer. Accepting opens the pair as a teacher's pairing does
    (simulator/peers.py); the invitation stays as the record of who asked whom."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Withdrawn")

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE, related_name="invites"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    player = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer player"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    conversation = models.ForeignKey(
        Conversation,
        verbose_name=_("conversation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("role-play invitation")
        verbose_name_plural = _("role-play invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "agent", "player"],
                condition=Q(status="pending"),
                name="one_pending_invite_per_pair",
            ),
            models.CheckConstraint(condition=~Q(agent=F("player")), name="invite_two_students"),
        ]

    def __str__(self) -> str:
        return f"{self.invited_by} → {self.invitee} ({self.status})"

    @property
    def invitee(self):
        return self.player if self.invited_by_id == self.agent_id else self.agent

    @property
    def invitee_id(self) -> int:
        return self.player_id if self.invited_by_id == self.agent_id else self.agent_id

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
