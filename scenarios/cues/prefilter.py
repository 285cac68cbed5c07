"""What a regex needs to match, read from its parse: the characters a match can start with
(`first_chars`, used by `fastscan` for the rules it cannot rewrite), the literals every match
contains (`required_literals`: the gates that skip a scan or the question classifier) and
whether every branch starts at a word boundary.

Each answer is a safe over-approximation ("any character", "no gate"), so a pattern this module
cannot read is still scanned, only without the shortcut; without `re._parser` (another
interpreter) every answer is that.
"""

from __future__ import annotations

import re

try:  # The parser is internal to `re`; without it the scanners simply run unfiltered.
    from re import _constants as sre_c
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - other interpreters
    sre_parse = None  # type: ignore[assignment]
    sre_c = None  # type: ignore[assignment]

_ANY = None  # "could start with any character"
NOTHING = r"(?!x)x"  # only anchored branches: no position after the first can start a match


def first_chars(pattern: str) -> tuple[str | None, bool]:
    """(a character-class regex of possible first characters or None for "any", whether
    the pattern may match at the start of the text only through a leading ^)."""
    if sre_parse is None:
        return _ANY, False
    try:
        parsed = sre_parse.parse(pattern)
    except re.error:
        return _ANY, False
    items: set[str] = set()
    state = {"start": False}
    nullable = _first(list(parsed), items, state)
    if nullable or items is None or "ANY" in items:
        return _ANY, state["start"]
    if not items:
        # Only anchored branches: nothing to scan for beyond position 0.
        return (NOTHING if state["start"] else _ANY), state["start"]
    return "[" + "".join(sorted(items)) + "]", state["start"]


def _first(seq: list, items: set[str], state: dict[str, bool]) -> bool:
    """Adds the first characters of a parsed sequence to `items`; returns True if nullable."""
    c = sre_c
    for op, av in seq:
        if op is c.LITERAL:
            items.add(re.escape(chr(av)))
            return False
        if op is c.NOT_LITERAL or op is c.ANY:
            items.add("ANY")
            return False
        if op is c.IN:
            if any(sub_op is c.NEGATE for sub_op, _ in av):
                items.add("ANY")
                return False
            for sub_op, sub_av in av:
                if sub_op is c.LITERAL:
                    items.add(re.escape(chr(sub_av)))
                elif sub_op is c.RANGE:
                    items.add(f"{re.escape(chr(sub_av[0]))}-{re.escape(chr(sub_av[1]))}")
                elif sub_op is c.CATEGORY:
                    items.add(CATEGORY_TEXT.get(sub_av, "ANY"))
                else:
                    items.add("ANY")
            return False
        if op is c.BRANCH:
            nullable = False
            for branch in av[1]:
                nullable |= _first(list(branch), items, state)
            if not nullable:
                return False
            continue
        if op is c.SUBPATTERN:
            if not _first(list(av[-1]), items, state):
                return False
            continue
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
            low, _high, body = av
            body_nullable = _first(list(body), items, state)
            if low > 0 and not body_nullable:
                return False
            continue
        if op is c.AT:
            if av is c.AT_BEGINNING or av is c.AT_BEGINNING_STRING:
                # Anchored at the text start: the caller also tries position 0.
                state["start"] = True
                return False
            continue  # \b and the like consume nothing
        if op in (c.ASSERT, c.ASSERT_NOT):
            continue  # lookarounds consume nothing
        if op is c.GROUPREF or op is c.GROUPREF_EXISTS:
            items.add("ANY")
            return False
        items.add("ANY")
        return False
    return True


# How each regex category is written back as text (shared with fastscan).
CATEGORY_TEXT = {}
if sre_c is not None:
    CATEGORY_TEXT = {
        sre_c.CATEGORY_DIGIT: r"\d",
        sre_c.CATEGORY_SPACE: r"\s",
        sre_c.CATEGORY_WORD: r"\w",
        sre_c.CATEGORY_NOT_DIGIT: r"\D",
        sre_c.CATEGORY_NOT_SPACE: r"\S",
        sre_c.CATEGORY_NOT_WORD: r"\W",
    }


def required_literals(pattern: str) -> tuple[str, ...] | None:
    """Literal strings of which every match must contain at least one, or None when some
    branch has no mandatory literal. A message containing none of them cannot match, so the
    scanner is skipped with one cheap search."""
    if sre_parse is None:
        return None
    try:
        parsed = sre_parse.parse(pattern)
    except re.error:
        return None
    found = _required(list(parsed))
    return tuple(sorted(found)) if found else None


def _required(seq: list) -> set[str] | None:
    c = sre_c
    best: set[str] | None = None
    run: list[str] = []

    def score(options: set[str]) -> int:
        return min(len(option) for option in options)

    def offer(options: set[str] | None) -> None:
        nonlocal best
        if options and (best is None or score(options) > score(best)):
            best = options

    for op, av in seq:
        if op is c.LITERAL:
            run.append(chr(av))
            continue
        if run:
            offer({"".join(run)})
            run = []
        if op is c.SUBPATTERN:
            offer(_required(list(av[-1])))
        elif op is c.IN and av and all(sub_op is c.LITERAL for sub_op, _ in av):
            offer({chr(sub_av) for _, sub_av in av})  # (?:呢|呀) parses as [呢呀]
        elif op is c.BRANCH:
            union: set[str] = set()
            for branch in av[1]:
                options = _required(list(branch))
                if not options:
                    union = set()
                    break
                union |= options
            offer(union or None)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] > 0:
            offer(_required(list(av[2])))
    if run:
        offer({"".join(run)})
    return best


def starts_at_word_boundary(pattern: str) -> bool:
    """True when every branch of `pattern` begins with \\b: the scanner can then test the
    boundary once per position instead of once per branch."""
    if sre_parse is None:
        return False
    try:
        parsed = sre_parse.parse(pattern)
    except re.error:
        return False
    return _boundary_first(list(parsed))


def _boundary_first(seq: list) -> bool:
    c = sre_c
    if not seq:
        return False
    op, av = seq[0]
    if op is c.AT:
        return av is c.AT_BOUNDARY
    if op is c.SUBPATTERN:
        return _boundary_first(list(av[-1]))
    if op is c.BRANCH:
        return all(_boundary_first(list(branch)) for branch in av[1])
    return False
