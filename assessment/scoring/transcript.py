"""The transcript value the scorers read: messages with seq, role, text and seconds from start."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Role = Literal["customer", "agent"]


@dataclass(frozen=True)
class Line:
    seq: int
    role: Role
    text: str
    at: float  # seconds from the start of the conversation
    moves: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Transcript:
    lines: tuple[Line, ...]
    language: str = "zh-hans"

    def student_lines(self) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if line.role == "agent")
