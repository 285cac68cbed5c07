"""Content-Security-Policy: the pages' own scripts and styles only, and templates that need no more."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.test_settings import run

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
ERROR_PAGE = ROOT / "templates" / "errors" / "standalone.html"


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


@pytest.mark.django_db
@pytest.mark.parametrize("url", [reverse("login"), "/no-such-page/"])
def test_pages_carry_the_policy(client, url):
    response = client.get(url, HTTP_HOST="127.0.0.1")

    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'", settings.ERROR_PAGE_STYLE_HASH]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("variables", "sockets"),
    [
        ({}, ["ws://127.0.0.1:8000", "ws://localhost:8000", "ws://[::1]:8000"]),
        (
            {"DEBUG": "false", "ALLOWED_HOSTS": "trainer.example.edu.cn", "SECRET_KEY": "k" * 50},
            ["wss://trainer.example.edu.cn"],
        ),
        (
            {"SITE_ORIGINS": "https://a.example,http://b.example:8080"},
            ["wss://a.example", "ws://b.example:8080"],
        ),
    ],
)
def test_the_socket_may_connect_only_to_the_sites_own_origins(variables, sockets):
    script = (
        "from django.conf import settings; "
        "print(' '.join(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['connect-src']))"
    )
    result = run("-c", script, **variables)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["'self'", *sockets]


def test_the_error_pages_inline_style_is_allowed_by_its_hash():
    style = re.search(r"<style>(.*?)</style>", ERROR_PAGE.read_text(encoding="utf-8"), re.S)
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()

    # Edited the error page's style? Put this hash in settings.ERROR_PAGE_STYLE_HASH.
    assert f"'sha256-{digest}'" == settings.ERROR_PAGE_STYLE_HASH


INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "style block": re.compile(r"<style", re.I),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "htmx inline handler": re.compile(r"\shx-on", re.I),
    "javascript: link": re.compile(r"javascript:", re.I),
}


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_hold_no_inline_code_the_policy_would_block(template):
    text = template.read_text(encoding="utf-8")
    if template == ERROR_PAGE:
        text = re.sub(r"<style>.*?</style>", "", text, flags=re.S)  # allowed by its hash

    found = [kind for kind, pattern in INLINE.items() if pattern.search(text)]

    assert not found, f"move it into static/ (js/ or css/): {found}"
