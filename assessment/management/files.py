"""File readers shared by the batch commands (classify_moves, score_transcript): each failure
becomes a CommandError naming the file and the field."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from assessment.scoring.transcript import Transcript, TranscriptError, parse_transcript
from scenarios.cues import ShopFacts, facts_from_mapping
from scenarios.schema import ScenarioError, parse_source


def read_scenario(path: Path) -> tuple[ShopFacts | None, str]:
    """The scenario's facts (shop and order) and its kind."""
    try:
        script = parse_source(path.read_bytes())
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror}") from error
    except ScenarioError as error:
        raise CommandError(f"{path}: {error}") from error
    facts = facts_from_mapping(
        script.model_dump(include={"shop", "order"}, mode="json", exclude_none=True)
    )
    return facts, script.kind


def read_transcript(path: Path) -> Transcript:
    try:
        return parse_transcript(path.read_bytes())
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror}") from error
    except (TranscriptError, ValueError) as error:
        raise CommandError(f"{path}: {error}") from error
