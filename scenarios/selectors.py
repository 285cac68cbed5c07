"""Reads for the lexicon editor."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.http import Http404

from scenarios import cues
from scenarios.messages import move_label
from scenarios.models import CuePhrase
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
