"""Pages of the live side: home, classrooms, assignments, the chat workspace."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from django_htmx.middleware import HtmxDetails

from scenarios import selectors as scenario_selectors
from scenarios import services as scenario_services
from scenarios.messages import move_label
from simulator import (
    audit,
    classrooms,
    drills,
    quick_replies,
    selectors,
    services,
    shop_tools,
    versions,
)
from simulator import testplay as testplay_turns
from simulator.forms import (
    AddStudentsForm,
    AssignForm,
    AssignmentTermsForm,
    ClassroomForm,
    CoTeacherForm,
    JoinClassroomForm,
    LanguageForm,
    RenameClassroomForm,
)

ACTIVITY_PAGE = 50  # audit rows per page


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def instructor_required(view):
    """Instructor pages answer 404 to everyone else, like any page they may not see."""

    @login_required
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_instructor:
            raise Http404
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@require_GET
@login_required
def home(request: HtmxHttpRequest) -> HttpResponse:
    if request.user.is_instructor:
        return render(
            request,
            "simulator/instructor_home.html",
            {
                "classrooms": selectors.taught_classrooms(request.user),
                "archived": selectors.taught_classrooms(request.user, archived=True),
                "recent": selectors.instructor_recent_conversations(request.user),
                "classroom_form": ClassroomForm(),
                "library": scenario_selectors.library_versions_for(request.user),
            },
        )
    return render(
        request,
        "simulator/student_home.html",
        {
            "rows": selectors.student_assignments(request.user),
            # Role-plays in which a classmate's customer is theirs to play (simulator/peers.py).
            "seats": selectors.customer_seats(request.user),
            "invites": selectors.invites_for(request.user),
            # A rush drill running in one of their classes: the page leads with it.
            "drill": drills.running_drill_for_student(request.user),
            "past_drills": selectors.student_drill_history(request.user),
            "classrooms": selectors.student_classrooms(request.user),
            "join_form": JoinClassroomForm(),
        },
    )


@require_POST
@login_required
def join_classroom(request: HttpRequest) -> HttpResponse:
    form = JoinClassroomForm(request.POST)
    if form.is_valid():
        try:
            membership = services.join_classroom(request.user, code=form.cleaned_data["code"])
            messages.success(
                request,
                _("You joined %(classroom)s.") % {"classroom": membership.classroom.name},
            )
        except (
            services.UnknownJoinCode,
            services.OnlyStudentsJoin,
            services.ClassroomClosedToJoin,
        ) as error:
            messages.error(request, error.message)
    return redirect("simulator:home")


@require_POST
@instructor_required
def create_classroom(request: HttpRequest) -> HttpResponse:
    form = ClassroomForm(request.POST)
    if form.is_valid():
        classroom = services.create_classroom(request.user, name=form.cleaned_data["name"])
        messages.success(
            request,
            _("Classroom %(name)s created. Join code: %(code)s")
            % {"name": classroom.name, "code": classroom.join_code},
        )
    return redirect("simulator:home")


@instructor_required
def classroom(request: HttpRequest, classroom_id: int) -> HttpResponse:
    classroom = selectors.taught_classroom_for(request.user, classroom_id)
    versions = scenario_selectors.library_versions_for(request.user)
    # From a scenario's page ("Assign to a class"): the form opens with that scenario chosen.
    chosen = request.GET.get("assign", "")
    initial = {"scenario_version": int(chosen)} if chosen.isascii() and chosen.isdigit() else {}
    form = AssignForm(request.POST or None, versions=versions, classroom=classroom, initial=initial)
    if request.method == "POST" and form.is_valid():
        assignment = services.assign_scenario(classroom, **form.assignment_terms(), by=request.user)
        messages.success(
            request,
            _("Assigned “%(title)s” to %(classroom)s.")
            % {"title": assignment.scenario_version.title, "classroom": classroom.name},
        )
        return redirect("simulator:classroom", classroom_id=classroom.pk)
    return render(request, "simulator/classroom.html", classroom_context(classroom, form=form))


@require_GET
@instructor_required
def classroom_activity(request: HttpRequest, classroom_id: int) -> HttpResponse:
    """The class's audit log: who changed its accounts, roster, sharing, assignments, marks."""
    classroom = selectors.taught_classroom_for(request.user, classroom_id)
    page = Paginator(selectors.audit_events_of(classroom), ACTIVITY_PAGE).get_page(
        request.GET.get("page")
    )
    events = [(event, audit.describe(event)) for event in page]
    return render(
        request,
        "simulator/activity.html",
        {"classroom": classroom, "page": page, "events": events},
    )


def classroom_context(classroom, **forms) -> dict:
    """The classroom page, with any form the request filled in place of the empty one."""
    if "form" not in forms:
        # What the class may be given: the library and its owner's own scenarios.
        versions = scenario_selectors.library_versions_for(classroom.instructor)
        forms["form"] = AssignForm(versions=versions, classroom=classroom)
    students = [m.student for m in classroom.memberships.select_related("student")]
    return {
        "classroom": classroom,
        "rename_form": RenameClassroomForm(initial={"name": classroom.name}),
        "add_students_form": AddStudentsForm(),
        "co_teacher_form": CoTeacherForm(),
        "co_teachers": list(classroom.co_teachers.order_by("username")),
        "students": students,
        "former_students": selectors.former_students(classroom),
        "locked_out": selectors.locked_out_usernames([s.username for s in students]),
        "assignments": selectors.assignment_rows(classroom),
        "drills": selectors.classroom_drills(classroom),
        **forms,
    }


def confirm_first(request: HttpRequest, *, question: str, detail: str, button: str, back: str):
    """The page that asks before a change that cannot be undone; None once the teacher said yes."""
    if request.POST.get("confirm") == "yes":
        return None
    return render(
        request,
        "simulator/confirm.html",
        {"question": question, "detail": detail, "button": button, "back": back},
    )


@require_POST
@instructor_required
def rename_classroom(request: HttpRequest, classroom_id: int) -> HttpResponse:
    classroom = selectors.taught_classroom_for(request.user, classroom_id)
    form = RenameClassroomForm(request.POST)
    if not form.is_valid():
        return render(
            request, "simulator/classroom.html", classroom_context(classroom, rename_form=form)
        )
    classrooms.rename_classroom(classroom, name=form.cleaned_data["name"], by=request.user)
    messages.success(request, _("The class is now called %(name)s.") % {"name": classroom.name})
    return redirect("simulator:classroom", classroom_id=classroom.pk)


@require_POST
@instructor_required
def archive_classroom(request: HttpRequest, classroom_id: int) -> HttpResponse:
    classroom = selectors.taught_classroom_for(request.user, classroom_id)
    classrooms.archive_classroom(classroom, by=request.user)
    messages.success(
        request,
        _(
            "%(name)s is archived. Its students can still read their transcripts but cannot "
            "start new attempts. Restore it from “Archived classes” on your home page."
        )
        % {"name": classroom.name},
    )
    return redirect("simulator:home")


@require_POST
@instructor_required
def restore_classroom(request: HttpRequest, classroom_id: int) -> HttpResponse:
    classroom = selectors.taught_classroom_for(request.user, classroom_id)
    classrooms.restore_classroom(classroom, by=request.user)
    messages.success(request, _("%(name)s is back in your classes.") % {"name": classroom.name})
    return redirect("simulator:classroom", classroom_id=classroom.pk)


@require_POST
@instructor_required
def new_join_code(request: HttpRequest, classroom_id: int) -> HttpResponse:
    classroom = selectors.taught_classroom_for(request.user, classroom_id)
    back = reverse("simulator:classroom", args=[classroom.pk])
    if asking := confirm_first(
        request,
        question=_("Give %(name)s a new join code?") % {"name": classroom.name},
        detail=_(
            "The code %(code)s stops working at once. Students already in the class stay in it; "
            "anyone still to join needs the new code."
        )
        % {"code": classroom.join_code},
        button=_("Make a new code"),
        back=back,
    ):
        return asking
    try:
        code = classrooms.regenerate_join_code(classroom, by=request.user)
        messages.success(request, _("The new join code is %(code)s.") % {"code": code})
    except classrooms.ClassroomError as error:
        messages.error(request, error.message)
    return redirect(back)


@require_POST
@instructor_required
def remove_student(request: HttpRequest, classroom_id: int, student_id: int) -> HttpResponse:
    classroom = selectors.taught_classroom_for(request.user, classroom_id)
    student = selectors.classroom_student_for(classroom, student_id)
    back = reverse("simulator:classroom", args=[classroom.pk])
    if asking := confirm_first(
        request,
        question=_("Remove %(student)s from %(name)s?")
        % {"student": student.display_name, "name": classroom.name},
        detail=_(
            "Their transcripts and scores are kept for your records, under “Former students”. "
            "They will no longer see this class's assignments. Their account is not deleted."
        ),
        button=_("Remove from class"),
        back=back,
    ):
        return asking
    classrooms.remove_student(classroom, student=student, by=request.user)
    messages.success(
        request,
        _("%(student)s was removed from the class.") % {"student": student.display_name},
    )
    return redirect(back)


@require_POST
@instructor_required
def reset_password(request: HttpRequest, classroom_id: int, student_id: int) -> HttpResponse:
    classroom = selectors.taught_classroom_for(request.user, classroom_id)
    student = selectors.classroom_student_for(classroom, student_id)
    if asking := confirm_first(
        request,
        question=_("Give %(student)s a new password?") % {"student": student.display_name},
        detail=_(
            "Their old password stops working and they are signed out everywhere. The new one "
            "is shown once, on a login slip."
        ),
        button=_("Make a new password"),
        back=reverse("simulator:classroom", args=[classroom.pk]),
    ):
        return asking
    return login_slips(
        request,
        classroom,
        [classrooms.reset_password(student, classroom=classroom, by=request.user)],
        reset=True,
    )


def login_slips(request: HttpRequest, classroom, logins: list, *, reset: bool = False):
    """The sheet of login slips: the only page that ever shows these passwords."""
    response = render(
        request,
        "simulator/login_slips.html",
        {
            "classroom": classroom,
            "logins": logins,
            "site": request.build_absolute_uri(reverse("login")),
            "reset": reset,
        },
    )
    response["Cache-Control"] = "no-store"  # the passwords are on this page, and only here
    return response


@require_POST
@instructor_required
def add_students(request: HttpRequest, classroom_id: int) -> HttpResponse:
    """Accounts for a pasted list or a CSV of names, shown once as a sheet of login slips."""
    classroom = selectors.taught_classroom_for(request.user, classroom_id)
    form = AddStudentsForm(request.POST, request.FILES)
    logins = None
    if form.is_valid():
        try:
            logins = classrooms.enrol_students(
                classroom, names=form.cleaned_data["rows"], by=request.user
            )
        except classrooms.RosterError as error:
            form.add_error(None, [error.message, *error.problems])
    if logins is None:
        context = classroom_context(classroom, add_students_form=form)
        return render(request, "simulator/classroom.html", context, status=400)
    return login_slips(request, classroom, logins)


@require_POST
@instructor_required
def add_co_teacher(request: HttpRequest, classroom_id: int) -> HttpResponse:
    classroom = selectors.taught_classroom_for(request.user, classroom_id)
    form = CoTeacherForm(request.POST)
    if form.is_valid():
        try:
            teacher = classrooms.add_co_teacher(
                classroom, username=form.cleaned_data["username"], by=request.user
            )
            messages.success(
                request,
                _("%(teacher)s now teaches %(name)s with you.")
                % {"teacher": teacher.display_name, "name": classroom.name},
            )
        except classrooms.ClassroomError as error:
            messages.error(request, error.message)
    return redirect("simulator:classroom", classroom_id=classroom.pk)


@require_POST
@instructor_required
def remove_co_teacher(request: HttpRequest, classroom_id: int, teacher_id: int) -> HttpResponse:
    classroom = selectors.taught_classroom_for(request.user, classroom_id)
    teacher = selectors.co_teacher_for(classroom, teacher_id)
    try:
        classrooms.remove_co_teacher(classroom, teacher=teacher, by=request.user)
    except classrooms.ClassroomError as error:
        messages.error(request, error.message)
        return redirect("simulator:classroom", classroom_id=classroom.pk)
    if teacher.pk == request.user.pk:
        messages.success(request, _("You no longer teach %(name)s.") % {"name": classroom.name})
        return redirect("simulator:home")
    messages.success(
        request,
        _("%(teacher)s no longer teaches %(name)s.")
        % {"teacher": teacher.display_name, "name": classroom.name},
    )
    return redirect("simulator:classroom", classroom_id=classroom.pk)


@instructor_required
def edit_assignment(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = selectors.taught_assignment_for(request.user, assignment_id)
    initial = {"due_at": assignment.due_at, "max_attempts": assignment.max_attempts}
    form = AssignmentTermsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            classrooms.update_assignment(assignment, **form.cleaned_data, by=request.user)
            messages.success(request, _("The assignment was updated."))
            return redirect("simulator:classroom", classroom_id=assignment.classroom_id)
        except classrooms.ClassroomError as error:
            form.add_error("max_attempts", error.message)
    return render(
        request,
        "simulator/assignment_edit.html",
        {
            "assignment": assignment,
            "classroom": assignment.classroom,
            "form": form,
            "progress": selectors.assignment_progress(assignment),
        },
    )


@require_POST
@instructor_required
def delete_assignment(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = selectors.taught_assignment_for(request.user, assignment_id)
    back = reverse("simulator:classroom", args=[assignment.classroom_id])
    try:
        classrooms.check_deletable(assignment)
    except classrooms.AssignmentStarted as error:
        messages.error(request, error.message)
        return redirect(back)
    if asking := confirm_first(
        request,
        question=_("Delete the assignment “%(title)s”?")
        % {"title": assignment.scenario_version.title},
        detail=_(
            "Nobody has started it yet, so nothing is lost. The scenario stays in the library."
        ),
        button=_("Delete assignment"),
        back=back,
    ):
        return asking
    try:
        classrooms.delete_assignment(assignment, by=request.user)
        messages.success(request, _("The assignment was deleted."))
    except classrooms.AssignmentStarted as error:
        messages.error(request, error.message)
    return redirect(back)


@require_POST
@instructor_required
def move_assignment(request: HttpRequest, assignment_id: int) -> HttpResponse:
    """Move an assignment nobody has started to the newest version of its scenario."""
    assignment = selectors.taught_assignment_for(request.user, assignment_id)
    back = request.POST.get("next", "")
    # Only a path of this site: anything else ("0", a view's name, another host) goes home.
    if not back.startswith("/") or not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}
    ):
        back = reverse("simulator:classroom", args=[assignment.classroom_id])
    try:
        version = versions.move_assignment_to_newest(assignment)
        messages.success(
            request,
            _("The assignment in %(classroom)s now uses version %(n)s of “%(title)s”.")
            % {"classroom": assignment.classroom.name, "n": version.number, "title": version.title},
        )
    except classrooms.ClassroomError as error:
        messages.error(request, error.message)
    return HttpResponseRedirect(back)


@require_POST
@instructor_required
def unlock_student(request: HttpRequest, classroom_id: int, student_id: int) -> HttpResponse:
    """The class's teacher lifts a sign-in lockout of one of its students."""
    classroom = selectors.taught_classroom_for(request.user, classroom_id)
    student = selectors.classroom_student_for(classroom, student_id)
    services.unlock_sign_in(student, classroom=classroom, by=request.user)
    messages.success(request, _("%(name)s can sign in again.") % {"name": student.display_name})
    return redirect("simulator:classroom", classroom_id=classroom.pk)


@require_POST
@login_required
def start_attempt(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = selectors.assignment_for_student(request.user, assignment_id)
    try:
        conversation = services.start_attempt(assignment, student=request.user)
    except services.ChatError as error:
        messages.error(request, error.message)
        return redirect("simulator:home")
    return redirect("simulator:workspace", conversation_id=conversation.pk)


@require_GET
@login_required
def workspace(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = selectors.own_conversation_for(request.user, conversation_id)
    config = {
        "socket_path": reverse("simulator:socket"),
        "login_url": reverse("login"),
        # Times show in the school's zone, as on the transcript, whatever the browser's clock.
        "time_zone": settings.TIME_ZONE,
        "conversations": [{"id": conversation.pk, "status": conversation.status}],
    }
    return render(
        request,
        "simulator/workspace.html",
        {
            "conversation": conversation,
            "script": conversation.scenario_version.script,
            "workspace_config": config,
            "quick_replies": quick_replies.phrases_for(request.user, conversation),
            "shop": shop_tools.order_now(conversation),
            "other_chats": selectors.other_active_chats(request.user, conversation),
        },
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change; then every open socket of the user closes (docs/protocol.md)."""

    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("simulator:home")

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)  # keeps this session; others no longer validate
        services.close_user_sockets(self.request.user)
        messages.success(
            self.request,
            _("Your password was changed. Other browsers signed in as you must sign in again."),
        )
        return response


def login_locked_out(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """django-axes' lockout response: the login page again, saying why and for how long."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")})
    return render(
        request,
        "registration/login.html",
        {
            "form": form,
            "next": request.POST.get("next", ""),
            "locked_out": ngettext(
                "Too many failed sign-ins with this username: it is locked for %(minutes)s "
                "minute. Try again later, or ask your teacher to unlock it.",
                "Too many failed sign-ins with this username: it is locked for %(minutes)s "
                "minutes. Try again later, or ask your teacher to unlock it.",
                minutes,
            )
            % {"minutes": minutes},
        },
        status=429,
    )


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    form = LanguageForm(request.POST)
    target = request.POST.get("next") or reverse("simulator:home")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("simulator:home")
    response = HttpResponseRedirect(target)
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            services.set_language(request.user, language=language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax"
        )
    return response


@instructor_required
def lexicon(request: HttpRequest) -> HttpResponse:
    """The instructor's own cue phrases per move, added on top of the shipped lexicon."""
    language = lexicon_language(request)
    if request.method == "POST":
        try:
            scenario_services.add_cue_phrase(
                request.user,
                language=language,
                move=request.POST.get("move", ""),
                phrase=request.POST.get("phrase", ""),
            )
            messages.success(request, _("Phrase added. It counts in your classes from now on."))
        except scenario_services.CueError as error:
            messages.error(request, str(error))
        return redirect(f"{reverse('simulator:lexicon')}?language={language}")
    return render(
        request,
        "scenarios/lexicon.html",
        {
            "language": language,
            "rows": scenario_selectors.lexicon_rows(request.user, language),
            "samples": "\n".join(sample_texts(request, language)),
        },
    )


@require_POST
@instructor_required
def lexicon_preview(request: HttpRequest) -> HttpResponse:
    """htmx: which sample messages the phrase being typed would make show the move."""
    language = lexicon_language(request)
    samples = request.POST.get("samples", "").splitlines() or sample_texts(request, language)
    rows = scenario_selectors.preview_phrase(
        request.user.pk,
        language=language,
        move=request.POST.get("move", ""),
        phrase=request.POST.get("phrase", "")[:60],
        samples=samples[: scenario_selectors.MAX_SAMPLES],
    )
    return render(request, "scenarios/_lexicon_preview.html", {"rows": rows})


@require_POST
@instructor_required
def lexicon_remove(request: HttpRequest, cue_id: int) -> HttpResponse:
    cue = scenario_selectors.cue_phrase_for(request.user, cue_id)
    back = f"{reverse('simulator:lexicon')}?language={cue.language}"
    if asking := confirm_first(
        request,
        question=_("Remove “%(phrase)s” from “%(move)s”?")
        % {"phrase": cue.phrase, "move": move_label(cue.move)},
        detail=_(
            "From the next message on it no longer shows this move in your classes. "
            "Messages already sent keep the moves they were given."
        ),
        button=_("Remove phrase"),
        back=back,
    ):
        return asking
    scenario_services.remove_cue_phrase(cue)
    messages.success(request, _("Phrase removed."))
    return redirect(back)


def lexicon_language(request: HttpRequest) -> str:
    language = request.POST.get("language") or request.GET.get("language") or "zh-hans"
    return language if language in {"zh-hans", "en"} else "zh-hans"


def sample_texts(request: HttpRequest, language: str) -> list[str]:
    recent = selectors.recent_agent_texts(request.user, language)
    return scenario_selectors.sample_messages(language, recent=recent)


@require_POST
@instructor_required
def testplay(request: HttpRequest, scenario_id: int) -> HttpResponse:
    """htmx: one turn of the editor's test-play (nothing stored; the play rides in the form)."""
    scenario = scenario_selectors.own_scenario_for(request.user, scenario_id)
    pane = testplay_turns.play_turn(request.user, scenario, request.POST)
    return render(request, "simulator/_testplay.html", {"pane": pane, "scenario": scenario})


def socket_placeholder(request: HttpRequest) -> HttpResponse:
    """Plain HTTP on the socket path: tell the client to upgrade."""
    return HttpResponse(status=426, headers={"Upgrade": "websocket"})
