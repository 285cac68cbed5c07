"""Readable phrases from a lexicon's patterns, for teachers who never read a regex.

The shipped lexicons are mostly small regexes ("(?:非常|很)?抱歉(?:让您|给您)?久等"). A teacher
looking at a move wants the words it catches: `expand` turns a pattern into a few concrete
strings it matches (each alternative at least once, optional parts left out, lookarounds
dropped); whatever cannot be written out (a character range, "any character") drops that
string. The recogniser checks each string against its rule before it is shown.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import islice

try:  # The parser is internal to `re` (as in prefilter.py); without it nothing is expanded.
    from re import _constants as sre_c
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - other interpreters
    sre_parse = None  # type: ignore[assignment]
    sre_c = None  # type: ignore[assignment]

# Strings per pattern node: enough to show every alternative of a typical rule, never a blow-up.
LIMIT = 24


def expand(pattern: str, limit: int = LIMIT) -> list[str]:
    """Concrete strings `pattern` may match, shortest alternatives first; [] when none can be
    written out."""
    if sre_parse is None:
        return []
    try:
        parsed = sre_parse.parse(pattern)
    except re.error:
        return []
    found = _sequence(list(parsed), limit)
    return list(dict.fromkeys(found or []))


def _sequence(items: list, limit: int) -> list[str] | None:
    """Each item's options joined in turn. Not the full product: the i-th string takes the
    i-th option of every item (cycling), so each alternative shows up once."""
    strings = [""]
    for op, av in items:
        options = _options(op, av, limit)
        if options is None:
            return None
        if options == [""]:
            continue
        width = min(limit, max(len(strings), len(options)))
        strings = [strings[i % len(strings)] + options[i % len(options)] for i in range(width)]
    return strings


def _options(op, av, limit: int) -> list[str] | None:
    c = sre_c
    if op is c.LITERAL:
        return [chr(av)]
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return [""]  # anchors and lookarounds match no text; the rule's own check decides
    if op is c.SUBPATTERN:
        return _sequence(list(av[-1]), limit)
    if op is c.BRANCH:
        found: list[str] = []
        for branch in av[1]:
            found += _sequence(list(branch), limit) or []
        found.sort(key=len)
        return list(islice(dict.fromkeys(found), limit)) or None
    if op is c.CATEGORY:
        return [" "] if av is c.CATEGORY_SPACE else None
    if op is c.IN:
        if _is_space(op, av):
            return [" "]
        chars = [chr(sub_av) for sub_op, sub_av in av if sub_op is c.LITERAL]
        if len(chars) != len(av):
            return None  # a range, a category or a negation: no one character to show
        return chars[:2]
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
        low, _high, sub = av
        if low == 0:
            # Optional parts are left out, but a gap between words (`\s*`, `[^.!?]{0,30}`)
            # stays a space: "100% ship", not "100%ship".
            return [" "] if len(sub) == 1 and _is_gap(*next(iter(sub))) else [""]
        inner = _sequence(list(sub), limit)
        if inner is None or low > 3:
            return None
        return [option * low for option in inner]
    return None  # ANY, NOT_LITERAL, CATEGORY, GROUPREF and the like


# A size reads as written on a product page (推荐M, "take L"), and "I" as in English.
_SIZES = re.compile(r"(?<![a-z'])(?:xxxl|xxl|2xl|3xl|xl|xxs|xs|s|m|l|i)(?![a-z])")


def _is_space(op, av) -> bool:
    c = sre_c
    if op is c.CATEGORY:
        return av is c.CATEGORY_SPACE
    if op is c.LITERAL:
        return chr(av).isspace()
    if op is c.IN:
        return all(_is_space(sub_op, sub_av) for sub_op, sub_av in av)
    return False


def _is_gap(op, av) -> bool:
    c = sre_c
    negated = op is c.IN and any(sub_op is c.NEGATE for sub_op, _ in av)
    return negated or op is c.ANY or _is_space(op, av)


_CJK = "\u4e00-\u9fff"
_SPACE_BY_CJK = re.compile(f"(?<=[{_CJK}]) +| +(?=[{_CJK}])")


def shown(text: str) -> str:
    """How an expanded phrase is shown: no punctuation or space at its ends, one space between
    words and none beside Chinese, sizes in capitals (the lexicon matches lower case and any
    spacing, so the phrase still matches)."""
    text = " ".join(text.split())
    text = _SPACE_BY_CJK.sub("", text).strip(" ,.;:!?，。、")
    return _SIZES.sub(lambda m: m.group().upper(), text)


def readable(text: str) -> bool:
    """A phrase worth showing: two or more characters with at least one letter."""
    stripped = text.strip()
    return len(stripped) >= 2 and any(unicodedata.category(ch).startswith("L") for ch in stripped)
