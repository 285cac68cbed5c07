"""The scenario script language: parse YAML with line numbers, validate with pydantic.

A scenario is one YAML document (docs/scenarios.md). Every problem names the line, the column
and the field path, says what is wrong and how to fix it, e.g.
``line 12, column 26: states.opening.transitions[0].to: unknown state “nede”``.
The texts are English templates with codes; `scenarios.messages` shows them in the user's
language. Pure Python: no Django import, so the engine's tests and the commands share it.
"""

from __future__ import annotations

import difflib
import re
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import UnionType
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    MappingStartEvent,
    NodeEvent,
    ScalarEvent,
)

from scenarios.cues import MOVES

MAX_SOURCE_BYTES = 256 * 1024
# A scenario nests about six levels deep. Deeper input is an attack: ruamel's composer recurses
# once per level (RecursionError near 1,000) and its scanner slows quadratically with flow depth.
MAX_DEPTH = 32
# Events a transition can wait for besides agent moves.
SPECIAL_EVENTS = ("any", "silence")
SHOP_TYPES = ("clothing", "appliances", "cosmetics", "food", "digital", "home", "other")
# The longest a customer waits in silence before a timer fires: two hours.
MAX_WAIT_SECONDS = 7200
# Mood runs from 0 (calm) to 5 (furious); lines and ratings read it by level.
MOOD_MAX = 5
MOOD_LEVELS = ("calm", "upset", "angry")
# {size} in a customer line is filled from what the conversation established (the engine's
# memory), else from the scenario's `remember` defaults.
SLOTS = ("size", "colour", "quantity", "address")
# A challenge line may also name the claim it questions.
CHALLENGE_FIELDS = ("key", "said", "against")
PLACEHOLDER = re.compile(r"\{([^{}\s]{1,40})\}")
COUNTER_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"

Loc = tuple[int | str, ...]
Severity = Literal["error", "warning"]


def gettext_noop(message: str) -> str:
    """Marks a template for makemessages; `scenarios.messages` translates it when shown."""
    return message


# code -> (what is wrong, how to fix it). Placeholders are filled from Problem.params.
TEXTS: dict[str, tuple[str, str]] = {
    # The file itself
    "too_large": (
        gettext_noop("the file is larger than 256 KB"),
        gettext_noop("Split the scenario or remove long comments."),
    ),
    "not_utf8": (
        gettext_noop("the file is not UTF-8 text (%(detail)s)"),
        gettext_noop("Save the file as UTF-8 (GBK files are not accepted)."),
    ),
    "nul": (
        gettext_noop("the file contains a NUL character"),
        gettext_noop("Delete the invisible character on this line."),
    ),
    "alias": (
        gettext_noop("anchors and aliases (&name, *name) are not allowed"),
        gettext_noop("Copy the lines instead of referring to them."),
    ),
    "too_deep": (
        gettext_noop("the document is nested more than %(limit)s levels deep"),
        gettext_noop("A scenario needs about six levels; check the brackets and indentation."),
    ),
    "not_mapping": (
        gettext_noop("a scenario must be a mapping of keys to values"),
        gettext_noop("Start from a library file: every line at the top is “key: value”."),
    ),
    "unreadable_value": (
        gettext_noop("a value cannot be read (%(detail)s)"),
        gettext_noop("Quote the value to keep it as text, or correct the number or date."),
    ),
    # YAML syntax
    "tab": (
        gettext_noop("a tab character is used for indentation"),
        gettext_noop("Indent with spaces only."),
    ),
    "unclosed": (
        gettext_noop("a [ or { is not closed"),
        gettext_noop("Close it with ] or }, or quote a line that contains brackets or commas."),
    ),
    "colon": (
        gettext_noop("“: ” appears where YAML does not expect a new key"),
        gettext_noop("Quote the text (it contains “: ”), or fix the indentation of this line."),
    ),
    "indentation": (
        gettext_noop("the indentation does not match the lines above"),
        gettext_noop("Line this key up with the other keys of its mapping, using spaces."),
    ),
    "yaml_syntax": (
        gettext_noop("YAML syntax error: %(detail)s"),
        gettext_noop("Check this line and the one before it (brackets, quotes, indentation)."),
    ),
    "duplicate_key": (
        gettext_noop("the key “%(key)s” appears twice in this mapping"),
        gettext_noop("Keep one of them (the first is on line %(first)s)."),
    ),
    # Fields and values
    "missing": (
        gettext_noop("the required key “%(key)s” is missing"),
        gettext_noop("Add “%(key)s:” to this mapping."),
    ),
    "extra": (
        gettext_noop("unknown key “%(key)s”"),
        gettext_noop("Check the spelling or remove it. Keys allowed here: %(choices)s."),
    ),
    "choice": (
        gettext_noop("“%(value)s” is not one of the allowed values"),
        gettext_noop("Use one of: %(choices)s."),
    ),
    "too_small": (
        gettext_noop("%(value)s is below the smallest allowed value"),
        gettext_noop("Use a number of at least %(limit)s."),
    ),
    "not_above": (
        gettext_noop("%(value)s is too small"),
        gettext_noop("Use a number greater than %(limit)s."),
    ),
    "too_big": (
        gettext_noop("%(value)s is above the largest allowed value"),
        gettext_noop("Use a number of at most %(limit)s."),
    ),
    "not_below": (
        gettext_noop("%(value)s is too large"),
        gettext_noop("Use a number less than %(limit)s."),
    ),
    "not_integer": (
        gettext_noop("“%(value)s” is not a whole number"),
        gettext_noop("Write a whole number, such as 3."),
    ),
    "not_number": (
        gettext_noop("“%(value)s” is not a number"),
        gettext_noop("Write a number, such as 12.5, without units."),
    ),
    "not_bool": (
        gettext_noop("“%(value)s” is not true or false"),
        gettext_noop("Write true or false."),
    ),
    "not_text": (
        gettext_noop("this must be text"),
        gettext_noop("Write a line of text; quote it if it looks like a number, list or mapping."),
    ),
    "not_list": (
        gettext_noop("this must be a list"),
        gettext_noop("Write a list: [a, b] or one “- item” per line."),
    ),
    "not_mapping_value": (
        gettext_noop("this must be a mapping of keys to values"),
        gettext_noop("Write “key: value” lines indented under it."),
    ),
    "empty": (
        gettext_noop("this must not be empty"),
        gettext_noop("Write at least %(limit)s character(s)."),
    ),
    "too_few": (
        gettext_noop("this needs at least %(limit)s item(s)"),
        gettext_noop("Add the missing entries."),
    ),
    "too_long": (
        gettext_noop("this is longer than %(limit)s characters"),
        gettext_noop("Shorten it."),
    ),
    "too_many": (
        gettext_noop("this has more than %(limit)s items"),
        gettext_noop("Remove some entries."),
    ),
    "bad_id": (
        gettext_noop("“%(value)s” is not a valid identifier"),
        gettext_noop(
            "Use 2 to 61 lower-case letters, digits, - or _, starting with a letter or digit."
        ),
    ),
    # Put before the hint of any problem with a close spelling at hand.
    "did_you_mean": (gettext_noop("Did you mean “%(suggestion)s”?"), ""),
    "invalid": (
        gettext_noop("invalid value: %(detail)s"),
        gettext_noop("Compare this field with the same field of a library scenario."),
    ),
    # The script
    "unknown_move": (
        gettext_noop("unknown move “%(name)s”"),
        gettext_noop("Use one of: %(choices)s."),
    ),
    "silence_needs_after": (
        gettext_noop("a silence transition needs “after” (seconds)"),
        gettext_noop("Add after: 60 (or how many seconds the customer waits)."),
    ),
    "silence_alone": (
        gettext_noop("silence cannot be combined with moves in one transition"),
        gettext_noop("Write a separate transition {on: [silence], after: …, to: …}."),
    ),
    "unknown_state": (
        gettext_noop("unknown state “%(name)s”"),
        gettext_noop("Use one of the states: %(choices)s."),
    ),
    "unknown_ending": (
        gettext_noop("unknown ending “%(name)s”"),
        gettext_noop("Use one of the endings: %(choices)s, or add it under endings."),
    ),
    "no_transitions": (
        gettext_noop("the state “%(name)s” has neither transitions nor an end"),
        gettext_noop("Add transitions, or end: <ending> if the conversation ends here."),
    ),
    "no_way_to_end": (
        gettext_noop("from the state “%(name)s” no path leads to an ending"),
        gettext_noop("Add a transition that leads, in some steps, to a state with end."),
    ),
    "unreachable": (
        gettext_noop("the state “%(name)s” cannot be reached from the start"),
        gettext_noop("Add a transition to it, or delete it."),
    ),
    "waits_forever": (
        gettext_noop("the state “%(name)s” has no silence timer: the customer waits forever"),
        gettext_noop("Add {on: [silence], after: 60, to: …}."),
    ),
    "duplicate_sku": (
        gettext_noop("the product code “%(name)s” is used twice"),
        gettext_noop("Give every product its own sku."),
    ),
    "unknown_option": (
        gettext_noop("“%(name)s” is not an option of the product “%(sku)s”"),
        gettext_noop("Use one of its options: %(choices)s."),
    ),
    "unknown_variant": (
        gettext_noop("the stock entry “%(name)s” is not made of this product's options"),
        gettext_noop("Write option values joined by a space, as in options: %(choices)s."),
    ),
    "unknown_sku": (
        gettext_noop("the order names the product “%(name)s”, which the shop does not sell"),
        gettext_noop("Use one of the shop's skus: %(choices)s, or add the product."),
    ),
    # Memory, counters and mood
    "unknown_placeholder": (
        gettext_noop("unknown placeholder “{%(name)s}”"),
        gettext_noop("Use one of: %(choices)s."),
    ),
    "placeholder_needs_default": (
        gettext_noop("the line uses {%(name)s}, but remember has no %(name)s"),
        gettext_noop(
            "Add remember: {%(name)s: …} with what the customer picks when the student never says."
        ),
    ),
    "unknown_counter": (
        gettext_noop("no state asks “%(name)s”, so this count never grows"),
        gettext_noop("Use a name given by a state's asks: %(choices)s."),
    ),
    "answered_needs_asks": (
        gettext_noop("if_answered needs asks: the state must say what it asks about"),
        gettext_noop("Add asks: <topic> to this state (size, colour, price, delivery, policy, …)."),
    ),
}


class ScenarioError(ValueError):
    """A scenario document that cannot be used; `problems` lists every Problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@dataclass(frozen=True)
class Problem:
    """One problem of a document: where (line, column, field path), what, and how to fix it."""

    line: int | None
    path: str
    message: str
    column: int | None = None
    code: str = ""
    params: tuple[tuple[str, str], ...] = ()
    severity: Severity = "error"
    # The field as a tuple (("states", "ask", "transitions", 2, "to")), for an editor to focus.
    loc: Loc = ()
    file: str = ""  # set when several files are checked together (load_library)

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        where = f"{self.file}: {where}" if self.file else where
        return f"{where}{self.path}: {self.message}" if self.path else f"{where}{self.message}"

    @property
    def hint(self) -> str:
        """How to fix it, in English (`scenarios.messages.problem_hint` translates)."""
        template = TEXTS.get(self.code, ("", ""))[1]
        hint = _fill(template, self.values) if template else ""
        if self.values.get("suggestion"):
            hint = f"{_fill(TEXTS['did_you_mean'][0], self.values)} {hint}"
        return hint

    @property
    def values(self) -> dict[str, str]:
        return dict(self.params)


def problem(
    code: str,
    *,
    line: int | None = None,
    column: int | None = None,
    path: str = "",
    severity: Severity = "error",
    loc: Loc = (),
    **params: Any,
) -> Problem:
    """A Problem of `code` with its English text filled from `params`."""
    values = tuple((key, _text(value)) for key, value in params.items() if value is not None)
    message = _fill(TEXTS[code][0], dict(values))
    return Problem(line, path or format_path(loc), message, column, code, values, severity, loc)


def _text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return "" if value is None else str(value)


def _fill(template: str, values: Mapping[str, str]) -> str:
    try:
        return template % values
    except (KeyError, TypeError, ValueError):
        return template


def suggestion(value: str, choices: Iterable[str]) -> str | None:
    """The closest spelling among `choices`, for “did you mean …?”."""
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def format_path(loc: Iterable[int | str]) -> str:
    """`("states", "ask", "transitions", 2, "to")` as `states.ask.transitions[2].to`."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


# ---------------------------------------------------------------- the document


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _as_list(value: Any) -> Any:
    """One line written alone is a list of one."""
    return [value] if isinstance(value, str) else value


class Waiting(_Strict):
    """What the customer does in a state whose script has no silence transition of its own."""

    nudge_after: float = Field(default=90, gt=0, le=MAX_WAIT_SECONDS)
    leave_after: float = Field(default=120, gt=0, le=MAX_WAIT_SECONDS)
    nudge: list[str] = []  # empty: the engine's default nudge in the scenario's language
    leave: list[str] = []
    rating: int = Field(default=1, ge=1, le=5)
    review: list[str] = []

    _lists = field_validator("nudge", "leave", "review", mode="before")(_as_list)


class Persona(_Strict):
    name: str = Field(min_length=1, max_length=40)
    type: Literal["hesitant", "bargainer", "angry", "detail", "difficult", "decisive", "chatty"]
    description: str = ""
    patience: float = Field(default=1.0, gt=0, le=5)
    # Seconds per typed character; the customer's typing delay scales with line length.
    typing_speed: float = Field(default=0.25, gt=0, le=2)
    # The mood the customer starts in (0 calm … 5 furious); None: by type (angry 3, difficult 2).
    mood: int | None = Field(default=None, ge=0, le=MOOD_MAX)
    waiting: Waiting = Waiting()

    @property
    def start_mood(self) -> int:
        if self.mood is not None:
            return self.mood
        return {"angry": 3, "difficult": 2}.get(self.type, 1)


class Product(_Strict):
    sku: str = Field(min_length=1)
    name: str = Field(min_length=1)
    price: float = Field(ge=0)
    options: dict[str, list[str]] = {}
    specs: dict[str, str] = {}
    stock: dict[str, int] = {}

    @field_validator("stock")
    @classmethod
    def _no_negative_stock(cls, value: dict[str, int]) -> dict[str, int]:
        for count in value.values():
            if count < 0:
                raise PydanticCustomError(
                    "too_small", "stock cannot be negative", {"value": count, "limit": 0}
                )
        return value


class Policy(_Strict):
    returns: str = ""
    return_freight: Literal["buyer", "seller"] = "buyer"
    freight_insurance: bool = False
    refund_before_return: bool = False
    price_change: bool = False
    compensation_limit: float = Field(default=0, ge=0)
    guaranteed_delivery: bool = False
    notes: list[str] = []


class Shipping(_Strict):
    default: str = ""
    upgrades: list[str] = []
    ship_within_hours: int | None = Field(default=None, ge=0)
    transit_days: str = ""


class Shop(_Strict):
    name: str = Field(min_length=1)
    # What the shop sells, for the library's filter (服装, 小家电, 美妆, 食品, 数码, 家居).
    type: Literal[SHOP_TYPES] = "other"  # type: ignore[valid-type]
    products: list[Product] = []
    promotions: list[str] = []
    shipping: Shipping = Shipping()
    policy: Policy = Policy()


class OrderItem(_Strict):
    sku: str
    name: str
    colour: str = ""
    size: str = ""
    qty: int = Field(default=1, ge=1)
    price: float = Field(ge=0)


class Order(_Strict):
    id: str
    status: str = ""
    items: list[OrderItem] = Field(min_length=1)
    total: float | None = None
    recipient: str = ""
    phone: str = ""
    address: str = ""
    remark: str = ""


class Condition(_Strict):
    """When a transition may fire, beyond its moves: the customer's mood and counts."""

    mood_at_least: int | None = Field(default=None, ge=0, le=MOOD_MAX)
    mood_below: int | None = Field(default=None, ge=1, le=MOOD_MAX)
    # counter -> at least this many: {discount: 3} once the customer has asked three times.
    count: dict[str, int] = {}

    @field_validator("count")
    @classmethod
    def _positive(cls, value: dict[str, int]) -> dict[str, int]:
        for count in value.values():
            if count < 1:
                raise PydanticCustomError(
                    "too_small", "a count is at least 1", {"value": count, "limit": 1}
                )
        return value


class Transition(_Strict):
    """Move to `to` when the student's message shows any move in `on` (and all in `all`)."""

    on: list[str] = Field(min_length=1)
    all: list[str] = []
    unless: list[str] = []
    after: float | None = Field(
        default=None, gt=0, le=MAX_WAIT_SECONDS, description="seconds, for on: [silence]"
    )
    when: Condition | None = None
    to: str

    @field_validator("on", "all", "unless")
    @classmethod
    def _known_events(cls, value: list[str]) -> list[str]:
        for name in value:
            if name not in MOVES and name not in SPECIAL_EVENTS:
                raise PydanticCustomError(
                    "unknown_move",
                    "unknown move {name}",
                    {"name": name, "choices": [*MOVES, *SPECIAL_EVENTS]},
                )
        return value

    @model_validator(mode="after")
    def _silence_needs_after(self) -> Transition:
        if "silence" in self.on and self.after is None:
            raise PydanticCustomError("silence_needs_after", "a silence transition needs after")
        if "silence" in self.on and len(self.on) > 1:
            raise PydanticCustomError("silence_alone", "silence cannot be combined with moves")
        return self


class MoodLines(_Strict):
    """Variants of a state's line per mood level; a level left empty uses `say`."""

    calm: list[str] = []  # mood 0-1
    upset: list[str] = []  # mood 2-3
    angry: list[str] = []  # mood 4-5

    _lists = field_validator("calm", "upset", "angry", mode="before")(_as_list)


class IfAnswered(_Strict):
    """What a state that `asks` does when the student already answered: acknowledge or skip."""

    say: list[str] = []  # empty: the engine's default acknowledgement
    to: str | None = None  # skip to this state instead

    _lists = field_validator("say", mode="before")(_as_list)


class State(_Strict):
    say: list[str] = []
    transitions: list[Transition] = []
    end: str | None = None
    # What the customer asks about here: a topic the agent may already have answered (size,
    # colour, quantity, address, price, stock, delivery, policy, spec) or any counter name;
    # every time the customer asks, the count of that name grows by one.
    asks: str | None = Field(default=None, pattern=COUNTER_PATTERN)
    if_answered: IfAnswered | None = None
    say_by_mood: MoodLines | None = None

    _lists = field_validator("say", mode="before")(_as_list)


class Ending(_Strict):
    outcome: Literal["success", "partial", "lost", "escalated"]
    rating: int = Field(ge=1, le=5)
    description: str = ""
    review: list[str] = []  # the customer's short review, one variant chosen by the seed

    _lists = field_validator("review", mode="before")(_as_list)


class Remember(_Strict):
    """What the customer picks when the student never said it ({size} … in lines)."""

    size: str = ""
    colour: str = ""
    quantity: str = ""
    address: str = ""


class Challenges(_Strict):
    """The customer's words for a claim that contradicts the shop's facts or the agent's own
    earlier message; an empty list uses the engine's default line in the scenario's language."""

    said_in_stock: list[str] = []  # said in stock earlier, now says sold out
    said_out_of_stock: list[str] = []  # said sold out earlier, now says in stock
    stock_not_shown: list[str] = []  # says in stock; the shop's stock is 0
    stock_shown: list[str] = []  # says sold out; the shop has stock
    spec: list[str] = []  # a size-chart figure that is not the chart's
    size: list[str] = []  # a size the product does not come in

    _lists = field_validator(
        "said_in_stock",
        "said_out_of_stock",
        "stock_not_shown",
        "stock_shown",
        "spec",
        "size",
        mode="before",
    )(_as_list)


class Script(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{1,60}$")
    kind: Literal["pre_sale", "order_confirmation", "after_sale"]
    language: Literal["zh-hans", "en"]
    title: str = Field(min_length=1, max_length=120)
    # For the library list: one line on what the scenario trains, and 1 (入门) to 3 (挑战).
    summary: str = Field(default="", max_length=120)
    difficulty: int = Field(default=2, ge=1, le=3)
    brief: str = Field(min_length=1)
    persona: Persona
    shop: Shop
    order: Order | None = None
    start: str
    states: dict[str, State] = Field(min_length=1)
    endings: dict[str, Ending] = Field(min_length=1)
    remember: Remember = Remember()
    challenges: Challenges = Challenges()

    @model_validator(mode="after")
    def _references_resolve(self, info: ValidationInfo) -> Script:
        # parse_source has reported every reference problem already, with lines; a script built
        # in code is checked here and stops at the first.
        if info.context and info.context.get("references_checked"):
            return self
        errors = [p for p in reference_problems(self.model_dump()) if p.severity == "error"]
        if errors:
            raise ValueError(str(errors[0]))
        return self

    def product(self, sku: str) -> Product | None:
        return next((p for p in self.shop.products if p.sku == sku), None)

    @property
    def summary_line(self) -> str:
        """The summary, or the brief's first line when the author wrote none."""
        return self.summary or self.brief.strip().splitlines()[0]


# ---------------------------------------------------------------- the script's references


def reference_problems(data: Any) -> list[Problem]:
    """Every cross-reference problem of a document as plain data, tolerating malformed parts.

    Unknown states and endings, states that lead nowhere or are never reached, duplicate or
    unknown product codes. Lines are filled in by the caller (they come from the YAML tree).
    """
    if not isinstance(data, Mapping):
        return []
    found: list[Problem] = []
    states = data.get("states") if isinstance(data.get("states"), Mapping) else {}
    endings = data.get("endings") if isinstance(data.get("endings"), Mapping) else {}
    names = [str(n) for n in states]
    start = data.get("start")
    if isinstance(start, str) and states and start not in states:
        found.append(_unknown("unknown_state", ("start",), start, names))
    edges: dict[str, set[str]] = {}
    for name, state in states.items():
        edges[name] = set()
        if not isinstance(state, Mapping):
            continue
        end = state.get("end")
        transitions = state.get("transitions") or []
        if isinstance(end, str) and endings and end not in endings:
            found.append(_unknown("unknown_ending", ("states", name, "end"), end, list(endings)))
        if end is None and not transitions:
            found.append(_at("no_transitions", ("states", name), name=name))
        answered = state.get("if_answered")
        if isinstance(answered, Mapping):
            if not state.get("asks"):
                found.append(_at("answered_needs_asks", ("states", name, "if_answered")))
            target = answered.get("to")
            if isinstance(target, str) and target in states:
                edges[name].add(target)
            elif isinstance(target, str):
                loc = ("states", name, "if_answered", "to")
                found.append(_unknown("unknown_state", loc, target, names))
        if not isinstance(transitions, list):
            continue
        for i, transition in enumerate(transitions):
            target = transition.get("to") if isinstance(transition, Mapping) else None
            if not isinstance(target, str):
                continue
            if target in states:
                edges[name].add(target)
            else:
                loc = ("states", name, "transitions", i, "to")
                found.append(_unknown("unknown_state", loc, target, names))
    if isinstance(start, str) and start in states:
        found += _flow_problems(states, edges, start)
    found += _product_problems(data)
    found += _counter_problems(states)
    found += _placeholder_problems(data)
    return found


def _counter_problems(states: Mapping[str, Any]) -> list[Problem]:
    """A count in `when` must name something a state `asks`, or it never grows."""
    asked = sorted(
        {str(s["asks"]) for s in states.values() if isinstance(s, Mapping) and s.get("asks")}
    )
    found = []
    for name, state in states.items():
        transitions = state.get("transitions") if isinstance(state, Mapping) else None
        for i, transition in enumerate(transitions if isinstance(transitions, list) else []):
            when = transition.get("when") if isinstance(transition, Mapping) else None
            counts = when.get("count") if isinstance(when, Mapping) else None
            for counter in counts if isinstance(counts, Mapping) else ():
                if str(counter) not in asked:
                    loc = ("states", name, "transitions", i, "when", "count", str(counter))
                    found.append(_unknown("unknown_counter", loc, str(counter), asked))
    return found


def _lines_of(data: Mapping[str, Any]) -> Iterable[tuple[Loc, Any, tuple[str, ...]]]:
    """Every customer line with its field path and the placeholders it may use besides SLOTS."""

    def lines(value: Any, loc: Loc, extra: tuple[str, ...] = ()) -> Iterable:
        for i, line in enumerate([value] if isinstance(value, str) else value or ()):
            if isinstance(line, str):
                yield ((*loc, i) if not isinstance(value, str) else loc), line, extra

    states = data.get("states") if isinstance(data.get("states"), Mapping) else {}
    for name, state in states.items():
        if not isinstance(state, Mapping):
            continue
        yield from lines(state.get("say"), ("states", name, "say"))
        for group in ("say_by_mood", "if_answered"):
            mapping = state.get(group)
            for key, value in mapping.items() if isinstance(mapping, Mapping) else ():
                if key != "to":
                    yield from lines(value, ("states", name, group, key))
    endings = data.get("endings") if isinstance(data.get("endings"), Mapping) else {}
    for name, ending in endings.items():
        if isinstance(ending, Mapping):
            yield from lines(ending.get("review"), ("endings", name, "review"))
    persona = data.get("persona") if isinstance(data.get("persona"), Mapping) else {}
    waiting = persona.get("waiting") if isinstance(persona.get("waiting"), Mapping) else {}
    for key in ("nudge", "leave", "review"):
        yield from lines(waiting.get(key), ("persona", "waiting", key))
    challenges = data.get("challenges") if isinstance(data.get("challenges"), Mapping) else {}
    for key, value in challenges.items():
        yield from lines(value, ("challenges", key), CHALLENGE_FIELDS)


def _placeholder_problems(data: Mapping[str, Any]) -> list[Problem]:
    remember = data.get("remember") if isinstance(data.get("remember"), Mapping) else {}
    found = []
    for loc, line, extra in _lines_of(data):
        for name in PLACEHOLDER.findall(line):
            if name not in SLOTS and name not in extra:
                found.append(_unknown("unknown_placeholder", loc, name, [*SLOTS, *extra]))
            elif name in SLOTS and not remember.get(name):
                found.append(_at("placeholder_needs_default", loc, name=name))
    return found


def _flow_problems(states: Mapping[str, Any], edges: dict[str, set[str]], start: str) -> list:
    ends = {n for n, s in states.items() if isinstance(s, Mapping) and s.get("end") is not None}
    reached = _reachable(start, edges)
    into: dict[str, set[str]] = {name: set() for name in edges}
    for source, targets in edges.items():
        for target in targets:
            into[target].add(source)
    finishing = set()
    for end in ends:
        finishing |= _reachable(end, into)
    found = []
    for name, state in states.items():
        if not isinstance(state, Mapping):
            continue
        if name not in reached:
            found.append(_at("unreachable", ("states", name), severity="warning", name=name))
        elif name not in finishing and (state.get("transitions") or name in ends):
            found.append(_at("no_way_to_end", ("states", name), name=name))
        elif name not in ends and state.get("transitions") and not _has_silence(state):
            found.append(_at("waits_forever", ("states", name), severity="warning", name=name))
    return found


def _has_silence(state: Mapping[str, Any]) -> bool:
    transitions = state.get("transitions")
    return isinstance(transitions, list) and any(
        isinstance(t, Mapping) and isinstance(t.get("on"), list) and "silence" in t["on"]
        for t in transitions
    )


def _reachable(first: str, edges: Mapping[str, set[str]]) -> set[str]:
    seen = {first}
    queue = deque([first])
    while queue:
        for target in edges.get(queue.popleft(), ()):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def _product_problems(data: Mapping[str, Any]) -> list[Problem]:
    shop = data.get("shop")
    products = shop.get("products") if isinstance(shop, Mapping) else None
    if not isinstance(products, list):
        return []
    found = []
    skus: dict[str, Mapping[str, Any]] = {}
    for i, product in enumerate(products):
        sku = product.get("sku") if isinstance(product, Mapping) else None
        if not isinstance(sku, str):
            continue
        if sku in skus:
            found.append(_at("duplicate_sku", ("shop", "products", i, "sku"), name=sku))
        skus.setdefault(sku, product)
        found += _stock_problems(product, ("shop", "products", i, "stock"))
    order = data.get("order")
    items = order.get("items") if isinstance(order, Mapping) else None
    if skus and isinstance(items, list):
        for i, item in enumerate(items):
            sku = item.get("sku") if isinstance(item, Mapping) else None
            if not isinstance(sku, str):
                continue
            if sku not in skus:
                found.append(_unknown("unknown_sku", ("order", "items", i, "sku"), sku, list(skus)))
                continue
            values = _option_values(skus[sku])
            for key in ("colour", "size"):
                value = item.get(key)
                if values and isinstance(value, str) and value and value not in values:
                    loc = ("order", "items", i, key)
                    warning = _unknown(
                        "unknown_option", loc, value, values, severity="warning", sku=sku
                    )
                    found.append(warning)
    return found


def _option_values(product: Mapping[str, Any]) -> list[str]:
    """Every value of every option of the product, in the order written."""
    options = product.get("options")
    if not isinstance(options, Mapping):
        return []
    found = [str(v) for values in options.values() if isinstance(values, list) for v in values]
    return list(dict.fromkeys(found))


def _stock_problems(product: Mapping[str, Any], loc: Loc) -> list[Problem]:
    """Stock entries are option values joined by spaces (驼色 M, iPhone 15 Pro): say which are not."""
    stock = product.get("stock")
    options = _option_values(product)
    values = sorted(options, key=len, reverse=True)  # iPhone 15 Pro is taken before iPhone 15
    if not isinstance(stock, Mapping) or not values:
        return []
    found = []
    for key in stock:
        rest = f" {key} "
        for value in values:
            rest = rest.replace(f" {value} ", " ")
        if rest.strip():
            found.append(
                _at(
                    "unknown_variant",
                    (*loc, str(key)),
                    severity="warning",
                    name=key,
                    choices=options,
                )
            )
    return found


def _at(code: str, loc: Loc, *, severity: Severity = "error", **params: Any) -> Problem:
    return problem(code, loc=loc, severity=severity, **params)


def _unknown(
    code: str,
    loc: Loc,
    name: str,
    choices: list[str],
    *,
    severity: Severity = "error",
    **params: Any,
) -> Problem:
    # A script may have forty states: the hint lists the first dozen.
    shown = [*choices[:12], "…"] if len(choices) > 12 else choices
    suggested = suggestion(name, choices)
    return _at(
        code, loc, severity=severity, name=name, choices=shown, suggestion=suggested, **params
    )


# ---------------------------------------------------------------- loading with line numbers


@dataclass
class _Frame:
    loc: Loc
    mapping: bool
    expect_key: bool = True
    key: str | None = None
    index: int = 0
    keys: dict[str, int] = field(default_factory=dict)  # key -> line first seen


def _scan_events(yaml: YAML, source: str) -> list[Problem]:
    """One pass over the parser's events, before anything is built.

    Anchors and aliases have no use in a scenario and enable the billion-laughs bomb; nesting
    stops at MAX_DEPTH before the composer or the validator walks the tree. Returns every
    duplicate key (ruamel's constructor would stop at the first).
    """
    duplicates: list[Problem] = []
    stack: list[_Frame] = []
    last: Loc = ()  # the last node seen, for an error after the top mapping has closed
    events = iter(yaml.parse(source))
    while True:
        try:
            event = next(events)
        except StopIteration:
            break
        except MarkedYAMLError as error:
            # Where the parser had got to names the field even when the syntax is broken.
            raise ScenarioError([_syntax_problem(error, loc=_where(stack) or last)]) from None
        line, column = _mark(getattr(event, "start_mark", None))
        if isinstance(event, AliasEvent):
            raise ScenarioError([problem("alias", line=line, column=column, loc=_where(stack))])
        if isinstance(event, CollectionEndEvent):
            stack.pop()
            continue
        if not isinstance(event, NodeEvent):
            continue
        loc: Loc = ()
        if stack:
            parent = stack[-1]
            if parent.mapping and parent.expect_key:
                parent.expect_key = False
                key = event.value if isinstance(event, ScalarEvent) else None
                parent.key = key
                if key is not None and key in parent.keys:
                    duplicates.append(
                        problem(
                            "duplicate_key",
                            line=line,
                            column=column,
                            loc=(*parent.loc, key),
                            key=key,
                            first=parent.keys[key],
                        )
                    )
                elif key is not None:
                    parent.keys[key] = line or 0
                loc = (*parent.loc, "?")
            elif parent.mapping:
                parent.expect_key = True
                loc = (*parent.loc, parent.key if parent.key is not None else "?")
            else:
                loc = (*parent.loc, parent.index)
                parent.index += 1
        last = tuple(part for part in loc if part != "?") or last
        if isinstance(event, CollectionStartEvent):
            if len(stack) >= MAX_DEPTH:
                raise ScenarioError(
                    [problem("too_deep", line=line, column=column, limit=MAX_DEPTH)]
                )
            stack.append(_Frame(loc, isinstance(event, MappingStartEvent)))
    return duplicates


def _where(stack: list[_Frame]) -> Loc:
    if not stack:
        return ()
    top = stack[-1]
    if top.mapping:
        loc = top.loc if top.key is None else (*top.loc, top.key)
    else:
        loc = (*top.loc, top.index - 1) if top.index else top.loc
    return tuple(part for part in loc if part != "?")


def _mark(mark: Any) -> tuple[int | None, int | None]:
    if mark is None:
        return None, None
    return mark.line + 1, mark.column + 1


def _position(tree: Any, loc: Loc, *, key_of_last: bool) -> tuple[int | None, int | None]:
    """The 1-based line and column of the deepest node of `loc` that the YAML tree still has.

    The value's position for a scalar, the key's for a mapping or list (or `key_of_last`).
    """
    # A key missing from the top level still gets a place: where the document's mapping starts.
    pos: tuple[int, int] | None = (
        (tree.lc.line, tree.lc.col)
        if isinstance(tree, CommentedMap) and tree.lc.line is not None
        else None
    )
    node = tree
    for depth, part in enumerate(loc):
        last = depth == len(loc) - 1
        if isinstance(node, CommentedMap):
            key = _tree_key(node, part)
            if key is None:
                break
            child = node[key]
            # A value on the key's line (a scalar, or a flow list like [greet, any]) is pointed
            # at itself; a block below its key, at the key.
            inline = node.lc.value(key)[0] == node.lc.key(key)[0]
            scalar = not isinstance(child, CommentedMap | CommentedSeq)
            at_value = last and not key_of_last and (scalar or inline)
            pos = node.lc.value(key) if at_value else node.lc.key(key)
            node = child
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
            pos = node.lc.item(part)
            node = node[part]
        else:
            break
    if pos is None:
        return None, None
    return pos[0] + 1, pos[1] + 1


def _tree_key(node: CommentedMap, part: int | str) -> Any:
    if part in node:
        return part
    # _plain made every key text: find `1` or `true` by its text too.
    return next((key for key in node if str(key) == str(part)), None)


def check_source(source: str | bytes) -> tuple[Script | None, list[Problem]]:
    """Every problem of one scenario document, warnings included, and the script if usable.

    The script is None when any problem is an error; then nothing of it may be stored.
    """
    try:
        tree = _load_tree(source)
    except ScenarioError as error:
        return None, error.problems
    data = _plain(tree)
    references = [_located(tree, p) for p in reference_problems(data)]
    try:
        script: Script | None = Script.model_validate(data, context={"references_checked": True})
        problems: list[Problem] = []
    except ValidationError as error:
        script, problems = None, _problems(tree, error)
    paths = {p.path for p in problems}
    problems += [p for p in references if p.path not in paths]
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    if any(p.severity == "error" for p in problems):
        script = None
    return script, problems


def parse_source(source: str | bytes) -> Script:
    """Parse and validate one scenario document; raise ScenarioError naming line and field."""
    script, problems = check_source(source)
    if script is None:
        raise ScenarioError([p for p in problems if p.severity == "error"])
    return script


def _load_tree(source: str | bytes) -> CommentedMap:
    if isinstance(source, bytes):
        if len(source) > MAX_SOURCE_BYTES:
            raise ScenarioError([problem("too_large")])
        try:
            source = source.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = source[: error.start].count(b"\n") + 1
            raise ScenarioError([problem("not_utf8", line=line, detail=error.reason)]) from None
    source = source.removeprefix("\ufeff")
    if len(source.encode("utf-8")) > MAX_SOURCE_BYTES:
        raise ScenarioError([problem("too_large")])
    if "\x00" in source:
        before = source[: source.index("\x00")]
        line, column = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        raise ScenarioError([problem("nul", line=line, column=column)])
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        duplicates = _scan_events(yaml, source)
        if duplicates:
            raise ScenarioError(duplicates)
        tree = yaml.load(source)
    except MarkedYAMLError as error:
        raise ScenarioError([_syntax_problem(error)]) from None
    except YAMLError as error:
        raise ScenarioError([problem("yaml_syntax", detail=error)]) from None
    except ScenarioError:
        raise
    except (ValueError, OverflowError, RecursionError) as error:
        # Raised while constructing scalars: an int of 5,000 digits, a date like 2024-13-45.
        raise ScenarioError([problem("unreadable_value", detail=error)]) from None
    if not isinstance(tree, CommentedMap):
        raise ScenarioError([problem("not_mapping", line=1, column=1)])
    return tree


def _syntax_problem(error: MarkedYAMLError, *, loc: Loc = ()) -> Problem:
    detail = " ".join(str(part) for part in (error.context, error.problem) if part)
    mark = error.problem_mark or error.context_mark
    if "'\\t'" in detail or "\t" in detail:
        code = "tab"
    elif "flow" in detail or "expected ',' or" in detail:
        code = "unclosed"
    elif "mapping values are not allowed" in detail:
        code = "colon"
    elif any(
        words in detail
        for words in ("block end", "expected key", "expected ':'", "'<document start>'")
    ):
        code = "indentation"
    else:
        code = "yaml_syntax"
    if code == "unclosed" and error.context_mark is not None:
        mark = error.context_mark  # where the bracket opened, not where the parser gave up
    line, column = _mark(mark)
    return problem(code, line=line, column=column, loc=loc, detail=detail)


def _located(tree: Any, found: Problem) -> Problem:
    """A reference problem with the line and column of its field."""
    line, column = _position(tree, found.loc, key_of_last=False)
    return replace(found, line=line, column=column)


PYDANTIC_CODES = {
    "missing": "missing",
    "extra_forbidden": "extra",
    "literal_error": "choice",
    "enum": "choice",
    "greater_than_equal": "too_small",
    "greater_than": "not_above",
    "less_than_equal": "too_big",
    "less_than": "not_below",
    "int_parsing": "not_integer",
    "int_type": "not_integer",
    "int_from_float": "not_integer",
    "float_parsing": "not_number",
    "float_type": "not_number",
    "finite_number": "not_number",
    "bool_parsing": "not_bool",
    "bool_type": "not_bool",
    "string_type": "not_text",
    "list_type": "not_list",
    "dict_type": "not_mapping_value",
    "model_type": "not_mapping_value",
    "model_attributes_type": "not_mapping_value",
    "string_too_short": "empty",
    "too_short": "too_few",
    "string_too_long": "too_long",
    "too_long": "too_many",
    "string_pattern_mismatch": "bad_id",
}


def _problems(tree: Any, error: ValidationError) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        loc: Loc = tuple(part for part in item["loc"] if part != "[key]")
        kind = item["type"]
        code = kind if kind in TEXTS else PYDANTIC_CODES.get(kind, "invalid")
        ctx = item.get("ctx") or {}
        value = item.get("input")
        params: dict[str, Any] = {"value": value if _is_scalar(value) else "…"}
        if code == "missing":
            params["key"] = loc[-1] if loc else ""
        elif code == "extra":
            allowed = _allowed_keys(loc[:-1])
            params |= {"key": loc[-1], "choices": allowed}
            params["suggestion"] = suggestion(str(loc[-1]), allowed)
        elif code == "choice":
            choices = _literal_choices(str(ctx.get("expected", "")))
            params |= {"choices": choices, "suggestion": suggestion(str(value), choices)}
        elif code == "unknown_move":
            params |= {k: ctx[k] for k in ("name", "choices") if k in ctx}
            params["suggestion"] = suggestion(str(ctx.get("name", "")), MOVES)
        elif code == "invalid":
            params["detail"] = item["msg"].removeprefix("Value error, ")
        limit = next(
            (
                ctx[k]
                for k in ("ge", "gt", "le", "lt", "min_length", "max_length", "limit")
                if k in ctx
            ),
            None,
        )
        if limit is not None:
            params["limit"] = _number(limit)
        line, column = _position(tree, loc, key_of_last=code in {"extra", "missing"})
        problems.append(problem(code, line=line, column=column, loc=loc, **params))
    return problems


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool) and len(str(value)) <= 80


def _number(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _literal_choices(expected: str) -> list[str]:
    # pydantic says "'a', 'b' or 'c'"; the values are plain words here.
    return [part.strip(" '") for part in expected.replace(" or ", ", ").split(",") if part.strip()]


def _allowed_keys(loc: Loc) -> list[str]:
    """The keys the document allows at `loc` (a mapping), for an unknown key's hint."""
    model: Any = Script
    for part in loc:
        if isinstance(model, type) and issubclass(model, BaseModel):
            info = model.model_fields.get(str(part))
            model = _unwrap(info.annotation) if info else None
        elif get_origin(model) is dict:
            model = _unwrap(get_args(model)[1])
        elif get_origin(model) is list:
            model = _unwrap(get_args(model)[0])
        else:
            return []
    if isinstance(model, type) and issubclass(model, BaseModel):
        return list(model.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """`Order | None` as `Order`."""
    if get_origin(annotation) in (Union, UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def _plain(node: Any) -> Any:
    """ruamel's round-trip containers as plain dicts and lists, for pydantic."""
    if isinstance(node, Mapping):
        return {str(key): _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(value) for value in node]
    return node
