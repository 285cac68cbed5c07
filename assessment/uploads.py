"""Transcripts teachers upload from real shops: JSON (docs/transcript-format.md) or CSV.

A CSV has a header row `role,text,time`: role is customer or agent (顾客/买家, 客服/卖家 too),
time is seconds from the start, a clock time (HH:MM or HH:MM:SS) or an ISO date-time.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils.translation import gettext as _

from assessment.models import Assessment, Rubric
from assessment.scoring import Rubric as RubricSpec
from assessment.scoring import score
from assessment.scoring.rubric import KINDS
from assessment.scoring.transcript import Line, Transcript, TranscriptError, parse_transcript

MAX_BYTES = 2_000_000
ROLES = {
    "customer": "customer",
    "buyer": "customer",
    "顾客": "customer",
    "买家": "customer",
    "agent": "agent",
    "seller": "agent",
    "客服": "agent",
    "卖家": "agent",
}
CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?$")


class UploadError(ValueError):
    """A file that cannot be scored; the message names the file, the field and the problem."""


@dataclass(frozen=True)
class Upload:
    name: str
    transcript: Transcript


def read_upload(name: str, raw: bytes, *, language: str, kind: str | None) -> Upload:
    """Parse one uploaded file; raise UploadError naming the file, the field and what is wrong."""
    if len(raw) > MAX_BYTES:
        raise UploadError(_("%(file)s: the file is larger than 2 MB.") % {"file": name})
    if kind and kind not in KINDS:
        # The form offers only the kinds; anything else was not sent by it.
        raise UploadError(
            _("%(file)s: kind: “%(kind)s” is not a kind of conversation.")
            % {"file": name, "kind": kind}
        )
    if name.lower().endswith(".csv"):
        transcript = _csv(name, raw, language=language, kind=kind)
    else:
        try:
            transcript = parse_transcript(raw)
        except TranscriptError as error:
            raise UploadError(f"{name}: {error}") from None
        if kind:
            transcript = Transcript(
                transcript.lines, transcript.language, kind, transcript.shop_facts
            )
    if not transcript.lines:
        raise UploadError(_("%(file)s: messages: the file holds no messages.") % {"file": name})
    languages = [code for code, _label in settings.LANGUAGES]
    if transcript.language not in languages:
        raise UploadError(
            _("%(file)s: language: “%(language)s” is not one the product reads (%(known)s).")
            % {"file": name, "language": transcript.language, "known": ", ".join(languages)}
        )
    return Upload(name, transcript)


def _csv(name: str, raw: bytes, *, language: str, kind: str | None) -> Transcript:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UploadError(_("%(file)s: not UTF-8 text.") % {"file": name}) from None
    rows = csv.DictReader(io.StringIO(text))
    header = [column.strip().lower() for column in rows.fieldnames or []]
    missing = [column for column in ("role", "text", "time") if column not in header]
    if missing:
        raise UploadError(
            _("%(file)s line 1: the header needs the columns role, text, time (missing: %(cols)s).")
            % {"file": name, "cols": ", ".join(missing)}
        )
    rows.fieldnames = header
    lines: list[Line] = []
    start: float | None = None
    for number, row in enumerate(rows, start=2):
        where = {"file": name, "line": number}
        role = ROLES.get((row.get("role") or "").strip().lower())
        if role is None:
            raise UploadError(
                _("%(file)s line %(line)s: role: “%(value)s” is neither customer nor agent.")
                % {**where, "value": row.get("role") or ""}
            )
        seconds = _seconds(row.get("time") or "")
        if seconds is None:
            raise UploadError(
                _("%(file)s line %(line)s: time: “%(value)s” is not a time.")
                % {**where, "value": row.get("time") or ""}
            )
        start = seconds if start is None else start
        at = seconds - start
        if lines and at < lines[-1].at:
            raise UploadError(
                _("%(file)s line %(line)s: time: earlier than the line before.") % where
            )
        lines.append(Line(len(lines) + 1, role, (row.get("text") or "").strip(), at))
    return Transcript(tuple(lines), language, kind or None, None)


def _seconds(value: str) -> float | None:
    value = value.strip()
    try:
        return float(value)
    except ValueError:
        pass
    if match := CLOCK.match(value):
        hours, minutes, seconds = match.groups()
        return int(hours) * 3600 + int(minutes) * 60 + float(seconds or 0)
    try:
        return datetime.fromisoformat(value).timestamp()
    except ValueError:
        return None


def score_upload(upload: Upload, rubric: Rubric) -> Assessment:
    """The report of an uploaded transcript as an unsaved Assessment (nothing is stored)."""
    report = score(upload.transcript, RubricSpec.from_mapping(rubric.data)).to_json()
    return Assessment(
        rubric=rubric,
        scorer_version=report["scorer_version"],
        report=report,
        total=float(report["total"]),
        passed=bool(report["passed"]),
        critical_failed=bool(report["critical_failed"]),
    )
