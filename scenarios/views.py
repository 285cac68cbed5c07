"""The scenario library: browse and filter scenarios, and preview one before assigning it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django_htmx.middleware import HtmxDetails

from scenarios import selectors
from scenarios.forms import LibraryFilter


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
    """A scenario as the student will see it, then the persona, facts and script for the teacher."""
    version = selectors.scenario_version_for(request.user, scenario_id)
    return render(
        request, "scenarios/scenario.html", {"preview": selectors.scenario_preview(version)}
    )
