"""A small linear model per move over character n-grams, added to the lexicon's rules.

The rules find moves with evidence; on text nobody tuned them on they miss what is phrased in
new words. This model reads the same normalised message (Chinese characters, English words), whether the message names the order's facts, the scenario's kind and the
agent's turn, and gives one logistic score per move. It does NOT read the rules'
verdict: the rules are near-perfect on the text they were tuned on, so a model stacked on them
learns to trust them far more than unseen text deserves (docs/cues.md). The recogniser *adds* a
move the rules missed when its score reaches the move's `add` logit, a threshold set where the
model alone was right at least 19 times in 20 out of fold on tuning data (bench/train_moves.py);
it never removes a rule's move.

Weights are data (`models/<language>.json`, derived from labelled text; no text is shipped),
pruned to 600 features per move, so a message costs one dictionary look-up per n-gram.
Pure Python and deterministic: no randomness at run time, and the trainer seeds its shuffling.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, repeat
from pathlib import Path
from typing import Any

from scenarios.cues.facts import ShopFacts

MODEL_DIR = Path(__file__).with_name("models")
FORMAT = 2

_WORD = re.compile(r"[a-z0-9']+")
_LATIN = re.compile(r"[a-z]")
NEVER = 1e9  # an `add` threshold no score reaches


@dataclass(frozen=True)
class Signals:
    """What the model reads besides the message: all optional, all cheap to compute."""

    facts_named: int = 0  # how many of the order's facts the message names
    kind: str | None = None  # pre_sale | order | after_sale
    turn: int | None = None  # 1 for the agent's first line


def features(
    text: str,
    signals: Signals,
    *,
    ngrams: tuple[int, int] = (1, 2),
    words: bool = False,
) -> list[str]:
    """Feature names of one normalised message (the trainer and the recogniser share this):
    character n-grams of the padded text (`ngrams` (0, 0): none), English words (`words`), the
    facts named, kind and turn. (The customer's line as bigrams scored no better out of fold,
    0.70 with and without, and cost its normalisation; English word pairs scored worse, 0.53
    against 0.56: both left out.)"""
    return list(_names(text, signals, ngrams, words))


_W = "w:".__add__


def _names(text: str, signals: Signals, ngrams: tuple[int, int], words: bool) -> Iterator[str]:
    """The features as one lazy chain of C-level maps (the recogniser sums over it without
    building a list: a Python loop per n-gram would cost more than the model's arithmetic)."""
    parts: list[Iterable[str]] = []
    low, high = ngrams
    if low > 0:
        padded = f"^{text}$"
        grams: Iterable[str] = padded
        for n in range(1, high + 1):
            if n > 1:  # the n-grams: each (n-1)-gram followed by the next character
                grams = map(str.__add__, list(grams)[:-1], padded[n - 1 :])
            if n >= low:
                grams = list(grams)
                parts.append(grams)
    if words and _LATIN.search(text):
        parts.append(map(_W, _WORD.findall(text)))
    extra = []
    if signals.facts_named:
        extra.append("f:1" if signals.facts_named == 1 else "f:2")
    if signals.kind:
        extra.append("k:" + signals.kind)
    if signals.turn is not None:
        extra.append("t:first" if signals.turn <= 1 else "t:later")
    parts.append(extra)
    return chain.from_iterable(parts)


@dataclass(frozen=True)
class MoveModel:
    """Per-move weights over features, with the thresholds that turn scores into moves."""

    language: str
    moves: tuple[str, ...]
    bias: tuple[float, ...]
    # feature → ((move index, weight), …): only the few features that matter per move are kept.
    weights: Mapping[str, tuple[tuple[int, float], ...]]
    add: tuple[float, ...]  # logit at or above which a move the rules missed is added
    ngrams: tuple[int, int] = (1, 3)
    words: bool = False

    def __post_init__(self) -> None:
        # Each feature's weights packed into one integer, a 32-bit field per move holding the
        # weight in thousandths (`pack`), so a message's scores are one C-level `sum` over its
        # features' integers: exact, and a few microseconds (float rows summed per move cost
        # 20-40 µs a message and thrashed the cache the rules' scan needs).
        packed = {name: pack(dict(row), len(self.moves)) for name, row in self.weights.items()}
        object.__setattr__(self, "_packed", packed)
        bias = pack(dict(enumerate(self.bias)), len(self.moves))
        object.__setattr__(self, "_bias", bias)

    def scores(self, text: str, signals: Signals) -> list[float]:
        """The logit of every move, in `moves` order (positive: more likely than not)."""
        names = _names(text, signals, self.ngrams, self.words)
        total = sum(map(self._packed.get, names, repeat(0)), self._bias)  # type: ignore[attr-defined]
        return unpack(total, len(self.moves))

    def confident(self, text: str, signals: Signals) -> list[str]:
        """The moves whose score reaches their `add` threshold."""
        scores = self.scores(text, signals)
        return [
            move
            for move, score, add in zip(self.moves, scores, self.add, strict=True)
            if score >= add
        ]

    def strongest(self, text: str, move: str) -> tuple[int, int] | None:
        """The span of the single n-gram or word that speaks most for `move` (an added move's
        evidence; looked for only when a move is added)."""
        index = self.moves.index(move)
        candidates: list[tuple[str, int, int]] = []
        low, high = self.ngrams
        if low > 0:
            for n in range(low, high + 1):
                candidates.extend((text[i : i + n], i, i + n) for i in range(len(text) - n + 1))
        if self.words:
            candidates.extend(
                ("w:" + found.group(), found.start(), found.end()) for found in _WORD.finditer(text)
            )
        best, span = 0.0, None
        weights = self.weights
        for name, start, end in candidates:
            for j, weight in weights.get(name, ()):
                if j == index and weight > best:
                    best, span = weight, (start, end)
        return span

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "language": self.language,
            "moves": list(self.moves),
            "bias": [round(value, 3) for value in self.bias],
            "add": [min(round(value, 3), NEVER) for value in self.add],
            "ngrams": list(self.ngrams),
            "words": self.words,
            "weights": {
                name: [[index, round(weight, 3)] for index, weight in row]
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
            ngrams=(int(data["ngrams"][0]), int(data["ngrams"][1])),
            words=bool(data.get("words", False)),
            weights={
                str(name): tuple((int(index), float(weight)) for index, weight in row)
                for name, row in data["weights"].items()
            },
        )


SCALE = 1000  # weights are kept in thousandths
_FIELD = 32
_MASK = (1 << _FIELD) - 1
_HALF = 1 << (_FIELD - 1)


def pack(row: Mapping[int, float], size: int) -> int:
    """One move's weight per 32-bit field (in thousandths, signed): the packed integers of
    several features add up to the packed integer of their sums, field by field, exactly, as
    long as each sum stays within ±2^31 thousandths."""
    return sum(round(weight * SCALE) << (_FIELD * index) for index, weight in row.items())


def unpack(total: int, size: int) -> list[float]:
    """The per-move sums of a packed total, as floats (thousandths back to units)."""
    shifted = total + _offset(size)
    return [(((shifted >> (_FIELD * index)) & _MASK) - _HALF) / SCALE for index in range(size)]


@lru_cache(maxsize=4)
def _offset(size: int) -> int:
    return sum(_HALF << (_FIELD * index) for index in range(size))


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
