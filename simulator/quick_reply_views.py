"""Pages that keep quick replies (快捷短语, issue 7 part 6): a class's phrases, kept by whoever
teaches it, and a student's own. The workspace lists both (`simulator.views.workspace`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from simulator import quick_replies, selectors
from simulator.forms import QuickReplyForm
from simulator.models import Classroom, QuickReply, User
from simulator.views import instructor_required

# Suggested beside a list's own groups: the topics of a shop workbench's phrases.
DEFAULT_GROUPS = (
    gettext_lazy("Greeting"),
    gettext_lazy("Sizes"),
    gettext_lazy("Shipping"),
    gettext_lazy("After-sale"),
    gettext_lazy("Farewell"),
)


def _example() -> dict[str, str]:
    return quick_replies.EXAMPLE["en" if get_language() == "en" else "zh-hans"]


def _list_url(reply: QuickReply) -> str:
    if reply.classroom_id is not None:
        return reverse("simulator:class_quick_replies", args=[reply.classroom_id])
    return reverse("simulator:my_quick_replies")


def _page(
    request: HttpRequest,
    *,
    owner: Classroom | User,
    form: QuickReplyForm,
    editing: QuickReply | None = None,
) -> HttpResponse:
    if isinstance(owner, Classroom):
        replies = list(quick_replies.class_replies(owner))
        action = reverse("simulator:class_quick_replies", args=[owner.pk])
    else:
        replies = list(quick_replies.own_replies(owner))
        action = reverse("simulator:my_quick_replies")
    example = _example()
    rows = [(reply, quick_replies.fill(reply.text, example)) for reply in replies]
    groups = list(
        dict.fromkeys([r.group for r in replies if r.group] + [str(g) for g in DEFAULT_GROUPS])
    )
    return render(
        request,
        "simulator/quick_replies.html",
        {
            "classroom": owner if isinstance(owner, Classroom) else None,
            "groups": quick_replies.grouped(rows, lambda row: row[0].group),
            "group_names": groups,
            "form": form,
            "action": reverse("simulator:edit_quick_reply", args=[editing.pk])
            if editing
            else action,
            "list_url": action,
            "editing": editing,
            "example": example,
            "count": len(replies),
        },
    )


def _save(request: HttpRequest, owner: Classroom | User) -> HttpResponse:
    form = QuickReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reply = quick_replies.add_quick_reply(owner, **form.cleaned_data, by=request.user)
        except quick_replies.QuickReplyError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Phrase “%(title)s” added.") % {"title": reply.title})
            return redirect(_list_url(reply))
    return _page(request, owner=owner, form=form)


@instructor_required
def class_quick_replies(request: HttpRequest, classroom_id: int) -> HttpResponse:
    """The class's phrases, every student of the class sees them in the workspace."""
    return _save(request, selectors.taught_classroom_for(request.user, classroom_id))


@login_required
def my_quick_replies(request: HttpRequest) -> HttpResponse:
    """A student's own phrases; teachers keep theirs per class."""
    if request.user.is_instructor:
        raise Http404
    return _save(request, request.user)


@login_required
def edit_quick_reply(request: HttpRequest, reply_id: int) -> HttpResponse:
    reply = quick_replies.editable_reply_for(request.user, reply_id)
    owner = reply.classroom or reply.student
    initial = {"group": reply.group, "title": reply.title, "text": reply.text}
    form = QuickReplyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            quick_replies.update_quick_reply(reply, **form.cleaned_data, by=request.user)
        except quick_replies.QuickReplyError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Phrase “%(title)s” saved.") % {"title": reply.title})
            return redirect(_list_url(reply))
    return _page(request, owner=owner, form=form, editing=reply)


@require_POST
@login_required
def delete_quick_reply(request: HttpRequest, reply_id: int) -> HttpResponse:
    reply = quick_replies.editable_reply_for(request.user, reply_id)
    back = _list_url(reply)
    quick_replies.delete_quick_reply(reply, by=request.user)
    messages.success(request, _("Phrase “%(title)s” deleted.") % {"title": reply.title})
    return redirect(back)


@require_POST
@login_required
def move_quick_reply(request: HttpRequest, reply_id: int) -> HttpResponse:
    """Move a phrase within its group, or (direction `group_up`, `group_down`) its whole group."""
    reply = quick_replies.editable_reply_for(request.user, reply_id)
    direction = request.POST.get("direction", "up")
    if direction.startswith("group_"):
        quick_replies.move_quick_reply_group(reply, up=direction == "group_up")
    else:
        quick_replies.move_quick_reply(reply, up=direction != "down")
    return redirect(f"{_list_url(reply)}#qr-{reply.pk}")


@require_POST
@login_required
def quick_reply_preview(request: HttpRequest) -> HttpResponse:
    """The form's text filled from the example customer, or what is wrong with it (htmx)."""
    text = request.POST.get("text", "")[: quick_replies.MAX_TEXT * 2]
    problems = quick_replies.text_problems(text) if text.strip() else []
    return render(
        request,
        "simulator/_quick_reply_preview.html",
        {"filled": quick_replies.fill(text.strip(), _example()), "problems": problems},
    )
