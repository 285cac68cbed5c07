"""Quick-reply pages: a teacher keeps the class's phrases, a student their own, and the
workspace lists both filled for the customer; errors are shown, not stored."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from simulator import quick_replies, services
from simulator.models import QuickReply
from tests.conftest import load_version


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_classroom_page_links_to_the_class_phrases(teacher, classroom):
    page = client_for(teacher).get(reverse("simulator:classroom", args=[classroom.pk]))

    assert reverse("simulator:class_quick_replies", args=[classroom.pk]) in page.content.decode()


def test_a_teacher_adds_a_class_phrase_and_sees_it_filled_from_the_example(teacher, classroom):
    url = reverse("simulator:class_quick_replies", args=[classroom.pk])
    client = client_for(teacher)

    response = client.post(
        url, {"group": "问候", "title": "欢迎", "text": "{顾客}您好，欢迎光临{店铺}"}
    )
    page = client.get(url).content.decode()

    assert response.status_code == 302
    reply = QuickReply.objects.get()
    assert (reply.classroom, reply.student, reply.text) == (
        classroom,
        None,
        "{顾客}您好，欢迎光临{店铺}",
    )
    assert "林女士您好，欢迎光临简衣旗舰店" in page


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"title": "欢迎", "text": ""}, "The phrase is empty"),
        ({"title": "", "text": "您好"}, "The title is empty"),
        ({"title": "欢迎", "text": "亲" * 600}, "600 characters"),
        ({"title": "欢迎", "text": "您的{快递单号}"}, "Unknown placeholder {快递单号}"),
    ],
)
def test_a_bad_phrase_is_shown_with_its_error_and_not_stored(
    teacher, classroom, data, error, settings
):
    settings.LANGUAGE_CODE = "en"
    client = client_for(teacher)
    client.post(reverse("simulator:set_language"), {"language": "en", "next": "/"})

    response = client.post(reverse("simulator:class_quick_replies", args=[classroom.pk]), data)

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not QuickReply.objects.exists()


def test_the_preview_fills_the_example_or_names_the_unknown_placeholder(student):
    client = client_for(student)
    url = reverse("simulator:quick_reply_preview")

    good = client.post(url, {"text": "{顾客}，您的订单{订单号}"}).content.decode()
    bad = client.post(url, {"text": "{昵称}您好"}).content.decode()

    assert "林女士，您的订单20241105201734" in good
    assert "{昵称}" in bad
    assert "preview-problems" in bad


def test_a_student_keeps_their_own_phrases_and_edits_deletes_and_moves_them(student):
    client = client_for(student)
    client.post(reverse("simulator:my_quick_replies"), {"group": "问候", "title": "A", "text": "a"})
    client.post(reverse("simulator:my_quick_replies"), {"group": "问候", "title": "B", "text": "b"})
    a, b = QuickReply.objects.order_by("pk")

    client.post(
        reverse("simulator:edit_quick_reply", args=[a.pk]),
        {"group": "问候", "title": "A2", "text": "{顾客}"},
    )
    client.post(reverse("simulator:move_quick_reply", args=[b.pk]), {"direction": "up"})
    order = [r.title for r in quick_replies.own_replies(student)]
    client.post(reverse("simulator:delete_quick_reply", args=[b.pk]))

    assert order == ["B", "A2"]
    assert [(r.title, r.text, r.student) for r in QuickReply.objects.all()] == [
        ("A2", "{顾客}", student)
    ]


def test_a_student_cannot_touch_a_class_phrase_or_a_classmates(student, classmate, classroom):
    class_reply = quick_replies.add_quick_reply(classroom, title="班级", text="您好")
    theirs = quick_replies.add_quick_reply(classmate, title="同学", text="您好")
    client = client_for(student)

    for reply in (class_reply, theirs):
        assert (
            client.post(reverse("simulator:delete_quick_reply", args=[reply.pk])).status_code == 404
        )
        assert client.get(reverse("simulator:edit_quick_reply", args=[reply.pk])).status_code == 404
    assert QuickReply.objects.count() == 2


def test_a_teacher_has_no_personal_list_and_another_teacher_no_access(
    teacher, other_teacher, classroom
):
    assert client_for(teacher).get(reverse("simulator:my_quick_replies")).status_code == 404
    url = reverse("simulator:class_quick_replies", args=[classroom.pk])
    assert client_for(other_teacher).post(url, {"title": "x", "text": "x"}).status_code == 404
    assert not QuickReply.objects.exists()


def test_the_workspace_lists_phrases_filled_for_the_customer_and_escaped(classroom, student):
    assignment = services.assign_scenario(
        classroom, scenario_version=load_version("a1-wrong-colour.zh.yaml")
    )
    quick_replies.add_quick_reply(classroom, group="售后", title="致歉", text="{顾客}，非常抱歉<b>")
    quick_replies.add_quick_reply(student, title="核单", text="订单{订单号}")
    conversation = services.start_attempt(assignment, student=student)

    page = (
        client_for(student)
        .get(reverse("simulator:workspace", args=[conversation.pk]))
        .content.decode()
    )

    assert 'data-text="林女士，非常抱歉&lt;b&gt;"' in page
    assert 'data-text="订单20241105201734"' in page
    assert "<b>" not in page.split('id="qr-panel"')[1].split("</form>")[0]


def test_a_teacher_moves_a_whole_group_down_from_its_heading(teacher, classroom):
    greeting = quick_replies.add_quick_reply(classroom, group="问候", title="欢迎", text="您好")
    quick_replies.add_quick_reply(classroom, group="结束语", title="感谢", text="谢谢")
    client = client_for(teacher)
    url = reverse("simulator:class_quick_replies", args=[classroom.pk])
    assert 'data-role="group-down"' in client.get(url).content.decode()

    client.post(
        reverse("simulator:move_quick_reply", args=[greeting.pk]), {"direction": "group_down"}
    )

    assert [r.group for r in quick_replies.class_replies(classroom)] == ["结束语", "问候"]
