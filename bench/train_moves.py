"""Trains the move model (scenarios/cues/model.py): `python -m bench.train_moves` from the repo root.

Reads ONLY the tuning parts of the labelled sets (bench/sealed.py; the sealed parts are never
loaded into the trainer) and trains one logistic regression per move over the features the
recogniser will feed it (Chinese characters, English words, the order's
facts named, kind and turn; not the rules' verdict, nor the customer's line). Each move keeps only its `keep` strongest
features. Thresholds come from out-of-fold scores (five folds, a transcript never split across
folds): a move is added where the model alone was right at least `precision` of the time at
that score and above. Then it trains on all tuning data and writes
`scenarios/cues/models/<language>.json`. Pure Python and seeded: the same data gives the same
file, byte for byte. Corpus text stays in ../shared; only weights are written.

    python -m bench.train_moves            # train and write both languages
    python -m bench.train_moves --check    # print the cross-validated figures, write nothing

The figures it prints, per set: the rules alone, the model alone out of fold, and the rules
plus the model's additions out of fold. The rules were tuned on these very texts, so the last
column understates what the additions bring on unseen text and states their cost fairly (the
model's mistakes are out of fold).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from bench.recogniser import Example, labelled_sets
from scenarios.cues import MOVES, Recogniser
from scenarios.cues.model import NEVER, MoveModel, features, merge_weights, model_path, sigmoid
from scenarios.cues.types import MOVES as ALL_MOVES

SEED = 20261203
FOLDS = 5


@dataclass(frozen=True)
class Settings:
    epochs: int = 10
    rate: float = 0.5  # AdaGrad's base step
    l2: float = 1e-2
    min_count: int = 2  # a feature seen in fewer training messages is left out
    keep: int = 600  # the strongest features kept per move
    fanout: int = 15  # the moves a feature keeps weights for (its strongest; 15: all)
    precision: float = 0.95  # out-of-fold precision required at and above a move's threshold
    min_hits: int = 3  # right additions the threshold must rest on, else the move is never added
    ngrams: tuple[int, int] = (1, 1)
    words: bool = False


# English reads words and word pairs only: character n-grams cost 90 µs a message there (long
# messages, four sizes) and scored no better out of fold (0.53 vs 0.51-0.54, best thresholds).
# Chinese reads character 1-2-grams: adding 3-grams scored no better (0.69 vs 0.70).
LANGUAGE_SETTINGS = {"zh-hans": Settings(), "en": Settings(ngrams=(0, 0), words=True)}


@dataclass(frozen=True)
class Row:
    features: tuple[str, ...]
    gold: frozenset[str]
    rules: frozenset[str]
    group: str
    set: str


def rows_for(
    named: Sequence[tuple[str, Example]], recogniser: Recogniser, settings: Settings
) -> list[Row]:
    rows = []
    for set_name, example in named:
        context = example.context or None
        body, signals = recogniser.model_input(
            example.text, facts=example.facts, kind=example.kind, turn=example.turn
        )
        rules = recogniser.recognise(
            example.text,
            facts=example.facts,
            context=context,
            kind=example.kind,
            turn=example.turn,
            rules_only=True,
        ).moves
        names = features(body, signals, ngrams=settings.ngrams, words=settings.words)
        rows.append(
            Row(
                tuple(dict.fromkeys(names)),
                example.moves,
                rules,
                example.group or example.id,
                set_name,
            )
        )
    return rows


Weights = dict[str, list[float]]


def train(rows: Sequence[Row], settings: Settings) -> tuple[list[float], Weights]:
    """One-vs-rest logistic regression by AdaGrad in a seeded order; then each move keeps its
    `keep` strongest features, the model is trained again on the features kept by any move,
    and pruned to `keep` per move again (a refit loses less than cutting once)."""
    counts = Counter(name for row in rows for name in row.features)
    vocabulary = {name for name, count in counts.items() if count >= settings.min_count}
    _, first = fit(rows, vocabulary, settings)
    bias, weights = fit(rows, set(prune(first, settings.keep)), settings)
    return bias, prune(weights, settings.keep, settings.fanout)


def fit(
    rows: Sequence[Row], vocabulary: set[str], settings: Settings
) -> tuple[list[float], Weights]:
    size = len(MOVES)
    weights: Weights = {name: [0.0] * size for name in sorted(vocabulary)}
    squares: Weights = {name: [1e-8] * size for name in weights}
    bias = [0.0] * size
    bias_squares = [1e-8] * size
    data = [
        (
            [name for name in row.features if name in vocabulary],
            [1.0 if move in row.gold else 0.0 for move in MOVES],
        )
        for row in rows
    ]
    order = list(range(len(data)))
    rng = random.Random(SEED)
    rate, l2 = settings.rate, settings.l2
    for _epoch in range(settings.epochs):
        rng.shuffle(order)
        for position in order:
            names, gold = data[position]
            vectors = [weights[name] for name in names]
            totals = map(sum, zip(bias, *vectors, strict=True))
            for index, (total, target) in enumerate(zip(totals, gold, strict=True)):
                error = sigmoid(total) - target
                if -0.01 < error < 0.01:
                    continue  # already right: no step (most moves, most messages)
                bias_squares[index] += error * error
                bias[index] -= rate * error / math.sqrt(bias_squares[index])
                for name, vector in zip(names, vectors, strict=True):
                    gradient = error + l2 * vector[index]
                    square = squares[name]
                    square[index] += gradient * gradient
                    vector[index] -= rate * gradient / math.sqrt(square[index])
    return bias, weights


def prune(weights: Weights, keep: int, fanout: int | None = None) -> Weights:
    """Each move's `keep` largest weights by magnitude, then each feature's `fanout` largest
    (a look-up touches at most that many moves); features left with none are dropped."""
    kept: Weights = {}
    for index in range(len(MOVES)):
        column = sorted(
            ((abs(vector[index]), name) for name, vector in weights.items() if vector[index]),
            key=lambda item: (-item[0], item[1]),
        )
        for _, name in column[:keep]:
            kept.setdefault(name, [0.0] * len(MOVES))[index] = weights[name][index]
    if fanout is not None:
        for vector in kept.values():
            strongest = sorted(range(len(vector)), key=lambda i: (-abs(vector[i]), i))[:fanout]
            for index in range(len(vector)):
                if index not in strongest:
                    vector[index] = 0.0
    return kept


def logits(bias: Sequence[float], weights: Weights, row: Row) -> list[float]:
    totals = list(bias)
    for name in row.features:
        vector = weights.get(name)
        if vector is not None:
            for index, weight in enumerate(vector):
                totals[index] += weight
    return totals


def fold_of(group: str) -> int:
    return int(hashlib.sha256(f"fold:{group}".encode()).hexdigest()[:8], 16) % FOLDS


def out_of_fold(rows: Sequence[Row], settings: Settings) -> list[list[float]]:
    scores: list[list[float]] = [[] for _ in rows]
    for fold in range(FOLDS):
        bias, weights = train([row for row in rows if fold_of(row.group) != fold], settings)
        for index, row in enumerate(rows):
            if fold_of(row.group) == fold:
                scores[index] = logits(bias, weights, row)
    return scores


def threshold(scores: Sequence[float], gold: Sequence[bool], settings: Settings) -> float:
    """The lowest score at and above which the model alone was right at least `precision` of
    the time at every cut (and right at least `min_hits` times); NEVER when there is none."""
    ranked = sorted(zip(scores, gold, strict=True), key=lambda item: -item[0])
    best = NEVER
    hits = total = 0
    good = True
    for position, (score, right) in enumerate(ranked):
        hits += right
        total += 1
        if position + 1 < len(ranked) and ranked[position + 1][0] == score:
            continue  # ties are one cut
        if hits / total < settings.precision:
            good = False
        if good and hits >= settings.min_hits:
            best = score
        if not good:
            break
    return best


def f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else (1.0 if not fp and not fn else 0.0)


def macro(rows: Sequence[Row], predict: Callable[[int, str], bool]) -> float:
    values = []
    for move in MOVES:
        tp = fp = fn = 0
        for index, row in enumerate(rows):
            p, g = predict(index, move), move in row.gold
            tp += g and p
            fp += p and not g
            fn += g and not p
        if tp + fn:
            values.append(f1(tp, fp, fn))
    return sum(values) / len(values) if values else 0.0


def report(rows: Sequence[Row], scores: Sequence[Sequence[float]], adds: Sequence[float]) -> None:
    """Per set and per move: the rules, the model alone and rules + additions, out of fold."""
    at = {move: index for index, move in enumerate(MOVES)}

    def model(index: int, move: str) -> bool:
        return scores[index][at[move]] >= adds[at[move]]

    def rules(index: int, move: str) -> bool:
        return move in rows[index].rules

    def both(index: int, move: str) -> bool:
        return rules(index, move) or model(index, move)

    for set_name in sorted({row.set for row in rows}):
        positions = [i for i, row in enumerate(rows) if row.set == set_name]
        part = [rows[i] for i in positions]

        def on(predict, positions=positions):
            return lambda k, move: predict(positions[k], move)

        print(
            f"    {set_name:<12} n={len(part):<4} rules {macro(part, on(rules)):.3f}"
            f"  model {macro(part, on(model)):.3f}  rules+model {macro(part, on(both)):.3f}"
        )
    for move in MOVES:
        i = at[move]
        added = [k for k, row in enumerate(rows) if model(k, move) and move not in row.rules]
        right = sum(move in rows[k].gold for k in added)
        if adds[i] < NEVER:
            print(f"      {move:<11} add ≥ {adds[i]:.2f}: {len(added)} added, {right} right")


def build(
    language: str, named: Sequence[tuple[str, Example]], settings: Settings
) -> tuple[MoveModel, list[Row], list[list[float]], list[float]]:
    recogniser = Recogniser.load(language)
    rows = rows_for(named, recogniser, settings)
    scores = out_of_fold(rows, settings)
    adds = [
        threshold([s[i] for s in scores], [move in row.gold for row in rows], settings)
        for i, move in enumerate(MOVES)
    ]
    bias, weights = train(rows, settings)
    kept = (
        (name, index, weight)
        for name, vector in weights.items()
        for index, weight in enumerate(vector)
        if weight
    )
    model = MoveModel(
        language=language,
        moves=MOVES,
        bias=tuple(bias),
        weights=merge_weights(kept),
        add=tuple(adds),
        ngrams=settings.ngrams,
        words=settings.words,
    )
    return model, rows, scores, adds


def set_label(title: str, example: Example) -> str:
    name = title.split(" (")[0].lower()
    if "role-play" in name:
        return "roleplay-w6" if example.group.startswith("w6-") else "roleplay"
    if "development" in name:
        return "dev"
    return "utterances" if "utterances" in name else "train"


def tuning_named() -> list[tuple[str, Example]]:
    """(set, example) for the tuning parts of every labelled set: all the trainer may read."""
    named = [
        (set_label(title, example), example)
        for title, examples in labelled_sets()
        for example in examples
        if not example.sealed
    ]
    assert not any(example.sealed for _, example in named)
    return named


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="print the figures, write nothing")
    parser.add_argument("--language", action="append", help="only this language (repeatable)")
    for name in ("epochs", "keep", "fanout", "min_count", "min_hits"):
        parser.add_argument(f"--{name.replace('_', '-')}", type=int, help="(experiments)")
    for name in ("l2", "rate", "precision"):
        parser.add_argument(f"--{name}", type=float, help="(experiments)")
    args = parser.parse_args(argv)
    changes = {
        name: getattr(args, name)
        for name in ("epochs", "keep", "fanout", "min_count", "min_hits", "l2", "rate", "precision")
        if getattr(args, name) is not None
    }
    assert MOVES == ALL_MOVES  # the weights index moves in this order
    named = tuning_named()
    for language in args.language or sorted({e.language for _, e in named}):
        settings = replace(LANGUAGE_SETTINGS.get(language, Settings()), **changes)
        part = [(s, e) for s, e in named if e.language == language]
        model, rows, scores, adds = build(language, part, settings)
        print(f"{language}: {len(rows)} tuning messages, {settings}")
        report(rows, scores, adds)
        data = model.to_json()
        pairs = sum(len(row) for row in data["weights"].values())
        print(f"  {len(data['weights'])} features, {pairs} weights kept")
        if not args.check:
            path = model_path(language)
            path.parent.mkdir(exist_ok=True)
            path.write_text(
                json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n",
                "utf-8",
            )
            print(f"  wrote {path} ({path.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
