"""The contract of the optional fast path: the recogniser gives exactly the same recognition
(moves, evidence spans and rules, claims) with `fastscan` as with plain `re.finditer` over
each move's alternation, on the development set and on random text from the lexicon's own
characters. The plain path is the meaning; the fast one only has to agree with it."""

from __future__ import annotations

import re
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.recogniser import dev_examples
from scenarios.cues import Recogniser, recogniser_for
from scenarios.cues.lexicon import LANGUAGES


@cache
def plain(language: str) -> Recogniser:
    return Recogniser.load(language, fast=False)


def test_the_plain_path_uses_no_rewrite_and_the_shipped_one_does():
    for language in LANGUAGES:
        lexicon = plain(language).lexicon
        assert lexicon.multi is None
        assert all(scanner.fast is None for scanner in lexicon.scanners)
        shipped = recogniser_for(language).lexicon
        assert shipped.multi is not None
        assert all(scanner.fast is not None for scanner in shipped.scanners)


@pytest.mark.parametrize("language", LANGUAGES)
def test_fast_and_plain_paths_agree_on_the_development_set(language):
    fast, slow = recogniser_for(language), plain(language)
    examples = [e for e in dev_examples() if e.language == language]
    assert examples
    for example in examples:
        for turn in (None, 1, 3):
            kwargs = {"context": example.context or None, "facts": example.facts, "turn": turn}
            assert fast.recognise(example.text, **kwargs) == slow.recognise(
                example.text, **kwargs
            ), example.id


@cache
def alphabet(language: str) -> list[str]:
    """Characters and short words the lexicon's patterns are made of, plus punctuation."""
    source = " ".join(rule.pattern for rule in recogniser_for(language).lexicon.rules)
    if language == "en":
        words = sorted(set(re.findall(r"[a-z']{2,}", source)))[:400]
        return [*words, " ", " ", ",", ".", "?", "!", "1", "12"]
    chars = sorted(set(re.findall(r"[\u4e00-\u9fff]", source)))
    return [*chars, " ", ",", "。", "?", "!", "吗", "呢", "1", "m"]


@pytest.mark.parametrize("language", LANGUAGES)
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_fast_and_plain_paths_agree_on_random_text(language, data):
    pieces = data.draw(st.lists(st.sampled_from(alphabet(language)), max_size=30))
    joiner = " " if language == "en" else ""
    text = joiner.join(pieces)
    context = data.draw(st.sampled_from([None, "thanks!", "东西坏了怎么办", "在吗", "能便宜点吗?"]))
    fast, slow = recogniser_for(language), plain(language)
    assert fast.recognise(text, context=context) == slow.recognise(text, context=context)
