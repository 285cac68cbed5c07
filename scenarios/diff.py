"""A line diff of two scenario sources, for the version history (plain Python, no Django)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

CONTEXT = 3  # unchanged lines shown around each change, as `diff -u` does


@dataclass(frozen=True)
class Line:
    kind: Literal["same", "added", "removed"]
    old: int | None  # line number in the older source; None for an added line
    new: int | None  # line number in the newer source; None for a removed line
    text: str


@dataclass(frozen=True)
class Hunk:
    """One run of changes with its context; `skipped` unchanged lines come before it."""

    skipped: int
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Diff:
    hunks: tuple[Hunk, ...]
    added: int
    removed: int
    skipped_after: int  # unchanged lines after the last hunk

    @property
    def same(self) -> bool:
        return not self.hunks


def line_diff(old: str, new: str, *, context: int = CONTEXT) -> Diff:
    """The lines of `new` that differ from `old`, grouped in hunks with line numbers of both."""
    a, b = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    hunks: list[Hunk] = []
    added = removed = 0
    shown_to = 0  # older-source lines up to here are shown or counted as skipped
    for group in matcher.get_grouped_opcodes(context):
        lines: list[Line] = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [
                    Line("same", i + 1, j1 + k + 1, a[i]) for k, i in enumerate(range(i1, i2))
                ]
                continue
            if tag in ("replace", "delete"):
                lines += [Line("removed", i + 1, None, a[i]) for i in range(i1, i2)]
                removed += i2 - i1
            if tag in ("replace", "insert"):
                lines += [Line("added", None, j + 1, b[j]) for j in range(j1, j2)]
                added += j2 - j1
        first_old = group[0][1]
        hunks.append(Hunk(skipped=first_old - shown_to, lines=tuple(lines)))
        shown_to = group[-1][2]
    return Diff(
        hunks=tuple(hunks),
        added=added,
        removed=removed,
        skipped_after=len(a) - shown_to if hunks else 0,
    )
