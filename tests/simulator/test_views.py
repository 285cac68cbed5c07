"""Pages: role rules, join codes, assigning, and that chat text is escaped where shown."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from simulator import services
from simulator.models import Assignment, Membership


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def conversation(assignment, student):
    return services.start_attempt(assignment, student=student)


def test_anonymous_visitors_are_sent_to_the_login_page(db):
    response = Client().get(reverse("simulator:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_student_home_lists_assignments_and_attempts(student, conversation):
    html = client_for(student).get(reverse("simulator:home")).content.decode()
    assert "大衣选哪个码" in html
    assert reverse("simulator:workspace", args=[conversation.pk]) in html


def test_instructor_home_lists_classrooms_with_join_codes(teacher, classroom):
    html = client_for(teacher).get(reverse("simulator:home")).content.decode()
    assert classroom.join_code in html
    assert classroom.name in html


def test_a_student_joins_a_classroom_with_its_code(classroom, db):
    from tests.conftest import make_user

    newcomer = make_user("student07")
    client_for(newcomer).post(
        reverse("simulator:join_classroom"), {"code": classroom.join_code.lower()}
    )
    assert Membership.objects.filter(classroom=classroom, student=newcomer).exists()


@pytest.mark.parametrize(
    ("language", "says"),
    [
        ("zh-hans", "只有学生可以用邀请码加入班级"),
        ("en", "Only students can join a class with a join code."),
    ],
)
def test_a_teacher_cannot_join_another_teachers_class(
    teacher, other_classroom, language, says, settings
):
    client = client_for(teacher)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(
        reverse("simulator:join_classroom"), {"code": other_classroom.join_code}, follow=True
    )
    assert says in response.content.decode()
    assert not Membership.objects.filter(student=teacher).exists()


def test_password_change_page_is_translated_and_says_it_worked(student, settings):
    client = client_for(student)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("password_change")).content.decode()
    assert "Change password" in html
    assert "Other browsers signed in as you will have to sign in again." in html
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "pw-student01",
            "new_password1": "a-new-long-passphrase",
            "new_password2": "a-new-long-passphrase",
        },
        follow=True,
    )
    assert "Your password was changed." in response.content.decode()
    student.refresh_from_db()
    assert student.check_password("a-new-long-passphrase")


def test_a_wrong_join_code_says_so(student):
    response = client_for(student).post(
        reverse("simulator:join_classroom"), {"code": "ZZZZZZ"}, follow=True
    )
    assert "没有找到使用这个邀请码的班级" in response.content.decode()


def test_instructor_assigns_a_scenario_with_due_date_and_attempts(
    teacher, classroom, coat_scenario
):
    # A due date a week ahead, at 18:00 school time: never in the past, whatever today is.
    due = (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%dT18:00")
    response = client_for(teacher).post(
        reverse("simulator:classroom", args=[classroom.pk]),
        {"scenario_version": coat_scenario.pk, "due_at": due, "max_attempts": 2},
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get(classroom=classroom)
    assert assignment.max_attempts == 2
    assert timezone.localtime(assignment.due_at).hour == 18  # entered in the school's time zone


def test_the_classs_assignments_count_attempts_in_words_that_fit_an_exam(teacher, classroom):
    html = client_for(teacher).get(reverse("simulator:classroom", args=[classroom.pk]))
    html = html.content.decode()
    assert "可作答次数" in html  # one column for practice and exam rows alike
    assert "可练习次数" not in html


def test_the_assign_form_names_each_scenarios_language(teacher, classroom, coat_scenario):
    from tests.conftest import load_version

    load_version("p1-coat-size.en.yaml")
    html = client_for(teacher).get(reverse("simulator:classroom", args=[classroom.pk]))
    select = re.search(
        r'<select name="scenario_version".*?</select>', html.content.decode(), re.S
    ).group(0)
    assert "(简体中文)" in select
    assert "(英语)" in select  # as the scenario library names it
    assert "zh-hans" not in select
    assert "(en)" not in select


def test_students_cannot_open_instructor_pages(student, classroom):
    client = client_for(student)
    assert client.get(reverse("simulator:classroom", args=[classroom.pk])).status_code == 404
    assert client.post(reverse("simulator:create_classroom"), {"name": "x"}).status_code == 404


def test_instructors_see_only_their_own_classrooms(other_teacher, classroom):
    response = client_for(other_teacher).get(reverse("simulator:classroom", args=[classroom.pk]))
    assert response.status_code == 404


def test_outsider_gets_404_on_a_students_workspace_and_transcript(conversation, outsider):
    client = client_for(outsider)
    assert client.get(reverse("simulator:workspace", args=[conversation.pk])).status_code == 404
    assert client.get(reverse("assessment:transcript", args=[conversation.pk])).status_code == 404


def test_classmate_gets_404_on_a_students_transcript(conversation, classmate):
    response = client_for(classmate).get(reverse("assessment:transcript", args=[conversation.pk]))
    assert response.status_code == 404


def test_other_teacher_gets_404_on_the_transcript(conversation, other_teacher):
    response = client_for(other_teacher).get(
        reverse("assessment:transcript", args=[conversation.pk])
    )
    assert response.status_code == 404


def test_outsider_cannot_start_an_attempt_at_another_class_assignment(assignment, outsider):
    response = client_for(outsider).post(reverse("simulator:start_attempt", args=[assignment.pk]))
    assert response.status_code == 404


def test_teacher_reads_the_transcript_with_chat_text_escaped(conversation, student, teacher):
    services.post_message(
        conversation, author=student, text="<script>alert(1)</script>", client_id=uuid.uuid4()
    )
    html = client_for(teacher).get(reverse("assessment:transcript", args=[conversation.pk]))
    body = html.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>alert(1)</script>" not in body


def test_language_switch_only_redirects_to_this_site(student):
    response = client_for(student).post(
        reverse("simulator:set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response.url == reverse("simulator:home")


def test_transcript_export_is_the_interchange_format(conversation, student, teacher):
    from assessment.scoring.transcript import parse_transcript

    services.post_message(conversation, author=student, text="您好", client_id=uuid.uuid4())
    response = client_for(teacher).get(
        reverse("assessment:transcript_export", args=[conversation.pk])
    )

    assert "attachment" in response["Content-Disposition"]
    transcript = parse_transcript(response.content)
    assert transcript.language == "zh-hans"
    assert transcript.kind == "pre_sale"
    assert [line.text for line in transcript.lines] == ["您好"]
    assert transcript.shop_facts["shop"]["policy"]["return_freight"] == "buyer"


def test_outsider_cannot_export_a_transcript(conversation, outsider):
    response = client_for(outsider).get(
        reverse("assessment:transcript_export", args=[conversation.pk])
    )
    assert response.status_code == 404


def test_a_due_date_in_the_past_is_refused(teacher, classroom, coat_scenario):
    yesterday = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT08:00")
    response = client_for(teacher).post(
        reverse("simulator:classroom", args=[classroom.pk]),
        {"scenario_version": coat_scenario.pk, "due_at": yesterday},
    )
    assert response.status_code == 200
    assert "截止时间必须晚于现在" in response.content.decode()
    assert not Assignment.objects.filter(classroom=classroom).exists()


def test_transcript_says_how_the_conversation_ended(conversation, student):
    services.end_conversation(
        conversation, reason="customer", ending="thinking", outcome="lost", rating=3
    )
    html = client_for(student).get(reverse("assessment:transcript", args=[conversation.pk]))
    # By outcome and rating: the script's own description of an ending may name a promise.
    ending = re.search(r"data-ending>.*?</div>", html.content.decode(), re.S).group(0)
    assert "顾客流失" in ending
    assert "3★" in ending


def test_the_workspace_lists_the_students_other_chats_in_progress(
    client, classroom, assignment, student, classmate
):
    from tests.conftest import load_version

    second = services.assign_scenario(
        classroom, scenario_version=load_version("a1-wrong-colour.zh.yaml")
    )
    coat = services.start_attempt(assignment, student=student)
    colour = services.start_attempt(second, student=student)
    services.start_attempt(assignment, student=classmate)  # a classmate's: never listed
    client.force_login(student)

    html = client.get(reverse("simulator:workspace", args=[coat.pk])).content.decode()

    assert html.count('data-role="other-chat"') == 1
    assert reverse("simulator:workspace", args=[colour.pk]) in html
    assert 'data-role="other-chats-phone"' in html
    alone = client.get(reverse("simulator:workspace", args=[colour.pk])).content.decode()
    assert reverse("simulator:workspace", args=[coat.pk]) in alone
