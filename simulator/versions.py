"""Moving an assignment to a newer version of its scenario: a teacher's change to a class's
terms, kept apart from the chat path (`simulator.services`)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from scenarios.models import ScenarioVersion
from simulator.classrooms import AssignmentStarted, ClassroomError
from simulator.models import Assignment


class AlreadyNewest(ClassroomError):
    code = "assignment_on_newest"


@transaction.atomic
def move_assignment_to_newest(assignment: Assignment) -> ScenarioVersion:
    """Point the assignment at the newest version of its scenario, while nobody has started it.

    Once a student has started, the assignment stays on its version: their transcripts and
    scores are pinned to the script they ran on, and classmates must get the same script.
    """
    # Locked, so two teachers' clicks (or a click and a rename) cannot interleave.
    locked = (
        Assignment.objects.select_for_update()
        .select_related("scenario_version__scenario")
        .get(pk=assignment.pk)
    )
    current = locked.scenario_version
    newest = current.scenario.latest
    if newest is None or newest.pk == current.pk:
        raise AlreadyNewest(
            _("This assignment already uses the newest version (version %(n)s).")
            % {"n": current.number}
        )
    started = locked.conversations.values("student").distinct().count()
    if started:
        raise AssignmentStarted(
            ngettext(
                "%(n)s student has already started this assignment on version %(old)s, so it "
                "stays on that version: everyone in the class gets the same script. Assign "
                "version %(new)s as a new assignment instead.",
                "%(n)s students have already started this assignment on version %(old)s, so it "
                "stays on that version: everyone in the class gets the same script. Assign "
                "version %(new)s as a new assignment instead.",
                started,
            )
            % {"n": started, "old": current.number, "new": newest.number}
        )
    locked.scenario_version = newest
    locked.save(update_fields=["scenario_version"])
    assignment.scenario_version = newest
    return newest
