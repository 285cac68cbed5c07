"""The learned component's contract (scenarios/cues/model.py), on a tiny hand-made model: it adds
a move the rules missed above `add`, vetoes a rule's move below `veto`, never vetoes a teacher's
own phrase, keeps evidence spans in the original text, and survives a JSON round trip."""

from __future__ import annotations

import json

from scenarios.cues import MOVES, Recogniser
from scenarios.cues.model import MoveModel, Signals, features, merge_weights

INDEX = {move: index for index, move in enumerate(MOVES)}


def tiny_model() -> MoveModel:
    rows = [
        ("回头", INDEX["empathise"], 3.0),  # an invented cue the lexicon does not know
        ("r:apologise", INDEX["apologise"], 1.0),
        ("拒绝", INDEX["apologise"], -9.0),
    ]
    return MoveModel(
        language="zh-hans",
        moves=MOVES,
        bias=tuple([-1.0] * len(MOVES)),
        weights=merge_weights(rows),
        add=tuple(1.5 for _ in MOVES),
        veto=tuple(-2.0 for _ in MOVES),
    )


def recogniser(extra=None) -> Recogniser:
    base = Recogniser.load("zh-hans", extra=extra)
    return Recogniser(base.lexicon, tiny_model())


def test_features_are_ngrams_of_the_padded_text_plus_signals():
    names = features("你好", Signals(rule_moves=frozenset({"greet"}), turn=1), ngrams=(1, 2))
    assert {"^", "你", "好", "$", "^你", "你好", "好$"} <= set(names)
    assert "r:greet" in names
    assert "t:first" in names
    assert "c:none" in names


def test_a_confident_score_adds_a_move_with_evidence_in_the_original_text():
    text = "嗯嗯,回头"
    found = recogniser().recognise(text)
    assert "empathise" in found.moves
    (evidence,) = found.evidence_for("empathise")
    assert evidence.rule == "model.empathise"
    assert text[evidence.start : evidence.end] == evidence.text == "回头"


def test_a_very_low_score_vetoes_a_rule_move_and_rules_only_keeps_it():
    text = "非常抱歉,拒绝"
    assert "apologise" in recogniser().recognise(text, rules_only=True).moves
    assert "apologise" not in recogniser().recognise(text).moves


def test_a_teachers_own_phrase_is_never_vetoed():
    found = recogniser(extra={"apologise": ["拒绝"]}).recognise("拒绝")
    assert "apologise" in found.moves


def test_the_model_round_trips_through_json():
    model = tiny_model()
    again = MoveModel.from_json(json.loads(json.dumps(model.to_json())))
    signals = Signals(rule_moves=frozenset({"apologise"}))
    assert again.scores("回头见", signals) == model.scores("回头见", signals)
