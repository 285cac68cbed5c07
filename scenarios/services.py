"""Scenario library operations: load scripts into immutable versions, recognise moves."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from scenarios import cues
from scenarios.models import CuePhrase, Scenario, ScenarioVersion
from scenarios.schema import Problem, ScenarioError, Script, check_source, parse_source, problem

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int


@transaction.atomic
def store_scenario(source: str, *, owner=None, saved_by=None) -> tuple[ScenarioVersion, str]:
    """Validate `source` and store it as a new version unless the latest one is identical.

    Returns the version and what happened: "created", "updated" or "unchanged". The version
    records who saved it: `saved_by`, else `owner` (None for the shipped library).
    """
    script = parse_source(source)  # ScenarioError names line and field
    scenario, new = Scenario.objects.get_or_create(slug=script.id, defaults={"owner": owner})
    version, stored = _store_version(scenario, source, script, saved_by=saved_by or owner)
    if not stored:
        return version, "unchanged"
    return version, "created" if new else "updated"


def _store_version(
    scenario: Scenario, source: str, script: Script, *, saved_by
) -> tuple[ScenarioVersion, bool]:
    # Locked, so two saves of one scenario cannot both take the same next number.
    Scenario.objects.select_for_update().filter(pk=scenario.pk).first()
    latest = scenario.versions.order_by("-number").first()
    if latest is not None and latest.source == source:
        return latest, False
    version = scenario.versions.create(
        number=(latest.number + 1) if latest else 1,
        source=source,
        kind=script.kind,
        language=script.language,
        title=script.title,
        summary=script.summary_line[:120],
        difficulty=script.difficulty,
        shop_type=script.shop.type,
        saved_by=saved_by,
    )
    return version, True


# ------------------------------------------------------------------ teachers' own scenarios

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "templates"
# A copy's title says it is one, in the scenario's own language (content, not interface).
COPY_SUFFIX = {"zh-hans": "（副本）", "en": " (copy)"}


def unique_slug(base: str) -> str:
    """`base`, or `base-2`, `base-3`…: a scenario identifier nobody uses yet."""
    base = base[:50].rstrip("-_") or "scenario"
    taken = set(Scenario.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _with_id(source: str, slug: str, *, title_suffix: str = "") -> str:
    from scenarios import editor  # the round-trip writer keeps comments and layout

    tree = editor.load(source)
    tree["id"] = slug
    if title_suffix and isinstance(tree.get("title"), str):
        tree["title"] = (tree["title"] + title_suffix)[:120]
    return editor.dump(tree)


@transaction.atomic
def create_own_scenario(source: str, *, owner) -> ScenarioVersion:
    """A new scenario of `owner` from a valid document: its id is kept if free, else made
    unique (and written into the document). Nothing is stored if the document has an error."""
    script = parse_source(source)
    slug = script.id
    if Scenario.objects.filter(slug=slug).exists():
        slug = unique_slug(f"{script.id}-t{owner.pk}")
        source = _with_id(source, slug)
        script = parse_source(source)
    scenario = Scenario.objects.create(slug=slug, owner=owner)
    version, _stored = _store_version(scenario, source, script, saved_by=owner)
    return version


def clone_scenario(version: ScenarioVersion, *, owner) -> ScenarioVersion:
    """A copy of `version` as the first version of a new scenario of `owner`."""
    script = version.script
    slug = unique_slug(f"{version.scenario.slug}-t{owner.pk}")
    source = _with_id(version.source, slug, title_suffix=COPY_SUFFIX.get(script.language, ""))
    return create_own_scenario(source, owner=owner)


def template_source(kind: str, language: str) -> str:
    """The starting document of a kind (pre-sale, order confirmation, after-sale)."""
    suffix = "en" if language == "en" else "zh"
    path = TEMPLATES_DIR / f"{kind}.{suffix}.yaml"
    if not path.is_file() or path.parent != TEMPLATES_DIR:
        raise ValueError(f"no template for {kind!r}")
    return path.read_text(encoding="utf-8")


def create_from_template(kind: str, *, language: str, owner) -> ScenarioVersion:
    """A new scenario of `owner` started from the template of `kind`."""
    source = template_source(kind, language)
    slug = unique_slug(f"my-{kind.replace('_', '-')}-t{owner.pk}")
    return create_own_scenario(_with_id(source, slug), owner=owner)


def import_scenario(source: str | bytes, *, owner) -> ScenarioVersion:
    """A new scenario of `owner` from an uploaded YAML file; ScenarioError (every problem,
    with line and field) stores nothing."""
    script, problems = check_source(source)
    if script is None:
        raise ScenarioError([p for p in problems if p.severity == "error"])
    text = source.decode("utf-8-sig") if isinstance(source, bytes) else source
    return create_own_scenario(text.removeprefix("\ufeff"), owner=owner)


class IdentifierChanged(ScenarioError):
    """The document names another scenario than the one being edited."""


@transaction.atomic
def save_scenario(scenario: Scenario, source: str, *, saved_by) -> tuple[ScenarioVersion, bool]:
    """Store the editor's document as the scenario's next version (unless it is unchanged).

    Returns the version and whether it is new. ScenarioError names every problem; the
    document's id must stay the scenario's (it is what versions and the library key on).
    """
    script = parse_source(source)
    if script.id != scenario.slug:
        raise IdentifierChanged([_identifier_problem(source, scenario.slug)])
    return _store_version(scenario, source, script, saved_by=saved_by)


def _identifier_problem(source: str, slug: str) -> Problem:
    line = next((n for n, text in enumerate(source.splitlines(), 1) if text.startswith("id:")), 1)
    message = _("the identifier names this scenario's versions and cannot change") + (
        " — " + _("Write id: %(slug)s.") % {"slug": slug}
    )
    return Problem(line, "id", message, 1, code="id_fixed", loc=("id",))


def load_library(directory: Path) -> LoadResult:
    """Load every `*.yaml` under `directory`; a changed file becomes a new version.

    All or nothing: every file is checked first, and one malformed file loads none of them,
    with the problems of every file reported together.
    """
    sources: list[str] = []
    problems: list[Problem] = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            source = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            problems.append(replace(problem("not_utf8", detail=error.reason), file=path.name))
            continue
        _script, found = check_source(source)
        problems += [replace(p, file=path.name) for p in found if p.severity == "error"]
        sources.append(source)
    if problems:
        raise ScenarioError(problems)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        for source in sources:
            _version, status = store_scenario(source)
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
    text: str,
    *,
    version: ScenarioVersion,
    context: str | None = None,
    instructor_id: int | None = None,
    turn: int | None = None,
) -> cues.Recognition:
    """The agent moves in `text`, judged against the scenario's facts and the customer's last line.

    `turn` is the agent's line number in the conversation (1 for the first: a 您好 there is a
    greeting), as the benchmark measures it. The instructor's own phrases (CuePhrase) count in
    their classes.
    """
    facts = _facts_of(version.pk, version.source)
    recogniser = recogniser_for_instructor(instructor_id, version.language)
    return recogniser.recognise(text, facts=facts, context=context, kind=version.kind, turn=turn)


# ------------------------------------------------------------------ instructors' phrases


class CueError(ValueError):
    """A phrase that cannot be added; the message is shown to the instructor."""


def extra_phrases(instructor_id: int | None, language: str) -> dict[str, tuple[str, ...]]:
    if instructor_id is None:
        return {}
    extra: dict[str, list[str]] = {}
    rows = CuePhrase.objects.filter(owner_id=instructor_id, language=language)
    for move, phrase in rows.values_list("move", "phrase"):
        extra.setdefault(move, []).append(phrase)
    return {move: tuple(sorted(phrases)) for move, phrases in extra.items()}


# The recogniser of each (instructor, language), kept on the chat path for PHRASES_TTL seconds.
# Invalidation: adding or removing a phrase clears this process's entry at once; other server
# processes see the change within PHRASES_TTL.
PHRASES_TTL = 10.0
_recognisers: dict[tuple[int | None, str], tuple[float, cues.Recogniser]] = {}


def recogniser_for_instructor(instructor_id: int | None, language: str) -> cues.Recogniser:
    """The shipped lexicon plus this instructor's phrases (one small query, compiled once)."""
    if instructor_id is None:
        return cues.recogniser_for(language)
    key = (instructor_id, language)
    now = time.monotonic()
    if (cached := _recognisers.get(key)) is not None and now - cached[0] < PHRASES_TTL:
        return cached[1]
    extra = extra_phrases(instructor_id, language)
    recogniser = (
        _compiled(language, tuple(sorted(extra.items())))
        if extra
        else cues.recogniser_for(language)
    )
    _recognisers[key] = (now, recogniser)
    return recogniser


def forget_phrases(instructor_id: int | None = None) -> None:
    """Drop cached recognisers: one instructor's (their phrases changed), or all (tests)."""
    if instructor_id is None:
        _recognisers.clear()
    for key in [key for key in _recognisers if key[0] == instructor_id]:
        del _recognisers[key]


@lru_cache(maxsize=64)
def _compiled(language: str, extra: tuple[tuple[str, tuple[str, ...]], ...]) -> cues.Recogniser:
    # Keyed by the phrases themselves: an edit compiles anew in every process, no invalidation.
    return cues.Recogniser.load(language, extra=dict(extra))


@transaction.atomic
def add_cue_phrase(owner, *, language: str, move: str, phrase: str) -> CuePhrase:
    """Add `phrase` to `move` for the owner's classes (idempotent)."""
    phrase = " ".join(phrase.split())
    if move not in cues.MOVES:
        raise CueError(_("Unknown move."))
    if not phrase or len(phrase) > 60:
        raise CueError(_("A phrase has 1 to 60 characters."))
    language = cues.canonical_language(language)
    if weakness := cues.recogniser_for(language).phrase_problem(phrase):
        raise CueError(weak_phrase_message(weakness, phrase))
    cue, _created = CuePhrase.objects.get_or_create(
        owner=owner, language=language, move=move, phrase=phrase
    )
    _forget_now_and_on_commit(owner.pk)
    return cue


def weak_phrase_message(code: str, phrase: str) -> str:
    """What to tell a teacher whose phrase cannot show a move alone (Recogniser.phrase_problem)."""
    messages = {
        "no_letters": _("“%(phrase)s” has no words in it: a phrase needs letters or characters."),
        "too_short": _(
            "“%(phrase)s” is a single letter: it would show the move in almost every message. "
            "Add the words around it."
        ),
        "too_common": _(
            "“%(phrase)s” is in almost every message, so it cannot show a move on its own. "
            "Add the words around it, as a student would write them."
        ),
    }
    return messages[code] % {"phrase": phrase}


@transaction.atomic
def remove_cue_phrase(cue: CuePhrase) -> None:
    """Take an instructor's phrase out of their lexicon."""
    owner_id = cue.owner_id
    cue.delete()
    _forget_now_and_on_commit(owner_id)


def _forget_now_and_on_commit(instructor_id: int) -> None:
    # Now for this transaction's own reads, after commit for a read that raced it.
    forget_phrases(instructor_id)
    transaction.on_commit(lambda: forget_phrases(instructor_id))


def recognise_draft(
    text: str, *, script: Script, context: str | None = None, instructor_id: int | None = None
) -> cues.Recognition:
    """The moves in `text` against a script not stored yet (the editor's test-play)."""
    facts = cues.facts_from_mapping(script.model_dump(include={"shop", "order"}, mode="json"))
    recogniser = recogniser_for_instructor(instructor_id, script.language)
    return recogniser.recognise(text, facts=facts, context=context)
