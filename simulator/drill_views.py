"""Pages of the Double-11 rush drill: the teacher starts, watches and stops it; each student
serves their customers in one workspace, a tab per chat (simulator/drills.py does the work)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from scenarios import selectors as scenario_selectors
from simulator import drills, quick_replies, selectors, services
from simulator.forms import DrillForm
from simulator.models import Drill
from simulator.monitor import monitor_config
from simulator.views import instructor_required

# The first-response lines a drill's clocks colour by: full marks and the 60 % line (DOMAIN.md
# §5), relaxed as the drill's scoring relaxes them.
WAIT_LINES = (15 * drills.RUSH_FACTOR, 60 * drills.RUSH_FACTOR)


# ------------------------------------------------------------------ the teacher


@require_http_methods(["GET", "POST"])
@instructor_required
def start_drill(request: HttpRequest, classroom_id: int) -> HttpResponse:
    """Configure and start the class's drill; a running one is shown instead."""
    classroom = selectors.taught_classroom_for(request.user, classroom_id)
    running = classroom.drills.filter(state=Drill.State.RUNNING).first()
    versions = scenario_selectors.library_versions_for(classroom.instructor)
    form = DrillForm(request.POST or None, versions=versions, classroom=classroom)
    if request.method == "POST" and running is None and form.is_valid():
        try:
            drill = drills.start_drill(
                classroom,
                by=request.user,
                versions=list(form.cleaned_data["scenarios"]),
                duration=form.cleaned_data["minutes"] * 60,
                cap=form.cleaned_data["cap"],
            )
        except services.ChatError as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The drill has started: customers are arriving."))
            return redirect("simulator:drill", drill_id=drill.pk)
    if request.method == "POST" and running is not None:
        messages.error(request, str(drills.DrillRunning.message))
        return redirect("simulator:drill", drill_id=running.pk)
    return render(
        request,
        "simulator/drill_start.html",
        {
            "classroom": classroom,
            "form": form,
            "running": running,
            "drills": selectors.classroom_drills(classroom),
        },
    )


@require_GET
@instructor_required
def drill(request: HttpRequest, drill_id: int) -> HttpResponse:
    """The live dashboard of a drill: per student, the class's totals, time left, stop."""
    drill = selectors.taught_drill_for(request.user, drill_id)
    classroom = drill.classroom
    config = {
        **monitor_config([classroom.pk]),
        "board_url": reverse("simulator:drill_board", args=[drill.pk]),
        "ends_at": drill.ends_at.isoformat(),
        "running": drill.is_running,
    }
    return render(
        request,
        "simulator/drill.html",
        {
            "drill": drill,
            "classroom": classroom,
            "board": drills.board(drill),
            "rows": selectors.monitor_rows([classroom.pk], drill_id=drill.pk),
            "names": {classroom.pk: classroom.name},
            "monitor_config": config,
        },
    )


@require_GET
@instructor_required
def drill_board(request: HttpRequest, drill_id: int) -> HttpResponse:
    """The dashboard's table, polled while the drill runs; 286 stops htmx once it has ended."""
    drill = selectors.taught_drill_for(request.user, drill_id)
    response = render(request, "simulator/_drill_board.html", {"board": drills.board(drill)})
    if not drill.is_running:
        response.status_code = 286
    return response


@require_POST
@instructor_required
def stop_drill(request: HttpRequest, drill_id: int) -> HttpResponse:
    drill = selectors.taught_drill_for(request.user, drill_id)
    if drill.is_running:
        drills.stop_drill(drill, by=request.user)
        messages.success(request, _("The drill is stopped. Open chats were closed and scored."))
    return redirect("assessment:drill_summary", drill_id=drill.pk)


# ------------------------------------------------------------------ the student


@require_GET
@login_required
def drill_workspace(request: HttpRequest, drill_id: int) -> HttpResponse:
    """The student's drill: every open chat a tab, new customers arriving live."""
    drill = selectors.student_drill_for(request.user, drill_id)
    chats = selectors.drill_chats(request.user, drill)
    state = drills.student_state(drill, request.user.pk)
    config = {
        "socket_path": reverse("simulator:socket"),
        "login_url": reverse("login"),
        "time_zone": settings.TIME_ZONE,
        # drill.js adds the chats once their tabs are in place (the page's seed, then live).
        "conversations": [],
        "wait_lines": WAIT_LINES,
        "drill": {
            **state.to_json(),
            "state_url": reverse("simulator:drill_state", args=[drill.pk]),
            # The page builds a chat's URL from this: the id replaces the 0.
            "chat_url": reverse("simulator:drill_chat", args=[drill.pk, 0]),
        },
    }
    return render(
        request,
        "simulator/drill_workspace.html",
        {
            "drill": drill,
            "chats": [_chat(c) for c in chats],
            "state": state,
            "workspace_config": config,
            "quick_replies": quick_replies.phrases_for(
                request.user, None, classroom_id=drill.classroom_id
            ),
        },
    )


@require_GET
@login_required
def drill_state(request: HttpRequest, drill_id: int) -> JsonResponse:
    """What the drill.state frame says, for a page that (re)connects and may have missed one."""
    drill = selectors.student_drill_for(request.user, drill_id)
    return JsonResponse(drills.student_state(drill, request.user.pk).to_json())


@require_GET
@login_required
def drill_chat(request: HttpRequest, drill_id: int, chat_id: int) -> HttpResponse:
    """One chat's tab, task and order, for the workspace to add when its customer comes in."""
    drill = selectors.student_drill_for(request.user, drill_id)
    conversation = selectors.drill_chat_for(request.user, drill, chat_id)
    return render(request, "simulator/_drill_chat.html", {"chat": _chat(conversation)})


def _chat(conversation) -> dict:
    return {"conversation": conversation, "script": conversation.scenario_version.script}
