"""The pure scorer, criterion by criterion, on small hand-written transcripts (no Django)."""

from __future__ import annotations

from functools import cache

import pytest

from assessment.scoring import (
    Ending,
    Rubric,
    RubricError,
    default_rubric,
    default_rubric_data,
    score,
)
from assessment.scoring.report import Report
from assessment.scoring.transcript import Line, Transcript
from scenarios.cues import facts_from_mapping
from scenarios.schema import parse_source
from tests.conftest import SCENARIO_DIR


@cache
def facts_of(name: str):
    script = parse_source((SCENARIO_DIR / f"{name}.yaml").read_bytes())
    return facts_from_mapping(
        script.model_dump(include={"shop", "order"}, mode="json", exclude_none=True)
    )


def chat(
    *lines: tuple[str, str, float], kind: str = "pre_sale", language: str = "zh-hans"
) -> Transcript:
    return Transcript(
        tuple(Line(i, role, text, float(at)) for i, (role, text, at) in enumerate(lines, 1)),
        language=language,
        kind=kind,
    )


def scored(transcript: Transcript, facts: str | None = None, **ending) -> Report:
    return score(
        transcript,
        default_rubric(transcript.kind),
        facts=facts_of(facts) if facts else None,
        ending=Ending(**ending) if ending else None,
    )


GOOD_PRESALE = chat(
    ("customer", "在吗？这款大衣我160，52公斤，穿什么码合适呀？", 0),
    ("agent", "您好，欢迎光临简衣，我是小林~ 您平时打算怎么搭配穿呢？", 8),
    ("customer", "里面要穿厚毛衣", 30),
    ("agent", "按您说的要穿毛衣，建议您选M码，M码肩宽40cm会宽松一些，驼色M只剩1件了哦", 45),
    ("customer", "能便宜点吗", 60),
    ("agent", "亲，价格已经是活动价了，满300减30可以用上哦", 70),
    ("customer", "好的那我拍驼色M", 90),
    ("agent", "跟您核对一下：驼色M码1件，寄到您默认地址，对吗？", 100),
    ("customer", "对的，谢谢", 110),
    ("agent", "感谢您的支持，48小时内发货，有问题随时找我~", 118),
)


def test_a_careful_pre_sale_chat_scores_high_and_passes():
    report = scored(GOOD_PRESALE, "p1-coat-size.zh", outcome="success", rating=5)
    assert report.passed
    assert report.total >= 85
    assert not report.fact_errors
    steps = {part.key: part.present for part in report.criterion("seven_steps").parts}
    assert steps["greet"]
    assert steps["ask"]
    assert steps["recommend"]
    assert steps["verify"]
    assert steps["negotiate"]  # the customer bargained, and it was answered within policy


def test_an_unauthorised_promise_fails_the_chat_whatever_else_went_well():
    lines = list(GOOD_PRESALE.lines[:-1])
    lines.append(Line(10, "agent", "感谢支持！退货运费我们出，您放心拍~", 118.0))
    report = scored(
        Transcript(tuple(lines), kind="pre_sale"), "p1-coat-size.zh", outcome="success", rating=5
    )
    promises = report.criterion("promises")
    assert promises.failed
    assert promises.evidence == (10,)
    assert not report.passed
    assert report.total <= 40


def test_a_promise_taken_back_in_the_next_message_is_not_a_failure():
    transcript = chat(
        ("customer", "退货运费你们出吗？", 0),
        ("agent", "运费我们出的亲", 10),
        ("agent", "不好意思刚才说错了，无运费险的话退货运费需要您承担哦", 25),
        ("customer", "好吧", 40),
    )
    promises = scored(transcript, "p1-coat-size.zh").criterion("promises")
    assert not promises.failed
    assert 0 < promises.score < promises.max
    assert promises.evidence == (2,)


def test_no_agent_reply_at_all_scores_zero_time_and_marks_the_rest_not_applicable():
    report = scored(chat(("customer", "在吗？", 0), ("customer", "有人吗", 60)), "p1-coat-size.zh")
    time = report.criterion("response_time")
    assert time.applicable
    assert time.score == 0
    assert time.evidence == (1,)
    for key in ("accuracy", "promises", "seven_steps", "questions", "courtesy"):
        assert not report.criterion(key).applicable, key
    assert report.total == 0
    assert not report.passed


def test_a_customer_who_leaves_early_leaves_no_unanswered_turn_against_the_student():
    transcript = chat(
        ("customer", "这个有M码吗", 0),
        ("agent", "您好，有的亲", 20),
        ("customer", "算了我去别家看看", 40),
    )
    report = scored(transcript, "p1-coat-size.zh", outcome="lost", customer_left=True)
    assert report.criterion("response_time").explanation.params["unanswered"] == 0
    assert report.criterion("outcome").score == 0
    assert report.criterion("outcome").applicable


def test_an_apology_after_the_solution_loses_order_credit_in_clear():
    solution_first = chat(
        ("customer", "你们发错颜色了！！周末要穿的", 0),
        ("agent", "给您换货，今天顺丰补发驼色，运费我们承担", 15),
        ("agent", "非常抱歉给您添麻烦了", 20),
        ("customer", "行吧", 40),
        kind="after_sale",
    )
    heard_first = chat(
        ("customer", "你们发错颜色了！！周末要穿的", 0),
        ("agent", "非常抱歉给您添麻烦了", 10),
        ("agent", "给您换货，今天顺丰补发驼色，运费我们承担", 20),
        ("customer", "行吧", 40),
        kind="after_sale",
    )
    late = scored(solution_first, "a1-wrong-colour.zh").criterion("clear")
    early = scored(heard_first, "a1-wrong-colour.zh").criterion("clear")
    assert late.score < early.score
    assert late.explanation.code in {"clear.order", "clear.missing"}
    assert ["apologise", "resolve"] in late.explanation.params["order"]


def test_an_apology_with_but_and_an_excuse_earns_half():
    transcript = chat(
        ("customer", "你们发错颜色了！！", 0),
        ("agent", "抱歉，但是我们发货前都检查过的", 10),
        kind="after_sale",
    )
    clear = scored(transcript, "a1-wrong-colour.zh").criterion("clear")
    assert ["apologise", "excuse"] in clear.explanation.params["order"]
    assert clear.advice.code == "advice.clear.excuse"


def test_a_price_right_for_one_product_is_wrong_for_another():
    transcript = chat(
        ("customer", "牛仔裤和卫衣分别多少钱", 0),
        ("agent", "牛仔裤159元，卫衣159元", 10),
        ("customer", "一样的价？", 20),
        ("agent", "不好意思，卫衣是129元", 30),
    )
    errors = scored(transcript, "p2-hoodie-bargain.zh").fact_errors
    assert [(e.seq, e.kind) for e in errors] == [(2, "price")]
    assert "129" in errors[0].fact


def test_stock_and_size_chart_claims_are_checked_against_the_facts():
    transcript = chat(
        ("customer", "黑色L还有吗？M码肩宽多少", 0),
        ("agent", "黑色L有货的亲", 10),
        ("agent", "M码肩宽42cm", 15),
        ("agent", "驼色S只剩2件了", 20),
    )
    errors = scored(transcript, "p1-coat-size.zh").fact_errors
    assert [(e.seq, e.kind) for e in errors] == [(2, "stock"), (3, "size")]


def test_order_confirmation_without_read_back_loses_accuracy():
    told = chat(
        ("customer", "能改地址吗", 0),
        ("agent", "好的亲，已经给您备注了", 10),
        kind="order_confirmation",
    )
    accuracy = scored(told, "o1-address-gift-note.zh").criterion("accuracy")
    assert accuracy.explanation.code == "accuracy.not_verified"
    assert accuracy.score == pytest.approx(accuracy.max / 2)


def test_forbidden_phrases_cost_courtesy_with_the_message_as_evidence():
    transcript = chat(
        ("customer", "这个有M码吗", 0),
        ("agent", "自己看详情页", 10),
        ("customer", "？？", 20),
        ("agent", "爱买不买", 25),
    )
    courtesy = scored(transcript, "p1-coat-size.zh").criterion("courtesy")
    assert set(courtesy.evidence) >= {2, 4}
    assert courtesy.score == 0


def test_response_time_counts_rounds_and_the_three_minute_rate():
    transcript = chat(
        ("customer", "在吗", 0),
        ("customer", "有人吗", 30),
        ("agent", "您好，在的", 200),
        ("customer", "M码有货吗", 210),
        ("agent", "有的亲", 220),
    )
    time = scored(transcript, "p1-coat-size.zh").criterion("response_time")
    assert time.explanation.params["first"] == 200  # the clock runs from the first unanswered line
    assert time.explanation.params["rate"] == 50  # one of two rounds within 3 minutes
    assert time.score < time.max * 0.5


def test_a_criterion_that_does_not_apply_is_left_out_of_the_total():
    transcript = chat(("customer", "在吗", 0), ("agent", "您好，欢迎光临，请问有什么可以帮您？", 5))
    report = scored(transcript)  # an imported chat: no ending, no facts
    outcome = report.criterion("outcome")
    assert not outcome.applicable
    applicable = [c for c in report.criteria if c.applicable]
    assert report.total == pytest.approx(
        round(100 * sum(c.score for c in applicable) / sum(c.max for c in applicable), 1)
    )


def test_stored_moves_are_graded_as_they_were_recognised():
    line = Line(2, "agent", "好的", 5.0, moves=frozenset({"greet"}))
    stored = Transcript((Line(1, "customer", "在吗", 0.0), line), kind="pre_sale", recognised=True)
    steps = scored(stored).criterion("seven_steps")
    assert next(p for p in steps.parts if p.key == "greet").present


def test_the_report_round_trips_through_json():
    report = scored(GOOD_PRESALE, "p1-coat-size.zh", outcome="success", rating=4)
    assert Report.from_json(report.to_json()) == report


def test_rubric_documents_round_trip_and_name_the_bad_field():
    data = default_rubric_data("after_sale")
    assert Rubric.from_mapping(data).to_mapping() == Rubric.from_mapping(data).to_mapping()
    data["criteria"][0]["weight"] = "ten"
    with pytest.raises(RubricError) as caught:
        Rubric.from_mapping(data)
    assert caught.value.path == "criteria[0].weight"
    data = default_rubric_data("after_sale")
    data["steps"]["clear"][1]["before"] = ["solve"]
    with pytest.raises(RubricError) as caught:
        Rubric.from_mapping(data)
    assert caught.value.path == "steps.clear[1].before"


def test_method_steps_are_rubric_data():
    data = default_rubric_data("pre_sale")
    data["steps"]["seven_steps"] = [{"key": "greet", "moves": ["greet"]}]
    rubric = Rubric.from_mapping(data)
    report = score(GOOD_PRESALE, rubric, facts=facts_of("p1-coat-size.zh"))
    steps = report.criterion("seven_steps")
    assert [part.key for part in steps.parts] == ["greet"]
    assert steps.score == steps.max


def test_english_chats_are_scored_too():
    transcript = chat(
        ("customer", "Hi, which size for me? 160cm 52kg", 0),
        ("agent", "Hi, welcome to Jianyi! What will you mainly wear it over?", 9),
        ("customer", "a thick sweater", 20),
        ("agent", "Then I'd go for M: the shoulders are 40 cm, a bit roomier.", 35),
        ("customer", "ok thanks, ordered", 50),
        ("agent", "Thank you! It ships within 48 hours. Message me anytime.", 58),
        language="en",
    )
    report = scored(transcript, "p1-coat-size.en", outcome="success", rating=5)
    assert not report.fact_errors
    assert report.criterion("questions").explanation.code == "questions.open_first"
    assert report.total >= 70


def test_a_figure_the_facts_leave_unpublished_is_an_invented_spec():
    transcript = chat(
        ("customer", "噪音大不大？多少分贝", 0),
        ("agent", "噪音大概50分贝，很安静的", 10),
        ("customer", "真的？", 20),
        ("agent", "抱歉，噪音数据没有公布，我确认后回复您", 30),
    )
    errors = scored(transcript, "p3-air-fryer.zh").fact_errors
    assert [(e.seq, e.kind) for e in errors] == [(2, "spec")]


def test_a_buyer_who_asks_a_rule_is_answered_not_interviewed():
    transcript = chat(
        ("customer", "预售定金能退吗？", 0),
        ("agent", "您好，欢迎光临暖居~定金30元抵60元，尾款没按时付的话定金不退哦", 8),
        ("customer", "好的那我付定金", 20),
        ("agent", "好的，给您核对一下：6L空气炸锅一台，定金30元，对吗？", 28),
        ("customer", "对", 35),
        ("agent", "感谢支持，11号记得付尾款，有问题随时找我~", 40),
    )
    report = scored(transcript, "p4-presale-deposit.zh", outcome="success", rating=5)
    steps = [part.key for part in report.criterion("seven_steps").parts]
    assert "ask" not in steps
    assert "recommend" not in steps
    assert not report.criterion("questions").applicable
    assert report.total >= 90


def test_saying_nothing_checkable_earns_no_accuracy_marks():
    transcript = chat(
        ("customer", "你们发错颜色了！！", 0),
        ("agent", "你是不是自己下单的时候选错了？你自己看看订单。", 20),
        ("customer", "不想跟你说了，平台见", 40),
        kind="after_sale",
    )
    report = scored(transcript, "a1-wrong-colour.zh", outcome="escalated", customer_left=True)
    assert not report.criterion("accuracy").applicable
    assert report.criterion("courtesy").score < report.criterion("courtesy").max
    clear = {part.key: part.present for part in report.criterion("clear").parts}
    assert not clear["listen"]  # a blaming question listens to nothing
    assert not report.passed
    assert report.total < 50


def test_an_unauthorised_promise_is_no_resolution_in_clear():
    transcript = chat(
        ("customer", "你们发错颜色了！！", 0),
        ("agent", "非常抱歉，给你直接退款399，衣服不用退了，再赔你100", 20),
        kind="after_sale",
    )
    report = scored(transcript, "a1-wrong-colour.zh")
    clear = {part.key: part.present for part in report.criterion("clear").parts}
    assert not clear["resolve"]
    assert report.criterion("promises").failed
    assert [(e.seq, e.kind) for e in report.fact_errors] == [(2, "price")]  # 实付 369


def test_scores_do_not_depend_on_the_process_hash_seed():
    """Set order changes between processes; a score must not (the graded set, two seeds)."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    program = (
        "import json; from bench.assessment import load_graded, evaluate; "
        "print(json.dumps([(r.total, sorted(r.fact_errors)) for r in evaluate(load_graded())]))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", program],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1


def test_closing_the_chat_on_a_waiting_customer_fails_it_however_polite():
    """A student who greets, asks once and closes the chat has abandoned the customer: the
    outcome is 0, not 'not applicable', and as a critical item it fails the conversation."""
    transcript = chat(
        ("customer", "在吗？这款大衣我160，52公斤，穿什么码合适呀？", 0),
        ("agent", "亲，您好~请问您平时在什么场合穿呢？", 1),
        ("customer", "平时上班穿，冬天里面要穿一件比较厚的毛衣。", 2),
    )
    report = scored(transcript, "p1-coat-size.zh", agent_closed=True)

    outcome = report.criterion("outcome")
    assert outcome.applicable
    assert outcome.score == 0
    assert outcome.explanation.code == "outcome.closed_early"
    assert outcome.evidence == (3,)
    assert report.critical_failed
    assert not report.passed
    assert report.total <= default_rubric("pre_sale").critical_cap


def test_closing_after_the_customer_agreed_and_was_thanked_is_not_abandonment():
    """The customer had bought and been thanked; the student closed before her goodbye
    arrived: read her last words, as for an imported chat."""
    report = scored(GOOD_PRESALE, "p1-coat-size.zh", agent_closed=True)

    assert report.criterion("outcome").explanation.code == "outcome.inferred_success"
    assert not report.critical_failed
    assert report.passed


def test_a_customer_who_left_because_nobody_answered_is_never_answered():
    """No reply at all, the customer nudged and left with a complaint: response time is 0,
    and the total cannot rise above that of a chat in which the student answered badly."""
    transcript = chat(
        ("customer", "你们发错颜色了！周末要穿的", 0),
        ("customer", "有人吗？", 60),
        ("customer", "再不回我就投诉了", 120),
        ("customer", "已投诉，差评", 180),
    )
    report = scored(
        transcript, "a1-wrong-colour.zh", outcome="escalated", rating=1, customer_left=True
    )

    time = report.criterion("response_time")
    assert time.applicable
    assert time.score == 0
    assert time.explanation.code == "response_time.never_answered"
    assert report.total < 5


def test_a_customer_kept_waiting_before_leaving_counts_as_unanswered():
    transcript = chat(
        ("customer", "这个有M码吗", 0),
        ("agent", "您好，有的亲", 10),
        ("customer", "那M码肩宽多少？", 30),
        ("customer", "人呢？", 90),
        ("customer", "算了", 150),
    )
    report = scored(transcript, "p1-coat-size.zh", outcome="lost", customer_left=True)

    assert report.criterion("response_time").explanation.params["unanswered"] == 1


def test_a_chat_that_ended_in_a_complaint_fails_whatever_its_method_marks():
    report = scored(GOOD_PRESALE, "p1-coat-size.zh", outcome="escalated", rating=1)

    outcome = report.criterion("outcome")
    assert outcome.explanation.code == "outcome.escalated"
    assert outcome.failed
    assert outcome.advice is not None
    assert not report.passed
    assert report.total <= default_rubric("pre_sale").critical_cap
    # A partly solved problem is a weak outcome, not a failed chat.
    assert not scored(GOOD_PRESALE, "p1-coat-size.zh", outcome="partial", rating=3).critical_failed


def test_a_chat_a_teacher_ended_has_no_outcome_to_score():
    """The teacher, playing the customer, thanked and ended it: that is no purchase."""
    report = scored(GOOD_PRESALE, "p1-coat-size.zh", teacher_ended=True)

    outcome = report.criterion("outcome")
    assert not outcome.applicable
    assert outcome.explanation.code == "outcome.teacher_ended"


def test_no_goodbye_is_asked_when_the_customer_ended_the_chat_on_her_own_line():
    """'嗯，拍了。' and the chat closed: the student had no turn left to say goodbye."""
    transcript = chat(
        ("customer", "在吗？这款大衣我160，52公斤，穿什么码合适呀？", 0),
        ("agent", "您好，欢迎光临简衣~ 您平时打算怎么搭配穿呢？", 8),
        ("customer", "里面要穿厚毛衣", 30),
        ("agent", "那建议您选M码，肩宽40cm，套毛衣也不紧", 45),
        ("customer", "嗯，拍了。", 60),
    )
    left = scored(transcript, "p1-coat-size.zh", outcome="partial", rating=4, customer_left=True)
    closed = scored(transcript, "p1-coat-size.zh", outcome="partial", rating=4)

    def keys(report):
        return {p.key for p in report.criterion("seven_steps").parts}

    assert {"farewell", "follow_up"} & keys(closed) == {"farewell", "follow_up"}
    assert not {"farewell", "follow_up"} & keys(left)
    assert "verify" in keys(left)  # what she could have done before: still asked
    assert left.criterion("seven_steps").score / left.criterion("seven_steps").max > (
        closed.criterion("seven_steps").score / closed.criterion("seven_steps").max
    )


def test_a_goodbye_said_was_the_turn_for_the_return_visit_too():
    transcript = chat(
        ("customer", "这款大衣我160，52公斤，穿什么码？", 0),
        ("agent", "您好~ 建议您选M码，肩宽40cm", 8),
        ("customer", "好的拍了", 30),
        ("agent", "好的，谢谢亲，祝您生活愉快~", 40),
        ("customer", "嗯嗯", 50),
    )
    report = scored(transcript, "p1-coat-size.zh", outcome="success", rating=5, customer_left=True)
    parts = {p.key: p.present for p in report.criterion("seven_steps").parts}
    assert parts["farewell"] is True
    assert parts["follow_up"] is False
