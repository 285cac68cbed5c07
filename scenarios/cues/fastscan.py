"""Rewrites a move's rules into one regex that Python's `re` scans at C speed.

`re` skips ahead in C only when every top-level alternative starts with a literal character:
it then jumps to the positions holding one of those characters and rejects an alternative by
comparing one character. Lexicon rules rarely look like that ("(?:非常|很)?抱歉", "\\b(?:i|we)
…"), so this module rewrites each rule, without changing what it matches:

* leading optional parts and alternatives are distributed: `(?:非常|很)?抱歉` → `非常抱歉|很抱歉|抱歉`
  (same order, so the same leftmost-first choice);
* a leading `\\b`, lookbehind or lookahead moves behind the first character: `\\bsorry` →
  `s(?<!\\ws)orry`, `(?<![不没])放心` → `放(?<![不没]放)心`;
* alternatives are then grouped by their first character (alternatives with different first
  characters can never match at the same position, so only the order within a group matters);
* an empty named group at the end of each alternative (`(?P<a12>)`) says which rule matched.

Alternatives that cannot be rewritten (a leading `[^…]`, `\\d`, `.` or a wide range) go into a
second, "raw" regex scanned with the first-character prefilter; the recogniser merges the two
scans so the result is exactly that of the original alternation (checked in the tests).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from scenarios.cues import prefilter

try:
    from re import _constants as sre_c
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - other interpreters
    sre_parse = None  # type: ignore[assignment]
    sre_c = None  # type: ignore[assignment]

# Without the parser (another interpreter) the lexicon is scanned with plain `re.finditer`.
AVAILABLE = sre_parse is not None

# A rule expands into at most this many literal-led alternatives; past it, it stays raw.
MAX_EXPANSION = 96
# A leading character class expands into one alternative per character up to this size.
MAX_CLASS = 12


# Compiled regexes by pattern text: a lexicon compiled again with an instructor's phrases
# shares most of its regexes with the base one, so only the changed ones are compiled.
_compile = lru_cache(maxsize=8192)(re.compile)


class _Unsupported(Exception):
    """The pattern uses syntax this rewriter does not handle; the rule is kept as written."""


# -- unparsing: a parsed regex back to pattern text ---------------------------------------------


def _esc(char: str) -> str:
    return re.escape(char)


def unparse(seq: list) -> str:
    """Pattern text for a parsed sequence (`re._parser` items). Raises _Unsupported."""
    return "".join(_item(op, av) for op, av in seq)


def _atomic(seq: list) -> str:
    text = unparse(seq)
    if len(seq) == 1 and seq[0][0] in (sre_c.LITERAL, sre_c.NOT_LITERAL, sre_c.IN, sre_c.ANY):
        return text
    return f"(?:{text})"


def _class_items(items: list) -> str:
    c = sre_c
    out = []
    for op, av in items:
        if op is c.NEGATE:
            out.insert(0, "^")
        elif op is c.LITERAL:
            out.append(_esc(chr(av)))
        elif op is c.RANGE:
            out.append(f"{_esc(chr(av[0]))}-{_esc(chr(av[1]))}")
        elif op is c.CATEGORY:
            out.append(prefilter.CATEGORY_TEXT[av])
        else:
            raise _Unsupported(op)
    return "[" + "".join(out) + "]"


def _item(op, av) -> str:  # one branch per regex construct
    c = sre_c
    if op is c.LITERAL:
        return _esc(chr(av))
    if op is c.NOT_LITERAL:
        return f"[^{_esc(chr(av))}]"
    if op is c.ANY:
        return "."
    if op is c.IN:
        return _class_items(list(av))
    if op is c.BRANCH:
        return "(?:" + "|".join(unparse(list(branch)) for branch in av[1]) + ")"
    if op is c.SUBPATTERN:
        group, add_flags, del_flags, body = av
        if group is not None or add_flags or del_flags:
            raise _Unsupported("group or flags")
        return f"(?:{unparse(list(body))})"
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        low, high, body = av
        if (low, high) == (0, 1):
            quant = "?"
        elif (low, high) == (0, c.MAXREPEAT):
            quant = "*"
        elif (low, high) == (1, c.MAXREPEAT):
            quant = "+"
        elif high == c.MAXREPEAT:
            quant = f"{{{low},}}"
        elif low == high:
            quant = f"{{{low}}}"
        else:
            quant = f"{{{low},{high}}}"
        if op is c.MIN_REPEAT:
            quant += "?"
        elif op is c.POSSESSIVE_REPEAT:
            quant += "+"
        return _atomic(list(body)) + quant
    if op is c.AT:
        if av not in _AT_TEXT:
            raise _Unsupported(av)
        return _AT_TEXT[av]
    if op in (c.ASSERT, c.ASSERT_NOT):
        direction, body = av
        head = {(c.ASSERT, 1): "(?=", (c.ASSERT, -1): "(?<=", (c.ASSERT_NOT, 1): "(?!"}.get(
            (op, direction), "(?<!"
        )
        return head + unparse(list(body)) + ")"
    if op is c.ATOMIC_GROUP:
        return f"(?>{unparse(list(av))})"
    raise _Unsupported(op)


_AT_TEXT = {}
if sre_c is not None:
    _AT_TEXT = {
        sre_c.AT_BEGINNING: "^",
        sre_c.AT_BEGINNING_STRING: r"\A",
        sre_c.AT_END: "$",
        sre_c.AT_END_STRING: r"\Z",
        sre_c.AT_BOUNDARY: r"\b",
        sre_c.AT_NON_BOUNDARY: r"\B",
    }


# -- expansion into literal-led alternatives ---------------------------------------------------


def _lead(seq: list, budget: list[int]) -> list[tuple[bool, list]]:
    """Alternatives (in match-preference order) that together match exactly what `seq`
    matches: (True, items) starts with a literal character, (False, items) could not be
    rewritten and is kept as written."""
    budget[0] -= 1
    if budget[0] < 0:
        raise _Unsupported("too many alternatives")
    c = sre_c
    if not seq:
        return [(False, seq)]
    op, av = seq[0]
    rest = seq[1:]
    if op is c.LITERAL:
        return [(True, seq)]
    if op is c.SUBPATTERN:
        group, add_flags, del_flags, body = av
        if group is not None or add_flags or del_flags:
            return [(False, seq)]
        return _lead(list(body) + rest, budget)
    if op is c.BRANCH:
        out: list[tuple[bool, list]] = []
        for branch in av[1]:
            out.extend(_lead(list(branch) + rest, budget))
        return out
    if op in (c.MAX_REPEAT, c.MIN_REPEAT):
        low, high, body = av
        body = list(body)
        if sre_parse.SubPattern(sre_parse.State(), body).getwidth()[0] == 0:
            return [(False, seq)]
        if low > 0:
            # X{m,n} == X X{m-1,n-1}, with the same backtracking order.
            tail = (op, (low - 1, high if high == c.MAXREPEAT else high - 1, body))
            more = [tail] if high != 1 else []
            return _lead(body + more + rest, budget)
        if high == 0:
            return _lead(rest, budget)
        # X{0,n} == (?:X X{0,n-1})? : greedy tries the repetition first, lazy last.
        tail = (op, (0, high if high == c.MAXREPEAT else high - 1, body))
        more = [tail] if high != 1 else []
        taken = _lead(body + more + rest, budget)
        skipped = _lead(rest, budget)
        return taken + skipped if op is c.MAX_REPEAT else skipped + taken
    if op is c.IN:
        chars = _class_chars(list(av))
        if chars is None:
            return [(False, seq)]
        out = []
        for char in chars:
            out.extend(_lead([(c.LITERAL, ord(char)), *rest], budget))
        return out
    if op is c.AT and av is c.AT_BOUNDARY:
        return [
            (True, _behind(alt, [], word_boundary=True)) if led else (False, [seq[0], *alt])
            for led, alt in _lead(rest, budget)
        ]
    if op in (c.ASSERT, c.ASSERT_NOT):
        direction, body = av
        body = list(body)
        # (?=Y)cR == c(?<=(?=Y)c)R: the lookahead runs from the same place.
        inner = [(op, (1, body))] if direction == 1 else body
        return [
            (True, _behind(alt, inner, negative=op is c.ASSERT_NOT))
            if led
            else (False, [seq[0], *alt])
            for led, alt in _lead(rest, budget)
        ]
    return [(False, seq)]


def _behind(alt: list, before: list, negative: bool = False, word_boundary: bool = False) -> list:
    """`alt` (literal-led) with a zero-width check moved behind its first character."""
    c = sre_c
    first = alt[0]
    char = chr(first[1])
    if word_boundary:
        # \b before a word character: the one before is not a word character (or none).
        word = [(c.IN, [(c.CATEGORY, c.CATEGORY_WORD)])]
        is_word = re.fullmatch(r"\w", char) is not None
        check = (c.ASSERT_NOT if is_word else c.ASSERT, (-1, [*word, first]))
    else:
        if before and before[0][0] in (c.ASSERT, c.ASSERT_NOT) and before[0][1][0] == 1:
            # A lookahead: keep its own sign, wrapped in a positive one-character lookbehind.
            sign = c.ASSERT_NOT if before[0][0] is c.ASSERT_NOT else c.ASSERT
            check = (sign, (-1, [(c.ASSERT, before[0][1]), first]))
        else:
            check = (c.ASSERT_NOT if negative else c.ASSERT, (-1, [*before, first]))
    return [first, check, *alt[1:]]


def _class_chars(items: list) -> list[str] | None:
    c = sre_c
    chars: list[str] = []
    for op, av in items:
        if op is c.LITERAL:
            chars.append(chr(av))
        elif op is c.RANGE and av[1] - av[0] < MAX_CLASS:
            chars.extend(chr(code) for code in range(av[0], av[1] + 1))
        elif op is c.CATEGORY and av is c.CATEGORY_DIGIT:
            # Normalised text holds ASCII digits only (normalise folds the others).
            chars.extend("0123456789")
        else:
            return None
    if len(chars) > MAX_CLASS:
        return None
    return list(dict.fromkeys(chars))


# -- the scanner ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FastPattern:
    """One regex of literal-led alternatives (C-speed scan) plus the rest, scanned raw.

    `owner[k]` is the rule index of alternative `a<k>`; alternative numbers follow the
    original order, so between the two scans the lower number wins a shared position."""

    fast: re.Pattern[str] | None
    raw: re.Pattern[str] | None
    raw_trigger: re.Pattern[str] | None
    owner: tuple[int, ...]
    at_start: re.Pattern[str] | None  # the full alternation, tried at position 0
    raw_gate: re.Pattern[str] | None = None  # one of these literals is in every raw match

    def finditer(self, text: str) -> Iterator[tuple[int, int, int]]:
        """(start, end, rule index) of each match, leftmost first, never overlapping: the same
        as `re.finditer` over the original alternation of the rules."""
        position = 0
        owner = self.owner
        if self.at_start is not None:
            match = self.at_start.match(text)
            if match is not None:
                yield match.start(), match.end(), owner[int(match.lastgroup[1:])]  # type: ignore[index]
                position = max(match.end(), 1)
            else:
                position = 1
            if position > len(text):
                return
        fast, raw = self.fast, self.raw
        if raw is not None and self.raw_gate is not None and self.raw_gate.search(text) is None:
            raw = None
        if raw is None:
            if fast is None:
                return
            search = fast.search
            match = search(text, position)
            while match is not None:
                start, end = match.span()
                yield start, end, owner[int(match.lastgroup[1:])]  # type: ignore[index]
                match = search(text, end if end > start else start + 1)
            return
        while position <= len(text):
            one = fast.search(text, position) if fast is not None else None
            two = self._raw_search(raw, text, position)
            if one is None and two is None:
                return
            if two is None or (
                one is not None
                and (
                    one.start() < two.start()
                    or (
                        one.start() == two.start()
                        and int(one.lastgroup[1:]) < int(two.lastgroup[1:])  # type: ignore[index]
                    )
                )
            ):
                match = one
            else:
                match = two
            start, end = match.span()  # type: ignore[union-attr]
            yield start, end, owner[int(match.lastgroup[1:])]  # type: ignore[union-attr,index]
            position = end if end > start else start + 1

    def _raw_search(self, raw: re.Pattern[str], text: str, position: int) -> re.Match[str] | None:
        trigger = self.raw_trigger
        if trigger is None:
            return raw.search(text, position)
        for candidate in trigger.finditer(text, position):
            match = raw.match(text, candidate.start())
            if match is not None:
                return match
        return None


def build(patterns: list[str]) -> FastPattern:
    """The fast scanner for rule patterns in order (rule index = position in `patterns`)."""
    alternatives: list[tuple[str, str | None, bool, int]] = []  # (text, first, \b, rule)
    for index, pattern in enumerate(patterns):
        for text, first, boundary in _rule_alternatives(pattern):
            alternatives.append((text, first, boundary, index))
    owner = tuple(alt[3] for alt in alternatives)
    # A first character led by \b in every alternative can share one \b check up front.
    mixed = {first for _, first, boundary, _ in alternatives if first is not None and not boundary}
    # Alternatives with different first characters never compete for a position: group them
    # by that character (keeping their order) and factor it out.
    after_boundary: dict[str, list[str]] = {}
    plain: dict[str, list[str]] = {}
    raw_parts: list[str] = []
    anchored = False
    for number, (text, first, boundary, _) in enumerate(alternatives):
        if first is None:
            chars, at_start = prefilter.first_chars(text)
            anchored = anchored or at_start
            if chars != prefilter.NOTHING:  # not only at the start: scanned raw
                raw_parts.append(f"(?:{text})(?P<a{number}>)")
        elif boundary and first not in mixed:
            after_boundary.setdefault(first, []).append(f"{text}(?P<a{number}>)")
        elif boundary:
            check = f"(?<!\\w{_esc(first)})"
            plain.setdefault(first, []).append(f"{check}{text}(?P<a{number}>)")
        else:
            plain.setdefault(first, []).append(f"{text}(?P<a{number}>)")
    branches = [_factor(plain)] if plain else []
    if after_boundary:
        branches.insert(0, f"\\b(?:{_factor(after_boundary)})")
    fast = _compile("|".join(branches)) if branches else None
    raw = _compile("|".join(raw_parts)) if raw_parts else None
    raw_trigger = raw_gate = None
    if raw is not None:
        chars, _ = prefilter.first_chars(raw.pattern)
        if chars is not None and sum(ch.isascii() and ch.isalpha() for ch in chars) < 8:
            raw_trigger = _compile(chars)
        literals = prefilter.required_literals(raw.pattern)
        if literals:
            raw_gate = _compile("|".join(map(re.escape, sorted(literals, key=len, reverse=True))))
    at_start = None
    if anchored:
        at_start = _compile(
            "|".join(
                f"(?:{_lead_text(first, boundary)}{text})(?P<a{number}>)"
                for number, (text, first, boundary, _) in enumerate(alternatives)
            )
        )
    return FastPattern(fast, raw, raw_trigger, owner, at_start, raw_gate)


def _lead_text(first: str | None, boundary: bool) -> str:
    if first is None:
        return ""
    return ("\\b" if boundary else "") + _esc(first)


def _factor(groups: dict[str, list[str]]) -> str:
    return "|".join(
        _esc(first) + (f"(?:{'|'.join(items)})" if len(items) > 1 else items[0])
        for first, items in groups.items()
    )


@lru_cache(maxsize=4096)
def _rule_alternatives(pattern: str) -> list[tuple[str, str | None, bool]]:
    """The rule's top-level branches: (the text after the first character, that character,
    whether a word boundary comes first) for each literal-led rewrite, (the branch, None,
    False) for a branch kept as written."""
    if sre_parse is None:
        return [(pattern, None, False)]
    try:
        parsed = sre_parse.parse(pattern)
    except re.error:
        return [(pattern, None, False)]
    if parsed.state.flags & ~sre_c.SRE_FLAG_UNICODE or parsed.state.groups > 1:
        return [(pattern, None, False)]
    seq = list(parsed)
    if len(seq) == 1 and seq[0][0] is sre_c.BRANCH:
        branches = [list(branch) for branch in seq[0][1][1]]
    else:
        branches = [seq]
    out: list[tuple[str, str | None, bool]] = []  # a cached value: never mutated
    for branch in branches:
        try:
            unparse(branch)
            led = _lead(branch, [MAX_EXPANSION])
        except _Unsupported:
            try:
                out.append((unparse(branch), None, False))
            except _Unsupported:
                return [(pattern, None, False)]
            continue
        except RecursionError:  # pragma: no cover - absurdly nested patterns
            return [(pattern, None, False)]
        for is_led, alt in led:
            if not is_led:
                out.append((unparse(alt), None, False))
            elif len(alt) > 1 and alt[1] == _boundary_check(alt[0]):
                out.append((unparse(alt[2:]), chr(alt[0][1]), True))
            else:
                out.append((unparse(alt[1:]), chr(alt[0][1]), False))
    return out


def _boundary_check(first: tuple) -> tuple:
    c = sre_c
    word = [(c.IN, [(c.CATEGORY, c.CATEGORY_WORD)])]
    return (c.ASSERT_NOT, (-1, [*word, first]))


# -- several scanners in one pass -------------------------------------------------------------


def alternatives(patterns: list[str]) -> list[tuple[str, str | None, bool, int]]:
    """(text after the first character, that character or None if kept raw, whether a word
    boundary precedes it, rule index) for each alternative of the rules, in order."""
    out = []
    for index, pattern in enumerate(patterns):
        for text, first, boundary in _rule_alternatives(pattern):
            out.append((text, first, boundary, index))
    return out


@dataclass(frozen=True)
class MultiScan:
    """The literal-led scanners of a lexicon read in one pass over a message.

    `finder` yields the positions where some scanner may match (a class of first characters,
    or for a small alphabet such as English one regex that only stops where one does match).
    There, the pattern for that first character tries every scanner with alternatives starting
    with it, each in an optional lookahead whose group records whether, and up to where, that
    scanner matched; a final condition rejects the position when none did. Which rule matched
    is settled by trying that scanner's candidate rules in order (it happens only on a match).
    Per scanner, the result is exactly `re.finditer` over its own alternation of rules.

    (One big regex with a group per scanner is slower: `re` copies every group's marks on each
    backtracking step, and it tries the first characters one by one.)"""

    finder: re.Pattern[str]
    table: dict[str, tuple[re.Pattern[str], tuple[tuple[int, int, tuple[int, ...]], ...]]]
    rules: tuple[tuple[re.Pattern[str], ...], ...]  # per scanner slot, its rules alone

    def scan(self, text: str) -> dict[int, list[tuple[int, int, int]]]:
        """Scanner slot → its (start, end, rule index) matches, for the slots that matched."""
        found: dict[int, list[tuple[int, int, int]]] = {}
        resume: dict[int, int] = {}
        table = self.table
        for candidate in self.finder.finditer(text):
            start = candidate.start()
            pattern, rows = table[text[start]]
            match = pattern.match(text, start + 1)
            if match is None:
                continue
            for slot, group, rules in rows:
                end = match.end(group)
                if end < 0 or start < resume.get(slot, 0):
                    continue
                rule = rules[0]
                if len(rules) > 1:
                    regexes = self.rules[slot]
                    for rule in rules:  # the first that matches is the one
                        alone = regexes[rule].match(text, start)
                        if alone is not None:
                            end = alone.end()
                            break
                if slot in found:
                    found[slot].append((start, end, rule))
                else:
                    found[slot] = [(start, end, rule)]
                resume[slot] = end if end > start else start + 1
        return found


# Past this many distinct first characters, the finder's alternatives are bucketed.
MAX_FINDER_CHARS = 64


def build_multi(scanners: list[list[str]]) -> MultiScan | None:
    """One MultiScan over several scanners (each a list of rule patterns, slot = position);
    None when some alternative is not literal-led (scan such scanners on their own)."""
    per_char: dict[str, list[tuple[int, list[tuple[str, bool, int]]]]] = {}
    for slot, patterns in enumerate(scanners):
        alts = alternatives(patterns)
        if any(first is None for _, first, _, _ in alts):
            return None
        mine: dict[str, list[tuple[str, bool, int]]] = {}
        for text, first, boundary, rule in alts:
            mine.setdefault(first, []).append((text, boundary, rule))  # type: ignore[arg-type]
        for first, items in mine.items():
            per_char.setdefault(first, []).append((slot, items))
    if not per_char:
        return None
    table = {}
    somewhere: dict[str, str] = {}  # first character → lookahead: some scanner matches here
    finder_boundary: list[str] = []
    finder_plain: list[str] = []
    for first, entries in per_char.items():
        check = f"(?<!\\w{_esc(first)})"
        parts = []
        rows = []
        everything = []
        for number, (slot, items) in enumerate(entries, 1):
            texts = [f"{check if boundary else ''}{text}" for text, boundary, _ in items]
            everything.extend(texts)
            parts.append(f"(?:(?=({'|'.join(texts)}))|)")
            rules = tuple(dict.fromkeys(rule for _, _, rule in items))
            rows.append((slot, number, rules))
        # At least one scanner matched here, or the position is no match at all.
        condition = "(?!)"
        for number in range(len(entries), 0, -1):
            condition = f"(?({number})|{condition})"
        table[first] = (_compile("".join(parts) + condition), tuple(rows))
        somewhere[first] = f"(?={'|'.join(everything)})"
        if all(boundary for _, items in entries for _, boundary, _ in items):
            bare = [text for _, items in entries for text, _, _ in items]
            finder_boundary.append(f"{_esc(first)}(?={'|'.join(bare)})")
        else:
            finder_plain.append(_esc(first) + somewhere[first])
    if len(per_char) <= MAX_FINDER_CHARS:
        branches = [f"\\b(?:{'|'.join(finder_boundary)})"] if finder_boundary else []
        branches.extend(finder_plain)
    else:
        # Many first characters (Chinese): `re` would try them one by one at each position,
        # so bucket them: a character class rejects a whole bucket in one step.
        chars = sorted(per_char)
        size = max(8, math.isqrt(len(chars)))
        branches = []
        for index in range(0, len(chars), size):
            bucket = chars[index : index + size]
            inner = "|".join(f"(?<={_esc(char)}){somewhere[char]}" for char in bucket)
            branches.append(f"[{''.join(_esc(char) for char in bucket)}](?:{inner})")
    finder = _compile("|".join(branches))
    rules = tuple(tuple(_compile(pattern) for pattern in patterns) for patterns in scanners)
    return MultiScan(finder, table, rules)
