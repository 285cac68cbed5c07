"""manage.py score_transcript: the batch face of the scorer (issue 10 §6)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import SCENARIO_DIR

CHAT = {
    "language": "zh-hans",
    "kind": "after_sale",
    "messages": [
        {"seq": 1, "role": "customer", "text": "你们发错颜色了！！", "at": 0},
        {"seq": 2, "role": "agent", "text": "给你直接退款，衣服不用退了，再赔你100", "at": 30},
        {"seq": 3, "role": "customer", "text": "好吧", "at": 50},
    ],
}


def run(*args: str) -> str:
    out = StringIO()
    call_command("score_transcript", *args, stdout=out)
    return out.getvalue()


def test_prints_the_report_with_evidence_and_explanations(tmp_path):
    path = tmp_path / "chat.json"
    path.write_text(json.dumps(CHAT, ensure_ascii=False), "utf-8")

    result = json.loads(
        run(str(path), "--scenario", str(SCENARIO_DIR / "a1-wrong-colour.zh.yaml"), "--json")
    )

    assert 0 <= result["total"] <= 40  # the unauthorised promise caps it
    promises = next(c for c in result["criteria"] if c["key"] == "promises")
    assert promises["failed"]
    assert promises["evidence"] == [2]
    assert "第 2 条消息" in promises["explanation"]
    assert {"key", "score", "max", "applicable", "evidence", "explanation"} <= set(promises)
    assert isinstance(result["fact_errors"], list)


def test_several_files_are_written_to_a_folder_in_english(tmp_path):
    for name in ("a.json", "b.json"):
        (tmp_path / name).write_text(json.dumps(CHAT, ensure_ascii=False), "utf-8")
    out = tmp_path / "out"

    run(str(tmp_path / "a.json"), str(tmp_path / "b.json"), "--out", str(out), "--language", "en")

    result = json.loads((out / "b.json").read_text("utf-8"))
    assert result["rubric"]["key"] == "default-after_sale"
    assert (
        "Message #2" in next(c for c in result["criteria"] if c["key"] == "promises")["explanation"]
    )


def test_a_bad_file_is_named_with_its_field(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"language": "zh-hans", "messages": [{"seq": 1}]}), "utf-8")
    with pytest.raises(CommandError, match=r"bad\.json: messages\.0\.role"):
        run(str(path), "--json")
