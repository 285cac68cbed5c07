"""Readable phrases from lexicon patterns (scenarios/cues/phrases.py)."""

from __future__ import annotations

import pytest

from scenarios.cues import recogniser_for
from scenarios.cues.phrases import expand, shown


def test_each_alternative_is_written_out_and_optional_parts_are_left_out():
    assert expand("(?:非常|很)?抱歉(?:让您|给您)久等") == ["抱歉让您久等", "抱歉给您久等"]
    assert expand("欢迎(?:光临|您)(?!下次)") == ["欢迎您", "欢迎光临"]


def test_a_gap_between_words_is_a_space_and_none_beside_chinese():
    assert expand(r"money[^.!?]{0,25}for review") == ["money for review"]
    assert shown(expand(r"退款[^,.!?]{0,6}到账")[0]) == "退款到账"
    assert shown(" ,ok? ") == "ok"


def test_what_cannot_be_written_out_gives_nothing():
    assert expand("[\u4e00-\u9fff]{2}在的") == []
    assert expand("(") == []  # not a regex at all


def test_sizes_and_i_are_shown_in_capitals():
    assert shown(" 推荐m ") == "推荐M"
    assert shown("i'm sorry") == "I'm sorry"
    assert shown("size up") == "size up"


def test_phrases_leave_out_the_instructors_own():
    from scenarios.cues import Recogniser

    custom = Recogniser.load("zh-hans", extra={"greet": ["包在小林身上"]})
    assert "包在小林身上" not in custom.phrases("greet")
    assert custom.phrases("greet") == recogniser_for("zh-hans").phrases("greet")


def test_an_unknown_move_is_an_error():
    with pytest.raises(ValueError, match="unknown move"):
        recogniser_for("zh-hans").phrases("wave")
