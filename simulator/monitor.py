"""Pages of the live monitor (issue 7, part 4): every active conversation of the teacher's
classes on one page, and one conversation watched live with the takeover, notes and end.

Both pages are rendered here and kept live by the workspace socket (docs/protocol.md: the
monitor frames); every change goes through the socket, so these views only read.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from simulator import selectors, shop_tools
from simulator.views import instructor_required

# Seconds a customer may wait before the monitor raises the alert (issue 7: "a wait past 100 s").
WAIT_ALERT = 100


def monitor_config(classroom_ids: list[int]) -> dict:
    """What monitor.js needs to keep these classes' rows live (the monitor, a drill's board)."""
    return {
        **_socket_config(),
        "classrooms": classroom_ids,
        # The page builds a row's link from this: the id replaces the 0.
        "watch_url": reverse("simulator:watch", args=[0]),
    }


def _socket_config() -> dict:
    return {
        "socket_path": reverse("simulator:socket"),
        "login_url": reverse("login"),
        "time_zone": settings.TIME_ZONE,
        "wait_alert": WAIT_ALERT,
    }


@require_GET
@instructor_required
def monitor(request: HttpRequest) -> HttpResponse:
    """The active conversations of the classes the teacher teaches, or of the one chosen."""
    classrooms = list(selectors.taught_classrooms(request.user))
    chosen = request.GET.get("classroom", "")
    shown = [c for c in classrooms if str(c.pk) == chosen] if chosen else classrooms
    if chosen and not shown:
        raise Http404  # not a class of theirs: the same as no such class
    rows = selectors.monitor_rows([c.pk for c in shown])
    config = monitor_config([c.pk for c in shown])
    return render(
        request,
        "simulator/monitor.html",
        {
            "classrooms": classrooms,
            "chosen": shown[0] if chosen else None,
            "rows": rows,
            "names": {c.pk: c.name for c in classrooms},
            "monitor_config": config,
        },
    )


@require_GET
@instructor_required
def watch(request: HttpRequest, conversation_id: int) -> HttpResponse:
    """One conversation of a class the teacher teaches, live: take over, coach, end."""
    conversation = selectors.taught_conversation_for(request.user, conversation_id)
    classroom = conversation.assignment.classroom
    (row,) = selectors.monitor_rows([classroom.pk], conversation_id=conversation.pk)
    script = conversation.scenario_version.script
    config = {
        **_socket_config(),
        "conversation": conversation.pk,
        "classroom": classroom.pk,
        "status": conversation.status,
        "taken_over": row.is_taken_over,
    }
    return render(
        request,
        "simulator/watch.html",
        {
            "conversation": conversation,
            "classroom": classroom,
            "row": row,
            "script": script,
            # The order as it stands, the shop tools' changes applied (the facts panel).
            "shop": shop_tools.order_now(conversation),
            "states": list(script.states),
            "watch_config": config,
        },
    )
