"""Reads for the lexicon editor and the scenario library."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404
from django.utils.translation import gettext

from scenarios import cues, flow
from scenarios.diff import Diff, line_diff
from scenarios.messages import OUTCOME_LABELS, PERSONA_LABELS, move_label, transition_label
from scenarios.models import CuePhrase, Kind, Scenario, ScenarioVersion
from scenarios.schema import Ending, Script, State
from scenarios.services import extra_phrases, recogniser_for_instructor

SAMPLES_DIR = Path(settings.BASE_DIR) / "fixtures" / "cue-samples"
MAX_SAMPLES = 400


@dataclass(frozen=True)
class MoveRow:
    move: str
    label: str
    phrases: list[CuePhrase]
    builtin: tuple[str, ...] = ()  # the shipped lexicon's, read-only

    @property
    def builtin_head(self) -> tuple[str, ...]:
        return self.builtin[:BUILTIN_SHOWN]

    @property
    def builtin_rest(self) -> tuple[str, ...]:
        return self.builtin[BUILTIN_SHOWN:]


BUILTIN_SHOWN = 12  # the rest fold away behind "more"


def lexicon_rows(owner, language: str) -> list[MoveRow]:
    """Every move with the shipped phrases for it and the instructor's own."""
    mine: dict[str, list[CuePhrase]] = {}
    for cue in CuePhrase.objects.filter(owner=owner, language=language):
        mine.setdefault(cue.move, []).append(cue)
    shipped = cues.recogniser_for(language)
    return [
        MoveRow(move, move_label(move), mine.get(move, []), shipped.phrases(move))
        for move in cues.MOVES
    ]


def cue_phrase_for(owner, cue_id: int) -> CuePhrase:
    cue = CuePhrase.objects.filter(pk=cue_id, owner=owner).first()
    if cue is None:
        raise Http404
    return cue


def sample_messages(language: str, *, recent: list[str]) -> list[str]:
    """Messages to try a phrase on: the class's recent replies, then the shipped samples."""
    path = SAMPLES_DIR / f"{language}.txt"
    shipped = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    seen: dict[str, None] = {}
    for text in [*recent, *shipped]:
        text = text.strip()
        if text and not text.startswith("#"):
            seen.setdefault(text, None)
    return list(seen)[:MAX_SAMPLES]


@dataclass(frozen=True)
class PreviewRow:
    text: str
    before: str
    match: str
    after: str
    new: bool  # matched only because of the phrase being tried


def preview_phrase(
    owner_id: int, *, language: str, move: str, phrase: str, samples: list[str]
) -> list[PreviewRow]:
    """Which samples show `move` once `phrase` is added, marking those it newly catches."""
    phrase = " ".join(phrase.split())
    if move not in cues.MOVES or not phrase:
        return []
    current = recogniser_for_instructor(owner_id, language)
    extra = {m: list(p) for m, p in extra_phrases(owner_id, language).items()}
    extra.setdefault(move, []).append(phrase)
    trial = cues.Recogniser.load(language, extra=extra)
    rows = []
    for text in samples:
        found = trial.recognise(text)
        if move not in found.moves:
            continue
        span = next((e for e in found.evidence if e.move == move), None)
        start, end = (span.start, span.end) if span else (0, 0)
        rows.append(
            PreviewRow(
                text=text,
                before=text[:start],
                match=text[start:end],
                after=text[end:],
                new=move not in current.recognise(text).moves,
            )
        )
    rows.sort(key=lambda row: not row.new)
    return rows


# ------------------------------------------------------------------ the scenario library


@dataclass(frozen=True)
class LibraryRow:
    version: ScenarioVersion
    mine: bool


def _instructor(user) -> None:
    # The library is the teachers': anyone else gets the same 404 as for a missing scenario.
    if not getattr(user, "is_instructor", False):
        raise Http404


def _visible(user) -> Q:
    return Q(scenario__owner__isnull=True) | Q(scenario__owner=user)


def _visible_versions(user):
    newest = ScenarioVersion.objects.filter(scenario=OuterRef("scenario")).order_by("-number")
    return ScenarioVersion.objects.filter(
        _visible(user), number=Subquery(newest.values("number")[:1])
    ).select_related("scenario")


def library_versions_for(user) -> list[ScenarioVersion]:
    """What an instructor may assign: the newest version of each library scenario and of theirs."""
    return [row.version for row in library_for(user)]


def library_for(
    user, *, kind: str = "", language: str = "", shop_type: str = ""
) -> list[LibraryRow]:
    """The newest version of each library scenario and of the instructor's own, filtered."""
    _instructor(user)
    versions = _visible_versions(user)
    for field, value in (("kind", kind), ("language", language), ("shop_type", shop_type)):
        if value:
            versions = versions.filter(**{field: value})
    order = {kind: i for i, kind in enumerate(Kind.values)}  # pre-sale, in-sale, after-sale
    rows = [LibraryRow(v, mine=v.scenario.owner_id == user.pk) for v in versions]
    return sorted(
        rows,
        key=lambda r: (order[r.version.kind], r.version.language != "zh-hans", r.version.title),
    )


def scenario_version_for(user, scenario_id: int, *, number: int | None = None) -> ScenarioVersion:
    """A version of a scenario the instructor may see (the library's or their own): version
    `number`, or the newest."""
    _instructor(user)
    if number is None:
        version = _visible_versions(user).filter(scenario_id=scenario_id).first()
    else:
        version = (
            ScenarioVersion.objects.filter(_visible(user), scenario_id=scenario_id, number=number)
            .select_related("scenario")
            .first()
        )
    if version is None:
        raise Http404
    return version


def own_scenario_for(user, scenario_id: int) -> Scenario:
    """A scenario the instructor owns, to edit or test-play; library scenarios are read-only
    (they are cloned), and another teacher's is as missing as one that does not exist."""
    _instructor(user)
    scenario = Scenario.objects.filter(pk=scenario_id, owner=user).first()
    if scenario is None or scenario.latest is None:
        raise Http404
    return scenario


# ------------------------------------------------------------------ versions and their use


@dataclass(frozen=True)
class VersionUse:
    """An assignment of one of the teacher's classes that runs a version of the scenario."""

    classroom: str
    number: int  # the version it runs
    started: int  # students who have started it: once one has, it stays on its version
    classroom_url: str
    move_url: str  # POST here (with CSRF) to move it to the newest version


# Assignments live in `simulator`, which this app may not import (DESIGN.md: imports point up):
# simulator registers its reader at start-up (simulator/apps.py), as it connects its receivers.
UsageReader = Callable[[Any, int], list[VersionUse]]
_usage_readers: list[UsageReader] = []


def register_usage_reader(reader: UsageReader) -> None:
    """Let an app above list the teacher's uses of a scenario's versions (idempotent)."""
    if reader not in _usage_readers:
        _usage_readers.append(reader)


@dataclass(frozen=True)
class HistoryRow:
    version: ScenarioVersion
    uses: list[VersionUse]


@dataclass(frozen=True)
class History:
    rows: list[HistoryRow]  # newest first
    newest: ScenarioVersion
    uses: list[VersionUse]  # every assignment of the teacher's classes, any version

    @property
    def numbers(self) -> list[int]:
        return [row.version.number for row in self.rows]


def scenario_history(user, scenario_id: int) -> History:
    """Every version of a scenario the instructor may see, newest first, each with the
    instructor's assignments that run it."""
    _instructor(user)
    versions = list(
        ScenarioVersion.objects.filter(_visible(user), scenario_id=scenario_id)
        .select_related("scenario", "saved_by")
        .order_by("-number")
    )
    if not versions:
        raise Http404
    uses = sorted(
        (use for reader in _usage_readers for use in reader(user, scenario_id)),
        key=lambda use: (-use.number, use.classroom),
    )
    rows = [HistoryRow(v, [use for use in uses if use.number == v.number]) for v in versions]
    return History(rows=rows, newest=versions[0], uses=uses)


@dataclass(frozen=True)
class VersionComparison:
    old: ScenarioVersion
    new: ScenarioVersion
    diff: Diff


def compare_versions(history: History, *, old: int, new: int) -> VersionComparison:
    """The line diff of two versions of the history's scenario; Http404 for a missing number."""
    by_number = {row.version.number: row.version for row in history.rows}
    if old not in by_number or new not in by_number:
        raise Http404
    return VersionComparison(
        by_number[old], by_number[new], line_diff(by_number[old].source, by_number[new].source)
    )


@dataclass(frozen=True)
class Step:
    """One state of the script as the step list shows it."""

    name: str
    say: list[str]
    start: bool
    moves: list[tuple[str, str]]  # (what the student does, the next state)
    ending: Ending | None
    ending_name: str
    outcome_label: str


@dataclass(frozen=True)
class Preview:
    version: ScenarioVersion
    script: Script
    opening: list[str]  # the customer's first line, in each of its variants
    flow: flow.Flow
    steps: list[Step]
    persona_type: str
    stock_rows: list[tuple[str, str, int]]  # product, variant, count
    endings: list[tuple[str, Ending, str]]  # name, ending, its outcome in words


def scenario_preview(version: ScenarioVersion) -> Preview:
    """What the detail page shows: the script, its diagram and its states as steps, in order."""
    script = version.script
    diagram = flow.layout(script, label=transition_label, caption=_caption(script))
    placed = sorted(diagram.nodes, key=lambda n: (n.rank, n.x))
    steps = []
    for node in placed:
        state = script.states[node.name]
        ending = script.endings.get(state.end) if state.end else None
        steps.append(
            Step(
                name=node.name,
                say=state.say,
                start=node.start,
                moves=[] if ending else [(transition_label(t), t.to) for t in state.transitions],
                ending=ending,
                ending_name=state.end or "",
                outcome_label=str(OUTCOME_LABELS[ending.outcome]) if ending else "",
            )
        )
    opening = script.states[script.start].say
    return Preview(
        version,
        script,
        opening=opening,
        flow=diagram,
        steps=steps,
        persona_type=str(PERSONA_LABELS.get(script.persona.type, script.persona.type)),
        stock_rows=[
            (product.name, variant, count)
            for product in script.shop.products
            for variant, count in product.stock.items()
        ],
        endings=[
            (name, ending, str(OUTCOME_LABELS[ending.outcome]))
            for name, ending in script.endings.items()
        ],
    )


def _caption(script: Script):
    def caption(name: str, state: State) -> str:
        if state.end is not None and state.end in script.endings:
            ending = script.endings[state.end]
            outcome = str(OUTCOME_LABELS[ending.outcome])
            line = state.say[0] if state.say else gettext("(leaves silently)")
            return f"{outcome} · {line}"
        return state.say[0] if state.say else gettext("(says nothing)")

    return caption
