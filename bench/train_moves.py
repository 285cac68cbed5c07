"""Trains the move model (scenarios/cues/model.py): `python -m bench.train_moves` from the repo root.

Reads ONLY the tuning parts of the labelled sets (bench/sealed.py; the sealed parts are never
loaded into the trainer), trains one logistic regression per move over the features the
recogniser will feed it (character n-grams, the rules' verdict, the customer's line, the order's
facts, kind and turn), calibrates each move's add and veto thresholds on out-of-fold scores
(five folds, a transcript never split across folds), then trains on all tuning data and writes
`scenarios/cues/models/<language>.json`. Pure Python and seeded: the same data gives the same
file, byte for byte. Corpus text stays in ../shared; only weights are written.

    python -m bench.train_moves            # train and write both languages
    python -m bench.train_moves --check    # train, print the cross-validated figures, write nothing
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bench.recogniser import Example, tuning_examples
from scenarios.cues import MOVES, Recogniser
from scenarios.cues.model import MoveModel, features, merge_weights, model_path, sigmoid
from scenarios.cues.types import MOVES as ALL_MOVES

SEED = 20261202
FOLDS = 5


@dataclass(frozen=True)
class Settings:
    epochs: int = 12
    rate: float = 0.3  # AdaGrad's base step
    l2: float = 1e-4
    min_count: int = 2  # a feature seen fewer times in training is left out
    prune: float = 0.03  # weights smaller than this are not shipped
    ngrams: tuple[int, int] = (1, 3)
    words: bool = False
    rules: bool = True  # the rules' verdict as features (stacking) or not


LANGUAGE_SETTINGS = {"zh-hans": Settings(), "en": Settings(ngrams=(2, 4), words=True)}


@dataclass(frozen=True)
class Row:
    features: tuple[str, ...]
    gold: frozenset[str]
    rules: frozenset[str]
    group: str


def rows_for(examples: Sequence[Example], recogniser: Recogniser, settings: Settings) -> list[Row]:
    rows = []
    for example in examples:
        body, signals = recogniser.model_input(
            example.text,
            facts=example.facts,
            context=example.context or None,
            kind=example.kind,
            turn=example.turn,
        )
        names = features(
            body, signals, ngrams=settings.ngrams, words=settings.words, rules=settings.rules
        )
        rows.append(
            Row(
                tuple(dict.fromkeys(names)),
                example.moves,
                signals.rule_moves,
                example.group or example.id,
            )
        )
    return rows


def train(rows: Sequence[Row], settings: Settings) -> tuple[list[float], dict[str, list[float]]]:
    """One-vs-rest logistic regression by AdaGrad, in a seeded order."""
    counts = Counter(name for row in rows for name in row.features)
    vocabulary = {name for name, count in counts.items() if count >= settings.min_count}
    size = len(MOVES)
    weights: dict[str, list[float]] = {name: [0.0] * size for name in sorted(vocabulary)}
    squares: dict[str, list[float]] = {name: [1e-8] * size for name in weights}
    bias = [0.0] * size
    bias_squares = [1e-8] * size
    data = [([name for name in row.features if name in vocabulary], row.gold) for row in rows]
    order = list(range(len(data)))
    rng = random.Random(SEED)
    for _epoch in range(settings.epochs):
        rng.shuffle(order)
        for position in order:
            names, gold = data[position]
            vectors = [weights[name] for name in names]
            for move_index, move in enumerate(MOVES):
                total = bias[move_index]
                for vector in vectors:
                    total += vector[move_index]
                error = sigmoid(total) - (1.0 if move in gold else 0.0)
                bias_squares[move_index] += error * error
                bias[move_index] -= settings.rate * error / math.sqrt(bias_squares[move_index])
                for name, vector in zip(names, vectors, strict=True):
                    gradient = error + settings.l2 * vector[move_index]
                    square = squares[name]
                    square[move_index] += gradient * gradient
                    vector[move_index] -= settings.rate * gradient / math.sqrt(square[move_index])
    return bias, weights


def logits(bias: Sequence[float], weights: dict[str, list[float]], row: Row) -> list[float]:
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
    scores: list[list[float] | None] = [None] * len(rows)
    for fold in range(FOLDS):
        train_rows = [row for row in rows if fold_of(row.group) != fold]
        bias, weights = train(train_rows, settings)
        for index, row in enumerate(rows):
            if fold_of(row.group) == fold:
                scores[index] = logits(bias, weights, row)
    return [score for score in scores if score is not None]


ADD_GRID = [x / 4 for x in range(-4, 25)] + [math.inf]  # -1.0 … 6.0, never
VETO_GRID = [-math.inf] + [x / 4 for x in range(-24, 5)]  # never, -6.0 … 1.0


def f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else (1.0 if not fp and not fn else 0.0)


def decide(rule: bool, score: float, add: float, veto: float) -> bool:
    return score >= veto if rule else score >= add


def calibrate(rows: Sequence[Row], scores: Sequence[Sequence[float]]) -> tuple[list, list]:
    """Per move, the (add, veto) pair with the best out-of-fold F1; ties keep the rules
    (higher add, lower veto)."""
    adds, vetoes = [], []
    for index, move in enumerate(MOVES):
        gold = [move in row.gold for row in rows]
        rule = [move in row.rules for row in rows]
        score = [s[index] for s in scores]
        best = (-1.0, 0.0, 0.0, 0.0)
        for add in ADD_GRID:
            for veto in VETO_GRID:
                if veto > add:
                    continue
                tp = fp = fn = 0
                for g, r, s in zip(gold, rule, score, strict=True):
                    p = decide(r, s, add, veto)
                    tp += g and p
                    fp += p and not g
                    fn += g and not p
                candidate = (f1(tp, fp, fn), add, -veto if veto != -math.inf else math.inf)
                if candidate > best[:3]:
                    best = (*candidate, veto)
        adds.append(best[1])
        vetoes.append(best[3])
    return adds, vetoes


def macro(rows: Sequence[Row], predict) -> float:
    values = []
    for move in MOVES:
        tp = fp = fn = 0
        for row in rows:
            p, g = predict(row, move), move in row.gold
            tp += g and p
            fp += p and not g
            fn += g and not p
        if tp + fn:
            values.append(f1(tp, fp, fn))
    return sum(values) / len(values) if values else 0.0


def build(language: str, examples: Sequence[Example], check: bool) -> MoveModel:
    settings = LANGUAGE_SETTINGS.get(language, Settings())
    recogniser = Recogniser.load(language)
    rows = rows_for(examples, recogniser, settings)
    scores = out_of_fold(rows, settings)
    adds, vetoes = calibrate(rows, scores)
    index_of = {move: index for index, move in enumerate(MOVES)}
    rules_f1 = macro(rows, lambda row, move: move in row.rules)
    by_row = dict(zip(map(id, rows), scores, strict=True))

    def combined(row: Row, move: str) -> bool:
        i = index_of[move]
        return decide(move in row.rules, by_row[id(row)][i], adds[i], vetoes[i])

    for move in MOVES:
        counts = [[0, 0, 0], [0, 0, 0]]
        for row in rows:
            g = move in row.gold
            for k, p in enumerate((move in row.rules, combined(row, move))):
                counts[k][0] += g and p
                counts[k][1] += p and not g
                counts[k][2] += g and not p
        print(
            f"    {move:<11} n={counts[0][0] + counts[0][2]:<4} rules {f1(*counts[0]):.2f}"
            f"  with model {f1(*counts[1]):.2f}"
        )
    print(
        f"{language}: {len(rows)} tuning messages; cross-validated macro-F1 rules {rules_f1:.3f}, "
        f"rules+model {macro(rows, combined):.3f} (thresholds fitted on the same folds: optimistic)"
    )
    bias, weights = train(rows, settings)
    kept = (
        (name, index, weight)
        for name, vector in weights.items()
        for index, weight in enumerate(vector)
        if abs(weight) >= settings.prune
    )
    return MoveModel(
        language=language,
        moves=MOVES,
        bias=tuple(bias),
        weights=merge_weights(kept),
        add=tuple(adds),
        veto=tuple(vetoes),
        ngrams=settings.ngrams,
        words=settings.words,
        rules=settings.rules,
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="print the figures, write nothing")
    parser.add_argument("--language", action="append", help="only this language (repeatable)")
    parser.add_argument("--epochs", type=int, help="override the epochs (experiments)")
    parser.add_argument("--l2", type=float, help="override the L2 penalty (experiments)")
    parser.add_argument("--no-rule-features", action="store_true", help="(experiments)")
    args = parser.parse_args(argv)
    for language, settings in LANGUAGE_SETTINGS.items():
        changes = {"epochs": args.epochs, "l2": args.l2}
        if args.no_rule_features:
            changes["rules"] = False
        LANGUAGE_SETTINGS[language] = replace(
            settings, **{k: v for k, v in changes.items() if v is not None}
        )
    assert MOVES == ALL_MOVES  # the weights index moves in this order
    examples = tuning_examples()
    assert not any(example.sealed for example in examples)
    for language in args.language or sorted({e.language for e in examples}):
        model = build(language, [e for e in examples if e.language == language], args.check)
        data = model.to_json()
        print(
            f"  {len(data['weights'])} features kept; add "
            + " ".join(f"{m}={a:g}" for m, a in zip(MOVES, model.add, strict=True))
        )
        print(
            "  veto "
            + " ".join(
                f"{m}={v:g}" for m, v in zip(MOVES, model.veto, strict=True) if v != -math.inf
            )
        )
        if not args.check:
            path = model_path(language)
            path.parent.mkdir(exist_ok=True)
            data["veto"] = [v if v != -math.inf else -1e9 for v in data["veto"]]
            path.write_text(
                json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n",
                "utf-8",
            )
            print(f"  wrote {path} ({path.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
