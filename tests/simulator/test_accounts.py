"""Sign-in throttling by username (django-axes), and a teacher unlocking their student."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

LIMIT = 10  # settings.AXES_FAILURE_LIMIT


def sign_in(username: str, password: str, *, client: Client | None = None, **headers):
    client = client or Client(**headers)
    response = client.post(reverse("login"), {"username": username, "password": password})
    return response, client


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def fail(username: str, times: int, **headers) -> None:
    for n in range(times):
        response, _client = sign_in(username, f"wrong-{n}", **headers)
        assert response.status_code in (200, 429)


def test_nine_typos_then_the_right_password_signs_in(student):
    fail("student01", LIMIT - 1)
    response, client = sign_in("student01", "pw-student01")
    assert response.status_code == 302
    assert signed_in(client)


def test_ten_failures_lock_the_username_even_against_the_right_password(student):
    fail("student01", LIMIT)
    response, client = sign_in("student01", "pw-student01")
    assert response.status_code == 429
    assert not signed_in(client)
    html = response.content.decode()
    assert "该用户名登录失败次数过多，已锁定 15 分钟" in html  # Chinese first
    assert 'name="username"' in html  # the login form is still there, with the message


def test_the_lockout_message_reads_well_in_english(student, settings):
    fail("student01", LIMIT)
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response, _ = sign_in("student01", "pw-student01", client=client)
    assert (
        "Too many failed sign-ins with this username: it is locked for 15 minutes. "
        "Try again later, or ask your teacher to unlock it." in response.content.decode()
    )


def test_the_lock_is_per_username_not_per_address(student, classmate):
    # A whole classroom signs in from one NAT address.
    fail("student01", LIMIT, REMOTE_ADDR="10.0.0.1")
    response, client = sign_in("student02", "pw-student02", REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 302
    assert signed_in(client)


def test_other_browsers_and_addresses_count_against_the_same_username(student):
    for n in range(LIMIT):
        fail("student01", 1, REMOTE_ADDR=f"10.0.0.{n}", HTTP_USER_AGENT=f"browser {n}")
    response, client = sign_in("student01", "pw-student01", REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 429
    assert not signed_in(client)


def test_the_lock_lifts_after_the_cool_off(student):
    fail("student01", LIMIT)
    with time_machine.travel(timezone.now() + timedelta(minutes=14)):
        assert sign_in("student01", "pw-student01")[0].status_code == 429
        fail("student01", 3)  # tries while locked do not prolong it
    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response, client = sign_in("student01", "pw-student01")
        assert response.status_code == 302
        assert signed_in(client)


def teacher_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def unlock_url(classroom, student) -> str:
    return reverse("simulator:unlock_student", args=[classroom.pk, student.pk])


def test_the_roster_shows_the_lock_and_the_teacher_unlocks(teacher, classroom, student, classmate):
    fail("student01", LIMIT)
    client = teacher_client(teacher)
    roster = client.get(reverse("simulator:classroom", args=[classroom.pk])).content.decode()
    assert roster.count('data-role="locked-out"') == 1  # student01 only, not student02
    assert unlock_url(classroom, student) in roster
    assert unlock_url(classroom, classmate) not in roster

    response = client.post(unlock_url(classroom, student), follow=True)
    assert "student01 可以重新登录了" in response.content.decode()
    assert 'data-role="locked-out"' not in response.content.decode()
    response, student_client = sign_in("student01", "pw-student01")
    assert response.status_code == 302
    assert signed_in(student_client)


@pytest.mark.parametrize("who", ["other_teacher", "classmate"])
def test_only_the_classs_teacher_may_unlock(request, classroom, student, classmate, who):
    fail("student01", LIMIT)
    client = teacher_client(request.getfixturevalue(who))
    assert client.post(unlock_url(classroom, student)).status_code == 404
    assert sign_in("student01", "pw-student01")[0].status_code == 429


def test_a_teacher_cannot_unlock_a_student_of_another_class(teacher, classroom, outsider):
    fail("student99", LIMIT)
    client = teacher_client(teacher)
    assert client.post(unlock_url(classroom, outsider)).status_code == 404
    assert sign_in("student99", "pw-student99")[0].status_code == 429


def test_unlocking_is_a_post(teacher, classroom, student):
    assert teacher_client(teacher).get(unlock_url(classroom, student)).status_code == 405
