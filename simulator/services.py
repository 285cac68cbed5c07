"""State changes of the live side: classrooms, assignments, attempts, chat messages."""

from __future__ import annotations

import logging
import random
from datetime import datetime
from typing import Any
from uuid import UUID

from axes.utils import reset as axes_reset
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scenarios import services as scenario_services
from scenarios.models import ScenarioVersion
from simulator import customer, fanout, protocol
from simulator.engine import AgentClosed, AgentSaid, Begin, Event
from simulator.models import Assignment, Classroom, Conversation, Membership, Message, User
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
    membership, _created = Membership.objects.get_or_create(classroom=classroom, student=student)
    return membership


@transaction.atomic
def unlock_sign_in(student: User) -> int:
    """Forget the failed sign-ins of `student`, so a locked username may sign in again."""
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
) -> Assignment:
    """Give every student of `classroom` this scenario to play, as practice or as an exam."""
    return Assignment.objects.create(
        classroom=classroom,
        scenario_version=scenario_version,
        due_at=due_at,
        max_attempts=max_attempts,
        mode=mode,
        pass_mark=pass_mark,
    )


@transaction.atomic
def set_language(user: User, *, language: str) -> None:
    """Remember the interface language the user chose."""
    user.language = language
    user.save(update_fields=["language"])


# ------------------------------------------------------------------- conversations


@transaction.atomic
def start_attempt(assignment: Assignment, *, student: User) -> Conversation:
    """Open a conversation for `student`, or return the one still in progress."""
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
    return conversation


def _lock(conversation: Conversation) -> None:
    """Take the conversation's row lock and read its live fields onto `conversation`.

    One query: on PostgreSQL a row lock (SELECT ... FOR UPDATE); SQLite has none, and needs
    none: its IMMEDIATE transactions hold the database's write lock from their first statement.
    """
    row = (
        Conversation.objects.select_for_update()
        .filter(pk=conversation.pk)
        .values("status", "last_seq", "engine_state")
        .get()
    )
    conversation.status = row["status"]
    conversation.last_seq = row["last_seq"]
    conversation.engine_state = row["engine_state"]


@transaction.atomic
def feed_customer(conversation: Conversation, event: Event) -> None:
    """Tell the scripted customer what happened (the chat began, a timer fired)."""
    _lock(conversation)
    if customer.feed(conversation, event):
        Conversation.objects.filter(pk=conversation.pk).update(
            engine_state=conversation.engine_state
        )


@transaction.atomic
def post_message(
    conversation: Conversation,
    *,
    author: User | None,
    text: str,
    client_id: UUID | None = None,
    role: str = Message.Role.AGENT,
) -> tuple[Message, bool]:
    """Store one chat line under the next seq; announce it only after it is committed.

    Returns (message, created). A resend with a known client_id returns the stored row; the
    same id with other text is refused, so the client learns its text was not stored. The
    id is looked up after taking the lock, so two concurrent resends cannot both insert.
    """
    _lock(conversation)
    if client_id is not None and (
        earlier := conversation.messages.filter(client_id=client_id).first()
    ):
        if earlier.text != text:
            raise ClientIdConflict
        return earlier, False  # a resend after a reconnect: same row, same seq, no broadcast
    if not conversation.is_active:
        raise ConversationClosed
    # Under the lock, so no other writer can hand out the same seq.
    conversation.last_seq += 1
    recognition = None
    if role == Message.Role.AGENT:
        # The customer's last line decides some moves ("可以的" to "后天能到吗" is a promise).
        context = (
            conversation.messages.filter(role=Message.Role.CUSTOMER)
            .order_by("-seq")
            .values_list("text", flat=True)
            .first()
        )
        recognition = scenario_services.recognise(
            text,
            version=conversation.scenario_version,
            context=context,
            instructor_id=instructor_of(conversation),
        )
    message = conversation.messages.create(
        seq=conversation.last_seq,
        role=role,
        author=author,
        text=text,
        client_id=client_id,
        created_at=timezone.now(),
        moves=sorted(recognition.moves) if recognition else [],
        evidence=recognition.to_json()["evidence"] if recognition else {},
    )
    changed = {"last_seq": conversation.last_seq}
    if recognition is not None and customer.feed(
        conversation, AgentSaid(moves=frozenset(recognition.moves), text=text)
    ):
        changed["engine_state"] = conversation.engine_state
    Conversation.objects.filter(pk=conversation.pk).update(**changed)
    frame = protocol.message_new(message)
    transaction.on_commit(lambda: broadcast(conversation.group_name, frame))
    return message, True


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
        Assignment.objects.filter(pk=conversation.assignment_id)
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
) -> Conversation:
    """Close the conversation once; later calls change nothing."""
    updated = Conversation.objects.filter(
        pk=conversation.pk, status=Conversation.Status.ACTIVE
    ).update(
        status=Conversation.Status.ENDED,
        ended_at=timezone.now(),
        end_reason=reason,
        ending=ending,
        outcome=outcome,
        rating=rating,
    )
    conversation.refresh_from_db()
    if not updated:
        return conversation
    if reason == Conversation.EndReason.STUDENT and customer.feed(conversation, AgentClosed()):
        Conversation.objects.filter(pk=conversation.pk).update(
            engine_state=conversation.engine_state
        )
    customer.cancel_pending(conversation)
    frame = protocol.ended(conversation)
    transaction.on_commit(lambda: broadcast(conversation.group_name, frame))
    transaction.on_commit(
        lambda: conversation_ended.send(sender=Conversation, conversation_id=conversation.pk)
    )
    return conversation
