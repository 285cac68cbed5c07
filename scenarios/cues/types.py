"""Values the recogniser returns: moves, the evidence for each, and the factual claims found."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# One vocabulary for the customer engine and the scorer (DESIGN.md): seven steps with open and
# closed questions, then CLEAR (Establish is `empathise`), then the two faults.
MOVES: tuple[str, ...] = (
    "greet",
    "ask_open",
    "ask_closed",
    "recommend",
    "negotiate",
    "verify",
    "farewell",
    "follow_up",
    "control",
    "listen",
    "empathise",
    "apologise",
    "resolve",
    "promise",
    "rude",
)
MOVE_ORDER: dict[str, int] = {move: index for index, move in enumerate(MOVES)}

CLAIM_KINDS: tuple[str, ...] = ("price", "size", "stock", "delivery", "policy")


@dataclass(frozen=True)
class Evidence:
    """Why a move was recognised: the rule that fired and the span of the original text."""

    move: str
    start: int
    end: int
    text: str
    rule: str

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "rule": self.rule}


@dataclass(frozen=True)
class Claim:
    """A checkable statement of fact made by the agent (a price, a size, stock, a date, a policy)."""

    kind: str
    text: str
    value: str | float | None
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "text": self.text,
            "value": self.value,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True)
class Recognition:
    """The moves in one agent message, each backed by evidence, plus the claims it makes."""

    moves: frozenset[str]
    evidence: tuple[Evidence, ...]
    claims: tuple[Claim, ...] = ()

    def ordered_moves(self) -> list[str]:
        return sorted(self.moves, key=MOVE_ORDER.__getitem__)

    def evidence_for(self, move: str) -> tuple[Evidence, ...]:
        return tuple(item for item in self.evidence if item.move == move)

    def to_json(self) -> dict[str, Any]:
        evidence: dict[str, list[dict[str, Any]]] = {}
        for item in self.evidence:
            evidence.setdefault(item.move, []).append(item.to_json())
        return {
            "moves": self.ordered_moves(),
            "evidence": {move: evidence[move] for move in self.ordered_moves() if move in evidence},
            "claims": [claim.to_json() for claim in self.claims],
        }


EMPTY = Recognition(moves=frozenset(), evidence=(), claims=())
