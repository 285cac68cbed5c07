"""Rubrics as data: which criteria count, their weights and thresholds, and the method steps
(which steps, in which order, shown by which moves). Schools teach different step lists, so the
steps are data a teacher can edit, not code (issue 10 §3)."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from scenarios.cues import MOVES

KINDS = ("pre_sale", "order_confirmation", "after_sale")
CRITERIA = (
    "response_time",
    "accuracy",
    "promises",
    "clear",
    "seven_steps",
    "questions",
    "courtesy",
    "outcome",
)


class RubricError(ValueError):
    """A rubric document that cannot be used: `path` names the field, `code` what is wrong."""

    def __init__(self, path: str, code: str, **params: Any) -> None:
        super().__init__(f"{path}: {code}")
        self.path = path
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Step:
    """A step of a taught method. `moves`: any of them shows the step. `before`: steps that must
    come after this one (an apology before the solution). `required`: False for a step that
    counts only when the conversation calls for it (bargaining when the customer bargains)."""

    key: str
    moves: tuple[str, ...]
    weight: float = 1.0
    before: tuple[str, ...] = ()
    # "" always; "price_asked": the customer raised the price; "choice_asked": the customer's need
    # is open (which size, which model, what to buy), so finding it and recommending are due.
    when: str = ""
    position: str = ""  # "" anywhere; "first": in the first agent message; "last": in the last two


# DOMAIN.md §7: in a rush drill the response thresholds are ×1.5.
RUSH_FACTOR = 1.5


@dataclass(frozen=True)
class Criterion:
    key: str
    weight: float
    enabled: bool = True
    critical: bool = False
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Rubric:
    key: str
    version: int
    kind: str
    criteria: tuple[Criterion, ...]
    steps: Mapping[str, tuple[Step, ...]]  # method criterion key ("clear", "seven_steps") → steps
    pass_mark: float = 60.0
    # A conversation with a failed critical item has its total scaled into 0..critical_cap.
    critical_cap: float = 40.0

    def criterion(self, key: str) -> Criterion | None:
        return next((item for item in self.criteria if item.key == key and item.enabled), None)

    def in_rush(self, factor: float = RUSH_FACTOR) -> Rubric:
        """This rubric for a Double-11 drill: the response-time lines × `factor` (at least;
        a teacher's larger rush_factor stays). Accuracy and promises never relax."""
        criteria = tuple(
            replace(
                item,
                params={
                    **item.params,
                    "rush_factor": max(factor, float(item.params.get("rush_factor") or 1.0)),
                },
            )
            if item.key == "response_time"
            else item
            for item in self.criteria
        )
        return replace(self, criteria=criteria)

    def to_mapping(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "version": self.version,
            "kind": self.kind,
            "pass_mark": self.pass_mark,
            "critical_cap": self.critical_cap,
            "criteria": [
                {
                    "key": item.key,
                    "enabled": item.enabled,
                    "weight": item.weight,
                    "critical": item.critical,
                    "params": dict(item.params),
                }
                for item in self.criteria
            ],
            "steps": {
                method: [
                    {
                        "key": step.key,
                        "moves": list(step.moves),
                        "weight": step.weight,
                        "before": list(step.before),
                        "when": step.when,
                        "position": step.position,
                    }
                    for step in steps
                ]
                for method, steps in self.steps.items()
            },
        }

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Rubric:
        """Reads and checks a rubric document; RubricError names the first bad field."""
        if not isinstance(data, Mapping):
            raise RubricError("rubric", "not_a_mapping")
        kind = data.get("kind")
        if kind not in KINDS:
            raise RubricError("kind", "unknown_kind", value=kind)
        key = data.get("key")
        if not isinstance(key, str) or not key.strip():
            raise RubricError("key", "required")
        version = _int(data.get("version", 1), "version", low=1)
        pass_mark = _number(data.get("pass_mark", 60), "pass_mark", 0, 100)
        cap = _number(data.get("critical_cap", 40), "critical_cap", 0, 100)
        criteria = []
        seen: set[str] = set()
        for index, item in enumerate(_list(data.get("criteria"), "criteria")):
            path = f"criteria[{index}]"
            if not isinstance(item, Mapping):
                raise RubricError(path, "not_a_mapping")
            ckey = item.get("key")
            if ckey not in CRITERIA:
                raise RubricError(f"{path}.key", "unknown_criterion", value=ckey)
            if ckey in seen:
                raise RubricError(f"{path}.key", "duplicate", value=ckey)
            seen.add(ckey)
            params = item.get("params") or {}
            if not isinstance(params, Mapping):
                raise RubricError(f"{path}.params", "not_a_mapping")
            criteria.append(
                Criterion(
                    key=ckey,
                    weight=_number(item.get("weight", 0), f"{path}.weight", 0, 100),
                    enabled=_bool(item.get("enabled", True), f"{path}.enabled"),
                    critical=_bool(item.get("critical", False), f"{path}.critical"),
                    params=dict(params),
                )
            )
        if not any(item.enabled and item.weight > 0 for item in criteria):
            raise RubricError("criteria", "no_criterion_enabled")
        steps_data = data.get("steps") or {}
        if not isinstance(steps_data, Mapping):
            raise RubricError("steps", "not_a_mapping")
        steps: dict[str, tuple[Step, ...]] = {}
        for method, items in steps_data.items():
            if method not in ("clear", "seven_steps"):
                raise RubricError(f"steps.{method}", "unknown_method", value=method)
            steps[method] = _steps(items, f"steps.{method}")
        return cls(
            key=key.strip(),
            version=version,
            kind=kind,
            criteria=tuple(criteria),
            steps=steps,
            pass_mark=pass_mark,
            critical_cap=cap,
        )


def _steps(items: Any, path: str) -> tuple[Step, ...]:
    steps = []
    keys: set[str] = set()
    for index, item in enumerate(_list(items, path)):
        where = f"{path}[{index}]"
        if not isinstance(item, Mapping):
            raise RubricError(where, "not_a_mapping")
        key = item.get("key")
        if not isinstance(key, str) or not key:
            raise RubricError(f"{where}.key", "required")
        if key in keys:
            raise RubricError(f"{where}.key", "duplicate", value=key)
        keys.add(key)
        moves = tuple(_list(item.get("moves"), f"{where}.moves"))
        for move in moves:
            if move not in MOVES:
                raise RubricError(f"{where}.moves", "unknown_move", value=move)
        if not moves:
            raise RubricError(f"{where}.moves", "required")
        when = item.get("when", "") or ""
        if when not in ("", "price_asked", "choice_asked"):
            raise RubricError(f"{where}.when", "unknown_condition", value=when)
        position = item.get("position", "") or ""
        if position not in ("", "first", "last"):
            raise RubricError(f"{where}.position", "unknown_position", value=position)
        steps.append(
            Step(
                key=key,
                moves=moves,
                weight=_number(item.get("weight", 1), f"{where}.weight", 0, 100),
                before=tuple(
                    str(other) for other in _list(item.get("before", []), f"{where}.before")
                ),
                when=when,
                position=position,
            )
        )
    for index, step in enumerate(steps):
        for other in step.before:
            if other not in keys:
                raise RubricError(f"{path}[{index}].before", "unknown_step", value=other)
    return tuple(steps)


def _list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list | tuple):
        raise RubricError(path, "not_a_list")
    return list(value)


def _number(value: Any, path: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RubricError(path, "not_a_number", value=value)
    if not low <= value <= high:
        raise RubricError(path, "out_of_range", value=value, low=low, high=high)
    return float(value)


def _int(value: Any, path: str, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise RubricError(path, "not_a_positive_integer", value=value)
    return value


def _bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise RubricError(path, "not_a_boolean", value=value)
    return value


# DOMAIN.md §5 thresholds (seconds): full marks, 80 % and 60 % lines; ×1.5 in Double-11 drills.
_RESPONSE = {
    "first_response_lines": [15, 30, 60],
    "average_lines": [35, 45, 55],
    "three_minute_target": 0.9,
    "rush_factor": 1.0,
}

_SEVEN_STEPS = [
    {"key": "greet", "moves": ["greet"], "weight": 1, "position": "first"},
    {
        "key": "ask",
        "moves": ["ask_open", "ask_closed", "listen"],
        "weight": 1.5,
        "before": ["recommend"],
        "when": "choice_asked",
    },
    {"key": "recommend", "moves": ["recommend"], "weight": 1.5, "when": "choice_asked"},
    {"key": "negotiate", "moves": ["negotiate"], "weight": 1, "when": "price_asked"},
    {"key": "verify", "moves": ["verify"], "weight": 1},
    {"key": "farewell", "moves": ["farewell"], "weight": 1, "position": "last"},
    {"key": "follow_up", "moves": ["follow_up"], "weight": 0.5},
]

# Order confirmation follows the same taught sequence from 核实 on: read the order back,
# fix what the buyer asks, close; asking and recommending are not what this chat is for.
_ORDER_STEPS = [
    {"key": "greet", "moves": ["greet"], "weight": 1, "position": "first"},
    {"key": "verify", "moves": ["verify"], "weight": 3},
    {"key": "resolve", "moves": ["resolve", "verify"], "weight": 1},
    {"key": "farewell", "moves": ["farewell"], "weight": 1, "position": "last"},
    {"key": "follow_up", "moves": ["follow_up"], "weight": 0.5},
]

# CLEAR (DOMAIN.md §3): Control throughout; Listen and Establish or Apologise before Resolve.
_CLEAR = [
    {"key": "control", "moves": ["control"], "weight": 1},
    {
        "key": "listen",
        "moves": ["listen", "ask_open", "ask_closed"],
        "weight": 1,
        "before": ["resolve"],
    },
    {"key": "establish", "moves": ["empathise"], "weight": 1, "before": ["resolve"]},
    {"key": "apologise", "moves": ["apologise"], "weight": 1, "before": ["resolve"]},
    {"key": "resolve", "moves": ["resolve"], "weight": 1.5},
]

_WEIGHTS = {
    "pre_sale": {
        "response_time": 15,
        "accuracy": 20,
        "promises": 15,
        "seven_steps": 25,
        "questions": 10,
        "courtesy": 10,
        "outcome": 5,
    },
    "order_confirmation": {
        "response_time": 15,
        "accuracy": 30,
        "promises": 15,
        "seven_steps": 20,
        "courtesy": 10,
        "outcome": 10,
    },
    "after_sale": {
        "response_time": 15,
        "accuracy": 15,
        "promises": 15,
        "clear": 30,
        "questions": 5,
        "courtesy": 10,
        "outcome": 10,
    },
}


def default_rubric_data(kind: str) -> dict[str, Any]:
    """The library rubric of a kind as an editable document (a fresh copy each call)."""
    if kind not in KINDS:
        raise RubricError("kind", "unknown_kind", value=kind)
    weights = _WEIGHTS[kind]
    criteria = []
    for key in CRITERIA:
        params: dict[str, Any] = {}
        if key == "response_time":
            params = copy.deepcopy(_RESPONSE)
        criteria.append(
            {
                "key": key,
                "enabled": key in weights,
                "weight": weights.get(key, 0),
                # Failing either fails the chat: an unauthorised promise; a customer abandoned.
                "critical": key in ("promises", "outcome"),
                "params": params,
            }
        )
    steps = (
        {"clear": copy.deepcopy(_CLEAR)}
        if kind == "after_sale"
        else {
            "seven_steps": copy.deepcopy(
                _ORDER_STEPS if kind == "order_confirmation" else _SEVEN_STEPS
            )
        }
    )
    return {
        "key": f"default-{kind}",
        # 2: abandoning the customer (closing the chat on her) fails the chat.
        "version": 2,
        "kind": kind,
        "pass_mark": 60,
        "critical_cap": 40,
        "criteria": criteria,
        "steps": steps,
    }


def default_rubric(kind: str | None) -> Rubric:
    """The library rubric of a kind; a transcript with no kind is scored as a pre-sale chat."""
    return Rubric.from_mapping(default_rubric_data(kind or "pre_sale"))
