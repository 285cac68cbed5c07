"""The scenario library: browse and filter scenarios, and preview one before assigning it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django_htmx.middleware import HtmxDetails

from scenarios import selectors
from scenarios.forms import CompareForm, LibraryFilter


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


@require_GET
@login_required
def library(request: HtmxHttpRequest) -> HttpResponse:
    """The library's scenarios and the teacher's own; the filter swaps only the rows."""
    form = LibraryFilter(request.GET)
    rows = selectors.library_for(request.user, **form.filters())
    partial = request.htmx and not request.htmx.boosted
    template = "scenarios/_library_rows.html" if partial else "scenarios/library.html"
    return render(request, template, {"form": form, "rows": rows})


@require_GET
@login_required
def scenario(request: HttpRequest, scenario_id: int) -> HttpResponse:
    """A scenario as the student will see it, then the persona, facts and script for the
    teacher, and its versions; `?version=N` shows an older one."""
    number = request.GET.get("version", "")
    if number and not number.isdigit():
        raise Http404
    version = selectors.scenario_version_for(
        request.user, scenario_id, number=int(number) if number else None
    )
    history = selectors.scenario_history(request.user, scenario_id)
    context = {"preview": selectors.scenario_preview(version), "history": history}
    return render(request, "scenarios/scenario.html", context)


@require_GET
@login_required
def version_diff(request: HttpRequest, scenario_id: int) -> HttpResponse:
    """What changed in the YAML source between two versions, line by line."""
    history = selectors.scenario_history(request.user, scenario_id)
    form = CompareForm(request.GET, numbers=history.numbers)
    if (pair := form.pair()) is None:
        raise Http404  # an edited URL naming a version the scenario does not have
    comparison = selectors.compare_versions(history, old=pair[0], new=pair[1])
    return render(
        request,
        "scenarios/diff.html",
        {"history": history, "form": form, "comparison": comparison},
    )
