"""Random transcript files at the upload page (issue 9, bad input): a valid file is scored, any
other gets a 400 whose error names the file; never a server error, and nothing is stored."""

from __future__ import annotations

import copy
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.models import Assessment
from tests.assessment.test_upload import JSON_CHAT

JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
KEYS = ["language", "kind", "messages", "shop_facts", "seq", "role", "text", "at", "moves", "x"]


@st.composite
def mutated_chats(draw) -> bytes:
    """The valid chat with a few of its values replaced, keys dropped or added."""
    chat = copy.deepcopy(JSON_CHAT)
    for _ in range(draw(st.integers(1, 3))):
        target = chat
        if draw(st.booleans()) and chat.get("messages"):
            messages = chat["messages"]
            if isinstance(messages, list) and messages and isinstance(messages[0], dict):
                target = messages[draw(st.integers(0, len(messages) - 1))]
        key = draw(st.sampled_from(KEYS))
        if draw(st.integers(0, 3)) == 0:
            target.pop(key, None)
        else:
            target[key] = draw(JSONISH)
        if draw(st.booleans()):  # facts in the shape of a scenario's, with odd values
            chat["shop_facts"] = draw(
                st.dictionaries(st.sampled_from(["shop", "order", "policy", "products"]), JSONISH)
            )
    return json.dumps(chat, ensure_ascii=False).encode()


CSV_CELLS = st.sampled_from(["顾客", "客服", "customer", "agent", "boss", "", "10:00:00", "25:99", "-5", "1e9", "你好", '"', ",", "\n"])  # fmt: skip
CSV_FILES = st.lists(st.lists(CSV_CELLS, min_size=1, max_size=4), max_size=6).map(
    lambda rows: ("role,text,time\n" + "\n".join(",".join(r) for r in rows)).encode()
)
FILES = st.one_of(
    mutated_chats().map(lambda raw: ("chat.json", raw)),
    CSV_FILES.map(lambda raw: ("shop.csv", raw)),
    st.binary(max_size=200).map(lambda raw: ("odd.json", raw)),
    st.binary(max_size=200).map(lambda raw: ("odd.csv", raw)),
)


@pytest.mark.django_db
def test_random_files_are_scored_or_refused_naming_the_file(teacher):
    client = Client()
    client.force_login(teacher)
    outcomes = set()

    @settings(
        max_examples=150,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        file=FILES,
        kind=st.sampled_from(["", "pre_sale", "after_sale", "nonsense"]),
        language=st.sampled_from(["", "zh-hans", "en", "fr", "\x00"]),
    )
    def attempt(file, kind, language):
        name, raw = file
        response = client.post(
            reverse("assessment:upload"),
            {"file": SimpleUploadedFile(name, raw), "kind": kind, "language": language},
        )
        html = response.content.decode()
        assert response.status_code in (200, 400), response.status_code
        outcomes.add(response.status_code)
        if response.status_code == 400:
            start = html.index("data-error")
            error = html[start : html.index("</p>", start)]
            assert name in error, error
            assert "data-total" not in html
        else:
            assert "data-total" in html
        assert not Assessment.objects.exists()  # an upload is scored, never stored

    attempt()
    assert outcomes == {200, 400}  # both kinds of answer were tried
