"""Accuracy floor on the labelled development set (tests/data/moves/)."""

from __future__ import annotations

from collections import Counter

from bench.recogniser import dev_examples, evaluate
from scenarios.cues import MOVES


def test_the_dev_set_is_large_and_covers_every_move() -> None:
    examples = dev_examples()
    assert len(examples) >= 400
    assert len({e.id for e in examples}) == len(examples)
    languages = Counter(e.language for e in examples)
    assert languages["zh-hans"] >= 300
    assert languages["en"] >= 100
    counts = Counter(move for e in examples for move in e.moves)
    assert all(counts[move] >= 15 for move in MOVES), counts
    assert sum(1 for e in examples if not e.moves) >= 30  # negatives matter too


def test_dev_set_macro_f1_is_at_least_085_with_no_move_below_07() -> None:
    score, _ = evaluate(dev_examples())
    assert score.macro_f1() >= 0.85
    worst, f1 = score.lowest()
    assert f1 >= 0.7, worst


def test_each_language_clears_the_floor_on_its_own() -> None:
    examples = dev_examples()
    for language in ("zh-hans", "en"):
        score, _ = evaluate([e for e in examples if e.language == language])
        assert score.macro_f1() >= 0.8, language
