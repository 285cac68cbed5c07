"""A small linear model per move over character n-grams, combined with the lexicon's rules.

The rules find moves with evidence; on text nobody tuned them on they miss what is phrased in
new words. This model reads the same normalised message (character n-grams, English words),
the customer's previous line, which moves the rules found, whether the message names the
order's facts, the scenario's kind and the agent's turn, and gives one logistic score per move.
The recogniser then *adds* a move the rules missed when its score passes `add`, and *vetoes* a
move the rules found when its score falls below `veto` (docs/cues.md). Both thresholds were
calibrated per move by cross-validation on tuning data only (bench/train_moves.py).

Weights are data (`models/<language>.json`, derived from labelled text; no text is shipped).
Pure Python: a message costs one dictionary look-up per n-gram. Deterministic: no randomness
at run time, and the trainer seeds its own shuffling.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from scenarios.cues.facts import ShopFacts

MODEL_DIR = Path(__file__).with_name("models")
FORMAT = 1

_WORD = re.compile(r"[a-z0-9']+|[^\sa-z0-9']")
_LATIN = re.compile(r"[a-z]")


@dataclass(frozen=True)
class Signals:
    """What the model reads besides the message: all optional, all cheap to compute."""

    rule_moves: frozenset[str] = frozenset()
    context: str | None = None  # the customer's previous line, normalised
    facts_named: int = 0  # how many of the order's facts the message names
    echo: bool = False  # the message reads back details from the customer's line
    kind: str | None = None  # pre_sale | order | after_sale
    turn: int | None = None  # 1 for the agent's first line


def features(
    text: str,
    signals: Signals,
    *,
    ngrams: tuple[int, int] = (1, 3),
    words: bool = False,
    rules: bool = True,
) -> list[str]:
    """Feature names of one normalised message (the trainer and the recogniser share this)."""
    found: list[str] = []
    padded = f"^{text}$"
    low, high = ngrams
    size = len(padded)
    for n in range(low, high + 1):
        found.extend(padded[i : i + n] for i in range(size - n + 1))
    if words and _LATIN.search(text):
        tokens = _WORD.findall(text)
        found.extend("w:" + token for token in tokens)
        found.extend(f"w:{a}_{b}" for a, b in pairwise(tokens))
    if rules:
        found.extend("r:" + move for move in signals.rule_moves)
    if signals.context:
        context = signals.context[-40:]
        found.extend("c:" + context[i : i + 2] for i in range(len(context) - 1))
    else:
        found.append("c:none")
    if signals.echo:
        found.append("e:echo")
    if signals.facts_named:
        found.append("f:1" if signals.facts_named == 1 else "f:2")
    if signals.kind:
        found.append("k:" + signals.kind)
    if signals.turn is not None:
        found.append("t:first" if signals.turn <= 1 else "t:later")
    return found


@dataclass(frozen=True)
class MoveModel:
    """Per-move weights over features, with the thresholds that turn scores into moves."""

    language: str
    moves: tuple[str, ...]
    bias: tuple[float, ...]
    # feature → ((move index, weight), …): only the features that matter are kept.
    weights: Mapping[str, tuple[tuple[int, float], ...]]
    add: tuple[float, ...]  # logit at or above which a move the rules missed is added
    veto: tuple[float, ...]  # logit below which a move the rules found is dropped
    ngrams: tuple[int, int] = (1, 3)
    words: bool = False
    rules: bool = True  # whether the rules' verdict is among the features

    def scores(self, text: str, signals: Signals) -> dict[str, float]:
        """The logit of every move the model knows (positive: more likely than not)."""
        totals = list(self.bias)
        weights = self.weights
        names = features(text, signals, ngrams=self.ngrams, words=self.words, rules=self.rules)
        for name in names:
            row = weights.get(name)
            if row is not None:
                for index, weight in row:
                    totals[index] += weight
        return dict(zip(self.moves, totals, strict=True))

    def strongest(self, text: str, move: str) -> tuple[int, int] | None:
        """The span of the n-gram that speaks most for `move` (evidence for an added move)."""
        index = self.moves.index(move)
        best, span = 0.0, None
        low, high = self.ngrams
        for n in range(max(low, 2), high + 1):
            for i in range(len(text) - n + 1):
                row = self.weights.get(text[i : i + n])
                if row is None:
                    continue
                weight = next((w for j, w in row if j == index), 0.0)
                if weight > best:
                    best, span = weight, (i, i + n)
        return span

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "language": self.language,
            "moves": list(self.moves),
            "bias": [round(value, 4) for value in self.bias],
            "add": [min(round(value, 4), 1e9) for value in self.add],
            "veto": [max(round(value, 4), -1e9) for value in self.veto],
            "ngrams": list(self.ngrams),
            "words": self.words,
            "rules": self.rules,
            "weights": {
                name: [[index, round(weight, 4)] for index, weight in row]
                for name, row in sorted(self.weights.items())
            },
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> MoveModel:
        if data.get("format") != FORMAT:
            raise ValueError(f"move model format {data.get('format')!r}, expected {FORMAT}")
        moves = tuple(str(move) for move in data["moves"])
        return cls(
            language=str(data["language"]),
            moves=moves,
            bias=tuple(float(value) for value in data["bias"]),
            add=tuple(float(value) for value in data["add"]),
            veto=tuple(float(value) for value in data["veto"]),
            ngrams=(int(data["ngrams"][0]), int(data["ngrams"][1])),
            words=bool(data.get("words", False)),
            rules=bool(data.get("rules", True)),
            weights={
                str(name): tuple((int(index), float(weight)) for index, weight in row)
                for name, row in data["weights"].items()
            },
        )


def model_path(language: str) -> Path:
    return MODEL_DIR / f"{language}.json"


@lru_cache(maxsize=8)
def load_model(language: str) -> MoveModel | None:
    """The shipped model of a language, or None when the language has none (rules only)."""
    path = model_path(language)
    if not path.exists():
        return None
    return MoveModel.from_json(json.loads(path.read_text("utf-8")))


def sigmoid(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)


# -- the order's facts a message names ----------------------------------------------------------

_ADDRESS_PARTS = re.compile(r"[^省市区县镇路街道号,，\s]{2,}(?:省|市|区|县|镇|路|街|道|号)?")


def fact_terms(facts: ShopFacts | None) -> tuple[tuple[str, str], ...]:
    """(fact, lower-case term) pairs that name the order: each item's name (and its last two
    characters, as customers shorten them), colour and size, the address's parts, the recipient
    and the order number. A fact named by several of its terms counts once."""
    if facts is None or facts.order is None:
        return ()
    return _fact_terms(facts.order)


@lru_cache(maxsize=256)
def _fact_terms(order: Any) -> tuple[tuple[str, str], ...]:
    terms: set[tuple[str, str]] = set()
    for number, item in enumerate(order.items):
        name = item.name.strip().lower()
        if name:
            terms.add((f"item{number}", name))
            if not name.isascii() and len(name) > 2:
                terms.add((f"item{number}", name[-2:]))
            elif name.isascii():
                terms.update((f"item{number}", word) for word in name.split() if len(word) > 3)
        for key, value in (("colour", item.colour), ("size", item.size)):
            value = value.strip().lower()
            if value:
                terms.add((f"{key}{number}", value))
    address = order.address.strip().lower()
    if address:
        parts = [part.rstrip("省市区县镇") for part in _ADDRESS_PARTS.findall(address)]
        if address.isascii():
            parts = [word.strip(",.") for word in address.split() if len(word) > 3]
        terms.update(("address", part) for part in parts if part)
    for key, value in (("recipient", order.recipient), ("order", order.id)):
        value = value.strip().lower()
        if len(value) >= 2:
            terms.add((key, value))
    return tuple(sorted(terms))


_SIZE_ONLY = re.compile(r"^(?:xxxl|xxl|2xl|3xl|xl|xs|s|m|l|\d{2,3})$")


def fact_spans(text: str, terms: Sequence[tuple[str, str]]) -> list[tuple[int, int]]:
    """Where a normalised message names the order's facts: the first place of each fact
    (sizes only as whole tokens), in text order."""
    spans: dict[str, tuple[int, int]] = {}
    for fact, term in terms:
        position = text.find(term)
        if position < 0 or fact in spans:
            continue
        if _SIZE_ONLY.match(term) and not _whole(text, position, len(term)):
            continue
        spans[fact] = (position, position + len(term))
    return sorted(spans.values())


def facts_named(text: str, terms: Sequence[tuple[str, str]]) -> int:
    """How many distinct order facts a normalised message names."""
    return len(fact_spans(text, terms))


_PIECES = re.compile(r"[^\s,.!?;:，。！？；：、~\"'“”()（）\[\]]+")
_DETAIL = re.compile(r"[0-9a-z]")


def echoes(text: str, context: str | None) -> tuple[int, int] | None:
    """The span of `text` that reads back details the customer just typed: a shared run of at
    least 4 characters holding a digit, 6 Chinese characters, or 12 letters (courtesy words
    are short, details are not). None when there is none."""
    if not context:
        return None
    for piece in _PIECES.findall(context):
        if len(piece) < 4:
            continue
        position = 0
        while position + 4 <= len(piece):
            found = text.find(piece[position : position + 4])
            if found < 0:
                position += 1
                continue
            length = 4
            while (
                position + length < len(piece)
                and found + length < len(text)
                and text[found + length] == piece[position + length]
            ):
                length += 1
            run = piece[position : position + length]
            digits = any(ch.isdigit() for ch in run)
            latin = bool(_DETAIL.search(run))
            if (digits and length >= 4) or (not latin and length >= 6) or length >= 12:
                return found, found + length
            position += 1
    return None


def _whole(text: str, position: int, length: int) -> bool:
    before = text[position - 1] if position else " "
    after = text[position + length] if position + length < len(text) else " "
    return not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum())


def merge_weights(
    rows: Iterable[tuple[str, int, float]],
) -> dict[str, tuple[tuple[int, float], ...]]:
    """(feature, move index, weight) triples as the look-up table the model keeps."""
    table: dict[str, list[tuple[int, float]]] = {}
    for name, index, weight in rows:
        table.setdefault(name, []).append((index, weight))
    return {name: tuple(sorted(row)) for name, row in table.items()}
