"""The report beside the transcript, and who may see and change it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from assessment import services
from assessment.models import Assessment, Comment, Dispute, MarkOverride
from simulator import services as simulator_services
from simulator.models import Assignment, Message
from tests.assessment.conftest import COAT_CHAT


def client_for(user, *, htmx: bool = False) -> Client:
    client = Client(headers={"HX-Request": "true"} if htmx else {})
    client.force_login(user)
    return client


def page_of(user, conversation) -> str:
    response = client_for(user).get(reverse("assessment:transcript", args=[conversation.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def practice(chat, assignment, student):
    return chat(assignment, student, COAT_CHAT)


@pytest.fixture
def exam(chat, classroom, coat_scenario, student):
    exam = simulator_services.assign_scenario(
        classroom, scenario_version=coat_scenario, mode=Assignment.Mode.EXAM
    )
    return chat(exam, student, COAT_CHAT)


def test_student_sees_the_report_beside_the_transcript(student, practice):
    html = page_of(student, practice)
    assessment = practice.assessments.get()

    assert 'id="report"' in html
    assert f'data-total="{assessment.total:.1f}"' in html
    assert "七步" in html or "售前七步" in html or "七步法" in html
    assert "下次可以这样做" in html  # what to do next time: this chat missed steps
    # The criterion of the seven steps carries its evidence, for the highlight on click.
    seven = next(c for c in assessment.report["criteria"] if c["key"] == "seven_steps")
    assert f'data-evidence="{" ".join(map(str, seven["evidence"]))}"' in html
    assert "改分" not in html  # no review form for the student


def test_a_criterion_that_does_not_apply_says_so_instead_of_zero(student, chat, assignment):
    # No reply at all: nothing to check for accuracy, so it is not applicable, not zero.
    silent = chat(assignment, student, [("customer", "这件大衣我穿多大码？")])
    assessment = silent.assessments.get()
    na = [c["key"] for c in assessment.report["criteria"] if not c["applicable"]]
    assert "accuracy" in na
    html = page_of(student, silent)
    block = re.search(r'data-criterion="accuracy".*?</li>', html, re.S).group(0)
    assert "不适用" in block
    assert "/20" not in block


def test_an_exam_report_is_hidden_from_the_student_until_released(student, teacher, exam):
    assessment = exam.assessments.get()
    html = page_of(student, exam)
    assert "data-total" not in html
    assert "data-report-pending" in html

    response = client_for(teacher, htmx=True).post(
        reverse("assessment:release", args=[assessment.pk])
    )
    assert response.status_code == 200
    assert "data-released" in response.content.decode()
    assert "data-total" in page_of(student, exam)


@pytest.mark.parametrize("who", ["classmate", "outsider", "other_teacher"])
def test_others_get_404_on_a_students_transcript_and_report(request, practice, who):
    user = request.getfixturevalue(who)
    assessment = practice.assessments.get()
    client = client_for(user)
    assert client.get(reverse("assessment:transcript", args=[practice.pk])).status_code == 404
    for name in ("release", "override", "dispute"):
        assert client.post(reverse(f"assessment:{name}", args=[assessment.pk])).status_code == 404
    assert client.post(reverse("assessment:comment", args=[practice.pk])).status_code == 404


def test_the_student_cannot_review_their_own_report(student, practice):
    assessment = practice.assessments.get()
    client = client_for(student)
    response = client.post(
        reverse("assessment:override", args=[assessment.pk]),
        {"criterion": "seven_steps", "score": "25", "reason": "我觉得满分"},
    )
    assert response.status_code == 404
    assert client.post(reverse("assessment:release", args=[assessment.pk])).status_code == 404
    assert not MarkOverride.objects.exists()


def test_teacher_overrides_a_mark_with_a_reason_and_the_student_sees_why(
    teacher, student, practice
):
    assessment = practice.assessments.get()
    seven = next(c for c in assessment.report["criteria"] if c["key"] == "seven_steps")
    response = client_for(teacher, htmx=True).post(
        reverse("assessment:override", args=[assessment.pk]),
        {
            "criterion": "seven_steps",
            "score": str(seven["max"]),
            "reason": "第6条已经道别并说明发货",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div class="review-layout"')  # the fragment alone
    assert "第6条已经道别并说明发货" in html
    assessment.refresh_from_db()
    assert assessment.total > assessment.report["total"]
    assert f'data-total="{assessment.total:.1f}"' in page_of(student, practice)
    assert "第6条已经道别并说明发货" in page_of(student, practice)


def test_an_override_without_a_reason_is_refused_with_a_message(teacher, practice):
    assessment = practice.assessments.get()
    response = client_for(teacher, htmx=True).post(
        reverse("assessment:override", args=[assessment.pk]),
        {"criterion": "seven_steps", "score": "1", "reason": " "},
    )
    assert "请填写理由" in response.content.decode()
    assert not MarkOverride.objects.exists()


def test_teacher_comments_on_a_message_and_the_student_reads_it(teacher, student, practice):
    client_for(teacher, htmx=True).post(
        reverse("assessment:comment", args=[practice.pk]), {"seq": "4", "text": "推荐理由很好"}
    )
    comment = Comment.objects.get()
    assert (comment.seq, comment.author) == (4, teacher)
    html = page_of(student, practice)
    line = re.search(r'<li class="role-agent" data-seq="4".*?</li>', html, re.S).group(0)
    assert "推荐理由很好" in line


def test_student_disputes_a_mark_and_the_teacher_answers(teacher, student, practice):
    assessment = practice.assessments.get()
    client_for(student, htmx=True).post(
        reverse("assessment:dispute", args=[assessment.pk]),
        {"criterion": "seven_steps", "reason": "我在第6条核对了"},
    )
    dispute = Dispute.objects.get()
    assert "我在第6条核对了" in page_of(teacher, practice)
    # The student sees it sent, and no second dispute form for the same mark meanwhile.
    waiting = page_of(student, practice)
    assert 'data-role="dispute-waiting"' in waiting
    seven = waiting.split('data-criterion="seven_steps"', 1)[1].split('data-criterion="', 1)[0]
    assert reverse("assessment:dispute", args=[assessment.pk]) not in seven
    assert reverse("assessment:dispute", args=[assessment.pk]) in waiting  # other marks still

    client_for(teacher, htmx=True).post(
        reverse("assessment:answer_dispute", args=[dispute.pk]), {"answer": "核对要读出订单信息"}
    )
    html = page_of(student, practice)
    assert "我在第6条核对了" in html
    assert "核对要读出订单信息" in html


def test_classmate_cannot_answer_or_see_a_dispute(classmate, student, practice):
    assessment = practice.assessments.get()
    dispute = Dispute.objects.create(
        assessment=assessment, criterion="seven_steps", reason="x", student=student
    )
    response = client_for(classmate).post(
        reverse("assessment:answer_dispute", args=[dispute.pk]), {"answer": "y"}
    )
    assert response.status_code == 404


def test_each_customer_line_shows_its_own_wait_and_the_run_wait_once(student, chat, assignment):
    conversation = chat(
        assignment,
        student,
        [
            ("customer", "在吗？"),
            ("customer", "衣服发错颜色了"),
            ("customer", "我很生气"),
            ("agent", "您好，非常抱歉，我马上帮您查。"),
        ],
    )
    start = conversation.started_at
    for seq, seconds in [(1, 0), (2, 100), (3, 130), (4, 147)]:
        Message.objects.filter(conversation=conversation, seq=seq).update(
            created_at=start + timedelta(seconds=seconds)
        )
    html = page_of(student, conversation)
    waits = dict(re.findall(r'data-seq="(\d+)".*?data-response-time[^>]*>([^<]+)<', html, re.S))

    assert waits["1"] == "147 秒后回复"
    assert waits["2"] == "47 秒后得到回复"
    assert waits["3"] == "17 秒后得到回复"
    assert html.count("data-run-wait") == 1
    assert "本轮共 3 条消息" in html


def test_an_unscored_ended_conversation_says_it_will_be_scored(student, chat, assignment):
    conversation = chat(assignment, student, COAT_CHAT)
    Assessment.objects.filter(conversation=conversation).delete()
    assert "尚未评分" in page_of(student, conversation)


def test_home_pages_show_scores_only_once_released(student, teacher, practice, exam):
    practised = practice.assessments.get()
    home = client_for(student).get(reverse("simulator:home")).content.decode()
    assert f"{practised.total:.0f} 分" in home
    assert home.count("data-score") == 1  # the exam's score waits for the teacher
    assert "待公布" in home

    teaching = client_for(teacher).get(reverse("simulator:home")).content.decode()
    assert teaching.count("data-score") == 2


def test_the_teacher_sees_earlier_scores_after_a_rescore(teacher, student, practice):
    first = practice.assessments.get()
    strict = services.clone_rubric(first.rubric, owner=teacher)
    services.assess_conversation(practice.pk, rubric=strict)

    assert page_of(teacher, practice).count("data-earlier") == 1
    assert "data-earlier" not in page_of(student, practice)


def _seven_step_chips(html: str) -> str:
    return re.search(r'data-criterion="seven_steps".*?</ul>', html, re.S).group(0)


def test_the_step_chips_stay_the_scorers_under_a_full_or_zero_override(teacher, student, practice):
    """A teacher's mark counts, but the chips keep what the scorer found, with a note: ticking
    a step because the mark was raised showed a farewell that never happened (walk-through)."""
    assessment = practice.assessments.get()
    seven = next(c for c in assessment.report["criteria"] if c["key"] == "seven_steps")
    missing = sum(not part["present"] for part in seven["parts"])
    assert missing  # the scorer saw a step missing
    before = _seven_step_chips(page_of(student, practice))

    for new_score in (seven["max"], 0):
        services.override_mark(
            assessment, criterion="seven_steps", new_score=new_score, reason="复核", by=teacher
        )
        chips = _seven_step_chips(page_of(student, practice))
        assert chips.count("part-missing") == before.count("part-missing") == missing
        assert "data-parts-as-scored" in page_of(student, practice)


def test_a_partial_override_says_the_chips_are_the_scorers(teacher, student, practice):
    assessment = practice.assessments.get()
    seven = next(c for c in assessment.report["criteria"] if c["key"] == "seven_steps")
    assert "data-parts-as-scored" not in page_of(student, practice)
    services.override_mark(
        assessment,
        criterion="seven_steps",
        new_score=seven["max"] / 2 if seven["score"] != seven["max"] / 2 else 1,
        reason="部分",
        by=teacher,
    )
    chips = _seven_step_chips(page_of(student, practice))
    assert "data-parts-as-scored" in chips
    assert chips.count("part-present") == sum(1 for p in seven["parts"] if p["present"])


def test_the_exam_card_counts_exam_attempts_not_practice(student, practice, exam):
    home = client_for(student).get(reverse("simulator:home")).content.decode()
    cards = re.findall(r"<article.*?</article>", home, re.S)
    exam_card = next(card for card in cards if 'data-mode="exam"' in card)
    practice_card = next(card for card in cards if 'data-mode="exam"' not in card)
    assert "考试次数" in exam_card or "还可考试" in exam_card
    assert "再考一次" in exam_card
    assert "练习" not in exam_card
    assert "再练一次" in practice_card

    student.language = "en"
    student.save()
    with translation.override("zh-hans"):  # the view switches to English: undo it after
        english = client_for(student).get(reverse("simulator:home"), HTTP_ACCEPT_LANGUAGE="en")
    cards = re.findall(r"<article.*?</article>", english.content.decode(), re.S)
    exam_card = next(card for card in cards if 'data-mode="exam"' in card)
    assert "exam attempt" in exam_card
    assert "Retake the exam" in exam_card


def _move_tags(html: str) -> list[str]:
    return re.findall(r'<span class="move move-[a-z_]+"', html)


def test_an_unreleased_exam_hides_the_move_tags_from_the_student(student, teacher, exam):
    assert Message.objects.filter(conversation=exam).exclude(moves=[]).exists()
    assert not _move_tags(page_of(student, exam))  # they would show how the scorer read it
    assert _move_tags(page_of(teacher, exam))  # the teacher reviews with them

    services.release_report(exam.assessments.get())
    assert _move_tags(page_of(student, exam))


def test_an_unreleased_exam_hides_the_outcome_and_stars_from_the_student(student, teacher, exam):
    exam.ending, exam.outcome, exam.rating = "escalated", "escalated", 1
    exam.save(update_fields=["ending", "outcome", "rating"])
    hidden = page_of(student, exam)
    assert "data-ending" not in hidden  # the outcome comes with the report
    assert "1★" not in hidden
    assert "data-ending" in page_of(teacher, exam)

    services.release_report(exam.assessments.get())
    shown = page_of(student, exam)
    assert "data-ending" in shown
    assert "1★" in shown


def test_a_practice_transcript_shows_the_student_the_move_tags(student, practice):
    assert _move_tags(page_of(student, practice))


def test_the_ending_line_gives_outcome_and_rating_not_the_scripts_description(
    student, teacher, practice
):
    # The script's words for this ending name a promise the student never made.
    practice.ending, practice.outcome, practice.rating = "sale_on_promise", "partial", 4
    practice.save(update_fields=["ending", "outcome", "rating"])
    for user in (student, teacher):
        html = page_of(user, practice)
        ending = re.search(r"<div class=\"ending-note[^>]*data-ending>.*?</div>", html, re.S)
        assert "包退货运费" not in html
        assert "部分解决" in ending.group(0)
        assert "4★" in ending.group(0)


def test_the_teaching_home_alerts_to_open_disputes_per_class(
    teacher, other_teacher, student, practice
):
    home = reverse("simulator:home")
    assert "data-dispute-alert" not in client_for(teacher).get(home).content.decode()
    assessment = practice.assessments.get()
    dispute = services.dispute_mark(
        assessment, criterion="seven_steps", reason="我道别了", student=student
    )
    services.dispute_mark(assessment, criterion="courtesy", reason="我称呼了亲", student=student)

    html = client_for(teacher).get(home).content.decode()
    alert = re.search(r"<section[^>]*data-dispute-alert.*?</section>", html, re.S).group(0)
    line = re.search(
        rf'<li data-dispute-classroom="{practice.assignment.classroom_id}">.*?</li>', alert, re.S
    ).group(0)
    assert "2 条未回复的申诉" in line
    transcript = reverse("assessment:transcript", args=[practice.pk]) + "#report"
    assert line.count(f'href="{transcript}"') == 1  # one link per disputed transcript
    assert "data-dispute-alert" not in client_for(other_teacher).get(home).content.decode()
    assert "data-dispute-alert" not in client_for(student).get(home).content.decode()

    services.answer_dispute(dispute, answer="已改分", by=teacher)
    html = client_for(teacher).get(home).content.decode()
    assert "1 条未回复的申诉" in html
