"""The rubric editor's form: posted fields to a rubric document, and its problems as text."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment import messages
from assessment.scoring import RubricError

# What RubricError codes mean, for the teacher who typed the value.
PROBLEMS = {
    "not_a_number": gettext_lazy("is not a number"),
    "not_a_positive_integer": gettext_lazy("is not a whole number above 0"),
    "out_of_range": gettext_lazy("is out of range"),
    "not_a_list": gettext_lazy("must be a list"),
    "not_a_mapping": gettext_lazy("must be an object"),
    "not_a_boolean": gettext_lazy("must be true or false"),
    "required": gettext_lazy("is required"),
    "duplicate": gettext_lazy("appears twice"),
    "no_criterion_enabled": gettext_lazy("needs at least one criterion switched on"),
    "unknown_move": gettext_lazy("names a move the recogniser does not know"),
    "unknown_step": gettext_lazy("names a step that is not in the list"),
    "unknown_method": gettext_lazy("names an unknown method"),
    "unknown_position": gettext_lazy("has an unknown position"),
    "unknown_condition": gettext_lazy("has an unknown condition"),
    "unknown_criterion": gettext_lazy("names an unknown criterion"),
    "unknown_kind": gettext_lazy("names an unknown kind"),
    "not_json": gettext_lazy("is not valid JSON"),
    "not_three_ascending": gettext_lazy("needs three numbers, smallest first, e.g. 15, 30, 60"),
}

# Thresholds a teacher may edit, per criterion, as "15, 30, 60" style lists or numbers.
LIST_PARAMS = ("first_response_lines", "average_lines")
NUMBER_PARAMS = ("three_minute_target", "rush_factor")


@dataclass(frozen=True)
class CriterionRow:
    key: str
    label: str
    enabled: bool
    weight: Any
    critical: bool
    params: dict[str, Any]


def problem_text(error: RubricError) -> str:
    """'criteria[0].weight: is not a number (abc)', in the active language."""
    problem = str(PROBLEMS.get(error.code, error.code))
    value = error.params.get("value")
    suffix = f" ({value})" if value not in (None, "") else ""
    return _("%(field)s %(problem)s") % {"field": error.path, "problem": problem} + suffix


def fmt(value: Any) -> str:
    """A number as a teacher types it (15, not 15.0); anything else as it was typed."""
    if isinstance(value, float | int) and not isinstance(value, bool):
        return f"{value:g}"
    if isinstance(value, list) and all(isinstance(v, float | int) for v in value):
        return ", ".join(f"{v:g}" for v in value)
    return str(value)


def criterion_rows(data: dict[str, Any]) -> list[CriterionRow]:
    return [
        CriterionRow(
            key=item["key"],
            label=messages.criterion_label(item["key"]),
            enabled=bool(item.get("enabled", True)),
            weight=fmt(item.get("weight", 0)),
            critical=bool(item.get("critical", False)),
            params={
                name: fmt(value)
                for name, value in (item.get("params") or {}).items()
                if name in LIST_PARAMS or name in NUMBER_PARAMS
            },
        )
        for item in data.get("criteria", [])
    ]


def _number(raw: str) -> float | str:
    try:
        return float(raw.replace(",", ".").strip())
    except ValueError:
        return raw  # kept as typed, so the form shows it again beside the error


def _lines(raw: str) -> list[float] | str:
    # The scorer's full-marks, 80 % and 60 % lines: three increasing times in seconds.
    try:
        lines = [float(part) for part in raw.replace("，", ",").split(",") if part.strip()]
    except ValueError:
        return raw
    if len(lines) != 3 or lines != sorted(lines) or lines[0] < 0:
        return raw
    return lines


def document_from_post(base: dict[str, Any], post: QueryDict) -> dict[str, Any]:
    """The rubric document the editor's fields describe, on top of the stored one.

    Values that do not parse stay as typed; `check_document` names the first one.
    """
    data = copy.deepcopy(base)
    data["pass_mark"] = _number(post.get("pass_mark", ""))
    data["critical_cap"] = _number(post.get("critical_cap", ""))
    for item in data.get("criteria", []):
        key = item["key"]
        item["enabled"] = post.get(f"{key}-enabled") == "on"
        item["critical"] = post.get(f"{key}-critical") == "on"
        item["weight"] = _number(post.get(f"{key}-weight", ""))
        params = item.setdefault("params", {})
        for name in LIST_PARAMS:
            if f"{key}-{name}" in post:
                params[name] = _lines(post[f"{key}-{name}"])
        for name in NUMBER_PARAMS:
            if f"{key}-{name}" in post:
                params[name] = _number(post[f"{key}-{name}"])
    if "steps" in post:
        try:
            data["steps"] = json.loads(post["steps"])
        except json.JSONDecodeError:
            data["steps"] = post["steps"]
    return data


def check_document(data: dict[str, Any]) -> None:
    """Raise RubricError for what Rubric.from_mapping does not check: thresholds, steps text."""
    if isinstance(data.get("steps"), str):
        raise RubricError("steps", "not_json")
    for index, item in enumerate(data.get("criteria", [])):
        for name, value in (item.get("params") or {}).items():
            path = f"criteria[{index}].params.{name}"
            if name in LIST_PARAMS and not isinstance(value, list):
                raise RubricError(path, "not_three_ascending", value=value)
            if name in NUMBER_PARAMS and (not isinstance(value, float | int) or value < 0):
                raise RubricError(path, "not_a_number", value=value)


def steps_text(data: dict[str, Any]) -> str:
    steps = data.get("steps", {})
    return steps if isinstance(steps, str) else json.dumps(steps, ensure_ascii=False, indent=2)
