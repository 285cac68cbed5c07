"""Error pages are the product's own, in the user's language, and lead back home."""

from __future__ import annotations

import re

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views import defaults

from simulator import services

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def _production(settings):
    # Django shows its technical pages with DEBUG on; the branded ones are what users see.
    settings.DEBUG = False


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def outside_user_content(html: str) -> str:
    """The page's own words: user content (names, titles) is marked translate="no"."""
    html = re.sub(r"<(\w+)[^>]*translate=\"no\"[^>]*>.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_missing_page_gives_the_branded_404_in_chinese(db):
    response = Client().get("/no-such-page/")

    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "页面不存在" in html
    assert "网店客服实训" in html  # the site's own header, not Django's bare "Not Found"
    assert f'href="{reverse("simulator:home")}" data-link="home"' in html
    assert "返回首页" in html


def test_missing_page_is_in_english_for_an_english_user(student):
    student.language = "en"
    student.save(update_fields=["language"])

    response = client_for(student).get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Page not found" in html
    assert "Back to home" in html
    assert not CJK.search(outside_user_content(html)), CJK.findall(outside_user_content(html))


def test_outsider_gets_the_branded_404_on_a_students_transcript(assignment, student, outsider):
    conversation = services.start_attempt(assignment, student=student)

    response = client_for(outsider).get(reverse("assessment:transcript", args=[conversation.pk]))

    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_forbidden_page_is_branded_and_leads_home(student):
    request = RequestFactory().get("/somewhere/")
    request.user = student

    response = defaults.permission_denied(request, PermissionError("not yours"))

    html = response.content.decode()
    assert response.status_code == 403
    assert "没有访问权限" in html
    assert "返回首页" in html


def test_form_sent_without_its_csrf_token_gets_the_branded_expired_page(db):
    response = Client(enforce_csrf_checks=True).post(
        reverse("login"), {"username": "x", "password": "y"}
    )

    assert response.status_code == 403
    html = response.content.decode()
    assert "页面已过期" in html
    assert "返回首页" in html


@pytest.mark.parametrize(
    ("language", "title", "home"),
    [("zh-hans", "服务器出了点问题", "返回首页"), ("en", "Something went wrong", "Back to home")],
)
def test_server_error_page_needs_no_request_context(db, language, title, home):
    # server_error renders 500.html with an empty context: no request, no user, no csrf.
    with translation.override(language):
        response = defaults.server_error(RequestFactory().get("/"))

    html = response.content.decode()
    assert response.status_code == 500
    assert f'<html lang="{language}">' in html
    assert title in html
    assert home in html
    assert "/static/" not in html  # styled inline: a broken static manifest cannot break it


def test_bad_host_gets_the_branded_400(db):
    response = Client(HTTP_HOST="not-our-host.example").get("/")

    assert response.status_code == 400
    html = response.content.decode()
    assert "请求无法处理" in html
    assert "返回首页" in html
