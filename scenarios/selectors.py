"""Reads for the lexicon editor and the scenario library."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404
from django.utils.translation import gettext

from scenarios import cues, flow
from scenarios.messages import OUTCOME_LABELS, PERSONA_LABELS, move_label, transition_label
from scenarios.models import CuePhrase, Kind, ScenarioVersion
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


def _visible_versions(user):
    newest = ScenarioVersion.objects.filter(scenario=OuterRef("scenario")).order_by("-number")
    return ScenarioVersion.objects.filter(
        Q(scenario__owner__isnull=True) | Q(scenario__owner=user),
        number=Subquery(newest.values("number")[:1]),
    ).select_related("scenario")


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


def scenario_version_for(user, scenario_id: int) -> ScenarioVersion:
    """The newest version of a scenario the instructor may see: the library's or their own."""
    _instructor(user)
    version = _visible_versions(user).filter(scenario_id=scenario_id).first()
    if version is None:
        raise Http404
    return version


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
