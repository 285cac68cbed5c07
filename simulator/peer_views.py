"""Pages of the role-play with a classmate as the customer (issue 7, part 5): the teacher pairs
students on the class's page, the customer-student plays from their seat.

The seat shows the role card (persona, hidden constraints, order), the script's lines grouped
by state to insert and the scenario's endings; the chat itself runs over the workspace socket
with the live monitor's frames (docs/protocol.md), so these views only read and pair.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from scenarios.messages import OUTCOME_LABELS, PERSONA_LABELS, transition_label
from scenarios.schema import PLACEHOLDER, Script
from simulator import peers, selectors
from simulator.models import Classroom, RolePlayInvite
from simulator.services import ChatError
from simulator.views import instructor_required


class PairForm(forms.Form):
    """Two students of the class for one of its assignments: one answers, one plays the customer."""

    assignment = forms.TypedChoiceField(label=gettext_lazy("Assignment"), coerce=int)
    agent = forms.TypedChoiceField(
        label=gettext_lazy("Answers as the agent"), coerce=int, required=False
    )
    customer = forms.TypedChoiceField(
        label=gettext_lazy("Plays the customer"), coerce=int, required=False
    )

    def __init__(self, *args, classroom: Classroom, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        students = [
            (m.student.pk, m.student.display_name)
            for m in classroom.memberships.select_related("student").order_by("student__username")
        ]
        self.fields["assignment"].choices = [
            (a.pk, a.scenario_version.title)
            for a in classroom.assignments.select_related("scenario_version")
        ]
        self.fields["agent"].choices = [("", "—"), *students]
        self.fields["customer"].choices = [("", "—"), *students]


@require_POST
@instructor_required
def pair_classmates(request: HttpRequest, classroom_id: int) -> HttpResponse:
    """Pair two students, or the whole class at random, for a role-play of an assignment."""
    classroom = selectors.taught_classroom_for(request.user, classroom_id)
    form = PairForm(request.POST, classroom=classroom)
    back = redirect(reverse("simulator:classroom", args=[classroom.pk]) + "#pairing")
    if not form.is_valid():
        messages.error(request, _("Choose an assignment and two students of the class."))
        return back
    assignment = selectors.taught_assignment_for(request.user, form.cleaned_data["assignment"])
    try:
        if "random" in request.POST:
            pairing = peers.pair_at_random(assignment, by=request.user)
            _report_random(request, pairing)
            return back
        agent_id, customer_id = form.cleaned_data["agent"], form.cleaned_data["customer"]
        if not agent_id or not customer_id:
            raise peers.NotClassmates
        conversation = peers.pair_classmates(
            assignment,
            agent=selectors.classroom_student_for(classroom, agent_id),
            customer_player=selectors.classroom_student_for(classroom, customer_id),
            by=request.user,
        )
    except ChatError as error:
        messages.error(request, error.message)
        return back
    messages.success(
        request,
        _("%(agent)s answers as the agent, %(customer)s plays the customer.")
        % {
            "agent": conversation.student.display_name,
            "customer": conversation.customer_player.display_name,
        },
    )
    return back


def _report_random(request: HttpRequest, pairing: peers.Pairing) -> None:
    if pairing.conversations:
        n = len(pairing.conversations)
        messages.success(
            request,
            ngettext("%(n)s pair made.", "%(n)s pairs made.", n) % {"n": n},
        )
    else:
        messages.error(request, _("Nobody left to pair: every student is in a chat of it."))
    for student in pairing.unpaired:
        messages.info(
            request,
            _("%(name)s has no partner: pair them by hand.") % {"name": student.display_name},
        )


# ------------------------------------------------------------------ students inviting each other


def _home(anchor: str = "invites") -> HttpResponse:
    return redirect(reverse("simulator:home") + f"#{anchor}")


@require_POST
@login_required
def invite_classmate(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """A student asks a classmate to role-play a practice assignment of their class."""
    assignment = selectors.assignment_for_student(request.user, assignment_id)
    try:
        classmate_id = int(request.POST.get("classmate", ""))
    except ValueError:
        messages.error(request, _("Choose the classmate to invite."))
        return _home("assignments")
    classmate = selectors.classroom_student_for(assignment.classroom, classmate_id)
    by_plays = "customer" if request.POST.get("role") == "customer" else "agent"
    try:
        peers.invite_classmate(assignment, by=request.user, classmate=classmate, by_plays=by_plays)
    except ChatError as error:
        messages.error(request, error.message)
        return _home("assignments")
    messages.success(
        request,
        _("Invitation sent to %(name)s. The role-play opens when they accept.")
        % {"name": classmate.display_name},
    )
    return _home()


@require_GET
@login_required
def invites_panel(request: HttpRequest) -> HttpResponse:
    """The home page's invitations, which it fetches again while one is waiting."""
    return render(
        request, "simulator/_invites.html", {"invites": selectors.invites_for(request.user)}
    )


def _answer(request: HttpRequest, answer, invite_id: int) -> RolePlayInvite | None:
    try:
        return answer(invite_id, by=request.user)
    except RolePlayInvite.DoesNotExist:
        raise Http404 from None
    except ChatError as error:
        messages.error(request, error.message)
        return None


@require_POST
@login_required
def accept_invite(request: HttpRequest, invite_id: int) -> HttpResponse:
    """Yes: the role-play opens, and the one who said yes goes straight to their side of it."""
    invite = _answer(request, peers.accept_invite, invite_id)
    if invite is None:
        return _home()
    if invite.player_id == request.user.pk:
        return redirect("simulator:customer_seat", conversation_id=invite.conversation_id)
    return redirect("simulator:workspace", conversation_id=invite.conversation_id)


@require_POST
@login_required
def decline_invite(request: HttpRequest, invite_id: int) -> HttpResponse:
    return _closed(request, peers.decline_invite, invite_id, _("Invitation declined."))


@require_POST
@login_required
def withdraw_invite(request: HttpRequest, invite_id: int) -> HttpResponse:
    return _closed(request, peers.withdraw_invite, invite_id, _("Invitation withdrawn."))


def _closed(request: HttpRequest, answer, invite_id: int, done: str) -> HttpResponse:
    """An invitation declined or withdrawn: nothing opens; back home with what happened."""
    if _answer(request, answer, invite_id) is not None:
        messages.info(request, done)
    return _home()


@dataclass(frozen=True)
class StateLines:
    """One state of the script as the customer-student reads it: its lines and where it leads."""

    name: str
    lines: tuple[str, ...]
    next: tuple[tuple[str, str], ...]  # (what the agent does, the next state)
    ends: str = ""  # the ending it reaches, if it is an end state
    opening: bool = False


def _filled(line: str, script: Script) -> str:
    """A line with its placeholders ({size}) filled by the script's defaults."""
    return PLACEHOLDER.sub(
        lambda m: getattr(script.remember, m.group(1), "") or m.group(0), line.strip()
    )


def suggested_lines(script: Script) -> list[StateLines]:
    """The script's lines by state, the opening first: what the scripted customer would say."""
    order = [script.start, *(name for name in script.states if name != script.start)]
    groups = []
    for name in order:
        state = script.states[name]
        lines = list(state.say)
        if state.say_by_mood is not None:
            lines += state.say_by_mood.calm + state.say_by_mood.upset + state.say_by_mood.angry
        if state.if_answered is not None:
            lines += state.if_answered.say
        unique = tuple(dict.fromkeys(_filled(line, script) for line in lines if line.strip()))
        groups.append(
            StateLines(
                name=name,
                lines=unique,
                next=tuple((transition_label(t), t.to) for t in state.transitions),
                ends=state.end or "",
                opening=name == script.start,
            )
        )
    return groups


@require_GET
@login_required
def customer_seat(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """The classmate's seat: the role card, the lines to use, and the chat as the customer."""
    conversation = selectors.played_conversation_for(request.user, conversation_id)
    script = conversation.scenario_version.script
    config = {
        "socket_path": reverse("simulator:socket"),
        "login_url": reverse("login"),
        "time_zone": settings.TIME_ZONE,
        "conversation": conversation.pk,
        "status": conversation.status,
    }
    return render(
        request,
        "simulator/customer_seat.html",
        {
            "conversation": conversation,
            "script": script,
            "persona_type": PERSONA_LABELS.get(script.persona.type, script.persona.type),
            "mood": script.persona.start_mood,
            "groups": suggested_lines(script),
            "endings": [
                (key, OUTCOME_LABELS[e.outcome], e.rating, e.description)
                for key, e in script.endings.items()
            ],
            "seat_config": config,
            "teacher_playing": (
                conversation.taken_over_by.display_name
                if conversation.taken_over_by_id not in (None, conversation.customer_player_id)
                else ""
            ),
        },
    )
