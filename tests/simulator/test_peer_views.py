"""Role-play pages (issue 7, part 5): pairing on the class page, the customer's seat, the home
pages and the transcript, with who sees what."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from simulator import peers, services
from simulator.models import Conversation, Message
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def _default_language():
    yield
    translation.activate("zh-hans")  # an English page must not leave the thread in English


@pytest.fixture
def pair(assignment, student, classmate, teacher):
    return peers.pair_classmates(assignment, agent=student, customer_player=classmate, by=teacher)


def test_the_teacher_pairs_two_students_from_the_class_page(
    client, teacher, assignment, student, classmate, classroom
):
    client.force_login(teacher)
    page = client.get(reverse("simulator:classroom", args=[classroom.pk])).content.decode()
    assert 'data-role="pair-form"' in page
    assert f'<option value="{classmate.pk}">' in page
    response = client.post(
        reverse("simulator:pair_classmates", args=[classroom.pk]),
        {"assignment": assignment.pk, "agent": student.pk, "customer": classmate.pk},
        follow=True,
    )
    conversation = Conversation.objects.get()
    assert (conversation.student, conversation.customer_player) == (student, classmate)
    assert "student02" in response.content.decode()  # the message names both


def test_pairing_the_same_student_twice_is_refused_with_a_message(
    client, teacher, assignment, student, classroom
):
    client.force_login(teacher)
    response = client.post(
        reverse("simulator:pair_classmates", args=[classroom.pk]),
        {"assignment": assignment.pk, "agent": student.pk, "customer": student.pk},
        follow=True,
    )
    assert not Conversation.objects.exists()
    assert str(peers.NotClassmates.message) in response.content.decode()


def test_pairing_the_class_at_random(client, teacher, assignment, student, classmate, classroom):
    client.force_login(teacher)
    client.post(
        reverse("simulator:pair_classmates", args=[classroom.pk]),
        {"assignment": assignment.pk, "random": "1"},
    )
    conversation = Conversation.objects.get()
    assert {conversation.student, conversation.customer_player} == {student, classmate}


def test_a_student_of_another_class_cannot_be_paired_in(
    client, teacher, assignment, student, outsider, classroom
):
    client.force_login(teacher)
    response = client.post(
        reverse("simulator:pair_classmates", args=[classroom.pk]),
        {"assignment": assignment.pk, "agent": student.pk, "customer": outsider.pk},
        follow=True,
    )
    assert "student99" not in response.content.decode()  # not offered, not named
    assert not Conversation.objects.exists()


def test_both_students_find_the_role_play_on_their_home_page(client, pair, student, classmate):
    client.force_login(classmate)
    home = client.get(reverse("simulator:home")).content.decode()
    seat = f'href="{reverse("simulator:customer_seat", args=[pair.pk])}"'
    workspace = f'href="{reverse("simulator:workspace", args=[pair.pk])}"'
    assert seat in home
    assert workspace not in home
    client.force_login(student)
    home = client.get(reverse("simulator:home")).content.decode()
    assert workspace in home
    assert 'data-role="peer"' in home
    assert seat not in home


def test_the_seat_shows_the_role_card_lines_and_endings_the_agent_never_sees(
    client, pair, student, classmate
):
    script = pair.scenario_version.script
    client.force_login(classmate)
    seat = client.get(reverse("simulator:customer_seat", args=[pair.pk])).content.decode()
    assert script.persona.description in seat  # the hidden constraints
    opening = script.states[script.start].say[0]
    assert f'data-line="{opening}"' in seat
    assert seat.index(f'data-state="{script.start}"') < seat.index('data-role="end-card"')
    for key in script.endings:
        assert f'<option value="{key}">' in seat
    assert script.shop.products[0].name in seat  # the shop page the customer browses
    # The shop's rules are the agent's, not what a customer reads on the page.
    assert "Compensation limit" not in seat
    assert "赔付上限" not in seat
    # The agent's workspace has the order and the shop, never the customer's secret.
    client.force_login(student)
    workspace = client.get(reverse("simulator:workspace", args=[pair.pk])).content.decode()
    assert script.persona.description not in workspace
    assert client.get(reverse("simulator:customer_seat", args=[pair.pk])).status_code == 404


def test_the_customer_player_never_opens_the_transcript_or_the_report(client, pair, classmate):
    services.end_conversation(pair, reason=Conversation.EndReason.CUSTOMER)
    client.force_login(classmate)
    for name in ("assessment:transcript", "assessment:transcript_export", "simulator:workspace"):
        assert client.get(reverse(name, args=[pair.pk])).status_code == 404, name


def test_the_transcript_names_the_agent_and_the_customer_player(
    client, pair, student, classmate, teacher
):
    services.post_message(pair, author=classmate, text="有M码吗", role=Message.Role.CUSTOMER)
    for user in (student, teacher):
        client.force_login(user)
        page = client.get(reverse("assessment:transcript", args=[pair.pk])).content.decode()
        role_play = re.search(r'data-role="role-play">([^<]*)<', page)
        assert role_play is not None
        assert student.display_name in role_play.group(1)
        assert classmate.display_name in role_play.group(1)


def test_the_seat_and_pairing_read_in_english_without_chinese_interface_words(
    client, pair, classmate, teacher, classroom
):
    english = make_user("student-en")
    english.language = "en"
    english.save()
    classmate.language = "en"
    classmate.save()
    client.force_login(classmate)
    client.post(reverse("simulator:set_language"), {"language": "en", "next": "/"})
    seat = client.get(reverse("simulator:customer_seat", args=[pair.pk])).content.decode()
    # Scenario content is Chinese data; everything around it is the interface's.
    chrome = re.sub(r'<[^>]*translate="no"[^>]*>[^<]*<', "<", seat)
    chrome = re.sub(r'data-line="[^"]*"', "", chrome)
    chrome = re.sub(
        r"<section class=\"card watch-card watch-facts\">.*?</aside>", "", chrome, flags=re.S
    )
    chrome = re.sub(r"<option value=\"[a-z_]+\">[^<]*</option>", "", chrome)
    chrome = re.sub(r"<code[^>]*>[^<]*</code>", "", chrome)
    chrome = re.sub(r"<title>.*?</title>", "", chrome, flags=re.S)
    chrome = re.sub(r'<script id="seat-config".*?</script>', "", chrome, flags=re.S)
    assert "You play the customer" in seat
    assert CJK.findall(chrome) == []
