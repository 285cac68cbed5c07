"""Instructors extend the cue lexicon for their classes and see at once what a phrase catches."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from scenarios import services as scenario_services
from scenarios.models import CuePhrase
from simulator import services

PHRASE = "包在小林身上"  # no move in the shipped lexicon


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_preview_marks_the_samples_a_new_phrase_would_catch(teacher):
    response = client_for(teacher).post(
        reverse("simulator:lexicon_preview"),
        {
            "language": "zh-hans",
            "move": "apologise",
            "phrase": "让您费心了",
            "samples": "亲，让您费心了~\n好的收到",
        },
    )

    html = response.content.decode()
    assert "<mark>让您费心了</mark>" in html
    assert "好的收到" not in html
    assert "badge-new" in html


def test_preview_escapes_sample_text(teacher):
    response = client_for(teacher).post(
        reverse("simulator:lexicon_preview"),
        {"language": "zh-hans", "move": "apologise", "phrase": "抱歉", "samples": "<b>抱歉</b>"},
    )
    assert "&lt;b&gt;" in response.content.decode()


def test_added_phrase_counts_in_the_instructors_classes_only(
    teacher, other_teacher, assignment, student, outsider, other_classroom, coat_scenario
):
    conversation = services.start_attempt(assignment, student=student)
    before, _ = services.post_message(
        conversation, author=student, text=PHRASE, client_id=uuid.uuid4()
    )
    assert "resolve" not in before.moves

    client_for(teacher).post(
        reverse("simulator:lexicon"), {"language": "zh-hans", "move": "resolve", "phrase": PHRASE}
    )
    after, _ = services.post_message(
        conversation, author=student, text=PHRASE + "。", client_id=uuid.uuid4()
    )
    other = services.start_attempt(
        services.assign_scenario(other_classroom, scenario_version=coat_scenario), student=outsider
    )
    elsewhere, _ = services.post_message(
        other, author=outsider, text=PHRASE, client_id=uuid.uuid4()
    )

    assert "resolve" in after.moves
    assert "resolve" not in elsewhere.moves


def test_unknown_move_or_empty_phrase_is_refused(teacher):
    with pytest.raises(scenario_services.CueError):
        scenario_services.add_cue_phrase(teacher, language="zh-hans", move="dance", phrase="x")
    with pytest.raises(scenario_services.CueError):
        scenario_services.add_cue_phrase(teacher, language="zh-hans", move="greet", phrase="  ")


def test_instructors_cannot_remove_each_others_phrases(teacher, other_teacher):
    cue = scenario_services.add_cue_phrase(
        teacher, language="zh-hans", move="greet", phrase="哈喽亲"
    )
    response = client_for(other_teacher).post(reverse("simulator:lexicon_remove", args=[cue.pk]))

    assert response.status_code == 404
    assert CuePhrase.objects.filter(pk=cue.pk).exists()


def test_students_cannot_open_the_lexicon(student):
    client = client_for(student)
    assert client.get(reverse("simulator:lexicon")).status_code == 404
    assert client.post(reverse("simulator:lexicon_preview"), {}).status_code == 404


def test_lexicon_page_lists_the_instructors_phrases(teacher):
    scenario_services.add_cue_phrase(teacher, language="zh-hans", move="greet", phrase="哈喽亲")
    html = client_for(teacher).get(reverse("simulator:lexicon")).content.decode()
    assert "哈喽亲" in html
    assert "话术词库" in html


# ------------------------------------------------------------------ built-in phrases, weak ones


def test_the_page_shows_the_built_in_phrases_per_move_beside_the_teachers_own(teacher):
    from scenarios import cues

    client = client_for(teacher)
    client.post(
        reverse("simulator:lexicon"), {"language": "zh-hans", "move": "apologise", "phrase": PHRASE}
    )
    html = client.get(reverse("simulator:lexicon") + "?language=zh-hans").content.decode()
    row = html.split('data-move="apologise"')[1].split("</tr>")[0]
    builtin, own = row.split('class="builtin"')[1].split("</td>", 1)
    shipped = cues.recogniser_for("zh-hans").phrases("apologise")
    assert "抱歉" in shipped
    assert ">抱歉</span>" in builtin
    assert PHRASE in own
    assert PHRASE not in builtin
    english = client.get(reverse("simulator:lexicon") + "?language=en").content.decode()
    assert ">sorry</span>" in english.split('data-move="apologise"')[1].split("</tr>")[0]


def test_built_in_phrases_are_ones_the_recogniser_really_finds():
    from scenarios import cues

    for language in ("zh-hans", "en"):
        recogniser = cues.recogniser_for(language)
        for move in ("greet", "apologise", "empathise", "farewell"):
            phrases = recogniser.phrases(move)
            assert len(phrases) >= 5, (language, move)
            missed = [p for p in phrases if move not in recogniser.moves(p, context="在吗")]
            # A phrase may need its place (a greeting at the start); most must show the move.
            assert len(missed) <= len(phrases) // 3, (language, move, missed)


@pytest.mark.parametrize(
    ("language", "phrase", "says"),
    [
        ("zh-hans", "的", "几乎每条消息"),
        ("zh-hans", " 了！", "几乎每条消息"),
        ("zh-hans", "a", "单个字母"),
        ("zh-hans", "？？", "没有文字"),
        ("en", "the", "几乎每条消息"),
        ("en", "I", "单个字母"),
    ],
)
def test_a_phrase_too_short_to_mean_anything_is_refused(teacher, language, phrase, says):
    response = client_for(teacher).post(
        reverse("simulator:lexicon"),
        {"language": language, "move": "greet", "phrase": phrase},
        follow=True,
    )
    assert says in response.content.decode()
    assert not CuePhrase.objects.filter(owner=teacher).exists()


def test_a_single_meaningful_character_may_still_be_added(teacher):
    cue = scenario_services.add_cue_phrase(teacher, language="zh-hans", move="rude", phrase="滚")
    assert cue.phrase == "滚"


def test_removing_a_phrase_asks_first(teacher):
    cue = scenario_services.add_cue_phrase(teacher, language="zh-hans", move="greet", phrase="亲亲")
    client = client_for(teacher)
    url = reverse("simulator:lexicon_remove", args=[cue.pk])
    asked = client.post(url)
    assert 'data-role="confirm"' in asked.content.decode()
    assert CuePhrase.objects.filter(pk=cue.pk).exists()
    done = client.post(url, {"confirm": "yes"})
    assert done.status_code == 302
    assert not CuePhrase.objects.filter(pk=cue.pk).exists()
