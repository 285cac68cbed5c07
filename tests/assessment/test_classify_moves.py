"""manage.py classify_moves: the batch face of the recogniser."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import SCENARIO_DIR


def transcript(*lines: tuple[str, str], **extra) -> dict:
    messages = [
        {"seq": i, "role": role, "text": text, "at": i * 10.0}
        for i, (role, text) in enumerate(lines, 1)
    ]
    return {"language": "zh-hans", "messages": messages, **extra}


def run(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("classify_moves", *args, stdout=out)
    return out.getvalue()


def test_prints_moves_and_evidence_for_agent_lines_only(tmp_path):
    path = tmp_path / "chat.json"
    path.write_text(
        json.dumps(transcript(("customer", "在吗"), ("agent", "亲，您好~不好意思久等了"))), "utf-8"
    )

    result = json.loads(run(str(path), "--json"))

    [message] = result["messages"]
    assert message["seq"] == 2
    assert {"greet", "apologise"} <= set(message["moves"])
    span = message["evidence"]["apologise"][0]
    assert "不好意思" in "亲，您好~不好意思久等了"[span["start"] : span["end"]]


def test_the_customers_line_is_the_context_of_a_reply(tmp_path):
    path = tmp_path / "chat.json"
    path.write_text(
        json.dumps(transcript(("customer", "后天能到吗"), ("agent", "可以的"))), "utf-8"
    )

    [message] = json.loads(run(str(path), "--json"))["messages"]

    assert "promise" in message["moves"]


def test_a_scenario_decides_whether_free_return_postage_is_a_promise(tmp_path):
    path = tmp_path / "chat.json"
    path.write_text(
        json.dumps(transcript(("customer", "退货包运费吗"), ("agent", "退货运费我们来承担哦"))),
        "utf-8",
    )
    scenario = SCENARIO_DIR / "p1-coat-size.zh.yaml"  # the buyer pays return postage there

    with_facts = json.loads(run(str(path), "--scenario", str(scenario), "--json"))

    assert "promise" in with_facts["messages"][0]["moves"]


def test_several_files_are_written_to_the_out_directory(tmp_path):
    names = []
    for i in range(3):
        path = tmp_path / f"t{i}.json"
        path.write_text(json.dumps(transcript(("agent", "您好"))), "utf-8")
        names.append(str(path))
    out = tmp_path / "out"

    run(*names, "--out", str(out))

    assert sorted(p.name for p in out.iterdir()) == ["t0.json", "t1.json", "t2.json"]
    assert json.loads((out / "t1.json").read_text("utf-8"))["messages"][0]["seq"] == 1


def test_a_malformed_transcript_names_the_file_and_the_field(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(transcript(("boss", "hello"))), "utf-8")

    with pytest.raises(CommandError, match=r"bad\.json: messages\.0\.role"):
        run(str(path), "--json")


def test_not_json_is_a_clear_error(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{oops", "utf-8")

    with pytest.raises(CommandError, match="not valid JSON"):
        run(str(path))
