"""The transcript value the scorers read, and its JSON interchange form (docs/transcript-format.md)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from assessment.scoring.tools import ToolUse

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
    kind: str | None = None
    shop_facts: Any = field(default=None, compare=False)
    # True when each line's `moves` were recognised as it arrived (a stored conversation): the
    # scorer then grades those, so the customer's reaction and the grade rest on the same moves.
    recognised: bool = False
    # The shop tools used in the workspace (assessment.scoring.tools.ToolUse), by message
    # number; none for an imported chat. Not lines: no response time, no moves.
    tools: tuple[Any, ...] = ()
    # What the customer asked for in her order (the scenario's `remember`: her size, the
    # address she gives), which an order change is held against; empty when unknown.
    requested: Any = field(default=None, compare=False)

    def student_lines(self) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if line.role == "agent")

    def context_of(self, line: Line) -> str | None:
        """The customer's last line before `line`: it decides some moves."""
        before = None
        for other in self.lines:
            if other.seq >= line.seq:
                break
            if other.role == "customer":
                before = other.text
        return before


class TranscriptError(ValueError):
    """A transcript file that cannot be read; the message names the field."""


class _Message(BaseModel):
    model_config = ConfigDict(extra="ignore", strict=False)
    seq: int = Field(ge=1)
    role: Role
    text: str
    at: float = Field(ge=0)


class _Tool(BaseModel):
    model_config = ConfigDict(extra="ignore")
    seq: int = Field(ge=1)
    kind: Literal["product_card", "order_check", "order_change", "remark", "coupon", "transfer"]
    card: dict[str, Any] = {}


class _Document(BaseModel):
    model_config = ConfigDict(extra="ignore")
    language: str = Field(min_length=2)
    kind: Literal["pre_sale", "order_confirmation", "after_sale"] | None = None
    # A scenario's shop mapping (with its order), or free text: docs/transcript-format.md.
    shop_facts: dict[str, Any] | str | list[str] | None = None
    messages: list[_Message]
    # The shop tools used in the workspace, in the messages' numbering (docs/transcript-format.md).
    tools: list[_Tool] = []

    @model_validator(mode="after")
    def _increasing_seq(self) -> _Document:
        seqs = [m.seq for m in self.messages]
        if seqs != sorted(set(seqs)):
            raise ValueError("messages: seq must be unique and increasing")
        tools = [t.seq for t in self.tools]
        if tools != sorted(set(tools)) or set(tools) & set(seqs):
            raise ValueError("tools: seq must be unique, increasing and no message's seq")
        return self


def parse_transcript(raw: str | bytes) -> Transcript:
    """Read one transcript document; raise TranscriptError naming the bad field."""
    try:
        document = _Document.model_validate(json.loads(raw))
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as error:
        raise TranscriptError(f"not valid JSON ({error})") from None
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"]) or "document"
        raise TranscriptError(f"{where}: {first['msg']}") from None
    return Transcript(
        lines=tuple(Line(m.seq, m.role, m.text, m.at) for m in document.messages),
        language=document.language,
        kind=document.kind,
        shop_facts=document.shop_facts,
        tools=tuple(ToolUse(t.seq, t.kind, {"kind": t.kind, **t.card}) for t in document.tools),
    )


def transcript_json(transcript: Transcript) -> dict[str, Any]:
    """The interchange form of a transcript, as exported."""
    data: dict[str, Any] = {"language": transcript.language}
    if transcript.kind:
        data["kind"] = transcript.kind
    if transcript.shop_facts is not None:
        data["shop_facts"] = transcript.shop_facts
    data["messages"] = [
        {"seq": line.seq, "role": line.role, "text": line.text, "at": round(line.at, 3)}
        for line in transcript.lines
    ]
    if transcript.tools:
        data["tools"] = [
            {"seq": tool.seq, "kind": tool.kind, "card": dict(tool.card)}
            for tool in transcript.tools
        ]
    return data
