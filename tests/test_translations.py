"""Every user-visible string is translated: zh-hans first, English complete."""

import re
from pathlib import Path

import polib
import pytest
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_catalogue_has_no_empty_or_fuzzy_entry(language):
    po = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))
    assert len(po) > 100
    assert not po.untranslated_entries(), [e.msgid for e in po.untranslated_entries()][:5]
    assert not po.fuzzy_entries()


def test_catalogue_is_compiled_and_in_use(db):
    page = Client().get(reverse("login"))
    assert "登录" in page.content.decode()


def test_chinese_is_the_default_whatever_the_browser_asks(db):
    page = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").get(reverse("login"))
    assert page.headers["Content-Language"] == "zh-hans"


def test_english_login_page_has_no_chinese(db):
    client = Client()
    client.post(reverse("simulator:set_language"), {"language": "en", "next": "/login/"})
    html = client.get(reverse("login")).content.decode()
    # The other language's own name is the one Chinese word allowed on the page.
    assert not CJK.search(html.replace("简体中文", "")), CJK.findall(html)


def test_chosen_language_is_saved_on_the_user(student):
    client = Client()
    client.force_login(student)
    client.post(reverse("simulator:set_language"), {"language": "en", "next": "/"})
    student.refresh_from_db()
    assert student.language == "en"
    assert "My assignments" in client.get(reverse("simulator:home")).content.decode()
