"""Lexicon files (`lexicons/<language>.yaml`): loading, validation and compilation to regexes.

A lexicon is data an instructor can read and extend (docs/cues.md). Each move lists rules; a
rule is a set of phrases or small regexes plus conditions (negation, hedges, position, the
previous customer message, shop policy). All the rules of one move compile into one regex with
a named group per rule, so a message costs one scan per move.

Scanning has one meaning: `Scanner.spans` is `re.finditer` over the move's alternation (the
group that matched names the rule). `fastscan` is an optional speed-up that rewrites the same
alternation so `re` can skip ahead in C and reads most moves in one pass; its contract is
tests/scenarios/cues/test_scanning_paths.py (the recogniser gives the same result with and
without it). `compile_lexicon(..., fast=False)` turns it off, and it is off by itself on a
Python without `re._parser`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from scenarios.cues import fastscan, prefilter
from scenarios.cues.types import CLAIM_KINDS, MOVES

LEXICON_DIR = Path(__file__).with_name("lexicons")
# The languages are the lexicon files: adding one is dropping `<code>.yaml` into lexicons/.
LANGUAGES: tuple[str, ...] = tuple(sorted(path.stem for path in LEXICON_DIR.glob("*.yaml")))
# Moves found by the question classifier; their lexicon rules only add extra evidence.
QUESTION_MOVES = ("ask_open", "ask_closed")
POLICIES = (
    "free_return",
    "refund_before_return",
    "price_change",
    "compensation",
    "free_upgrade",
    "guaranteed_delivery",
    # Platform red lines: judged only when a scenario's facts are given (docs/cues.md).
    "off_platform",
    "cash_for_review",
    "special_invoice",
)
_RULE_KEYS = {
    "rule",
    "patterns",
    "phrases",
    "negatable",
    "hedgeable",
    "where",
    "question",
    "unless_after",
    "unless_before",
    "unless_sentence",
    "unless_message",
    "if_context",
    "unless_context",
    "policy",
    "needs_facts",
    "probe",
    "examples",
    "after_window",
    "needs_context",
    "first_turn",
}
_WORD_REF = re.compile(r"\{(\w+)\}")


class LexiconError(ValueError):
    """A lexicon file or an instructor's extra phrase is malformed; the message names the place."""


@dataclass(frozen=True)
class Rule:
    """One way a move shows up in text, with the conditions that must hold around the match."""

    move: str
    name: str
    pattern: str
    phrases: tuple[str, ...] = ()  # the plain phrases among the patterns, for tests and the UI
    negatable: bool = False
    hedgeable: bool = False
    where: str | None = None  # start | end | alone
    question: bool = False
    unless_after: re.Pattern[str] | None = None
    unless_before: re.Pattern[str] | None = None
    unless_sentence: re.Pattern[str] | None = None
    unless_message: re.Pattern[str] | None = None
    if_context: re.Pattern[str] | None = None
    unless_context: re.Pattern[str] | None = None
    policy: str | None = None
    needs_facts: bool = False
    after_window: int = 10
    needs_context: bool = True  # False: with no customer message, if_context is not checked
    # Only on the agent's first line of the conversation (when the caller says which line it is).
    first_turn: bool = False
    probe: str | None = None
    examples: tuple[str, ...] = ()
    regex: re.Pattern[str] | None = None  # the rule alone, to retry a position another rule lost


@dataclass(frozen=True)
class Scanner:
    """All the rules of one move as one regex, plus its optional C-speed rewrite (`fastscan`)."""

    move: str
    pattern: re.Pattern[str]
    rules: tuple[Rule, ...]
    gate: re.Pattern[str] | None = None  # one of these literals must occur for any match
    question_only: bool = False  # every rule needs its sentence to be a question
    context_only: bool = False  # every rule needs the customer's last message
    fast: fastscan.FastPattern | None = None

    @property
    def simple(self) -> re.Pattern[str] | None:
        """The rewritten regex when it alone finds every match (no raw or anchored part)."""
        fast = self.fast
        if fast is None or fast.raw is not None or fast.at_start is not None:
            return None
        return fast.fast

    def spans(self, text: str) -> Iterator[tuple[int, int, int]]:
        """(start, end, rule index) of each match in normalised text, leftmost first and never
        overlapping: what `pattern.finditer` finds (the fast rewrite finds the same)."""
        if self.gate is not None and self.gate.search(text) is None:
            return iter(())
        if self.fast is not None:
            return self.fast.finditer(text)
        return (
            (match.start(), match.end(), int(match.lastgroup[1:]))  # type: ignore[index]
            for match in self.pattern.finditer(text)
        )


@dataclass(frozen=True)
class Lexicon:
    """A compiled lexicon: per-move scanners plus the shared word lists the recogniser needs."""

    language: str
    rules: tuple[Rule, ...]
    scanners: tuple[Scanner, ...]
    typos: dict[str, str]
    typo_re: re.Pattern[str] | None
    negation: re.Pattern[str]
    negation_after: re.Pattern[str]
    negation_window: int
    hedges: re.Pattern[str]
    sentence_break: re.Pattern[str]
    clause_break: re.Pattern[str]
    question: dict[str, re.Pattern[str]]
    contexts: dict[str, re.Pattern[str]]
    claims: Scanner | None
    words: dict[str, str]
    # One of these literals occurs in every question (by the `questions` patterns); None when
    # that cannot be worked out. A message without any has no question to classify.
    question_gate: re.Pattern[str] | None = None
    # The scanners that `fastscan` can merge, read in one pass: `multi_slots[i]` is the slot of
    # `scanners[i]` (-1: scanned on its own), `claims_slot` that of the claims.
    multi: fastscan.MultiScan | None = None
    multi_slots: tuple[int, ...] = ()
    claims_slot: int = -1
    # (move, with move, unless context): drop `move` from a message that also shows `with`,
    # unless the customer's line matches (promotions named in a read-back are the read-back).
    drops: tuple[tuple[str, str, re.Pattern[str] | None], ...] = ()
    # Words too common to show a move alone (的, the): an instructor may not add one as a phrase.
    too_common: frozenset[str] = frozenset()


def canonical_language(language: str) -> str:
    """`zh`, `zh-CN`, `zh_Hans` → `zh-hans`; `en-GB` → `en`; unknown codes raise ValueError."""
    code = (language or "").strip().lower().replace("_", "-")
    if code in LANGUAGES:
        return code
    # A regional or script variant reads the lexicon of its primary language: zh-CN → zh-hans.
    primary = code.split("-")[0]
    for known in LANGUAGES:
        if primary and known.split("-")[0] == primary:
            return known
    raise ValueError(f"no cue lexicon for language {language!r}; have {', '.join(LANGUAGES)}")


@lru_cache(maxsize=8)
def read_lexicon_file(language: str) -> dict[str, Any]:
    """The raw YAML of a base lexicon, read once (safe loader: no tags, no code)."""
    path = LEXICON_DIR / f"{canonical_language(language)}.yaml"
    with path.open(encoding="utf-8") as handle:
        data = YAML(typ="safe", pure=True).load(handle)
    if not isinstance(data, dict):
        raise LexiconError(f"{path.name}: top level must be a mapping")
    return data


def compile_lexicon(
    data: Mapping[str, Any],
    extra: Mapping[str, Iterable[str]] | None = None,
    *,
    fast: bool = True,
) -> Lexicon:
    """Builds the scanners from a lexicon mapping plus instructor phrases per move; `fast=False`
    leaves out the optional `fastscan` rewrites (same results, plain `re.finditer`)."""
    fast = fast and fastscan.AVAILABLE
    language = str(data.get("language", ""))
    words = {str(key): str(value) for key, value in (data.get("words") or {}).items()}
    words = _expand_words(words)

    def rx(value: Any, where: str, flags: int = 0) -> re.Pattern[str]:
        text = _join(value)
        try:
            return re.compile(_expand(text, words, where), flags)
        except re.error as error:
            raise LexiconError(f"{language}: {where}: {error}") from error

    def maybe(value: Any, where: str) -> re.Pattern[str] | None:
        return rx(value, where) if value else None

    contexts = {
        str(key): rx(value, f"contexts.{key}")
        for key, value in (data.get("contexts") or {}).items()
    }

    def context_rx(value: Any, where: str) -> re.Pattern[str] | None:
        if not value:
            return None
        names = value if isinstance(value, list) else [value]
        if all(isinstance(name, str) and name in contexts for name in names):
            return re.compile("|".join(f"(?:{contexts[name].pattern})" for name in names))
        return rx(value, where)

    rules: list[Rule] = []
    moves = data.get("moves") or {}
    for move, entries in moves.items():
        if move not in MOVES:
            raise LexiconError(f"{language}: unknown move {move!r}; moves are {', '.join(MOVES)}")
        for index, entry in enumerate(entries or []):
            where = f"moves.{move}[{index}]"
            if not isinstance(entry, Mapping):
                raise LexiconError(f"{language}: {where} must be a mapping")
            unknown = set(entry) - _RULE_KEYS
            if unknown:
                raise LexiconError(f"{language}: {where}: unknown keys {sorted(unknown)}")
            patterns = [str(item) for item in entry.get("patterns") or []]
            phrases = [str(item) for item in entry.get("phrases") or []]
            if not patterns and not phrases:
                raise LexiconError(f"{language}: {where}: needs phrases or patterns")
            policy = entry.get("policy")
            if policy is not None and policy not in POLICIES:
                raise LexiconError(f"{language}: {where}: policy must be one of {POLICIES}")
            pattern = _expand(
                "|".join([*patterns, *(_phrase_rx(item) for item in phrases)]), words, where
            )
            name = str(entry.get("rule") or f"{move}_{index}")
            try:
                regex = re.compile(pattern)
            except re.error as error:
                raise LexiconError(f"{language}: {where} ({move}): {error}") from error
            rules.append(
                Rule(
                    move=move,
                    name=name,
                    pattern=pattern,
                    phrases=tuple(phrases),
                    negatable=bool(entry.get("negatable", False)),
                    hedgeable=bool(entry.get("hedgeable", False)),
                    where=entry.get("where"),
                    question=bool(entry.get("question", False)),
                    unless_after=maybe(entry.get("unless_after"), f"{where}.unless_after"),
                    unless_before=maybe(entry.get("unless_before"), f"{where}.unless_before"),
                    unless_sentence=maybe(entry.get("unless_sentence"), f"{where}.unless_sentence"),
                    unless_message=maybe(entry.get("unless_message"), f"{where}.unless_message"),
                    if_context=context_rx(entry.get("if_context"), f"{where}.if_context"),
                    unless_context=context_rx(
                        entry.get("unless_context"), f"{where}.unless_context"
                    ),
                    policy=policy,
                    needs_facts=bool(entry.get("needs_facts", False)),
                    after_window=int(entry.get("after_window", 10)),
                    needs_context=bool(entry.get("needs_context", True)),
                    first_turn=bool(entry.get("first_turn", False)),
                    probe=entry.get("probe"),
                    examples=tuple(str(item) for item in entry.get("examples") or []),
                    regex=regex,
                )
            )
    rules.extend(_extra_rules(language, extra))

    # One scanner per move, split by what a rule needs: rules that only count inside a question
    # or only after a customer message are skipped outright when there is none.
    scanners = []
    for move in MOVES:
        for question_only in (False, True):
            for context_only in (False, True):
                own = tuple(
                    rule
                    for rule in rules
                    if rule.move == move
                    and rule.question == question_only
                    and (rule.if_context is not None and rule.needs_context) == context_only
                )
                if not own:
                    continue
                alternation = "|".join(
                    f"(?P<r{index}>{rule.pattern})" for index, rule in enumerate(own)
                )
                if prefilter.starts_at_word_boundary(alternation):
                    alternation = rf"\b(?:{alternation})"
                try:
                    compiled = re.compile(alternation)
                except re.error as error:
                    raise LexiconError(f"{language}: move {move}: {error}") from error
                scanners.append(
                    Scanner(
                        move,
                        compiled,
                        own,
                        _gate(alternation),
                        question_only,
                        context_only,
                        fastscan.build([rule.pattern for rule in own]) if fast else None,
                    )
                )

    typos = {str(key): str(value) for key, value in (data.get("typos") or {}).items()}
    for wrong, right in typos.items():
        if len(wrong) != len(right):
            raise LexiconError(f"{language}: typo {wrong!r} → {right!r} must keep the length")
    typo_re = (
        re.compile("|".join(map(re.escape, sorted(typos, key=len, reverse=True))))
        if typos
        else None
    )

    question = {
        str(key): rx(value, f"questions.{key}")
        for key, value in (data.get("questions") or {}).items()
    }
    for needed in (
        "end",
        "final",
        "soft_end",
        "open_first",
        "unmarked_not",
        "start",
        "closed",
        "open",
        "not_question",
        "trailing",
        "closed_start",
    ):
        question.setdefault(needed, re.compile(r"(?!x)x"))
    # All claim kinds scan as one regex; the group that matched names the kind.
    claim_rules = tuple(
        Rule(
            move=kind,
            name=f"claim.{kind}",
            pattern=rx(data["claims"][kind], f"claims.{kind}").pattern,
        )
        for kind in CLAIM_KINDS
        if (data.get("claims") or {}).get(kind)
    )
    claims = None
    if claim_rules:
        alternation = "|".join(
            f"(?P<r{index}>{rule.pattern})" for index, rule in enumerate(claim_rules)
        )
        claims = Scanner(
            "claims",
            re.compile(alternation),
            claim_rules,
            _gate(alternation),
            fast=fastscan.build([rule.pattern for rule in claim_rules]) if fast else None,
        )
    merged = [scanner for scanner in scanners if scanner.simple is not None]
    if claims is not None and claims.simple is not None:
        merged.append(claims)
    multi = (
        fastscan.build_multi([[rule.pattern for rule in scanner.rules] for scanner in merged])
        if merged
        else None
    )
    slot_of = {id(scanner): slot for slot, scanner in enumerate(merged)} if multi else {}
    return Lexicon(
        question_gate=_question_gate(question),
        multi=multi,
        multi_slots=tuple(slot_of.get(id(scanner), -1) for scanner in scanners),
        claims_slot=slot_of.get(id(claims), -1),
        language=language,
        rules=tuple(rules),
        scanners=tuple(scanners),
        typos=typos,
        typo_re=typo_re,
        negation=rx(data.get("negation", r"(?!x)x"), "negation"),
        negation_after=rx(data.get("negation_after", r"(?!x)x"), "negation_after"),
        negation_window=int(data.get("negation_window", 6)),
        hedges=rx(data.get("hedges", r"(?!x)x"), "hedges"),
        sentence_break=rx(data.get("sentence_break", r"[.!?。!?;\n]"), "sentence_break"),
        clause_break=rx(data.get("clause_break", r"[,，;；]"), "clause_break"),
        question=question,
        contexts=contexts,
        claims=claims,
        words=words,
        drops=tuple(_drops(data.get("drops") or [], context_rx, language)),
        too_common=frozenset(fold_phrase(str(item)) for item in data.get("too_common") or []),
    )


def fold_phrase(phrase: str) -> str:
    """A phrase as the scanners see it: normalised, without spaces or punctuation."""
    from scenarios.cues.normalise import normalise

    return "".join(ch for ch in normalise(phrase).text if ch.isalnum())


def _drops(items: Any, context_rx: Any, language: str) -> list[tuple[str, str, Any]]:
    found = []
    for index, item in enumerate(items):
        where = f"{language}: drops[{index}]"
        if not isinstance(item, Mapping) or item.get("move") not in MOVES:
            raise LexiconError(f"{where}: needs a known 'move'")
        if item.get("with") not in MOVES:
            raise LexiconError(f"{where}: needs a known 'with' move")
        unless = context_rx(item.get("unless_context"), f"drops[{index}].unless_context")
        found.append((item["move"], item["with"], unless))
    return found


def _question_gate(question: Mapping[str, re.Pattern[str]]) -> re.Pattern[str] | None:
    """Literals one of which every question contains: a sentence is a question only through
    `end`, `soft_end`, `final`, or (when `start` can match) an `open` wh-word."""
    names = ["end", "soft_end", "final"]
    if question["closed_start"].pattern != prefilter.NOTHING:
        names.append("closed_start")
    if question["start"].pattern != prefilter.NOTHING:
        names.append("open")
    literals: set[str] = set()
    for name in names:
        pattern = question[name].pattern
        if pattern == prefilter.NOTHING:
            continue
        found = prefilter.required_literals(pattern)
        if not found:
            return None
        literals.update(found)
    if not literals:
        return re.compile(prefilter.NOTHING)
    return re.compile("|".join(map(re.escape, sorted(literals, key=len, reverse=True))))


def _gate(pattern: str) -> re.Pattern[str] | None:
    """Literals one of which every match of `pattern` contains (a message without any is not
    scanned), or None. Latin literals start on common letters, so searching for many of them
    costs more than the scan it would save."""
    literals = prefilter.required_literals(pattern)
    if literals and len({lit[0] for lit in literals if lit[0].isascii() and lit[0].isalpha()}) >= 8:
        literals = None
    if not literals:
        return None
    return re.compile("|".join(map(re.escape, sorted(literals, key=len, reverse=True))))


def _extra_rules(language: str, extra: Mapping[str, Iterable[str]] | None) -> list[Rule]:
    """Instructor phrases are literal text (never regex), matched after the same normalisation."""
    if not extra:
        return []
    result = []
    for move, phrases in extra.items():
        if move not in MOVES:
            raise LexiconError(f"{language}: extra phrases for unknown move {move!r}")
        if isinstance(phrases, str):
            phrases = [phrases]
        cleaned = tuple(dict.fromkeys(p.strip() for p in phrases if p and p.strip()))
        if not cleaned:
            continue
        # Commitments and remedies are what negation and hedges overturn ("不能退款", "预计明天").
        guarded = move in {"promise", "resolve"}
        result.append(
            Rule(
                move=move,
                name=f"extra.{move}",
                pattern=(
                    pattern := "|".join(
                        _phrase_rx(item) for item in sorted(cleaned, key=len, reverse=True)
                    )
                ),
                phrases=cleaned,
                negatable=guarded,
                hedgeable=move == "promise",
                regex=re.compile(pattern),
            )
        )
    return result


def _phrase_rx(phrase: str) -> str:
    """A literal phrase as a regex over normalised text: NFKC, lower case, flexible spaces."""
    from scenarios.cues.normalise import normalise

    norm = normalise(phrase).text.strip()
    parts = [re.escape(part) for part in norm.split()]
    body = r"\s*".join(parts)
    if norm and norm[0].isascii() and norm[0].isalnum():
        body = r"\b" + body
    if norm and norm[-1].isascii() and norm[-1].isalnum():
        body += r"\b"
    return body


def _join(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "|".join(f"(?:{item})" for item in value)
    return str(value)


def _expand(pattern: str, words: Mapping[str, str], where: str) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in words:
            if name.isdigit() or "," in name:
                return match.group()
            raise LexiconError(f"{where}: unknown word {{{name}}}")
        return f"(?:{words[name]})"

    return _WORD_REF.sub(replace, pattern)


def _expand_words(words: dict[str, str]) -> dict[str, str]:
    # Words may use earlier words: {you} inside {polite_you}.
    expanded: dict[str, str] = {}
    for key, value in words.items():
        expanded[key] = _expand(value, expanded, f"words.{key}")
    return expanded
