"""The scenario library: browse, preview, and author one's own scenarios (clone, template,
import, export, the two-faced editor)."""

from __future__ import annotations

from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from scenarios import editor, selectors, services
from scenarios.forms import CompareForm, ImportForm, LibraryFilter, NewScenarioForm
from scenarios.messages import problem_hint, problem_text
from scenarios.models import Scenario
from scenarios.schema import ScenarioError


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
    context = {
        "preview": selectors.scenario_preview(version),
        "history": history,
        "classrooms": _open_classrooms(request.user),
    }
    return render(request, "scenarios/scenario.html", context)


def _open_classrooms(user) -> list:
    """The classes the teacher teaches or co-teaches and may assign to, in one query.

    Reached through the user's relation: this app does not import the simulator's models.
    """
    classroom = user.taught_classrooms.model
    return list(
        classroom.objects.filter(Q(instructor=user) | Q(co_teachers=user), archived_at__isnull=True)
        .distinct()
        .order_by("name")
    )


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


# ------------------------------------------------------------------ authoring


@require_http_methods(["GET", "POST"])
@login_required
def new_scenario(request: HttpRequest) -> HttpResponse:
    """Start a scenario of one's own: from a template of a kind, or by importing a YAML file."""
    selectors.library_for(request.user)  # teachers only: 404 for anyone else
    form = NewScenarioForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        version = services.create_from_template(
            form.cleaned_data["kind"], language=form.cleaned_data["language"], owner=request.user
        )
        messages.success(request, _("A new scenario from the template: make it your own."))
        return redirect("scenarios:edit", version.scenario_id)
    return render(request, "scenarios/new.html", {"form": form, "import_form": ImportForm()})


@require_POST
@login_required
def import_scenario(request: HttpRequest) -> HttpResponse:
    """A YAML file becomes a new scenario of the teacher's; a file with errors stores nothing."""
    selectors.library_for(request.user)
    import_form = ImportForm(request.POST, request.FILES)
    problems: list = []
    if import_form.is_valid():
        try:
            version = services.import_scenario(
                import_form.cleaned_data["file"].read(), owner=request.user
            )
        except ScenarioError as error:
            problems = error.problems
        else:
            messages.success(
                request, _("Imported “%(title)s” as your own scenario.") % {"title": version.title}
            )
            return redirect("scenarios:edit", version.scenario_id)
    context = {
        "form": NewScenarioForm(),
        "import_form": import_form,
        "problems": problems,
        "problem_rows": problem_rows(problems),
        "file_name": getattr(request.FILES.get("file"), "name", ""),
    }
    return render(request, "scenarios/new.html", context)


@require_POST
@login_required
def clone_scenario(request: HttpRequest, scenario_id: int) -> HttpResponse:
    """Copy a library scenario (or one's own) into a new scenario of one's own."""
    version = selectors.scenario_version_for(request.user, scenario_id)
    copy = services.clone_scenario(version, owner=request.user)
    messages.success(
        request,
        _("Copied “%(title)s”: this copy is yours to edit.") % {"title": version.title},
    )
    return redirect("scenarios:edit", copy.scenario_id)


@require_GET
@login_required
def export_scenario(request: HttpRequest, scenario_id: int) -> HttpResponse:
    """The YAML file of a version (the newest, or `?version=N`)."""
    number = request.GET.get("version", "")
    if number and not number.isdigit():
        raise Http404
    version = selectors.scenario_version_for(
        request.user, scenario_id, number=int(number) if number else None
    )
    response = HttpResponse(version.source, content_type="application/yaml; charset=utf-8")
    name = f"{version.scenario.slug}.v{version.number}.yaml"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@login_required
def edit_scenario(request: HttpRequest, scenario_id: int) -> HttpResponse:
    """The editor: the form face and the YAML source over one document, with test-play."""
    scenario = selectors.own_scenario_for(request.user, scenario_id)
    version = scenario.latest
    editing = editor.edit(version.source, QueryDict(), face="form")
    return render(request, "scenarios/editor.html", _editor_context(scenario, editing))


@require_POST
@login_required
def edit_sync(request: HtmxHttpRequest, scenario_id: int) -> HttpResponse:
    """htmx, as the teacher types: write the form into the document (or take the source as
    typed), list every problem; `op=save` stores a new version."""
    scenario = selectors.own_scenario_for(request.user, scenario_id)
    face = "source" if request.POST.get("face") == "source" else "form"
    op = request.POST.get("op", "")
    rerender = bool(request.POST.get("rerender")) or bool(op)
    editing = editor.edit(
        request.POST.get("source", ""),
        request.POST,
        face=face,
        op="" if op == "save" else op,
        rerender=rerender,
    )
    if op == "save":
        saved = _save(request, scenario, editing)
        if isinstance(saved, HttpResponse):
            return saved
        editing = saved
    context = _editor_context(scenario, editing, rerender=rerender)
    if not request.htmx:
        return render(request, "scenarios/editor.html", context)
    return render(request, "scenarios/_editor_sync.html", context)


def _editor_context(scenario: Scenario, editing: editor.Editing, **extra) -> dict:
    return {
        "scenario": scenario,
        "version": scenario.latest,
        "editing": editing,
        "problem_rows": problem_rows(editing.problems, editing.view),
        "dirty": editing.source != scenario.latest.source,
        **extra,
    }


def problem_rows(problems, view: editor.FormView | None = None) -> list[dict]:
    """Each problem with what is wrong and how to fix it, in the active language, and the
    form's name for its field (the YAML path alone means nothing to a form user)."""
    return [
        {
            "problem": p,
            "text": problem_text(p),
            "hint": problem_hint(p),
            "field": view.label_of(p.path) if view and p.path else "",
        }
        for p in problems
    ]


def _save(
    request: HttpRequest, scenario: Scenario, editing: editor.Editing
) -> HttpResponse | editor.Editing:
    """Store the document as a new version; the editor with the reasons when it cannot."""
    try:
        version, new = services.save_scenario(scenario, editing.source, saved_by=request.user)
    except ScenarioError as error:
        extra = tuple(p for p in error.problems if p not in editing.problems)
        note = ngettext(
            "Not saved: fix the %(n)s error first.",
            "Not saved: fix the %(n)s errors first.",
            editing.errors + len(extra),
        ) % {"n": editing.errors + len(extra)}
        return replace(editing, problems=(*extra, *editing.problems), note=note)
    if new:
        messages.success(request, _("Saved as version %(n)s.") % {"n": version.number})
    else:
        messages.info(request, _("Nothing changed since version %(n)s.") % {"n": version.number})
    url = reverse("scenarios:edit", args=[scenario.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
