"""Text normalisation that keeps a map back to the original characters, so evidence spans
point at what the student actually typed."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Runs of the same punctuation ("！！！", "???", "~~~", "。。。") collapse to one; the map keeps
# the first character's position so a span still covers real text.
_REPEATS = re.compile(r"([!?.,~。，！？～、…\-—=*^])\1+|\s{2,}")
# Characters that carry no words: emoji, symbols, variation selectors, zero-width joiners.
_FORMAT = re.compile(r"[\u200b-\u200f\u2060\ufe0e\ufe0f\U0001f3fb-\U0001f3ff]")


# Either of the two above: one search decides whether the slow path is needed at all.
_SPECIAL = re.compile(f"{_REPEATS.pattern}|{_FORMAT.pattern}")
# Decimal digits of other scripts fold to ASCII (one character each, so offsets hold); the
# scanners rely on it (`fastscan` reads `\d` as 0-9).
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")


def _ascii_digit(match: re.Match[str]) -> str:
    return str(unicodedata.digit(match.group()))


@dataclass(frozen=True)
class Normalised:
    """Normalised text plus, for each of its characters, the index of the original character."""

    text: str
    original: str
    offsets: tuple[int, ...] | None  # None: identity map (the common, fast case)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Maps a [start, end) span of the normalised text back to the original text."""
        if self.offsets is None:
            return start, end
        if start >= len(self.offsets):
            return len(self.original), len(self.original)
        begin = self.offsets[start]
        # A normalised character never merges two originals, so the last one's end is exact.
        finish = self.offsets[end - 1] + 1 if end > start else begin
        return begin, max(finish, begin)


def normalise(
    text: str, typos: dict[str, str] | None = None, typo_re: re.Pattern[str] | None = None
) -> Normalised:
    """NFKC (full-width to half-width), lower case, no emoji modifiers, collapsed repeats, and
    equal-length typo fixes (抱欠 → 抱歉); the map back to `text` is exact."""
    folded = unicodedata.normalize("NFKC", text).lower()
    offsets: list[int] | None = None
    if len(folded) != len(text):
        chars: list[str] = []
        offsets = []
        for index, char in enumerate(text):
            piece = unicodedata.normalize("NFKC", char).lower()
            chars.append(piece)
            offsets.extend([index] * len(piece))
        folded = "".join(chars)
    if not folded.isascii() and _OTHER_DIGIT.search(folded):
        folded = _OTHER_DIGIT.sub(_ascii_digit, folded)
    if _SPECIAL.search(folded):
        folded, offsets = _collapse(folded, offsets)
    if typo_re is not None and typos:
        # Typos map to a fix of the same length, so the offsets stay valid.
        folded = typo_re.sub(lambda match: typos[match.group()], folded)
    return Normalised(folded, text, tuple(offsets) if offsets is not None else None)


def _collapse(text: str, offsets: list[int] | None) -> tuple[str, list[int]]:
    base = offsets if offsets is not None else list(range(len(text)))
    keep_chars: list[str] = []
    keep_offsets: list[int] = []
    position = 0
    for match in _REPEATS.finditer(text):
        keep_chars.append(text[position : match.start()])
        keep_offsets.extend(base[position : match.start()])
        keep_chars.append(" " if match.group(1) is None else match.group(1))
        keep_offsets.append(base[match.start()])
        position = match.end()
    keep_chars.append(text[position:])
    keep_offsets.extend(base[position:])
    collapsed = "".join(keep_chars)
    if _FORMAT.search(collapsed):
        chars = []
        final: list[int] = []
        for char, offset in zip(collapsed, keep_offsets, strict=True):
            if not _FORMAT.match(char):
                chars.append(char)
                final.append(offset)
        return "".join(chars), final
    return collapsed, keep_offsets
