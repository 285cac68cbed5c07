"""Origins compared by scheme, host and port (simulator/origins.py)."""

from __future__ import annotations

import pytest

from simulator.origins import parse_origin, parse_origins


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("http://127.0.0.1:8000", ("http", "127.0.0.1", 8000)),
        ("HTTP://LocalHost:8000", ("http", "localhost", 8000)),
        ("https://trainer.example.edu.cn", ("https", "trainer.example.edu.cn", 443)),
        ("https://trainer.example.edu.cn:443/", ("https", "trainer.example.edu.cn", 443)),
        ("http://[::1]:8000", ("http", "::1", 8000)),
    ],
)
def test_an_origin_is_scheme_host_and_port(value, expected):
    assert parse_origin(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        "null",
        "127.0.0.1:8000",  # no scheme
        "ws://127.0.0.1:8000",
        "file://",
        "http://",
        "http://127.0.0.1:99999",
        "http://[::1",
        "http://user@127.0.0.1:8000",
        "http://127.0.0.1:8000/path",
        "http://127.0.0.1:8000?q=1",
        "http://*.example.com",
    ],
)
def test_anything_else_is_not_an_origin(value):
    assert parse_origin(value) is None


def test_a_bad_configured_origin_is_named():
    with pytest.raises(ValueError, match=r"'127\.0\.0\.1:8000'"):
        parse_origins(["http://localhost:8000", "127.0.0.1:8000"])
