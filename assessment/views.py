"""Pages of assessment: the transcript with its report, review actions, the grade book."""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from django_htmx.middleware import HtmxDetails

from assessment import drill_summary as drill_reports
from assessment import exports, gradebook, rubric_forms, selectors, services, uploads
from assessment import hints as live_hints
from assessment.scoring import RubricError
from scenarios.models import Kind
from simulator import selectors as simulator_selectors
from simulator.models import Conversation


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def review_context(request: HttpRequest, conversation: Conversation, **extra) -> dict:
    return {
        "page": selectors.transcript_page_for(request.user, conversation.pk),
        "report": selectors.report_for(request.user, conversation),
        **extra,
    }


@require_GET
@login_required
def transcript(request: HtmxHttpRequest, conversation_id: int) -> HttpResponse:
    page = selectors.transcript_page_for(request.user, conversation_id)
    report = selectors.report_for(request.user, page.conversation)
    return render(request, "assessment/transcript.html", {"page": page, "report": report})


@require_GET
@login_required
def transcript_export(request: HttpRequest, conversation_id: int) -> HttpResponse:
    data = selectors.transcript_export_for(request.user, conversation_id)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="transcript-{conversation_id}.json"'
    return response


def after_review(
    request: HtmxHttpRequest, conversation: Conversation, error: services.AssessmentError | None
) -> HttpResponse:
    """htmx gets the review fragment back (with the error beside the forms); others a redirect."""
    if request.htmx:
        context = review_context(request, conversation, error=error.message if error else "")
        return render(request, "assessment/_review.html", context)
    if error is not None:
        flash.error(request, error.message)
    return redirect("assessment:transcript", conversation_id=conversation.pk)


def _mark(raw: str) -> float:
    try:
        return float(raw.replace(",", "."))
    except ValueError:
        raise services.MarkOutOfRange from None


@require_POST
@login_required
def override_mark(request: HtmxHttpRequest, assessment_id: int) -> HttpResponse:
    assessment = selectors.reviewed_assessment_for(request.user, assessment_id)
    error = None
    try:
        services.override_mark(
            assessment,
            criterion=request.POST.get("criterion", ""),
            new_score=_mark(request.POST.get("score", "")),
            reason=request.POST.get("reason", ""),
            by=request.user,
        )
    except services.AssessmentError as refused:
        error = refused
    return after_review(request, assessment.conversation, error)


@require_POST
@login_required
def release_report(request: HtmxHttpRequest, assessment_id: int) -> HttpResponse:
    assessment = selectors.reviewed_assessment_for(request.user, assessment_id)
    services.release_report(assessment)
    return after_review(request, assessment.conversation, None)


@require_POST
@login_required
def release_assignment(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = simulator_selectors.taught_assignment_for(request.user, assignment_id)
    count = services.release_assignment(assignment)
    flash.success(
        request,
        ngettext("%(n)s report released.", "%(n)s reports released.", count) % {"n": count},
    )
    return redirect("assessment:gradebook", classroom_id=assignment.classroom_id)


@require_POST
@login_required
def comment(request: HtmxHttpRequest, conversation_id: int) -> HttpResponse:
    conversation = selectors.taught_conversation_for(request.user, conversation_id)
    error = None
    try:
        services.comment_on_message(
            conversation,
            seq=int(request.POST.get("seq", "0") or 0),
            text=request.POST.get("text", ""),
            author=request.user,
        )
    except ValueError:
        error = services.AssessmentError()
    except services.AssessmentError as refused:
        error = refused
    return after_review(request, conversation, error)


@require_POST
@login_required
def dispute(request: HtmxHttpRequest, assessment_id: int) -> HttpResponse:
    assessment = selectors.own_released_assessment_for(request.user, assessment_id)
    error = None
    try:
        services.dispute_mark(
            assessment,
            criterion=request.POST.get("criterion", ""),
            reason=request.POST.get("reason", ""),
            student=request.user,
        )
    except services.AssessmentError as refused:
        error = refused
    return after_review(request, assessment.conversation, error)


@require_POST
@login_required
def answer_dispute(request: HtmxHttpRequest, dispute_id: int) -> HttpResponse:
    dispute = selectors.reviewed_dispute_for(request.user, dispute_id)
    error = None
    try:
        services.answer_dispute(dispute, answer=request.POST.get("answer", ""), by=request.user)
    except services.AssessmentError as refused:
        error = refused
    return after_review(request, dispute.assessment.conversation, error)


# ------------------------------------------------------------------ grade book


def _gradebook(request: HttpRequest, classroom_id: int) -> gradebook.Gradebook:
    classroom = simulator_selectors.taught_classroom_for(request.user, classroom_id)
    return gradebook.gradebook_for(classroom, pick=request.GET.get("pick", "best"))


@require_GET
@login_required
def gradebook_page(request: HtmxHttpRequest, classroom_id: int) -> HttpResponse:
    book = _gradebook(request, classroom_id)
    partial = request.htmx and not request.htmx.boosted
    if partial:
        return render(request, "assessment/_gradebook.html", {"book": book})
    library, own = selectors.rubric_library_for(request.user)
    choices = [line.rubric for line in (*library, *own)]
    return render(request, "assessment/gradebook.html", {"book": book, "rubric_choices": choices})


def _download(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@login_required
def gradebook_csv(request: HttpRequest, classroom_id: int) -> HttpResponse:
    book = _gradebook(request, classroom_id)
    return _download(
        exports.gradebook_csv(book),
        "text/csv; charset=utf-8",
        f"gradebook-{book.classroom.pk}-{book.pick}.csv",
    )


@require_GET
@login_required
def gradebook_xlsx(request: HttpRequest, classroom_id: int) -> HttpResponse:
    book = _gradebook(request, classroom_id)
    return _download(
        exports.gradebook_xlsx(book),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"gradebook-{book.classroom.pk}-{book.pick}.xlsx",
    )


# ------------------------------------------------------------------ rubrics


@require_GET
@login_required
def rubrics(request: HttpRequest) -> HttpResponse:
    library, own = selectors.rubric_library_for(request.user)
    return render(request, "assessment/rubrics.html", {"library": library, "own": own})


@require_POST
@login_required
def rubric_clone(request: HttpRequest, rubric_id: int) -> HttpResponse:
    rubric = selectors.usable_rubric_for(request.user, rubric_id)
    copy = services.clone_rubric(rubric, owner=request.user)
    return redirect("assessment:rubric_edit", rubric_id=copy.pk)


@login_required
def rubric_edit(request: HttpRequest, rubric_id: int) -> HttpResponse:
    rubric = selectors.own_rubric_for(request.user, rubric_id)
    data, error = rubric.data, ""
    if request.method == "POST":
        data = rubric_forms.document_from_post(rubric.data, request.POST)
        try:
            rubric_forms.check_document(data)
            saved = services.save_rubric_version(
                rubric, data=data, name=request.POST.get("name", "")
            )
        except RubricError as invalid:
            error = rubric_forms.problem_text(invalid)
        except services.RubricInvalid as invalid:
            error = rubric_forms.problem_text(invalid.error)
        else:
            flash.success(
                request,
                _("Saved as version %(version)s. New chats in your classes use it.")
                % {"version": saved.version},
            )
            return redirect("assessment:rubric_edit", rubric_id=saved.pk)
    context = {
        "rubric": rubric,
        "data": data,
        "versions": selectors.rubric_versions(rubric),
        "rows": rubric_forms.criterion_rows(data),
        "pass_mark": rubric_forms.fmt(data.get("pass_mark", "")),
        "critical_cap": rubric_forms.fmt(data.get("critical_cap", "")),
        "steps": rubric_forms.steps_text(data),
        "error": error,
    }
    return render(request, "assessment/rubric_edit.html", context, status=400 if error else 200)


def posted_id(request: HttpRequest, name: str) -> int:
    """A posted object id; anything that is not one (blank, text, a sign) finds nothing."""
    value = request.POST.get(name, "").strip()
    return int(value) if value.isascii() and value.isdigit() else 0


@require_POST
@login_required
def rescore_classroom(request: HttpRequest, classroom_id: int) -> HttpResponse:
    classroom = simulator_selectors.taught_classroom_for(request.user, classroom_id)
    rubric = selectors.usable_rubric_for(request.user, posted_id(request, "rubric"))
    count = services.rescore_classroom(classroom, rubric=rubric)
    flash.success(
        request,
        ngettext(
            "%(n)s conversation re-scored with %(rubric)s; the earlier scores are kept.",
            "%(n)s conversations re-scored with %(rubric)s; the earlier scores are kept.",
            count,
        )
        % {"n": count, "rubric": str(rubric)},
    )
    return redirect("assessment:gradebook", classroom_id=classroom.pk)


# ------------------------------------------------------------------ uploads


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    """A teacher scores a real shop's transcript (JSON or CSV) without storing it."""
    if not request.user.is_instructor:
        raise Http404
    context: dict = {"kinds": Kind.choices, "error": ""}
    if request.method == "POST":
        file = request.FILES.get("file")
        try:
            if file is None:
                raise uploads.UploadError(_("Choose a file first."))
            # Read no more than the limit: a huge file is refused without being loaded.
            chat = uploads.read_upload(
                file.name,
                file.read(uploads.MAX_BYTES + 1),
                language=request.POST.get("language") or "zh-hans",
                kind=request.POST.get("kind") or None,
            )
            rubric = services.rubric_for_kind(
                chat.transcript.kind or "pre_sale", teacher_id=request.user.pk
            )
            assessment = uploads.score_upload(chat, rubric)
        except uploads.UploadError as error:
            context["error"] = str(error)
        else:
            context["upload"] = chat
            context["report"] = selectors.report_view(assessment, reviewer=False, disputant=False)
    return render(
        request, "assessment/upload.html", context, status=400 if context["error"] else 200
    )


@require_GET
@login_required
def hints(request: HtmxHttpRequest, conversation_id: int) -> HttpResponse:
    """htmx poll from the practice workspace; 286 tells htmx to stop once the score is in."""
    found = live_hints.hints_for(request.user, conversation_id)
    response = render(request, "assessment/_hints.html", {"hints": found})
    if found.final:
        response.status_code = 286
    return response


# ------------------------------------------------------------------ rush drills


@require_GET
@login_required
def drill_summary(request: HttpRequest, drill_id: int) -> HttpResponse:
    """After (or during) a rush drill: per student what they served and how well."""
    drill = simulator_selectors.taught_drill_for(request.user, drill_id)
    return render(
        request,
        "assessment/drill_summary.html",
        {"drill": drill, "rows": drill_reports.drill_summary(drill)},
    )


@require_GET
@login_required
def drill_summary_csv(request: HttpRequest, drill_id: int) -> HttpResponse:
    drill = simulator_selectors.taught_drill_for(request.user, drill_id)
    return _download(
        drill_reports.summary_csv(drill_reports.drill_summary(drill)),
        "text/csv; charset=utf-8",
        f"drill-{drill.pk}.csv",
    )
