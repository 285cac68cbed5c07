"""Scenario library operations: load scripts into immutable versions, recognise moves."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.db import transaction

from scenarios import cues
from scenarios.models import Scenario, ScenarioVersion
from scenarios.schema import Problem, ScenarioError, Script, parse_source

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int


@transaction.atomic
def store_scenario(source: str, *, owner=None) -> tuple[ScenarioVersion, str]:
    """Validate `source` and store it as a new version unless the latest one is identical.

    Returns the version and what happened: "created", "updated" or "unchanged".
    """
    script = parse_source(source)  # ScenarioError names line and field
    scenario, new = Scenario.objects.get_or_create(slug=script.id, defaults={"owner": owner})
    latest = scenario.versions.order_by("-number").first()
    if latest is not None and latest.source == source:
        return latest, "unchanged"
    version = scenario.versions.create(
        number=(latest.number + 1) if latest else 1,
        source=source,
        kind=script.kind,
        language=script.language,
        title=script.title,
    )
    return version, "created" if new else "updated"


def load_library(directory: Path) -> LoadResult:
    """Load every `*.yaml` under `directory`; a changed file becomes a new version."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for path in sorted(directory.glob("*.yaml")):
        try:
            _version, status = store_scenario(path.read_bytes().decode("utf-8-sig"))
        except UnicodeDecodeError as error:
            raise ScenarioError(
                [Problem(None, path.name, f"not UTF-8 text ({error.reason})")]
            ) from None
        except ScenarioError as error:
            raise ScenarioError(
                [
                    Problem(p.line, f"{path.name}: {p.path}" if p.path else path.name, p.message)
                    for p in error.problems
                ]
            ) from None
        counts[status] += 1
    return LoadResult(**counts)


@lru_cache(maxsize=256)
def script_of(version_id: int, source: str) -> Script:
    """The parsed script of a stored version, parsed once per process."""
    return parse_source(source)


@lru_cache(maxsize=256)
def _facts_of(version_id: int, source: str) -> cues.ShopFacts | None:
    script = script_of(version_id, source)
    return cues.facts_from_mapping(script.model_dump(include={"shop", "order"}, mode="json"))


def recognise(
    text: str, *, version: ScenarioVersion, context: str | None = None
) -> cues.Recognition:
    """The agent moves in `text`, judged against the scenario's facts and the customer's last line."""
    facts = _facts_of(version.pk, version.source)
    return cues.recogniser_for(version.language).recognise(text, facts=facts, context=context)
