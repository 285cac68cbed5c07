"""Quick replies (快捷短语): their rules, placeholders, order, and who sees which."""

from __future__ import annotations

import pytest
from django.utils import translation

from simulator import quick_replies, services
from simulator.models import QuickReply
from tests.conftest import load_version


@pytest.fixture
def after_sale(classroom):
    version = load_version("a1-wrong-colour.zh.yaml")
    return services.assign_scenario(classroom, scenario_version=version)


def test_placeholders_fill_from_the_scenarios_persona_order_product_and_shop(db):
    script = load_version("a1-wrong-colour.zh.yaml").script
    values = quick_replies.conversation_values(script)

    text = quick_replies.fill(
        "{顾客}您好，订单{订单号}的{商品}，{店铺}为您处理。{customer}/{order}", values
    )

    assert (
        text
        == "林女士您好，订单20241105201734的羊毛混纺双面大衣，简衣为您处理。林女士/20241105201734"
    )


def test_a_scenario_without_an_order_keeps_the_order_placeholder_for_the_agent_to_type(db):
    script = load_version("p1-coat-size.zh.yaml").script
    values = quick_replies.conversation_values(script)

    text = quick_replies.fill("{顾客}，订单号是{订单号}吗？{商品}", values)

    assert "order" not in values
    assert text.startswith("小雨，订单号是{订单号}吗？")
    assert text.endswith(script.shop.products[0].name)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("   ", "empty"),
        ("亲" * 501, "501"),
        ("{顾客}您好，{快递单号}已经发出", "{快递单号}"),
        ("{customer}, {nickname}", "{nickname}"),
    ],
)
def test_text_problems_name_what_is_wrong(text, expected):
    with translation.override("en"):
        problems = quick_replies.text_problems(text)

    assert len(problems) == 1
    assert expected in problems[0]


def test_known_placeholders_and_stray_braces_are_fine():
    assert quick_replies.text_problems("{顾客} {订单号} {商品} {店铺} {order} { customer }") == []
    assert quick_replies.text_problems("笑脸 :-} 和 { 单独的括号 {}") == []


def test_adding_places_each_phrase_at_the_end_and_rejects_a_bad_one(classroom):
    first = quick_replies.add_quick_reply(classroom, group="问候", title="欢迎", text="您好")
    second = quick_replies.add_quick_reply(classroom, group="问候", title="在的", text="在的亲")

    with pytest.raises(quick_replies.QuickReplyError, match="快递单号"):
        quick_replies.add_quick_reply(classroom, title="错", text="{快递单号}")
    with pytest.raises(quick_replies.QuickReplyError):
        quick_replies.add_quick_reply(classroom, title="", text="您好")

    assert [r.pk for r in quick_replies.class_replies(classroom)] == [first.pk, second.pk]
    assert QuickReply.objects.count() == 2


def test_moving_swaps_with_the_neighbour_of_the_same_group_only(student):
    a = quick_replies.add_quick_reply(student, group="问候", title="A", text="a")
    quick_replies.add_quick_reply(student, group="售后", title="X", text="x")
    b = quick_replies.add_quick_reply(student, group="问候", title="B", text="b")

    quick_replies.move_quick_reply(b, up=True)
    titles = [r.title for r in quick_replies.own_replies(student) if r.group == "问候"]
    quick_replies.move_quick_reply(b, up=True)  # already first: nothing changes

    assert titles == ["B", "A"]
    assert [r.title for r in quick_replies.own_replies(student) if r.group == "问候"] == ["B", "A"]
    assert a.pk != b.pk


def test_updating_keeps_the_place_and_checks_the_text(classroom):
    reply = quick_replies.add_quick_reply(classroom, title="欢迎", text="您好")

    quick_replies.update_quick_reply(reply, group="问候", title="欢迎语", text="{顾客}您好")
    with pytest.raises(quick_replies.QuickReplyError):
        quick_replies.update_quick_reply(reply, group="", title="欢迎语", text="")

    reply.refresh_from_db()
    assert (reply.group, reply.title, reply.text, reply.position) == (
        "问候",
        "欢迎语",
        "{顾客}您好",
        0,
    )


def test_the_workspace_shows_the_conversations_class_phrases_and_the_students_own_only(
    classroom, other_classroom, student, classmate, outsider, after_sale
):
    quick_replies.add_quick_reply(classroom, group="问候", title="班级", text="{顾客}您好")
    quick_replies.add_quick_reply(other_classroom, title="别班", text="别班的")
    quick_replies.add_quick_reply(student, title="我的", text="订单{订单号}")
    quick_replies.add_quick_reply(classmate, title="同学的", text="同学的")
    conversation = services.start_attempt(after_sale, student=student)

    panel = quick_replies.phrases_for(student, conversation)

    assert [(p.reply.title, p.text) for p in panel.phrases] == [
        ("班级", "林女士您好"),
        ("我的", "订单20241105201734"),
    ]
    assert panel.class_groups[0][0] == "问候"


def test_a_student_removed_from_the_class_no_longer_gets_its_phrases(
    classroom, student, after_sale
):
    quick_replies.add_quick_reply(classroom, title="班级", text="您好")
    conversation = services.start_attempt(after_sale, student=student)
    classroom.memberships.filter(student=student).delete()

    assert quick_replies.phrases_for(student, conversation).phrases == []


def test_only_the_owner_or_a_teacher_of_the_class_may_edit(
    classroom, teacher, other_teacher, student, classmate
):
    from django.http import Http404

    class_reply = quick_replies.add_quick_reply(classroom, title="班级", text="您好")
    own = quick_replies.add_quick_reply(student, title="我的", text="您好")

    assert quick_replies.editable_reply_for(teacher, class_reply.pk) == class_reply
    assert quick_replies.editable_reply_for(student, own.pk) == own
    for user, reply in [
        (other_teacher, class_reply),
        (student, class_reply),
        (classmate, own),
        (teacher, own),  # a student's own phrases are theirs alone
    ]:
        with pytest.raises(Http404):
            quick_replies.editable_reply_for(user, reply.pk)


def test_the_demo_class_gets_its_phrases_once(db, tmp_path):
    from simulator.demo import DEMO_QUICK_REPLIES, seed_demo

    seed_demo(tmp_path / "logins.txt")
    seed_demo(tmp_path / "logins.txt")

    replies = list(QuickReply.objects.all())
    assert [r.title for r in replies] == [title for _g, title, _t in DEMO_QUICK_REPLIES]
    assert all(r.classroom is not None and r.student is None for r in replies)
    assert {r.group for r in replies} == {"问候", "尺码", "发货", "售后", "结束语"}


def test_a_group_moves_as_a_whole_and_its_phrases_then_stand_together(classroom):
    quick_replies.add_quick_reply(classroom, group="问候", title="A", text="a")
    quick_replies.add_quick_reply(classroom, group="售后", title="X", text="x")
    quick_replies.add_quick_reply(classroom, group="问候", title="B", text="b")
    after_sale = quick_replies.add_quick_reply(classroom, group="结束语", title="Z", text="z")

    quick_replies.move_quick_reply_group(after_sale, up=True)
    first = [r.title for r in quick_replies.class_replies(classroom)]
    quick_replies.move_quick_reply_group(after_sale, up=True)
    quick_replies.move_quick_reply_group(after_sale, up=True)  # already first: no change

    assert first == ["A", "B", "Z", "X"]
    assert [r.title for r in quick_replies.class_replies(classroom)] == ["Z", "A", "B", "X"]
