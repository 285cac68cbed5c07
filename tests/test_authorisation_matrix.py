"""Who may open what: every URL of the project × every role, allowed cells and refused ones.

A URL name without a row in MATRIX fails `test_every_url_has_a_row`: add it to the matrix.
Refused means 404 or 403 for a signed-in user and a redirect to the login (or a 404) for an
anonymous one; a refused POST must leave every table as it was. Admin pages are for staff
only, and no role here is staff.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern

from tests.assessment import conftest as assessment_fixtures
from tests.assessment.conftest import COAT_CHAT
from tests.conftest import make_user

chat = assessment_fixtures.chat  # the fixture that plays and ends a chat through the services

ROLES = ("anonymous", "student", "classmate", "outsider", "teacher", "co_teacher", "other_teacher")
ALL = frozenset(ROLES)
SIGNED_IN = ALL - {"anonymous"}
STUDENTS = frozenset({"student", "classmate", "outsider"})
TEACHERS = frozenset({"teacher", "co_teacher", "other_teacher"})
OWNER = frozenset({"student"})  # the student whose chat, report and dispute these are
TEACHER = frozenset({"teacher"})  # the teacher of the student's class, and their own things
CLASS = TEACHER | {"co_teacher"}  # whoever teaches the class: its teacher and its co-teacher


@dataclass(frozen=True)
class Row:
    method: str
    allowed: frozenset[str]
    data: dict[str, Any] = field(default_factory=dict)  # POST body; `{name}` filled from World
    # Refused without a 403/404: answered with a message and a redirect, nothing changed.
    declined: frozenset[str] = frozenset()
    status: int | None = None  # the one status every allowed role gets, when it is not 2xx/3xx
    # An action that can happen once (a student removed): each allowed role's is undone after.
    undo: bool = False


MATRIX: dict[str, Row] = {
    "login": Row("get", ALL),
    "logout": Row("post", ALL, status=302),  # to the login page, signed in or not
    "password_change": Row("get", SIGNED_IN),
    "simulator:home": Row("get", SIGNED_IN),
    # Only students join by code (issue 9): a teacher is told so and joins nothing.
    "simulator:join_classroom": Row("post", STUDENTS, {"code": "{join_code}"}, declined=TEACHERS),
    "simulator:create_classroom": Row("post", TEACHERS, {"name": "电商2403班"}),
    "simulator:classroom": Row("get", CLASS),
    "simulator:classroom_activity": Row("get", CLASS),
    "simulator:unlock_student": Row("post", CLASS),
    "simulator:rename_classroom": Row("post", CLASS, {"name": "电商2401班(下)"}),
    "simulator:archive_classroom": Row("post", CLASS),
    "simulator:restore_classroom": Row("post", CLASS),
    # Without `confirm` these answer a page that asks; with it they act.
    "simulator:new_join_code": Row("post", CLASS, {"confirm": "yes"}),
    "simulator:remove_student": Row("post", CLASS, {"confirm": "yes"}, undo=True),
    "simulator:add_students": Row("post", CLASS, {"names": "王小明\n李华"}, undo=True),
    "simulator:reset_password": Row("post", CLASS, {"confirm": "yes"}),
    # Only the class's own teacher shares it: a co-teacher is told so and nothing changes.
    "simulator:add_co_teacher": Row(
        "post", TEACHER, {"username": "teacher2"}, declined=frozenset({"co_teacher"})
    ),
    "simulator:remove_co_teacher": Row("post", TEACHER, declined=frozenset({"co_teacher"})),
    "simulator:edit_assignment": Row("get", CLASS),
    # The world's assignment has a chat: the teacher is told it cannot go, and it stays.
    "simulator:delete_assignment": Row("post", CLASS, {"confirm": "yes"}),
    # The world's assignment has a chat (and runs the newest version): the teacher is told it
    # stays, and nothing changes.
    "simulator:move_assignment": Row("post", CLASS),
    "simulator:start_attempt": Row("post", frozenset({"student", "classmate"})),
    "simulator:workspace": Row("get", OWNER),
    # The live monitor: every teacher has one (of the classes they teach); a conversation is
    # watched, taken over and coached by whoever teaches its class.
    "simulator:monitor": Row("get", TEACHERS),
    "simulator:watch": Row("get", CLASS),
    # Role-play (issue 7, part 5): whoever teaches the class pairs its students; the seat with
    # the role card is the customer player's alone (the world's classmate), never the agent's.
    "simulator:pair_classmates": Row(
        "post",
        CLASS,
        {"assignment": "{assignment_id}", "agent": "{student_id}", "customer": "{classmate_id}"},
        undo=True,
    ),
    "simulator:customer_seat": Row("get", frozenset({"classmate"})),
    # A student invites a classmate (the world's student has invited the world's classmate):
    # inviting oneself is answered with a message; only the invitee answers, only the inviter
    # withdraws; the invitations fragment is anyone's own.
    "simulator:invite_classmate": Row(
        "post",
        OWNER,
        {"classmate": "{classmate_id}", "role": "customer"},
        declined=frozenset({"classmate"}),
        undo=True,
    ),
    "simulator:invites": Row("get", SIGNED_IN),
    "simulator:accept_invite": Row("post", frozenset({"classmate"}), undo=True),
    "simulator:decline_invite": Row("post", frozenset({"classmate"}), undo=True),
    "simulator:withdraw_invite": Row("post", OWNER, undo=True),
    # Quick replies: a class's phrases are kept by whoever teaches it (the world's phrase is
    # the class's); a student keeps their own list, a teacher has none; the preview stores nothing.
    "simulator:class_quick_replies": Row("post", CLASS, {"title": "欢迎", "text": "{{顾客}}您好"}),
    "simulator:my_quick_replies": Row("post", STUDENTS, {"title": "欢迎", "text": "{{顾客}}您好"}),
    "simulator:quick_reply_preview": Row("post", SIGNED_IN, {"text": "{{顾客}}您好"}),
    "simulator:edit_quick_reply": Row("post", CLASS, {"title": "欢迎语", "text": "您好"}),
    "simulator:delete_quick_reply": Row("post", CLASS, undo=True),
    "simulator:move_quick_reply": Row("post", CLASS, {"direction": "down"}),
    "simulator:set_language": Row("post", ALL, {"language": "en", "next": "/"}),
    "simulator:lexicon": Row("get", TEACHERS),
    "simulator:lexicon_preview": Row(
        "post", TEACHERS, {"move": "greet", "phrase": "亲亲", "samples": "亲亲您好"}
    ),
    "simulator:lexicon_remove": Row("post", TEACHER),
    # The editor's test-play: the owner of the scenario only; it stores nothing.
    "simulator:testplay": Row("post", TEACHER, {"text": "您好", "action": "say"}),
    # Rush drills: whoever teaches the class sets one up (the world's drill runs, so a start
    # is answered with it), watches, stops and sums it up; its students join it, and a chat's
    # tab is its own student's alone.
    "simulator:start_drill": Row(
        "post", CLASS, {"minutes": "10", "cap": "3", "scenarios": "{scenario_version_id}"}
    ),
    "simulator:drill": Row("get", CLASS),
    "simulator:drill_board": Row("get", CLASS),
    "simulator:stop_drill": Row("post", CLASS, undo=True),
    "simulator:drill_workspace": Row("get", frozenset({"student", "classmate"})),
    "simulator:drill_state": Row("get", frozenset({"student", "classmate"})),
    "simulator:drill_chat": Row("get", OWNER),
    "assessment:drill_summary": Row("get", CLASS),
    "assessment:drill_summary_csv": Row("get", CLASS),
    # Plain HTTP on the socket path says "upgrade" to anyone; the socket itself checks the session.
    "simulator:socket": Row("get", ALL, status=426),
    "assessment:transcript": Row("get", OWNER | CLASS),
    "assessment:transcript_export": Row("get", OWNER | CLASS),
    "assessment:comment": Row("post", CLASS, {"seq": "2", "text": "问候很及时"}),
    "assessment:override": Row(
        "post", CLASS, {"criterion": "{criterion}", "score": "0", "reason": "复核"}
    ),
    "assessment:release": Row("post", CLASS),
    "assessment:dispute": Row(
        "post", OWNER, {"criterion": "{criterion}", "reason": "请老师再看看"}
    ),
    "assessment:answer_dispute": Row("post", CLASS, {"answer": "按规则计"}),
    "assessment:gradebook": Row("get", CLASS),
    "assessment:gradebook_csv": Row("get", CLASS),
    "assessment:gradebook_xlsx": Row("get", CLASS),
    "assessment:rescore": Row("post", CLASS, {"rubric": "{library_rubric_id}"}),
    "assessment:rubrics": Row("get", TEACHERS),
    "assessment:rubric_clone": Row("post", TEACHER),  # the teacher's own rubric
    "assessment:rubric_edit": Row("get", TEACHER),
    "assessment:upload": Row("get", TEACHERS),
    "assessment:hints": Row("get", OWNER),
    "assessment:release_assignment": Row("post", CLASS),
    # The scenario library is the teachers'; a teacher's own scenario is theirs alone.
    "scenarios:library": Row("get", TEACHERS),
    "scenarios:scenario": Row("get", TEACHER),
    "scenarios:version_diff": Row("get", TEACHER),
    # Authoring: any teacher starts one of their own (a template, an import: without a file
    # the form answers with its error); the world's scenario is the teacher's own, so only
    # they clone, export, edit and save it.
    "scenarios:new": Row("get", TEACHERS),
    "scenarios:import": Row("post", TEACHERS),
    "scenarios:clone": Row("post", TEACHER),
    "scenarios:export": Row("get", TEACHER),
    "scenarios:edit": Row("get", TEACHER),
    "scenarios:edit_sync": Row("post", TEACHER, {"face": "form", "op": 'add:["states"]'}),
    # The admin's own sign-in and sign-out pages are public; every other admin page is staff's.
    "admin:login": Row("get", ALL),
    "admin:logout": Row("post", ALL),
    # Redirects to an object's public page; none of our models has one (404 for everyone).
    "admin:view_on_site": Row("get", frozenset(), declined=ALL),
}
ADMIN_ONLY = "admin:*"  # every other admin name


def url_patterns(patterns=None, namespace: str = "") -> list[tuple[str, URLPattern]]:
    """Every URL pattern with its namespaced name (`namespace:` alone when unnamed)."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += url_patterns(pattern.url_patterns, inner)
        else:
            found.append((f"{namespace}{pattern.name or ''}", pattern))
    return found


def parameters(pattern: URLPattern) -> list[str]:
    if isinstance(pattern.pattern, RoutePattern):
        return list(pattern.pattern.converters)
    return list(pattern.pattern.regex.groupindex)


PATTERNS = [(name, p) for name, p in url_patterns() if not name.endswith(":")]
OURS = [name for name, _ in PATTERNS if not name.startswith("admin:")]
ADMIN = sorted(name for name, _ in PATTERNS if name.startswith("admin:") and name not in MATRIX)


def test_every_url_has_a_row():
    unnamed = [
        str(p.pattern) for name, p in url_patterns() if name.endswith(":") and name != "admin:"
    ]
    missing = [name for name in OURS if name not in MATRIX]
    stale = [name for name in MATRIX if name not in dict(PATTERNS)]

    assert missing == [], "add it to the matrix"
    assert stale == [], "no such URL any more: remove its row"
    # Only the admin's own redirects and catch-all (staff only, like the rest) go unnamed.
    assert unnamed == [], "name the URL, then add it to the matrix"
    assert ADMIN, "the admin's pages are covered by the admin-only row"


@dataclass
class World:
    users: dict[str, Any]
    params: dict[str, Any]


@pytest.fixture
def world(
    teacher, other_teacher, student, classmate, outsider, classroom, assignment, chat
) -> World:
    """One class with an assessed, released and disputed practice chat, plus its neighbours."""
    from assessment import services as assessment_services
    from assessment.models import Assessment
    from scenarios import services as scenario_services
    from simulator import peers, quick_replies
    from simulator.models import Conversation

    conversation = chat(assignment, student, COAT_CHAT)
    assessment = Assessment.objects.get(conversation=conversation, current=True)
    criterion = assessment.report["criteria"][0]["key"]
    dispute = assessment_services.dispute_mark(
        assessment, criterion=criterion, reason="请老师再看看", student=student
    )
    library = assessment_services.library_rubric(assessment.rubric.kind)
    own_rubric = assessment_services.clone_rubric(library, owner=teacher)
    cue = scenario_services.add_cue_phrase(teacher, language="zh-hans", move="greet", phrase="亲亲")
    quick_reply = quick_replies.add_quick_reply(classroom, title="欢迎", text="{顾客}您好")
    own_source = assignment.scenario_version.source.replace(
        "id: p1-coat-size\n", "id: teacher-coat\n"
    )
    own_scenario, _status = scenario_services.store_scenario(own_source, owner=teacher)
    co_teacher = make_user("teacher3", role="instructor")
    second_co_teacher = make_user("teacher9", role="instructor")  # the one removed
    classroom.co_teachers.add(co_teacher, second_co_teacher)
    assert conversation.status == Conversation.Status.ENDED
    drill, drill_chat = running_drill(classroom, teacher, assignment.scenario_version, student)
    # The classmate played its customer: they may open the seat, never the transcript or report.
    Conversation.objects.filter(pk=conversation.pk).update(customer_player=classmate)
    invite = peers.invite_classmate(assignment, by=student, classmate=classmate)
    return World(
        users={
            "student": student,
            "classmate": classmate,
            "outsider": outsider,
            "teacher": teacher,
            "co_teacher": co_teacher,
            "other_teacher": other_teacher,
        },
        params={
            "classroom_id": classroom.pk,
            "student_id": student.pk,
            "classmate_id": classmate.pk,
            "teacher_id": second_co_teacher.pk,
            "assignment_id": assignment.pk,
            "scenario_version_id": assignment.scenario_version_id,
            "drill_id": drill.pk,
            "chat_id": drill_chat.pk,
            "conversation_id": conversation.pk,
            "assessment_id": assessment.pk,
            "dispute_id": dispute.pk,
            "rubric_id": own_rubric.pk,
            "cue_id": cue.pk,
            "reply_id": quick_reply.pk,
            "invite_id": invite.pk,
            "scenario_id": own_scenario.scenario_id,
            "join_code": classroom.join_code,
            "criterion": criterion,
            "library_rubric_id": library.pk,
            "app_label": "assessment",
            "object_id": str(conversation.pk),
            "content_type_id": ContentType.objects.get_for_model(Conversation).pk,
        },
    )


def running_drill(classroom, teacher, version, student):
    """A rush drill running in the class, with one chat of `student`'s open."""
    from django.utils import timezone

    from simulator import drills
    from simulator.models import Conversation, DrillArrival

    drill = drills.start_drill(classroom, by=teacher, versions=[version], duration=600, seed=1)
    first = DrillArrival.objects.filter(drill=drill, student=student).order_by("number").first()
    DrillArrival.objects.filter(pk=first.pk).update(due_at=timezone.now())
    drills.reset()
    drills.run_due()
    return drill, Conversation.objects.get(drill=drill, student=student)


def snapshot() -> dict[str, list[dict]]:
    """Every row of every table but the sessions (a refused request may still leave a message)."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models()
        if model is not Session
    }


def client_for(role: str, world: World) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def request(client: Client, name: str, row: Row, world: World):
    pattern = dict(PATTERNS)[name]
    url = reverse(name, kwargs={key: world.params[key] for key in parameters(pattern)})
    if row.method == "get":
        return client.get(url)
    data = {key: value.format(**world.params) for key, value in row.data.items()}
    return client.post(url, data)


def is_login_redirect(response, login_url: str) -> bool:
    return response.status_code == 302 and response["Location"].startswith(login_url)


def assert_refused(response, role: str, *, login_url: str) -> None:
    if role == "anonymous" and is_login_redirect(response, login_url):
        return
    assert response.status_code in (403, 404), (role, response.status_code)


def assert_allowed(response, row: Row, login_url: str) -> None:
    if row.status is not None:
        assert response.status_code == row.status
        return
    assert 200 <= response.status_code < 400, response.status_code
    assert not is_login_redirect(response, login_url)


def refused_first(allowed: frozenset[str]) -> list[str]:
    """An allowed POST may change what the next cell sees: refusals are checked first."""
    return sorted(ROLES, key=lambda role: (role in allowed, ROLES.index(role)))


@pytest.mark.django_db
@pytest.mark.parametrize("name", [*OURS, "admin:login", "admin:logout", "admin:view_on_site"])
def test_each_role_gets_exactly_what_the_matrix_allows(name, world):
    row = MATRIX[name]
    for role in refused_first(row.allowed):
        client = client_for(role, world)
        before = snapshot() if row.method == "post" else None
        with transaction.atomic():
            response = request(client, name, row, world)
            transaction.set_rollback(row.undo and role in row.allowed)
        if role in row.allowed:
            assert_allowed(response, row, "/login/")
        elif role in row.declined:
            assert response.status_code in (302, 404), (role, response.status_code)
            assert not is_login_redirect(response, "/login/")
        else:
            assert_refused(response, role, login_url="/login/")
        if before is not None and role not in row.allowed:
            assert snapshot() == before, f"{role}'s refused {name} changed the database"


@pytest.mark.django_db
def test_no_role_opens_an_admin_page(world):
    clients = {role: client_for(role, world) for role in ROLES}
    for name in ADMIN:
        row = Row("get", frozenset())
        for role in ROLES:
            response = request(clients[role], name, row, world)
            assert is_login_redirect(response, reverse("admin:login")), (name, role)
