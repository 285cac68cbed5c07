"""The scorer sees the shop tools (issue 7 part 6): pure, on hand-written transcripts whose
tool uses carry the cards the workbench builds."""

from __future__ import annotations

import json
from functools import cache

from assessment.scoring import Ending, default_rubric, score
from assessment.scoring.report import Report
from assessment.scoring.tools import ToolUse
from assessment.scoring.transcript import Line, Transcript, parse_transcript, transcript_json
from scenarios.schema import parse_source
from simulator.engine import workbench
from tests.conftest import SCENARIO_DIR

NEW_ADDRESS = "杭州市西湖区文三路90号东部软件园8楼前台"


@cache
def script(name: str):
    return parse_source((SCENARIO_DIR / f"{name}.yaml").read_bytes())


def facts(name: str) -> dict:
    return script(name).model_dump(include={"shop", "order"}, mode="json", exclude_none=True)


def used(name: str, seq: int, tool: str, order=None, **request) -> ToolUse:
    s = script(name)
    card = workbench.use(
        s, tool, {"tool": tool, **request}, order=order or workbench.order_of(s)
    ).payload
    return ToolUse(seq, tool, card)


O1 = "o1-address-gift-note.zh"
O1_LINES = (
    ("customer", "亲～我昨天拍的大衣和卫衣还没发吧？能帮我改个地址嘛", 0),
    ("agent", "亲，您好~我马上帮您看一下", 8),
    ("customer", f"新地址：{NEW_ADDRESS}，备注写“生日礼物，不放价签”哈，我平时穿S的", 20),
    ("agent", "好的亲，我发个订单给您核对一下哦", 30),
    ("customer", "地址不对，大衣也要S码", 50),
    ("agent", "亲，已经帮您改好了，备注也写好了，48小时内发货哦", 80),
    ("customer", "好哒谢谢", 90),
    ("agent", "不客气，祝您生日快乐~", 95),
)


def o1_chat(*tools: ToolUse, lines=O1_LINES) -> Transcript:
    return Transcript(
        tuple(Line(i, role, text, float(at)) for i, (role, text, at) in enumerate(lines, 1)),
        kind="order_confirmation",
        shop_facts=facts(O1),
        tools=tools,
        requested=script(O1).remember.model_dump(),
    )


def scored(transcript: Transcript, **ending) -> Report:
    return score(transcript, default_rubric(transcript.kind), ending=Ending(**ending))


def criterion(report: Report, key: str):
    return next(c for c in report.criteria if c.key == key)


def part(result, key: str):
    return next(p for p in result.parts if p.key == key)


def test_an_order_check_card_is_the_read_back_with_its_message_as_evidence():
    without = criterion(scored(o1_chat(), remark=None), "accuracy")
    assert not part(without, "verified").present
    check = used(O1, 9, "order_check")
    accuracy = criterion(scored(o1_chat(check), remark=None), "accuracy")
    assert part(accuracy, "verified").present
    assert part(accuracy, "verified").evidence == (9,)
    assert 9 in accuracy.evidence
    assert accuracy.score > without.score


def test_the_remark_must_hold_each_change_and_the_note_she_asked_for():
    check = used(O1, 9, "order_check")
    change = used(O1, 10, "order_change", item=0, size="S", address=NEW_ADDRESS)
    full = "[11/08 小林] 改S码；改地址至公司；生日礼物，不放价签"
    remark = used(O1, 11, "remark", order=change.card["order"], text=full)
    good = criterion(scored(o1_chat(check, change, remark), remark=full), "accuracy")
    assert part(good, "remark").present
    assert part(good, "remark").evidence == (11,)
    assert good.explanation.code == "accuracy.ok"

    short = "改地址"
    thin = criterion(scored(o1_chat(check, change), remark=short), "accuracy")
    assert not part(thin, "remark").present
    assert thin.explanation.params["missing"] == ["remark_size", "remark_note"]
    assert thin.advice.code == "advice.accuracy.remark"
    assert thin.score < good.score

    empty = criterion(scored(o1_chat(check), remark=""), "accuracy")
    assert empty.explanation.params["missing"] == ["remark_empty"]


def test_a_chat_without_the_workspaces_cards_has_no_remark_to_judge():
    accuracy = criterion(scored(o1_chat(), remark=None), "accuracy")
    assert [p.key for p in accuracy.parts] == ["facts", "verified"]


def test_a_file_with_cards_carries_its_remark_and_round_trips():
    check = used(O1, 9, "order_check")
    change = used(O1, 10, "order_change", item=0, size="S", address=NEW_ADDRESS)
    full = "[11/08 小林] 改S码；改地址至公司；生日礼物，不放价签"
    remark = used(O1, 11, "remark", order=change.card["order"], text=full)
    transcript = o1_chat(check, change, remark)
    again = parse_transcript(json.dumps(transcript_json(transcript), ensure_ascii=False))
    assert again.tools == transcript.tools
    # No ending is known for a file: the remark comes from the last card's order.
    accuracy = criterion(scored(again, remark=None), "accuracy")
    assert part(accuracy, "remark").present
    assert part(accuracy, "verified").evidence == (9,)
    bare = criterion(scored(o1_chat(check), remark=None), "accuracy")
    assert bare.explanation.params["missing"] == ["remark_empty"]


def test_an_order_change_against_her_request_is_an_accuracy_error():
    wrong = used(O1, 10, "order_change", item=0, size="L")
    report = scored(o1_chat(used(O1, 9, "order_check"), wrong), remark="改L码")
    (error,) = report.fact_errors
    assert error.seq == 10
    assert error.kind == "order_change"
    assert error.fact == "size: S"
    assert criterion(report, "accuracy").explanation.code == "accuracy.errors"
    right = used(O1, 10, "order_change", item=0, size="S", address=NEW_ADDRESS)
    assert not scored(o1_chat(used(O1, 9, "order_check"), right), remark="").fact_errors


def test_a_coupon_beyond_authority_fails_the_promises_item_with_evidence():
    within = used(O1, 9, "coupon", amount=10)
    assert criterion(scored(o1_chat(within)), "promises").explanation.code == "promises.none"
    s = script(O1)
    beyond = ToolUse(
        10, "coupon", workbench.use(s, "coupon", {"amount": 5}, order=None, coupons=10).payload
    )
    report = scored(o1_chat(within, beyond))
    promises = criterion(report, "promises")
    assert promises.failed
    assert promises.evidence == (10,)
    assert promises.explanation.code == "promises.coupon"
    assert promises.explanation.params == {"seq": 10, "amount": 5.0, "limit": 10.0}
    assert report.critical_failed


COMPLAINT = (
    ("customer", "颜色发错了！我要赔偿50元，不然就投诉", 0),
    ("agent", "非常抱歉亲，给您带来不便了，我帮您转接主管处理赔偿", 10),
)
EASY = (
    ("customer", "请问大衣有S码吗", 0),
    ("agent", "亲，我帮您转接一下主管哦", 10),
)


def transfer_chat(lines, kind="after_sale") -> Transcript:
    return Transcript(
        tuple(Line(i, role, text, float(at)) for i, (role, text, at) in enumerate(lines, 1)),
        kind=kind,
        shop_facts=facts("a1-wrong-colour.zh"),
        tools=(ToolUse(3, "transfer", {"kind": "transfer", "note": "要赔偿50元"}),),
    )


def test_a_transfer_of_a_demand_beyond_authority_is_no_abandonment():
    report = scored(transfer_chat(COMPLAINT), outcome="escalated", rating=3, transferred=True)
    outcome = criterion(report, "outcome")
    assert outcome.explanation.code == "outcome.transferred"
    assert not outcome.failed
    assert outcome.evidence == (3,)
    assert outcome.score >= 0.5 * outcome.max


def test_a_transfer_of_an_easy_question_is_noted():
    report = scored(
        transfer_chat(EASY, kind="pre_sale"), outcome="escalated", rating=3, transferred=True
    )
    outcome = criterion(report, "outcome")
    assert outcome.explanation.code == "outcome.transferred_easy"
    assert outcome.advice.code == "advice.outcome.answer_yourself"
    appropriate = criterion(
        scored(transfer_chat(COMPLAINT), outcome="escalated", rating=3, transferred=True),
        "outcome",
    )
    assert outcome.score < appropriate.score


def test_the_order_check_card_is_the_methods_verify_step():
    lines = (
        ("customer", "亲～我昨天拍的大衣还没发吧？能帮我改个地址嘛", 0),
        ("agent", "亲，您好~请稍等", 8),
        ("customer", "好的", 20),
        ("agent", "亲，48小时内发货哦", 30),
        ("customer", "好哒谢谢", 40),
        ("agent", "不客气，再见~", 45),
    )  # no line reads the order back
    plain = criterion(scored(o1_chat(lines=lines), remark=None), "seven_steps")
    with_card = criterion(
        scored(o1_chat(used(O1, 7, "order_check"), lines=lines), remark=None), "seven_steps"
    )
    assert not part(plain, "verify").present
    assert part(with_card, "verify").present
    assert part(with_card, "verify").evidence == (7,)
    assert with_card.score > plain.score


def test_a_tool_on_a_messages_number_is_refused_naming_the_field():
    import pytest

    from assessment.scoring.transcript import TranscriptError

    document = {
        "language": "zh-hans",
        "messages": [{"seq": 1, "role": "customer", "text": "在吗", "at": 0}],
        "tools": [{"seq": 1, "kind": "order_check", "card": {}}],
    }
    with pytest.raises(TranscriptError, match="tools"):
        parse_transcript(json.dumps(document))
    document["tools"] = [{"seq": 2, "kind": "hammer"}]
    with pytest.raises(TranscriptError, match=r"tools\.0\.kind"):
        parse_transcript(json.dumps(document))
