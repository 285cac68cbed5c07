"""Moves of every agent line of a transcript, with their evidence (manage.py classify_moves)."""

from __future__ import annotations

from typing import Any

from assessment.scoring.transcript import Transcript
from scenarios.cues import Recogniser, ShopFacts, facts_from_mapping, recogniser_for


def classify(
    transcript: Transcript,
    *,
    facts: ShopFacts | None = None,
    recogniser: Recogniser | None = None,
) -> dict[str, Any]:
    """`{"messages": [{"seq", "moves", "evidence", "claims"}]}` for the agent lines.

    Facts come from the scenario when given, else from the transcript's own `shop_facts`.
    """
    recogniser = recogniser or recogniser_for(transcript.language)
    if facts is None and transcript.shop_facts is not None:
        facts = facts_from_mapping(transcript.shop_facts)
    results = []
    for turn, line in enumerate(transcript.student_lines(), start=1):
        found = recogniser.recognise(
            line.text,
            facts=facts,
            context=transcript.context_of(line),
            kind=transcript.kind,
            turn=turn,
        )
        data = found.to_json()
        results.append({"seq": line.seq, **data})
    return {"messages": results}
