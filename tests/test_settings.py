"""Settings from the environment: a deployment is HTTPS-hardened by default, the demo is not."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = [
    "ALLOWED_HOSTS",
    "DEBUG",
    "HTTPS",
    "SITE_ORIGINS",
    "PORT",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "REDIS_URL",
]
SHOWN = [
    "DEBUG",
    "HTTPS",
    "SITE_ORIGINS",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_PROXY_SSL_HEADER",
]


def run(*args: str, **variables: str) -> subprocess.CompletedProcess:
    """A fresh process whose environment holds only these of the settings' variables."""
    env = {key: value for key, value in os.environ.items() if key not in CONFIG}
    env.update(variables, DJANGO_SETTINGS_MODULE="simulator.settings")
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def settings_with(**variables: str) -> dict:
    script = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{k: getattr(settings, k, None) for k in {SHOWN!r}}}))"
    )
    result = run("-c", script, **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


DEPLOYMENT = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "trainer.example.edu.cn",
}


def test_check_deploy_passes_with_only_debug_secret_and_hosts():
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING", **DEPLOYMENT)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_a_deployment_is_https_hardened_by_default():
    values = settings_with(**DEPLOYMENT)
    assert values["HTTPS"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600
    assert values["SITE_ORIGINS"] == ["https://trainer.example.edu.cn"]


def test_behind_a_tls_proxy_the_forwarded_scheme_is_trusted_when_told():
    values = settings_with(**DEPLOYMENT, SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https")
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert settings_with(**DEPLOYMENT)["SECURE_PROXY_SSL_HEADER"] is None  # never by default


def test_the_embedded_demo_stays_on_plain_http():
    values = settings_with(SECRET_KEY=DEPLOYMENT["SECRET_KEY"])
    assert values["DEBUG"] is False
    assert values["HTTPS"] is False
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["SITE_ORIGINS"] == [
        "http://127.0.0.1:8000",
        "http://localhost:8000",
        "http://[::1]:8000",
    ]
    # The check knows the demo is not hardened: the target that runs it would notice.
    result = run("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "security.W008" in result.stderr


def test_a_classroom_server_on_plain_http_says_so():
    values = settings_with(
        **{**DEPLOYMENT, "ALLOWED_HOSTS": "192.168.1.10", "HTTPS": "false", "PORT": "8200"}
    )
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["SITE_ORIGINS"] == ["http://192.168.1.10:8200"]


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("HTTPS", "ture", "HTTPS='ture' is neither true nor false"),
        ("DEBUG", "flase", "DEBUG='flase' is neither true nor false"),
        ("SITE_ORIGINS", "trainer.example.edu.cn", "SITE_ORIGINS: not an origin"),
        ("SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto", "SECURE_PROXY_SSL_HEADER is"),
        ("ALLOWED_HOSTS", ".example.edu.cn", "SITE_ORIGINS is empty"),
    ],
)
def test_a_value_the_settings_do_not_understand_stops_the_server(name, value, says):
    result = run("manage.py", "check", **{**DEPLOYMENT, name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert says in result.stderr
