"""The speed rewrites (fastscan, gates, digit folding) find exactly what the plain regexes find."""

from __future__ import annotations

import re
from re import _parser as sre_parse

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.recogniser import dev_examples
from scenarios.cues import fastscan, prefilter, recogniser_for
from scenarios.cues.lexicon import LANGUAGES
from scenarios.cues.normalise import normalise


def plain_spans(patterns: list[str], text: str) -> list[tuple[int, int, int]]:
    """What the rules find as one alternation with a group per rule (the reference)."""
    alternation = re.compile("|".join(f"(?P<r{i}>{p})" for i, p in enumerate(patterns)))
    return [(m.start(), m.end(), int(m.lastgroup[1:])) for m in alternation.finditer(text)]  # type: ignore[index]


def bodies(language: str) -> list[str]:
    lexicon = recogniser_for(language).lexicon
    texts = [
        normalise(e.text, lexicon.typos, lexicon.typo_re).text
        for e in dev_examples()
        if e.language == language
    ]
    # Suffixes too: matches at the very start, boundaries and lookbehinds at the edge.
    return texts + [text[cut:] for text in texts for cut in (1, 2, 5) if len(text) > cut]


@pytest.mark.parametrize("language", LANGUAGES)
def test_unparse_gives_back_the_same_regex(language: str) -> None:
    for rule in recogniser_for(language).lexicon.rules:
        parsed = sre_parse.parse(rule.pattern)
        again = sre_parse.parse(fastscan.unparse(list(parsed)))
        assert repr(again.data) == repr(parsed.data), rule.name


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_scanner_finds_what_its_plain_alternation_finds(language: str) -> None:
    lexicon = recogniser_for(language).lexicon
    scanners = [*lexicon.scanners, lexicon.claims]
    for text in bodies(language):
        for scanner in scanners:
            assert scanner is not None
            expected = plain_spans([rule.pattern for rule in scanner.rules], text)
            if scanner.gate is not None and scanner.gate.search(text) is None:
                assert expected == [], (scanner.move, text)  # the gate is sound
                continue
            assert list(scanner.spans(text)) == expected, (scanner.move, text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_one_pass_scan_equals_the_scanners_one_by_one(language: str) -> None:
    lexicon = recogniser_for(language).lexicon
    assert lexicon.multi is not None
    merged = [s for s, slot in zip(lexicon.scanners, lexicon.multi_slots, strict=True) if slot >= 0]
    assert len(merged) >= len(lexicon.scanners) - 4  # most scanners share the one pass
    for text in bodies(language):
        found = lexicon.multi.scan(text)
        for scanner, slot in zip(lexicon.scanners, lexicon.multi_slots, strict=True):
            if slot >= 0:
                expected = plain_spans([rule.pattern for rule in scanner.rules], text)
                assert found.get(slot, []) == expected, (scanner.move, text)


REWRITES = [
    ["(?:非常|很)?抱歉", "(?:抱歉|对不起)[^.!?]{0,4}?久等"],
    ["(?<![不没])(?:放心|宽心)(?!不下)", "别(?:太)?(?:着急|急)"],
    [r"\b(?:i|we)(?:'d| would)? (?:recommend|suggest)\b", r"\bsorry\b|\bapolog(?:y|ies)\b"],
    [r"\d+(?:\.\d+)?折|满\d+减", r"(?=ab)a[bc]+|(?!ac)a\w"],
    [r"^\W*(?:不|没)(?:行|有)", r"[\u4e00-\u9fff]{2}在的|在呢"],
    [r"\b\$\d+ off\b|\b\d+% off", r"x{2,3}y|(?:ab|a)*c"],
]


@pytest.mark.parametrize("patterns", REWRITES)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_rewritten_rules_match_like_the_originals(patterns: list[str], data: st.DataObject) -> None:
    letters = set(re.sub(r"\\[a-zA-Z]|[^\w\s$%.'!?]", "", "".join(patterns)))
    alphabet = [*sorted(letters), " ", "!", "1", "好"]
    text = data.draw(st.text(alphabet=st.sampled_from(alphabet), max_size=24))
    scanner = fastscan.build(patterns)
    assert list(scanner.finditer(text)) == plain_spans(patterns, text)
    multi = fastscan.build_multi([patterns])
    if multi is not None:
        assert multi.scan(text).get(0, []) == plain_spans(patterns, text)


def test_leading_parts_are_rewritten_to_start_with_a_character() -> None:
    alternatives = fastscan.alternatives([r"(?:非常|很)?抱歉", r"\bsorry\b", r"(?<!不)放心"])
    assert [(first, boundary) for _, first, boundary, _ in alternatives] == [
        ("非", False),
        ("很", False),
        ("抱", False),
        ("s", True),
        ("放", False),
    ]
    # A wide leading class stays as written (scanned with the first-character prefilter).
    assert fastscan.alternatives([r"[\u4e00-\u9fff]{2}在的"])[0][1] is None


def test_question_gate_is_sound_on_the_dev_set() -> None:
    for language in LANGUAGES:
        recogniser = recogniser_for(language)
        gate = recogniser.lexicon.question_gate
        assert gate is not None
        for example in dev_examples():
            if example.language != language:
                continue
            body = normalise(
                example.text, recogniser.lexicon.typos, recogniser.lexicon.typo_re
            ).text
            kinds = [recogniser._question_kind(body[a:b]) for a, b in recogniser._sentences(body)]
            if any(kinds):
                assert gate.search(body), example.id


def test_required_literals_read_single_character_alternatives() -> None:
    assert set(prefilter.required_literals("(?:呢|呀)$") or ()) == {"呢", "呀"}


def test_other_script_digits_fold_to_ascii_with_exact_offsets() -> None:
    text = "满٣٠٠减３０！！"
    norm = normalise(text)
    assert norm.text == "满300减30!"
    recognition = recogniser_for("zh-hans").recognise(text)
    assert "negotiate" in recognition.moves
    for item in recognition.evidence:
        assert text[item.start : item.end] == item.text


def test_a_message_without_question_words_costs_no_question_evidence() -> None:
    recognition = recogniser_for("zh-hans").recognise("好的亲，已经给您补发了")
    assert not {"ask_open", "ask_closed"} & recognition.moves
    assert "resolve" in recognition.moves
