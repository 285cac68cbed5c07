"""State changes of the live side: classrooms, assignments, attempts, chat messages."""

from __future__ import annotations

import logging
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from axes.utils import reset as axes_reset
from django.db import connections, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scenarios import services as scenario_services
from scenarios.models import ScenarioVersion
from simulator import audit, customer, fanout, protocol, selectors, shop_tools
from simulator.engine import AgentClosed, Begin, Event, HandBack
from simulator.models import (
    Assignment,
    Classroom,
    Conversation,
    Membership,
    Message,
    User,
    monitor_group,
)
from simulator.signals import conversation_ended

log = logging.getLogger(__name__)


class ChatError(Exception):
    """A business rule refused the operation; `code` travels in error frames."""

    code = "refused"
    message = _("This action is not possible.")


class ConversationClosed(ChatError):
    code = "conversation_closed"
    message = _("This conversation has ended.")


class AttemptsUsedUp(ChatError):
    code = "attempts_used_up"
    message = _("You have used all attempts for this assignment.")


class AssignmentClosed(ChatError):
    code = "assignment_closed"
    message = _("This assignment is past its due date.")


class ClientIdConflict(ChatError):
    code = "client_id_conflict"
    message = _("A message with this id was already sent with other text; this one was not stored.")


class NotTakenOver(ChatError):
    code = "not_taken_over"
    message = _("Take over the customer first: the script is playing it.")


class ToolRefused(ChatError):
    """A shop tool the scenario cannot take (simulator.engine.workbench.ToolError's code)."""

    MESSAGES = {
        "no_order": _("This conversation has no order to check or change."),
        "order_shipped": _("The order has shipped: its address and items can no longer change."),
        "unknown_product": _("The shop has no such product."),
        "unknown_option": _("The product does not come in that size or colour."),
        "no_change": _("Nothing changes: the order already says that."),
        "invalid": _("This tool use is incomplete."),
    }

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code
        self.message = self.MESSAGES.get(code, ChatError.message)


class UnknownState(ChatError):
    code = "unknown_state"
    message = _("The scenario has no such state.")


class ClassroomArchived(ChatError):
    code = "classroom_archived"
    message = _(
        "This class is archived: you can read your transcripts, but not start a new attempt."
    )


class ClassroomClosedToJoin(ChatError):
    code = "classroom_archived"
    message = _("This class is archived and takes no new students. Ask your teacher.")


class UnknownJoinCode(ChatError):
    code = "unknown_join_code"
    message = _("No classroom has this join code.")


class OnlyStudentsJoin(ChatError):
    code = "only_students_join"
    message = _(
        "Only students can join a class with a join code. Teachers create their own classes."
    )


def broadcast(group: str, frame: dict[str, Any]) -> None:
    """Ring the bell for a group: the database already holds what it announces."""
    fanout.send(group, {"type": "frame.relay", "frame": frame})


def close_user_sockets(user: User) -> None:
    """Close every open socket of `user`, in every server process (logout, password change).

    The sockets close with code 4401; a page whose session is still valid connects again.
    """
    fanout.send(user.socket_group, {"type": "session.ended"})


# ------------------------------------------------------------------- classrooms


@transaction.atomic
def create_classroom(instructor: User, *, name: str) -> Classroom:
    """A new classroom taught by `instructor`, with a fresh join code."""
    return Classroom.objects.create(instructor=instructor, name=name.strip())


@transaction.atomic
def join_classroom(student: User, *, code: str) -> Membership:
    """Enrol `student` in the classroom with this join code (idempotent)."""
    if student.role != User.Role.STUDENT:
        # Checked before the code, so a teacher cannot even learn whether a code exists.
        raise OnlyStudentsJoin
    classroom = Classroom.objects.filter(join_code=code.strip().upper()).first()
    if classroom is None:
        raise UnknownJoinCode
    if classroom.archived_at is not None:
        raise ClassroomClosedToJoin
    membership, _created = Membership.objects.get_or_create(classroom=classroom, student=student)
    return membership


@transaction.atomic
def unlock_sign_in(student: User, *, classroom: Classroom, by: User) -> int:
    """Forget the failed sign-ins of `student`, so a locked username may sign in again."""
    audit.record(audit.Action.SIGN_IN_UNLOCKED, by=by, classroom=classroom, subject=student)
    return axes_reset(username=student.username)


@transaction.atomic
def assign_scenario(
    classroom: Classroom,
    *,
    scenario_version: ScenarioVersion,
    due_at: datetime | None = None,
    max_attempts: int | None = None,
    mode: str = Assignment.Mode.PRACTICE,
    pass_mark: int | None = None,
    by: User | None = None,
) -> Assignment:
    """Give every student of `classroom` this scenario to play, as practice or as an exam.
    `by`: the teacher who did it, for the class's activity log (None: the demo's seeding)."""
    with transaction.atomic():
        assignment = Assignment.objects.create(
            classroom=classroom,
            scenario_version=scenario_version,
            due_at=due_at,
            max_attempts=max_attempts,
            mode=mode,
            pass_mark=pass_mark,
        )
        if by is not None:
            audit.record(
                audit.Action.ASSIGNMENT_CREATED,
                by=by,
                classroom=classroom,
                assignment=scenario_version.title,
                mode=str(assignment.get_mode_display()),
                due_at=due_at.isoformat() if due_at else None,
                max_attempts=max_attempts,
            )
    return assignment


@transaction.atomic
def set_language(user: User, *, language: str) -> None:
    """Remember the interface language the user chose."""
    user.language = language
    user.save(update_fields=["language"])


# ------------------------------------------------------------------- conversations


@transaction.atomic
def start_attempt(assignment: Assignment, *, student: User) -> Conversation:
    """Open a conversation for `student`, or return the one still in progress."""
    if assignment.classroom.archived_at is not None:
        raise ClassroomArchived  # transcripts stay readable; no chat goes on in it
    if active := assignment.conversations.filter(
        student=student, status=Conversation.Status.ACTIVE
    ).first():
        return active
    if assignment.is_overdue:
        raise AssignmentClosed
    used = assignment.conversations.filter(student=student).count()
    if assignment.max_attempts is not None and used >= assignment.max_attempts:
        raise AttemptsUsedUp
    conversation = Conversation.objects.create(
        assignment=assignment,
        student=student,
        scenario_version=assignment.scenario_version,
        seed=random.SystemRandom().randrange(2**31),
    )
    feed_customer(conversation, Begin())
    _announce_row(conversation, assignment.classroom_id)  # the teachers' monitors show it
    return conversation


# What changes while a conversation runs, read afresh under the lock by every write.
LIVE_FIELDS = ("status", "last_seq", "engine_state", "customer_last_line")
# Read under the lock too, but written by its own services (the takeover), never by _save_live.
LOCKED_FIELDS = (*LIVE_FIELDS, "taken_over_by_id")


def _lock(conversations: Iterable[Conversation]) -> None:
    """Take the conversations' row locks and read their live fields onto them.

    One query: on PostgreSQL row locks (SELECT ... FOR UPDATE, in id order so two writers
    cannot deadlock); SQLite has none and needs none: its IMMEDIATE transactions hold the
    database's write lock from their first statement.
    """
    by_pk = {conversation.pk: conversation for conversation in conversations}
    # Whether the student has written yet, in the same statement: the recogniser reads a
    # greeting on the agent's first line only.
    answered = Message.objects.filter(conversation_id=OuterRef("pk"), role=Message.Role.AGENT)
    rows = (
        Conversation.objects.select_for_update()
        .filter(pk__in=by_pk)
        .order_by("pk")
        .annotate(answered=Exists(answered))
        .values("pk", "answered", *LOCKED_FIELDS)
    )
    for row in rows:
        conversation = by_pk[row.pop("pk")]
        for name, value in row.items():
            setattr(conversation, name, value)


def _save_live(conversations: Iterable[Conversation]) -> None:
    """Write the live fields of these conversations back: one statement for all of them."""
    fields = [Conversation._meta.get_field(name) for name in LIVE_FIELDS[1:]]
    connection = connections[Conversation.objects.db]
    # Names from the model, values as parameters; executemany is one statement for all rows.
    sql = "UPDATE {table} SET {columns} WHERE {pk} = %s".format(  # noqa: S608
        table=connection.ops.quote_name(Conversation._meta.db_table),
        columns=", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in fields),
        pk=connection.ops.quote_name(Conversation._meta.pk.column),
    )
    rows = [
        [f.get_db_prep_save(getattr(c, f.attname), connection) for f in fields] + [c.pk]
        for c in conversations
    ]
    if rows:
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


@transaction.atomic
def feed_customer(conversation: Conversation, event: Event) -> None:
    """Tell the scripted customer what happened (the chat began, a timer fired)."""
    _lock([conversation])
    if customer.feed(conversation, event):
        _save_live([conversation])


@dataclass(frozen=True)
class Post:
    """One chat line to store: what `post_messages` takes."""

    conversation: Conversation
    author: User | None
    text: str
    client_id: UUID | None = None
    role: str = Message.Role.AGENT
    # A shop tool's request (protocol.ToolFrame.request()): the line is a tool use, whose text
    # and card the server builds (simulator.shop_tools); `text` is then empty.
    tool: dict[str, Any] | None = None


def post_message(
    conversation: Conversation,
    *,
    author: User | None,
    text: str,
    client_id: UUID | None = None,
    role: str = Message.Role.AGENT,
) -> tuple[Message, bool]:
    """Store one chat line (see post_messages); raise the ChatError that refused it."""
    (outcome,) = post_messages([Post(conversation, author, text, client_id, role)])
    if isinstance(outcome, ChatError):
        raise outcome
    return outcome


def use_tool(
    conversation: Conversation,
    *,
    author: User,
    request: dict[str, Any],
    client_id: UUID | None = None,
) -> tuple[Message, bool]:
    """Store one use of a shop tool (see post_messages); raise the ChatError that refused it."""
    post = Post(conversation, author, "", client_id, role=Message.Role.TOOL, tool=request)
    (outcome,) = post_messages([post])
    if isinstance(outcome, ChatError):
        raise outcome
    return outcome


@transaction.atomic
def post_messages(posts: Sequence[Post]) -> list[tuple[Message, bool] | ChatError]:
    """Store chat lines, each under its conversation's next seq; announce them after commit.

    Concurrent sends share this one transaction and a fixed number of statements whatever
    their number (group commit: simulator.writer): one locked read of the conversations, one
    read of known client ids, one insert of the messages, the customer's schedule, one update.

    Returns, per post in order, (message, created) or the ChatError that refused it. A resend
    with a known client_id returns the stored row; the same id with other text is refused, so
    the client learns its text was not stored. Ids are looked up after taking the locks, so
    two concurrent resends cannot both insert.
    """
    conversations: dict[int, Conversation] = {}
    for post in posts:
        conversations.setdefault(post.conversation.pk, post.conversation)
    _lock(conversations.values())
    client_ids = {post.client_id for post in posts if post.client_id is not None}
    known: dict[tuple[int, UUID], Message] = (
        {
            (message.conversation_id, message.client_id): message
            for message in Message.objects.filter(
                conversation_id__in=conversations, client_id__in=client_ids
            ).order_by()
        }
        if client_ids
        else {}
    )
    schedule = customer.Schedule()
    # The order as it stands and the coupons given, for the conversations that use a tool.
    bench = shop_tools.Bench.load(
        [conversations[post.conversation.pk] for post in posts if post.tool is not None]
    )
    outcomes: list[tuple[Message, bool] | ChatError] = []
    stored: list[Message] = []
    changed: dict[int, Conversation] = {}
    for post in posts:
        conversation = conversations[post.conversation.pk]
        key = (conversation.pk, post.client_id)
        if post.client_id is not None and (earlier := known.get(key)):
            # A resend after a reconnect: same row, same seq, no broadcast.
            same = (
                earlier.payload.get("request") == post.tool
                if post.tool is not None
                else earlier.text == post.text and earlier.role != Message.Role.TOOL
            )
            outcomes.append((earlier, False) if same else ClientIdConflict())
            continue
        if not conversation.is_active:
            outcomes.append(ConversationClosed())
            continue
        typed_as_customer = post.role == Message.Role.CUSTOMER and post.author is not None
        if typed_as_customer and not conversation.is_taken_over:
            # A person types as the customer only while the script is paused for them.
            outcomes.append(NotTakenOver())
            continue
        use = None
        if post.tool is not None:
            try:
                use = bench.use(conversation, post.tool)
            except shop_tools.ToolError as error:
                outcomes.append(ToolRefused(error.code))
                continue
        message = _message(conversation, post, schedule, use)
        if post.client_id is not None:
            known[key] = message
        stored.append(message)
        changed[conversation.pk] = conversation
        outcomes.append((message, True))
    Message.objects.bulk_create(stored)
    schedule.store()
    _save_live(changed.values())
    frames = [(m.conversation.group_name, protocol.message_new(m)) for m in stored]
    frames += _monitor_lines(stored)
    if frames:
        transaction.on_commit(lambda: [broadcast(group, frame) for group, frame in frames])
    for message in stored:
        if message.payload.get("kind") == shop_tools.TRANSFER:
            # The supervisor takes over: the student's part of the chat ends here.
            _end_transferred(message.conversation)
    return outcomes


def _monitor_lines(stored: Iterable[Message]) -> list[tuple[str, dict[str, Any]]]:
    """Each stored chat line's update of its class's live monitor (notes are no chat line).

    No query when the conversation came with its assignment (the socket's and the scheduler's
    copies do); otherwise one per conversation of the batch.
    """
    classes: dict[int, int | None] = {}
    frames = []
    for message in stored:
        if message.role == Message.Role.NOTE:
            continue
        conversation = message.conversation
        if conversation.pk not in classes:
            classes[conversation.pk] = conversation.classroom_pk
        if (classroom_id := classes[conversation.pk]) is not None:
            frames.append(
                (
                    monitor_group(classroom_id),
                    protocol.monitor_line(message, conversation, classroom_id),
                )
            )
    return frames


def _tell_player(conversation: Conversation) -> None:
    """After commit, a role-play's customer seat learns who plays the customer now. Only the
    classmate's own sockets hear it: the agent-student sees nothing of a takeover."""
    if conversation.customer_player_id is None:
        return
    frame = protocol.seat_control(conversation)
    group = f"user.{conversation.customer_player_id}"  # User.socket_group, without a query
    transaction.on_commit(lambda: broadcast(group, frame))


def _announce_row(conversation: Conversation, classroom_id: int | None) -> None:
    """After commit, the whole monitor row of `conversation` to its class's monitors."""
    if classroom_id is None:
        return
    (row,) = selectors.monitor_rows([classroom_id], conversation_id=conversation.pk)
    frame = protocol.monitor_row(row)
    transaction.on_commit(lambda: broadcast(monitor_group(classroom_id), frame))


def _message(
    conversation: Conversation,
    post: Post,
    schedule: customer.Schedule,
    use: shop_tools.Use | None = None,
) -> Message:
    """The next message of `conversation` (not saved yet); the customer hears an agent's, and
    sees a tool's card."""
    conversation.last_seq += 1  # under the lock: no other writer hands out this seq
    recognition = None
    claims: list[dict[str, Any]] = []
    heard_at: float | None = None
    if use is not None:
        heard_at = customer.clock()
        schedule.feed(conversation, customer.tool_used(conversation, use.payload), now=heard_at)
        return Message(
            conversation=conversation,
            seq=conversation.last_seq,
            role=Message.Role.TOOL,
            author=post.author,
            text=use.text,
            client_id=post.client_id,
            created_at=timezone.now(),
            # A coupon beyond the agent's authority is a promise the shop would not make:
            # the teacher's monitor raises its alert as for a written one.
            moves=["promise"] if use.payload.get("within") is False else [],
            payload={**use.payload, "request": post.tool},
            heard_at=heard_at,
        )
    if post.role == Message.Role.AGENT:
        # The customer's last line decides some moves ("可以的" to "后天能到吗" is a promise).
        recognition = scenario_services.recognise(
            post.text,
            version=conversation.scenario_version,
            context=conversation.customer_last_line or None,
            instructor_id=instructor_of(conversation),
            # Only "first or not" is known without counting: rules read no other number.
            turn=2 if getattr(conversation, "answered", True) else 1,
        )
        conversation.answered = True
        # One reading of the clock for the engine and the stored row, so a replay from the
        # stored message hears it at the same moment.
        heard_at = customer.clock()
        claims = recognition.to_json()["claims"]
        event = customer.agent_said(
            conversation, moves=recognition.moves, text=post.text, claims=claims
        )
        schedule.feed(conversation, event, now=heard_at)
    elif post.role == Message.Role.CUSTOMER:
        conversation.customer_last_line = post.text
    created_at = timezone.now()
    if conversation.drill_id is not None and conversation.last_seq == 1:
        # A rush drill's customer wrote on arrival, however long they queued (DOMAIN.md §7:
        # the queue counts toward the first response time).
        created_at = min(created_at, conversation.started_at)
    return Message(
        conversation=conversation,
        seq=conversation.last_seq,
        role=post.role,
        author=post.author,
        text=post.text,
        client_id=post.client_id,
        created_at=created_at,
        moves=sorted(recognition.moves) if recognition else [],
        evidence=recognition.to_json()["evidence"] if recognition else {},
        claims=claims if recognition else [],
        heard_at=heard_at if recognition else None,
    )


def instructor_of(conversation: Conversation) -> int | None:
    """Whose extra cue phrases apply: the teacher of the class the attempt belongs to.

    Read from the conversation's classroom when it came with it (the socket's cached copy),
    else by one query.
    """
    if conversation.assignment_id is None:
        return None
    if Conversation.assignment.is_cached(conversation):
        assignment = conversation.assignment
        if Assignment.classroom.is_cached(assignment):
            return assignment.classroom.instructor_id
    return (
        Assignment.every.filter(pk=conversation.assignment_id)
        .values_list("classroom__instructor_id", flat=True)
        .first()
    )


@transaction.atomic
def end_conversation(
    conversation: Conversation,
    *,
    reason: str,
    ending: str = "",
    outcome: str = "",
    rating: int | None = None,
    review: str = "",
    by: User | None = None,
    note: str = "",
) -> Conversation:
    """Close the conversation once; later calls change nothing.

    `by` is the teacher who ended it (reason `teacher`), recorded in the class's audit log
    with their `note`.
    """
    updated = Conversation.objects.filter(
        pk=conversation.pk, status=Conversation.Status.ACTIVE
    ).update(
        status=Conversation.Status.ENDED,
        ended_at=timezone.now(),
        end_reason=reason,
        ending=ending,
        outcome=outcome,
        rating=rating,
        review=review,
    )
    conversation.refresh_from_db()
    if not updated:
        return conversation
    if reason == Conversation.EndReason.STUDENT and customer.feed(conversation, AgentClosed()):
        _save_live([conversation])
    customer.cancel_pending(conversation)
    classroom_id = conversation.classroom_pk
    if by is not None:
        _audit(audit.Action.CONVERSATION_ENDED, conversation, classroom_id, by=by, note=note)
    frame = protocol.ended(conversation)
    transaction.on_commit(lambda: broadcast(conversation.group_name, frame))
    if conversation.drill_id is not None:
        # A rush drill's chat is free: the scheduler lets the next queued customer in.
        transaction.on_commit(lambda: customer.wake_at(customer.clock()))
    _announce_row(conversation, classroom_id)
    transaction.on_commit(
        lambda: conversation_ended.send(sender=Conversation, conversation_id=conversation.pk)
    )
    return conversation


def _end_transferred(conversation: Conversation) -> None:
    """End a chat the student passed to a supervisor, with the customer's rating of it."""
    verdict = customer.transferred(conversation)
    end_conversation(
        conversation,
        reason=Conversation.EndReason.TRANSFERRED,
        ending=shop_tools.TRANSFER,
        outcome=Conversation.Outcome.ESCALATED,
        rating=verdict.rating,
        review=verdict.review,
    )


# ------------------------------------------------------------------- the live monitor


@transaction.atomic
def take_over_conversation(conversation: Conversation, *, by: User) -> Conversation:
    """Pause the scripted customer so the teachers of the class type as the customer.

    The reply being typed is dropped. Idempotent; a second teacher taking over takes it from
    the first (a teacher who walked away must not leave the customer silent for good). The
    caller checked that `by` teaches the class.
    """
    _lock([conversation])
    if not conversation.is_active or conversation.engine_state.get("ended"):
        raise ConversationClosed
    if customer.pause(conversation):
        _save_live([conversation])
    classroom_id = conversation.classroom_pk
    if conversation.taken_over_by_id != by.pk:
        Conversation.objects.filter(pk=conversation.pk).update(taken_over_by=by)
        conversation.taken_over_by = by
        _audit(audit.Action.TAKEN_OVER, conversation, classroom_id, by=by)
        _tell_player(conversation)
    _announce_row(conversation, classroom_id)
    return conversation


@transaction.atomic
def hand_back_conversation(
    conversation: Conversation, *, by: User, state: str | None = None
) -> Conversation:
    """Give the customer back to the script at `state` (None: where the takeover paused it).

    The engine enters that state at once (its line, its timer or its ending). Handing back a
    customer the script already plays changes nothing.
    """
    _lock([conversation])
    if not conversation.is_active:
        raise ConversationClosed
    if not conversation.is_taken_over:
        return conversation
    try:
        changed = customer.feed(conversation, HandBack(state))
    except ValueError:
        raise UnknownState from None
    if changed:
        _save_live([conversation])
    Conversation.objects.filter(pk=conversation.pk).update(taken_over_by=None)
    conversation.taken_over_by = None
    classroom_id = conversation.classroom_pk
    node = conversation.engine_state.get("node", "")
    _audit(audit.Action.HANDED_BACK, conversation, classroom_id, by=by, state=node)
    _tell_player(conversation)
    _announce_row(conversation, classroom_id)
    return conversation


def _audit(
    action: audit.Action,
    conversation: Conversation,
    classroom_id: int | None,
    *,
    by: User,
    **details: Any,
) -> None:
    audit.record(
        action,
        by=by,
        classroom=Classroom(pk=classroom_id) if classroom_id is not None else None,
        subject=conversation.student,
        conversation=conversation.pk,
        scenario=conversation.scenario_version.title,
        **details,
    )
