"""The learned component's contract (scenarios/cues/model.py), on a tiny hand-made model: it adds
a move the rules missed at or above `add`, never removes a rule's move (it does not read the
rules' verdict), keeps evidence spans in the original text, sums exactly in its packed form,
and survives a JSON round trip; without a weights file the rules decide alone."""

from __future__ import annotations

import json

import pytest

from bench.train_moves import Row, Settings, prune, threshold
from scenarios.cues import MOVES, Recogniser
from scenarios.cues.model import (
    NEVER,
    MoveModel,
    Signals,
    features,
    load_model,
    merge_weights,
    model_path,
    pack,
    unpack,
)

INDEX = {move: index for index, move in enumerate(MOVES)}


def tiny_model() -> MoveModel:
    rows = [
        ("回", INDEX["empathise"], 2.0),  # invented cues the lexicon does not know
        ("头", INDEX["empathise"], 1.5),
        ("抱", INDEX["apologise"], -9.0),  # a strong negative: still no veto of the rules
        ("w:grumpy", INDEX["rude"], 4.0),
    ]
    add = [NEVER] * len(MOVES)
    add[INDEX["empathise"]] = 2.5
    add[INDEX["rude"]] = 2.5
    return MoveModel(
        language="zh-hans",
        moves=MOVES,
        bias=tuple([-1.0] * len(MOVES)),
        weights=merge_weights(rows),
        add=tuple(add),
        ngrams=(1, 1),
        words=True,
    )


def recogniser(extra=None) -> Recogniser:
    base = Recogniser.load("zh-hans", extra=extra)
    return Recogniser(base.lexicon, tiny_model())


def test_features_are_ngrams_of_the_padded_text_words_and_signals():
    names = features("你好", Signals(turn=1, kind="order", facts_named=3), ngrams=(1, 2))
    assert names == ["^", "你", "好", "$", "^你", "你好", "好$", "f:2", "k:order", "t:first"]
    assert features("hi u ok", Signals(), ngrams=(0, 0), words=True) == ["w:hi", "w:u", "w:ok"]
    assert features("好", Signals(), ngrams=(2, 3)) == ["^好", "好$", "^好$"]


def test_a_confident_score_adds_a_move_with_evidence_in_the_original_text():
    text = "嗯嗯,回头"
    found = recogniser().recognise(text)
    assert "empathise" in found.moves
    (evidence,) = found.evidence_for("empathise")
    assert evidence.rule == "model.empathise"
    assert text[evidence.start : evidence.end] == evidence.text == "回"
    assert "empathise" not in recogniser().recognise(text, rules_only=True).moves


def test_below_the_threshold_nothing_is_added():
    assert "empathise" not in recogniser().recognise("嗯嗯,头").moves  # -1 + 1.5 < 2.5


def test_a_rules_move_is_never_removed_however_low_the_score():
    text = "非常抱歉"
    assert "apologise" in recogniser().recognise(text, rules_only=True).moves
    assert "apologise" in recogniser().recognise(text).moves


def test_packed_sums_are_exact_per_move_with_negative_weights():
    a = pack({0: 1.5, 3: -2.25, 14: 0.001}, 15)
    b = pack({0: -3.0, 3: -1.0, 7: 4.0}, 15)
    sums = unpack(a + b + pack({14: -0.002}, 15), 15)
    assert (sums[0], sums[3], sums[7]) == (-1.5, -3.25, 4.0)
    assert sums[14] == pytest.approx(-0.001)
    assert [s for i, s in enumerate(sums) if i not in (0, 3, 7, 14)] == [0.0] * 11


def test_scores_are_the_bias_plus_the_weights_of_the_features_present():
    scores = tiny_model().scores("回头回", Signals())
    assert scores[INDEX["empathise"]] == pytest.approx(-1.0 + 2.0 * 2 + 1.5)
    assert scores[INDEX["greet"]] == -1.0


def test_the_model_round_trips_through_json():
    model = tiny_model()
    again = MoveModel.from_json(json.loads(json.dumps(model.to_json())))
    signals = Signals(turn=2)
    assert again.scores("回头见 grumpy", signals) == model.scores("回头见 grumpy", signals)
    assert again.add == model.add


def test_a_threshold_needs_the_precision_at_every_cut_above_it():
    settings = Settings(precision=0.75, min_hits=2)
    scores = [9.0, 8.0, 7.0, 6.0, 5.0, 4.0]
    assert threshold(scores, [True, True, True, False, False, True], settings) == 6.0
    assert threshold(scores, [False, True, True, True, True, True], settings) == NEVER
    assert threshold(scores, [True, False, False, False, False, False], settings) == NEVER


def test_pruning_keeps_each_moves_strongest_features():
    weights = {"a": [3.0] + [0.0] * 14, "b": [-5.0] + [0.0] * 14, "c": [1.0] + [0.0] * 14}
    kept = prune(weights, keep=2)
    assert set(kept) == {"a", "b"}
    assert Row(("a",), frozenset(), frozenset(), "g", "dev").features == ("a",)


def test_a_language_without_a_weights_file_runs_on_rules_alone(tmp_path, monkeypatch):
    monkeypatch.setattr("scenarios.cues.model.MODEL_DIR", tmp_path)
    load_model.cache_clear()
    try:
        assert load_model("zh-hans") is None
        model_path("zh-hans").write_text(json.dumps(tiny_model().to_json()), "utf-8")
        load_model.cache_clear()
        loaded = load_model("zh-hans")
        assert loaded is not None
        assert loaded.add == tiny_model().add
    finally:
        load_model.cache_clear()


def test_training_is_seeded_so_the_same_data_gives_the_same_weights():
    from bench.train_moves import train

    rows = [
        Row(("^", "回", "头", "$"), frozenset({"empathise"}), frozenset(), "a", "dev"),
        Row(("^", "回", "见", "$"), frozenset({"farewell"}), frozenset(), "b", "dev"),
        Row(("^", "抱", "歉", "$"), frozenset({"apologise"}), frozenset(), "c", "dev"),
    ] * 3
    settings = Settings(epochs=3, min_count=1, keep=5)
    first, second = train(rows, settings), train(rows, settings)
    assert first == second
    _bias, weights = first
    assert weights["头"][INDEX["empathise"]] > 0 > weights["头"][INDEX["apologise"]]
