"""Role-play with a classmate as the customer (issue 7, part 5): pairing and the customer's end.

A peer conversation is an ordinary attempt of the agent-student whose customer a classmate
plays from the first line: the engine is taken over from the start (the live monitor's
takeover), the classmate sends the monitor's `customer.send` frames, and the chat is stored,
resumed and scored exactly as any other. The chat path lives in `simulator.services`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simulator import audit, customer, services
from simulator.models import Assignment, Conversation, Membership, RolePlayInvite, User
from simulator.services import ChatError


class NotClassmates(ChatError):
    code = "not_classmates"
    message = _("Pair two different students of this class.")


class AlreadyInChat(ChatError):
    code = "already_in_chat"
    message = _("This student already has a chat of this assignment in progress.")


class ExamNotForRolePlay(ChatError):
    code = "exam_not_for_role_play"
    message = _("An exam is played alone: only practice assignments are role-played.")


class AlreadyInvited(ChatError):
    code = "already_invited"
    message = _("You have already invited this classmate to this assignment.")


class InviteAnswered(ChatError):
    code = "invite_answered"
    message = _("This invitation has already been answered or withdrawn.")


class UnknownEnding(ChatError):
    code = "unknown_ending"
    message = _("The scenario has no such ending.")


@dataclass(frozen=True)
class Pairing:
    """What pairing a class made: the new conversations, and who was left without a partner."""

    conversations: tuple[Conversation, ...]
    unpaired: tuple[User, ...] = ()


def _check_open(assignment: Assignment) -> None:
    if assignment.classroom.archived_at is not None:
        raise services.ClassroomArchived
    if assignment.is_overdue:
        raise services.AssignmentClosed


def _busy(assignment: Assignment) -> set[int]:
    """Students of the assignment already in an active chat of it, as agent or as customer."""
    active = assignment.conversations.filter(status=Conversation.Status.ACTIVE)
    return set(active.values_list("student_id", flat=True)) | set(
        active.exclude(customer_player=None).values_list("customer_player_id", flat=True)
    )


def _open_pair(assignment: Assignment, *, agent: User, player: User, by: User) -> Conversation:
    used = assignment.conversations.filter(student=agent).count()
    if assignment.max_attempts is not None and used >= assignment.max_attempts:
        raise services.AttemptsUsedUp
    conversation = Conversation(
        assignment=assignment,
        student=agent,
        scenario_version=assignment.scenario_version,
        seed=random.SystemRandom().randrange(2**31),
        customer_player=player,
        # The monitor's "played by": the classmate plays the customer until a teacher steps in.
        taken_over_by=player,
    )
    customer.begin_played(conversation)
    conversation.save()
    audit.record(
        audit.Action.PAIRED,
        by=by,
        classroom=assignment.classroom,
        subject=agent,
        conversation=conversation.pk,
        scenario=assignment.scenario_version.title,
        customer=player.display_name,
    )
    services._announce_row(conversation, assignment.classroom_id)
    return conversation


@transaction.atomic
def pair_classmates(
    assignment: Assignment, *, agent: User, customer_player: User, by: User
) -> Conversation:
    """Open a role-play of `assignment`: `agent` answers as the shop, `customer_player` plays
    the customer from the role card. Both must be students of the class, neither in a chat of
    it already; the agent's attempt counts as any other. The caller checked `by` teaches it.
    """
    _check_open(assignment)
    _check_pair(assignment, agent=agent, player=customer_player)
    return _open_pair(assignment, agent=agent, player=customer_player, by=by)


@transaction.atomic
def pair_at_random(assignment: Assignment, *, by: User) -> Pairing:
    """Pair every student of the class not in a chat of `assignment` at random, two by two;
    with an odd number one is left out. A student out of attempts plays the customer only."""
    _check_open(assignment)
    busy = _busy(assignment)
    students = [
        m.student
        for m in Membership.objects.filter(classroom=assignment.classroom)
        .select_related("student")
        .order_by("student__username")
        if m.student_id not in busy
    ]
    random.SystemRandom().shuffle(students)
    used = dict.fromkeys((s.pk for s in students), 0)
    for student_id in assignment.conversations.filter(student__in=students).values_list(
        "student_id", flat=True
    ):
        used[student_id] += 1

    def may_answer(student: User) -> bool:
        return assignment.max_attempts is None or used[student.pk] < assignment.max_attempts

    # Who may still make an attempt goes first in each pair, so nobody is refused for it.
    students.sort(key=lambda s: not may_answer(s))
    agents = [s for s in students if may_answer(s)]
    opened = []
    while len(students) >= 2 and agents:
        agent = agents.pop(0)
        students.remove(agent)
        # Partner: preferably one who could not answer anyway, else the next in the shuffle.
        player = next((s for s in reversed(students) if not may_answer(s)), students[-1])
        students.remove(player)
        if player in agents:
            agents.remove(player)
        opened.append(_open_pair(assignment, agent=agent, player=player, by=by))
    return Pairing(tuple(opened), tuple(students))


def end_as_customer(conversation: Conversation, *, ending: str | None) -> Conversation:
    """The classmate playing the customer ends the chat with one of the scenario's endings
    (its outcome, star rating and review, as the script's customer would), or with none."""
    if not ending:
        return services.end_conversation(conversation, reason=Conversation.EndReason.CUSTOMER)
    script = conversation.scenario_version.script
    chosen = script.endings.get(ending)
    if chosen is None:
        raise UnknownEnding
    # The review variant as the engine would pick it: by the conversation's seed.
    review = random.Random(conversation.seed).choice(chosen.review) if chosen.review else ""  # noqa: S311
    return services.end_conversation(
        conversation,
        reason=Conversation.EndReason.CUSTOMER,
        ending=ending,
        outcome=chosen.outcome,
        rating=chosen.rating,
        review=review,
    )


# ------------------------------------------------------------------ students inviting each other


@transaction.atomic
def invite_classmate(
    assignment: Assignment, *, by: User, classmate: User, by_plays: str = "agent"
) -> RolePlayInvite:
    """`by` asks `classmate` to role-play a practice `assignment` of their class: `by` answers
    as the shop (`by_plays="agent"`) or plays the customer (`"customer"`). Nothing opens until
    the classmate accepts; the same checks as a teacher's pairing apply then again."""
    _check_open(assignment)
    if assignment.is_exam:
        raise ExamNotForRolePlay
    agent, player = (by, classmate) if by_plays == "agent" else (classmate, by)
    _check_pair(assignment, agent=agent, player=player)
    if RolePlayInvite.objects.filter(
        assignment=assignment, agent=agent, player=player, status=RolePlayInvite.Status.PENDING
    ).exists():
        raise AlreadyInvited
    invite = RolePlayInvite.objects.create(
        assignment=assignment, agent=agent, player=player, invited_by=by
    )
    audit.record(
        audit.Action.INVITED,
        by=by,
        classroom=assignment.classroom,
        subject=classmate,
        scenario=assignment.scenario_version.title,
        agent=agent.display_name,
        customer=player.display_name,
    )
    return invite


def _check_pair(assignment: Assignment, *, agent: User, player: User) -> None:
    members = set(
        Membership.objects.filter(
            classroom=assignment.classroom, student__in=[agent, player]
        ).values_list("student_id", flat=True)
    )
    if agent.pk == player.pk or members != {agent.pk, player.pk}:
        raise NotClassmates
    if _busy(assignment) & members:
        raise AlreadyInChat


def _pending(invite_id: int, *, user: User, field: str) -> RolePlayInvite:
    """The pending invitation `user` may answer (`field="invitee"`) or withdraw (`"invited_by"`),
    locked; Http404 (via `RolePlayInvite.DoesNotExist`) for anyone else."""
    invite = (
        RolePlayInvite.objects.select_for_update()
        .select_related("assignment__classroom", "assignment__scenario_version", "agent", "player")
        .get(pk=invite_id)
    )
    allowed = invite.invitee_id if field == "invitee" else invite.invited_by_id
    if allowed != user.pk:
        raise RolePlayInvite.DoesNotExist
    if not invite.is_pending:
        raise InviteAnswered
    return invite


@transaction.atomic
def accept_invite(invite_id: int, *, by: User) -> RolePlayInvite:
    """The invited classmate says yes: the role-play opens at once, the agent's attempt
    counting as any other. Refused (and the invitation left pending) when either is now in a
    chat of the assignment, out of attempts, or the assignment has closed."""
    invite = _pending(invite_id, user=by, field="invitee")
    assignment = invite.assignment
    _check_open(assignment)
    _check_pair(assignment, agent=invite.agent, player=invite.player)
    invite.conversation = _open_pair(assignment, agent=invite.agent, player=invite.player, by=by)
    invite.status = RolePlayInvite.Status.ACCEPTED
    invite.answered_at = timezone.now()
    invite.save(update_fields=["conversation", "status", "answered_at"])
    return invite


@transaction.atomic
def decline_invite(invite_id: int, *, by: User) -> RolePlayInvite:
    invite = _pending(invite_id, user=by, field="invitee")
    invite.status, invite.answered_at = RolePlayInvite.Status.DECLINED, timezone.now()
    invite.save(update_fields=["status", "answered_at"])
    return invite


@transaction.atomic
def withdraw_invite(invite_id: int, *, by: User) -> RolePlayInvite:
    invite = _pending(invite_id, user=by, field="invited_by")
    invite.status, invite.answered_at = RolePlayInvite.Status.CANCELLED, timezone.now()
    invite.save(update_fields=["status", "answered_at"])
    return invite
