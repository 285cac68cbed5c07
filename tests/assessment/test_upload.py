"""Teachers upload real shops' transcripts (JSON or CSV) and get a report; nothing is stored."""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from assessment.models import Assessment

JSON_CHAT = {
    "language": "zh-hans",
    "kind": "after_sale",
    "messages": [
        {"seq": 1, "role": "customer", "text": "你们发错颜色了!!周末要穿的", "at": 0},
        {"seq": 2, "role": "agent", "text": "亲您先别着急,我马上帮您查一下订单", "at": 12.5},
        {
            "seq": 3,
            "role": "agent",
            "text": "非常抱歉给您添麻烦了!给您两个方案:①今天顺丰补发 ②退货退款,您选哪个?",
            "at": 41,
        },
    ],
}


def post(user, name: str, content: bytes, **fields):
    client = Client()
    client.force_login(user)
    return client.post(
        reverse("assessment:upload"),
        {"file": SimpleUploadedFile(name, content), **fields},
    )


def test_a_json_transcript_is_scored_and_not_stored(teacher):
    response = post(teacher, "chat.json", json.dumps(JSON_CHAT, ensure_ascii=False).encode())

    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'data-total="\d+\.\d"', html)
    assert 'data-criterion="clear"' in html  # an after-sale chat is judged by CLEAR
    assert "你们发错颜色了" in html
    assert not Assessment.objects.exists()


def test_a_csv_with_clock_times_is_scored_with_its_response_times(teacher):
    csv_text = (
        "role,text,time\n顾客,这件大衣有M码吗？,10:00:00\n客服,亲，您好~有的，M码有货哦,10:02:30\n"
    )

    response = post(teacher, "shop.csv", csv_text.encode("utf-8-sig"), kind="pre_sale")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-criterion="seven_steps"' in html
    assert "150 秒" in html  # the first reply came after two and a half minutes


@pytest.mark.parametrize(
    ("name", "content", "named"),
    [
        ("bad.csv", "role,text,time\nboss,你好,0\n", ["bad.csv", "第 2 行", "role", "boss"]),
        ("bad.csv", "role,text,time\ncustomer,你好,昨天\n", ["bad.csv", "time", "昨天"]),
        ("bad.csv", "who,what\ncustomer,你好\n", ["bad.csv", "role, text, time"]),
        ("bad.json", '{"language": "zh-hans"}', ["bad.json", "messages"]),
        ("bad.json", "{not json", ["bad.json", "JSON"]),
    ],
)
def test_a_bad_file_is_refused_naming_the_file_and_the_field(teacher, name, content, named):
    response = post(teacher, name, content.encode())

    assert response.status_code == 400
    html = response.content.decode()
    error = html[html.index("data-error") : html.index("</p>", html.index("data-error"))]
    for part in named:
        assert part in error
    assert "data-total" not in html


def test_students_cannot_upload(student):
    response = post(student, "chat.json", json.dumps(JSON_CHAT).encode())
    assert response.status_code == 404


def test_a_file_over_the_limit_is_refused(teacher, monkeypatch):
    from assessment import uploads

    monkeypatch.setattr(uploads, "MAX_BYTES", 100)
    response = post(teacher, "big.json", b" " * 101)
    assert response.status_code == 400
    assert "2 MB" in response.content.decode()


@pytest.mark.parametrize(
    ("fields", "chat", "named"),
    [
        ({"kind": "returns"}, JSON_CHAT, ["chat.json", "kind", "returns"]),
        ({}, {**JSON_CHAT, "language": "fr"}, ["chat.json", "language", "fr", "zh-hans, en"]),
        ({}, {**JSON_CHAT, "shop_facts": 3}, ["chat.json", "shop_facts"]),
    ],
)
def test_a_kind_language_or_facts_the_product_cannot_read_are_named(teacher, fields, chat, named):
    response = post(teacher, "chat.json", json.dumps(chat).encode(), **fields)

    assert response.status_code == 400
    html = response.content.decode()
    error = html[html.index("data-error") : html.index("</p>", html.index("data-error"))]
    for part in named:
        assert part in error
