"""A rule family from the new-user walk-through (2026-12-03): contempt for the customer's
concern ("你这人怎么这么多事", "不就是颜色吗") was read as polite. Every case was invented
for this test (none is a labelled message); negatives pin what must not fire."""

from __future__ import annotations

import pytest

from scenarios.cues import recogniser_for

ZH = recogniser_for("zh-hans")
EN = recogniser_for("en")


@pytest.mark.parametrize(
    "text",
    [
        "你这人怎么这么多事，不就是颜色吗",
        "您这人事儿真多",
        "有完没完啊，都说了明天发",
        "不就是晚了一天嘛，至于吗",
        "多大点事啊",
        "不就差一个色号吗",
    ],
)
def test_contempt_for_the_customers_concern_is_rude(text):
    assert "rude" in ZH.recognise(text, context="颜色发错了，我周末要穿的", turn=3).moves


@pytest.mark.parametrize(
    "text",
    [
        "不就是想周末穿吗？我们今天顺丰给您补发，明天就能到",
        "您放心，这事我们一定负责到底",
        "这件事我马上帮您处理",
        "不就是这件吗？我这就给您换",
    ],
)
def test_a_question_that_takes_the_concern_on_is_not_rude(text):
    assert "rude" not in ZH.recognise(text, context="颜色发错了，我周末要穿的", turn=3).moves


@pytest.mark.parametrize(
    "text",
    ["Why are you making such a fuss? It's just a colour.", "It's not a big deal, is it?"],
)
def test_english_contempt_for_the_concern_is_rude(text):
    assert "rude" in EN.recognise(text, context="You sent the wrong colour!", turn=3).moves
