"""What the rules alone find in a mid-conversation line: the helpers of the rule-family tests
read from blind batches (test_rule_families_w6.py, _w7.py)."""

from __future__ import annotations

from scenarios.cues import recogniser_for


def zh(text: str, context: str | None = None) -> frozenset[str]:
    return recogniser_for("zh-hans").recognise(text, context=context, turn=3, rules_only=True).moves


def en(text: str, context: str | None = None) -> frozenset[str]:
    return recogniser_for("en").recognise(text, context=context, turn=3, rules_only=True).moves
