"""Random form posts and query strings at every page of the product, as a user allowed there:
never a server error, and a refused post changes nothing (issue 9, bad input).

Each URL of the authorisation matrix gets bodies made of its own fields, the fields its views
read and stray ones, holding text a form must survive: empty, very long, control characters,
NUL, markup, numbers out of range, dates that are not dates.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_authorisation_matrix import MATRIX, PATTERNS, chat, client_for, parameters, world

__all__ = ["chat", "world"]  # the matrix's fixtures, used here too

# The fields the project's views and forms read, beside each row's own.
FIELDS = sorted(
    {key for row in MATRIX.values() for key in row.data}
    | {
        "next", "phrase", "move", "language", "username", "samples", "reason", "criterion",
        "confirm", "version", "page", "text", "source", "seq", "score", "rubric", "rerender",
        "op", "name", "kind", "face", "answer", "pick", "due_at", "max_attempts", "pass_mark",
        "mode", "scenario_version", "confirm_duplicate", "names", "code", "old", "new", "q",
        "shop_type", "difficulty", "action", "node", "seconds", "after", "weight", "critical",
    }
)  # fmt: skip
NASTY = st.sampled_from(
    [
        "", " ", "\x00", "0", "-1", "1e309", "99999999999999999999", "NaN", "3.5", "yes",
        "2026-13-45", "25:61", "<script>alert(1)</script>", "{name}", '["states"]', "add:[",
        'add:["states", 99]', "remove:[\"states\", \"x\"]", "../../etc/passwd", "=1+1",
        "a" * 5000, "中" * 300, "\u200b\u200b", "%s%s%n", "' OR 1=1 --",
    ]
)  # fmt: skip
VALUES = st.one_of(NASTY, st.text(max_size=40), st.integers().map(str))
SKIP = {"logout", "admin:logout", "simulator:socket"}  # sign-out ends the session under test
NAMES = [name for name in MATRIX if name not in SKIP and not name.startswith("admin:")]


def allowed_role(name: str) -> str:
    allowed = MATRIX[name].allowed
    for role in ("teacher", "student", "co_teacher", "classmate", "other_teacher"):
        if role in allowed:
            return role
    return "anonymous"


@pytest.mark.django_db
@pytest.mark.parametrize("name", NAMES)
def test_random_posts_and_queries_never_raise(name, world):
    role = allowed_role(name)
    client = client_for(role, world)
    pattern = dict(PATTERNS)[name]
    url = reverse(name, kwargs={key: world.params[key] for key in parameters(pattern)})
    fields = sorted(set(MATRIX[name].data) | set(FIELDS))
    bodies = st.dictionaries(st.sampled_from(fields), VALUES, max_size=6)

    @settings(
        max_examples=12,
        deadline=None,
        derandomize=True,  # the same inputs every run: a failure is reproducible
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(body=bodies, query=bodies, post=st.booleans())
    def attempt(body, query, post):
        with transaction.atomic():
            if post:
                response = client.post(url, body, HTTP_HX_REQUEST="true" if query else None)
            else:
                response = client.get(url, query)
            transaction.set_rollback(True)  # each try starts from the same world
        # The test client raises the view's exception itself; a 500 may still be rendered.
        assert response.status_code < 500, (name, role, body if post else query)

    attempt()
