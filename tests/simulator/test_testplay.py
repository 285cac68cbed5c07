"""Test-play beside the editor: the pure engine in the request, its trace per turn, restart at
a state and a clock jump for silence; nothing stored as a student's attempt."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from scenarios import services
from scenarios.schema import parse_source
from simulator import testplay
from simulator.models import Conversation, Message, ScheduledAction
from tests.conftest import SCENARIO_DIR

P1 = (SCENARIO_DIR / "p1-coat-size.zh.yaml").read_text(encoding="utf-8")
SCRIPT = parse_source(P1)


@pytest.fixture
def own(teacher):
    return services.create_own_scenario(
        P1.replace("id: p1-coat-size\n", "id: my-coat\n"), owner=teacher
    )


@pytest.fixture
def teacher_client(client, teacher):
    client.force_login(teacher)
    return client


def token(page: str) -> str:
    return unescape(re.search(r'name="play" value="([^"]*)"', page).group(1))


def turn(client, own, **data) -> str:
    response = client.post(reverse("simulator:testplay", args=[own.scenario_id]), data)
    assert response.status_code == 200
    return response.content.decode()


# ------------------------------------------------------------------ the turns (no HTTP)


def test_the_customer_writes_first_with_a_timer():
    play = testplay.begin(SCRIPT, seed=7)

    [first] = play["turns"]
    assert first["kind"] == "begin"
    assert first["customer"][0]["text"] in SCRIPT.states["opening"].say
    assert first["customer"][0]["delay"] > 0  # shown, not waited for
    [timer] = first["timers"]
    assert timer["to"] == "nudge"
    assert timer["in"] == pytest.approx(first["customer"][0]["delay"] + 60 * 1.5, abs=0.1)


def test_a_message_shows_its_moves_with_evidence_the_transition_and_the_state():
    play = testplay.begin(SCRIPT, seed=7)
    text = "您好，请问您主要在什么场合穿呢？"
    found = services.recognise_draft(text, script=SCRIPT)

    play = testplay.say(play, SCRIPT, text, found)

    last = play["turns"][-1]
    moves = {m["move"]: m["evidence"] for m in last["moves"]}
    assert "ask_open" in moves
    assert all(e in text for e in moves["ask_open"])
    assert "".join(s["text"] for s in last["segments"]) == text
    assert any(s["moves"] for s in last["segments"])  # a span is marked as evidence
    assert last["from"] == "opening"
    assert last["transition"]["to"] == "reveal"
    assert last["transition"]["index"] == 1  # {on: [ask_open], to: reveal}
    assert last["state"]["node"] == "reveal"
    # The clock moved to when the customer's first line arrived, not to the typing start.
    assert last["at"] == pytest.approx(play["turns"][0]["customer"][0]["delay"], abs=0.1)


def test_a_message_no_transition_matches_leaves_the_customer_waiting():
    # Without its `any` fallback the opening answers only the moves it names.
    script = parse_source(P1.replace("      - {on: [any], to: doubt}\n", "", 1))
    play = testplay.begin(script, seed=7)

    text = "好的亲，我看看"  # no move in it
    play = testplay.say(play, script, text, services.recognise_draft(text, script=script))

    assert play["turns"][-1]["transition"] is None
    assert play["turns"][-1]["customer"] == []
    assert play["state"]["node"] == "opening"


def test_jumping_the_clock_fires_the_silence_timer():
    play = testplay.begin(SCRIPT, seed=7)

    play = testplay.jump(play, SCRIPT)

    last = play["turns"][-1]
    assert last["kind"] == "tick"
    assert last["transition"]["to"] == "nudge"
    assert "silence" in last["transition"]["label"] or "沉默" in last["transition"]["label"]
    assert play["state"]["node"] == "nudge"
    assert play["now"] == pytest.approx(play["turns"][0]["timers"][0]["in"], abs=0.1)


def test_restart_at_a_state_enters_it():
    play = testplay.begin(SCRIPT, seed=7, at="doubt")
    assert play["turns"][0]["kind"] == "restart"
    assert play["state"]["node"] == "doubt"
    assert play["turns"][0]["customer"][0]["text"] in SCRIPT.states["doubt"].say
    with pytest.raises(testplay.PlayError):
        testplay.begin(SCRIPT, at="nowhere")


def test_the_engine_state_is_shown_field_by_field_from_to_json():
    rows = dict(testplay.flatten({"node": "x", "mood": {"anger": 2}, "memory": {}, "seen": [1]}))
    assert rows == {"node": "x", "mood.anger": "2", "memory": "{}", "seen": "[1]"}


# ------------------------------------------------------------------ the pane (HTTP)


@pytest.mark.django_db
def test_a_test_play_to_an_ending_stores_nothing(teacher_client, own):
    page = turn(teacher_client, own, source=own.source)
    assert SCRIPT.states["opening"].say[0] in page or SCRIPT.states["opening"].say[1] in page

    for text in ("您好，请问您主要在什么场合穿呢？", "建议您拍驼色M码，肩宽40cm，里面穿毛衣也不紧"):
        page = turn(
            teacher_client, own, source=own.source, play=token(page), action="say", text=text
        )
    while 'data-role="ending"' not in page:
        page = turn(teacher_client, own, source=own.source, play=token(page), action="jump")

    assert 'data-role="ending"' in page
    assert page.count('data-role="trace"') >= 3
    assert 'data-move="ask_open"' in page
    assert 'data-move="recommend"' in page
    assert 'data-role="tp-text"' not in page  # an ended play takes no more messages
    assert Conversation.objects.count() == Message.objects.count() == 0
    assert ScheduledAction.objects.count() == 0


@pytest.mark.django_db
def test_the_unsaved_document_is_played(teacher_client, own):
    edited = own.source.replace(
        "在吗？这款大衣我160，52公斤，穿什么码合适呀？", "你好，测试一下新台词"
    )
    edited = edited.replace("你好，这件大衣我160/52kg，该拍哪个码呢？", "你好，测试一下新台词")
    page = turn(teacher_client, own, source=edited)
    assert "你好，测试一下新台词" in page


@pytest.mark.django_db
def test_a_document_with_errors_cannot_be_played(teacher_client, own):
    page = turn(teacher_client, own, source=own.source.replace("start: opening", "start: nowhere"))
    assert 'data-role="testplay-blocked"' in page
    assert 'data-role="turn"' not in page


@pytest.mark.django_db
def test_a_state_removed_while_playing_asks_for_a_restart(teacher_client, own):
    page = turn(teacher_client, own, source=own.source, action="restart", at="nudge")
    renamed = own.source.replace("  nudge:\n", "  nudge2:\n").replace("to: nudge}", "to: nudge2}")

    page = turn(teacher_client, own, source=renamed, play=token(page), action="jump")

    assert 'data-role="testplay-note"' in page
    assert "nudge" in page


@pytest.mark.django_db
def test_a_forged_token_starts_afresh(teacher_client, own):
    page = turn(teacher_client, own, source=own.source, action="restart", at="doubt")
    forged = token(page)[:-3] + "abc"

    fresh = turn(teacher_client, own, source=own.source, play=forged, action="say", text="您好")
    assert "tp-turn tp-restart" not in fresh  # the forged play at `doubt` was not taken
    assert "tp-turn tp-begin" in fresh
    assert fresh.count('data-role="turn"') == 1


@pytest.mark.django_db
def test_only_the_owner_test_plays(client, other_teacher, student, own, teacher):
    url = reverse("simulator:testplay", args=[own.scenario_id])
    for user in (other_teacher, student):
        client.force_login(user)
        assert client.post(url, {"source": own.source}).status_code == 404
    library, _status = services.store_scenario(P1)
    client.force_login(teacher)
    assert client.post(reverse("simulator:testplay", args=[library.scenario_id])).status_code == 404
