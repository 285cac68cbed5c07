"""Lexicon files: every phrase is found in sentence context, and bad lexicons fail loudly."""

from __future__ import annotations

import re
from re import _constants as sre_c
from re import _parser as sre_parse

import pytest

from scenarios.cues import MOVES, LexiconError, Recogniser, ShopFacts, recogniser_for
from scenarios.cues.lexicon import LANGUAGES, LEXICON_DIR, canonical_language, read_lexicon_file
from scenarios.cues.types import MOVE_ORDER

# Customer messages that satisfy each rule's `if_context`, tried in turn.
CONTEXTS = {
    "zh-hans": [
        None,
        "在吗",
        "能便宜点吗",
        "东西坏了，怎么回事",
        "明天能到吗？",
        "补发的不会再坏吧？",
        "黑色还是驼色，哪个好看？",
        "好的，谢谢",
    ],
    "en": [
        None,
        "hi",
        "can you do a discount?",
        "it arrived broken",
        "will it arrive by Friday?",
        "ok thanks",
    ],
}
SENTENCE = {"zh-hans": "亲，{}。", "en": "{}."}
STRICT = ShopFacts(compensation_limit=0, shipping_upgrades=("SF +12",), special_invoice=False)


def literal_alternatives(pattern: str, limit: int = 12) -> list[str]:
    """The phrases a pattern spells out: each top-level alternative expanded over its small
    choices ((?:您|你)好 → 您好, 你好; optional parts both ways), at most `limit` per
    alternative; alternatives with open-ended parts ([^,]{0,8}, \\d+) are skipped."""
    items = list(sre_parse.parse(pattern))
    branches = items[0][1][1] if len(items) == 1 and items[0][0] is sre_c.BRANCH else [items]
    found: list[str] = []
    for branch in branches:
        words = _expand(list(branch), limit)
        if words:
            found.extend(word for word in words[:limit] if word.strip())
    return found


def _expand(ops: list, limit: int) -> list[str] | None:
    words = [""]
    for op, av in ops:
        if op is sre_c.LITERAL:
            options = [chr(av)]
        elif op is sre_c.SUBPATTERN:
            options = _expand(list(av[-1]), limit)
        elif op is sre_c.BRANCH:
            options = []
            for branch in av[1]:
                sub = _expand(list(branch), limit)
                if sub is None:
                    return None
                options.extend(sub)
        elif op is sre_c.MAX_REPEAT and av[0] == 0 and av[1] == 1:
            sub = _expand(list(av[2]), limit)
            if sub is None:
                return None
            options = ["", *sub]
        elif op is sre_c.IN and all(kind is sre_c.LITERAL for kind, _ in av) and len(av) <= 4:
            options = [chr(value) for _, value in av]
        elif op in (sre_c.AT, sre_c.ASSERT, sre_c.ASSERT_NOT):
            if op is sre_c.AT and av is not sre_c.AT_BOUNDARY:
                return None
            options = [""]
        else:
            return None
        if options is None:
            return None
        # Keep the combinations bounded but spread over every choice of the last part.
        words = [word + option for option in options for word in words][: limit * 4]
    return words


def cases() -> list[tuple[str, str, str, str]]:
    result = []
    for language in LANGUAGES:
        recogniser = recogniser_for(language)
        for rule in recogniser.lexicon.rules:
            phrases = [*rule.phrases, *rule.examples]
            phrases.extend(literal_alternatives(rule.pattern))
            for phrase in dict.fromkeys(phrases):
                result.append((language, rule.move, rule.name, phrase))
    return result


CASES = cases()


def test_the_lexicons_have_literal_phrases_to_check() -> None:
    assert len(CASES) > 500


@pytest.mark.parametrize(("language", "move", "rule", "phrase"), CASES)
def test_every_lexicon_phrase_is_found_in_sentence_context(
    language: str, move: str, rule: str, phrase: str
) -> None:
    recogniser = recogniser_for(language)
    lexicon_rule = next(r for r in recogniser.lexicon.rules if r.name == rule)
    template = lexicon_rule.probe or SENTENCE[language]
    text = phrase if phrase in lexicon_rule.examples else template.format(phrase)
    found = any(
        move in recogniser.recognise(text, facts=STRICT, context=context).moves
        for context in CONTEXTS[language]
    )
    assert found, f"{rule}: {text!r}"


def test_every_move_has_rules_in_every_language() -> None:
    for language in LANGUAGES:
        covered = {rule.move for rule in recogniser_for(language).lexicon.rules}
        # Questions are found by form; their lexicon rules are optional extras.
        assert set(MOVES) - {"ask_open", "ask_closed"} <= covered, language


def test_lexicon_files_declare_their_language() -> None:
    for language in LANGUAGES:
        assert read_lexicon_file(language)["language"] == language


def test_instructor_phrases_extend_a_move() -> None:
    base = Recogniser.load("zh-hans")
    extended = Recogniser.load(
        "zh-hans", extra={"empathise": ["这也太倒霉了吧"], "farewell": ["回头见啦"]}
    )
    assert "empathise" not in base.recognise("哎，这也太倒霉了吧").moves
    recognition = extended.recognise("哎，这也太倒霉了吧")
    assert "empathise" in recognition.moves
    assert recognition.evidence_for("empathise")[0].rule == "extra.empathise"
    assert "farewell" in extended.recognise("好的，回头见啦！").moves


def test_instructor_phrases_are_literal_text_not_regex() -> None:
    extended = Recogniser.load("en", extra={"rude": ["a.b (c)"]})
    assert "rude" in extended.recognise("well a.b (c) then").moves
    assert "rude" not in extended.recognise("well axb c then").moves


def test_instructor_promise_phrases_respect_negation() -> None:
    extended = Recogniser.load("zh-hans", extra={"promise": ["包您满意"]})
    assert "promise" in extended.recognise("包您满意").moves
    assert "promise" not in extended.recognise("不敢说包您满意").moves


def test_unknown_move_in_extra_phrases_is_rejected() -> None:
    with pytest.raises(LexiconError):
        Recogniser.load("zh-hans", extra={"bargain": ["便宜"]})


def test_unknown_language_is_rejected_and_aliases_resolve() -> None:
    with pytest.raises(ValueError, match="no cue lexicon"):
        recogniser_for("fr")
    assert recogniser_for("zh-CN").language == "zh-hans"
    assert recogniser_for("en-GB").language == "en"


def test_a_broken_lexicon_names_the_place() -> None:
    data = {"language": "xx", "moves": {"greet": [{"rule": "bad", "patterns": ["(unclosed"]}]}}
    with pytest.raises(LexiconError, match="greet"):
        Recogniser.from_mapping(data)
    with pytest.raises(LexiconError, match="unknown move"):
        Recogniser.from_mapping({"language": "xx", "moves": {"hello": []}})


def test_typo_fixes_must_keep_the_length() -> None:
    with pytest.raises(LexiconError, match="length"):
        Recogniser.from_mapping({"language": "xx", "typos": {"抱欠了": "抱歉"}, "moves": {}})


def test_move_order_is_the_vocabulary_order() -> None:
    assert list(MOVE_ORDER) == list(MOVES)
    assert re.fullmatch(r"[a-z_]+", "".join(MOVES))


def test_the_languages_are_the_lexicon_files() -> None:
    files = sorted(path.stem for path in LEXICON_DIR.glob("*.yaml"))
    assert list(LANGUAGES) == files
    assert canonical_language("zh-CN") == "zh-hans"
    assert canonical_language("en-GB") == "en"
    with pytest.raises(ValueError, match="no cue lexicon"):
        canonical_language("fr")


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_move_has_a_translated_label(language: str) -> None:
    from django.utils import translation

    from scenarios.messages import MOVE_LABELS

    assert set(MOVE_LABELS) == set(MOVES)
    with translation.override(language):
        labels = [str(MOVE_LABELS[move]) for move in MOVES]
    assert len(set(labels)) == len(MOVES)  # no two moves share a label
    if language == "zh-hans":
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in label) for label in labels), labels
