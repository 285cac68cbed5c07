"""A student invites a classmate to role-play (issue 7, part 5): the invitation, its answer, the
pair it opens, who may answer what, and the home page around it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from simulator import peers, services
from simulator.models import Assignment, AuditEvent, Conversation, RolePlayInvite
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def invite(assignment, student, classmate):
    return peers.invite_classmate(assignment, by=student, classmate=classmate)


def test_an_accepted_invitation_opens_the_pair_the_inviter_asked_for(invite, student, classmate):
    assert (invite.agent, invite.player, invite.invitee, invite.status) == (
        student,
        classmate,
        classmate,
        "pending",
    )
    assert not Conversation.objects.exists()  # nothing opens before the answer

    accepted = peers.accept_invite(invite.pk, by=classmate)

    conversation = accepted.conversation
    assert (accepted.status, conversation.student, conversation.customer_player) == (
        "accepted",
        student,
        classmate,
    )
    assert conversation.is_taken_over
    assert conversation.taken_over_by == classmate
    logged = list(AuditEvent.objects.order_by("pk").values_list("action", "actor__username"))
    assert logged == [("conversation.invited", "student01"), ("conversation.paired", "student02")]


def test_the_inviter_may_offer_to_play_the_customer(assignment, student, classmate):
    offer = peers.invite_classmate(assignment, by=student, classmate=classmate, by_plays="customer")
    assert (offer.agent, offer.player, offer.invitee) == (classmate, student, classmate)
    conversation = peers.accept_invite(offer.pk, by=classmate).conversation
    assert (conversation.student, conversation.customer_player) == (classmate, student)


def test_only_the_invitee_answers_and_only_the_inviter_withdraws(invite, student, classmate):
    with pytest.raises(RolePlayInvite.DoesNotExist):
        peers.accept_invite(invite.pk, by=student)
    with pytest.raises(RolePlayInvite.DoesNotExist):
        peers.withdraw_invite(invite.pk, by=classmate)
    peers.withdraw_invite(invite.pk, by=student)
    with pytest.raises(peers.InviteAnswered):
        peers.accept_invite(invite.pk, by=classmate)
    assert RolePlayInvite.objects.get().status == "cancelled"
    assert not Conversation.objects.exists()


def test_a_declined_invitation_opens_nothing_and_may_be_sent_again(
    invite, assignment, student, classmate
):
    peers.decline_invite(invite.pk, by=classmate)
    assert RolePlayInvite.objects.get().status == "declined"
    again = peers.invite_classmate(assignment, by=student, classmate=classmate)
    assert again.is_pending
    assert not Conversation.objects.exists()


def test_one_pending_invitation_per_pair(invite, assignment, student, classmate):
    with pytest.raises(peers.AlreadyInvited):
        peers.invite_classmate(assignment, by=student, classmate=classmate)


def test_an_exam_is_not_role_played(classroom, coat_scenario, student, classmate):
    exam = services.assign_scenario(
        classroom, scenario_version=coat_scenario, mode=Assignment.Mode.EXAM
    )
    with pytest.raises(peers.ExamNotForRolePlay):
        peers.invite_classmate(exam, by=student, classmate=classmate)


def test_a_student_of_another_class_is_no_classmate(assignment, student, outsider):
    with pytest.raises(peers.NotClassmates):
        peers.invite_classmate(assignment, by=student, classmate=outsider)


def test_accepting_while_the_agent_is_in_a_chat_of_it_is_refused_and_stays_pending(
    invite, assignment, student, classmate
):
    services.start_attempt(assignment, student=student)
    with pytest.raises(peers.AlreadyInChat):
        peers.accept_invite(invite.pk, by=classmate)
    assert RolePlayInvite.objects.get().is_pending


def test_an_assignment_made_by_a_teacher_is_in_the_activity_log(classroom, coat_scenario, teacher):
    services.assign_scenario(classroom, scenario_version=coat_scenario, max_attempts=3, by=teacher)
    event = AuditEvent.objects.get(action=AuditEvent.Action.ASSIGNMENT_CREATED)
    assert (event.actor, event.classroom, event.details["max_attempts"]) == (teacher, classroom, 3)
    assert event.details["assignment"] == coat_scenario.title


# ------------------------------------------------------------------ the pages


def test_the_home_page_offers_classmates_and_the_invitee_accepts_into_the_seat(
    client, assignment, student, classmate, outsider
):
    client.force_login(student)
    home = client.get(reverse("simulator:home")).content.decode()
    assert 'data-role="invite-menu"' in home
    assert classmate.display_name in home
    assert outsider.display_name not in home

    sent = client.post(
        reverse("simulator:invite_classmate", args=[assignment.pk]),
        {"classmate": classmate.pk, "role": "agent"},
        follow=True,
    )
    assert 'data-role="invite-sent"' in sent.content.decode()
    invite = RolePlayInvite.objects.get()

    client.force_login(classmate)
    panel = client.get(reverse("simulator:invites")).content.decode()
    assert 'data-role="invite-received"' in panel
    assert 'hx-trigger="every 10s"' in panel
    answer = client.post(reverse("simulator:accept_invite", args=[invite.pk]))
    invite.refresh_from_db()
    assert answer["Location"] == reverse("simulator:customer_seat", args=[invite.conversation_id])

    # The inviter's panel now leads into the chat; nothing is left to answer.
    client.force_login(student)
    panel = client.get(reverse("simulator:invites")).content.decode()
    assert reverse("simulator:workspace", args=[invite.conversation_id]) in panel
    assert 'data-role="invite-received"' not in panel


def test_an_invitation_to_a_student_of_another_class_is_not_found(
    client, assignment, student, outsider
):
    client.force_login(student)
    response = client.post(
        reverse("simulator:invite_classmate", args=[assignment.pk]), {"classmate": outsider.pk}
    )
    assert response.status_code == 404
    assert not RolePlayInvite.objects.exists()


def test_someone_elses_invitation_cannot_be_answered(client, invite):
    stranger = make_user("student03")
    client.force_login(stranger)
    for name in (
        "simulator:accept_invite",
        "simulator:decline_invite",
        "simulator:withdraw_invite",
    ):
        assert client.post(reverse(name, args=[invite.pk])).status_code == 404
    assert RolePlayInvite.objects.get().is_pending


def test_a_class_phrase_changed_by_a_teacher_is_in_the_activity_log(classroom, teacher, student):
    from simulator import quick_replies

    reply = quick_replies.add_quick_reply(classroom, title="欢迎", text="{顾客}您好", by=teacher)
    quick_replies.update_quick_reply(reply, group="", title="问候", text="您好", by=teacher)
    quick_replies.delete_quick_reply(reply, by=teacher)
    quick_replies.add_quick_reply(student, title="我的", text="亲", by=student)  # their own
    changes = list(
        AuditEvent.objects.filter(action=AuditEvent.Action.QUICK_REPLY_CHANGED)
        .order_by("pk")
        .values_list("details__change", "details__title")
    )
    assert changes == [("added", "欢迎"), ("changed", "问候"), ("removed", "问候")]
