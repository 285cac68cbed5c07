"""What the scorer returns: marks per criterion, each with its evidence (message numbers) and a
note as a code with parameters; `assessment/messages.py` turns codes into text (STYLE.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Note:
    """A sentence for the student or teacher, as a code and its parameters (translated later)."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "params": dict(self.params)}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Note | None:
        if not data:
            return None
        return cls(str(data["code"]), dict(data.get("params") or {}))


@dataclass(frozen=True)
class Part:
    """One step of a method (a CLEAR step, one of the seven steps) or one sub-measure."""

    key: str
    present: bool
    evidence: tuple[int, ...] = ()
    note: Note | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "key": self.key,
            "present": self.present,
            "evidence": list(self.evidence),
        }
        if self.note is not None:
            data["note"] = self.note.to_json()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Part:
        return cls(
            key=str(data["key"]),
            present=bool(data["present"]),
            evidence=tuple(int(seq) for seq in data.get("evidence", ())),
            note=Note.from_json(data.get("note")),
        )


@dataclass(frozen=True)
class CriterionResult:
    key: str
    score: float
    max: float
    applicable: bool
    explanation: Note
    evidence: tuple[int, ...] = ()
    critical: bool = False
    failed: bool = False  # a critical criterion that failed: the conversation fails
    advice: Note | None = None
    parts: tuple[Part, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "score": round(self.score, 2),
            "max": self.max,
            "applicable": self.applicable,
            "critical": self.critical,
            "failed": self.failed,
            "evidence": list(self.evidence),
            "explanation": self.explanation.to_json(),
            "advice": self.advice.to_json() if self.advice else None,
            "parts": [part.to_json() for part in self.parts],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CriterionResult:
        explanation = Note.from_json(data.get("explanation")) or Note("none")
        return cls(
            key=str(data["key"]),
            score=float(data["score"]),
            max=float(data["max"]),
            applicable=bool(data["applicable"]),
            explanation=explanation,
            evidence=tuple(int(seq) for seq in data.get("evidence", ())),
            critical=bool(data.get("critical", False)),
            failed=bool(data.get("failed", False)),
            advice=Note.from_json(data.get("advice")),
            parts=tuple(Part.from_json(part) for part in data.get("parts", ())),
        )


@dataclass(frozen=True)
class FactError:
    """An agent claim that contradicts the scenario's facts."""

    seq: int
    claim: str
    fact: str
    kind: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "claim": self.claim, "fact": self.fact, "kind": self.kind}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FactError:
        return cls(
            int(data["seq"]), str(data["claim"]), str(data["fact"]), str(data.get("kind", ""))
        )


@dataclass(frozen=True)
class Report:
    total: float  # 0–100 over the applicable criteria, capped when a critical item failed
    passed: bool
    critical_failed: bool
    criteria: tuple[CriterionResult, ...]
    fact_errors: tuple[FactError, ...]
    scorer_version: str
    rubric_key: str
    rubric_version: int

    def criterion(self, key: str) -> CriterionResult | None:
        return next((item for item in self.criteria if item.key == key), None)

    @property
    def advice(self) -> tuple[Note, ...]:
        """What to do next time: the advice of the criteria that lost most, worst first."""
        lost = sorted(
            (item for item in self.criteria if item.applicable and item.advice is not None),
            key=lambda item: (not item.failed, item.score / item.max if item.max else 1.0),
        )
        return tuple(item.advice for item in lost if item.advice is not None)

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "passed": self.passed,
            "critical_failed": self.critical_failed,
            "scorer_version": self.scorer_version,
            "rubric": {"key": self.rubric_key, "version": self.rubric_version},
            "criteria": [item.to_json() for item in self.criteria],
            "fact_errors": [item.to_json() for item in self.fact_errors],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        rubric = data.get("rubric") or {}
        return cls(
            total=float(data["total"]),
            passed=bool(data["passed"]),
            critical_failed=bool(data.get("critical_failed", False)),
            criteria=tuple(CriterionResult.from_json(item) for item in data["criteria"]),
            fact_errors=tuple(FactError.from_json(item) for item in data.get("fact_errors", ())),
            scorer_version=str(data.get("scorer_version", "")),
            rubric_key=str(rubric.get("key", "")),
            rubric_version=int(rubric.get("version", 0)),
        )
