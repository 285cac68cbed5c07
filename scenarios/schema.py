"""The scenario script language: parse YAML with line numbers, validate with pydantic.

A scenario is one YAML document (docs/scenarios.md). Errors name the line and the field
path, e.g. ``line 12: states.opening.transitions.0.to: unknown state 'nede'``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent

from scenarios.cues import MOVES

MAX_SOURCE_BYTES = 256 * 1024
# A scenario nests about six levels deep. Deeper input is an attack: ruamel's composer recurses
# once per level (RecursionError near 1,000) and its scanner slows quadratically with flow depth.
MAX_DEPTH = 32
# Events a transition can wait for besides agent moves.
SPECIAL_EVENTS = ("any", "silence")


class ScenarioError(ValueError):
    """A scenario document that cannot be used; `problems` lists (line, path, message)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


@dataclass(frozen=True)
class Problem:
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.path}: {self.message}" if self.path else f"{where}{self.message}"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Persona(_Strict):
    name: str = Field(min_length=1, max_length=40)
    type: Literal["hesitant", "bargainer", "angry", "detail", "difficult", "decisive", "chatty"]
    description: str = ""
    patience: float = Field(default=1.0, gt=0, le=5)
    # Seconds per typed character; the customer's typing delay scales with line length.
    typing_speed: float = Field(default=0.25, gt=0, le=2)


class Product(_Strict):
    sku: str = Field(min_length=1)
    name: str = Field(min_length=1)
    price: float = Field(ge=0)
    options: dict[str, list[str]] = {}
    specs: dict[str, str] = {}
    stock: dict[str, int] = {}


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


class Transition(_Strict):
    """Move to `to` when the student's message shows any move in `on` (and all in `all`)."""

    on: list[str] = Field(min_length=1)
    all: list[str] = []
    unless: list[str] = []
    after: float | None = Field(default=None, gt=0, description="seconds, for on: [silence]")
    to: str

    @field_validator("on", "all", "unless")
    @classmethod
    def _known_events(cls, value: list[str]) -> list[str]:
        for name in value:
            if name not in MOVES and name not in SPECIAL_EVENTS:
                raise ValueError(
                    f"unknown move {name!r}; expected one of {', '.join(MOVES)}, any, silence"
                )
        return value

    @model_validator(mode="after")
    def _silence_needs_after(self) -> Transition:
        if "silence" in self.on and self.after is None:
            raise ValueError("a silence transition needs 'after' (seconds)")
        if "silence" in self.on and len(self.on) > 1:
            raise ValueError("silence cannot be combined with moves in one transition")
        return self


class State(_Strict):
    say: list[str] = []
    transitions: list[Transition] = []
    end: str | None = None

    @field_validator("say", mode="before")
    @classmethod
    def _one_line_is_a_list(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class Ending(_Strict):
    outcome: Literal["success", "partial", "lost", "escalated"]
    rating: int = Field(ge=1, le=5)
    description: str = ""


class Script(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{1,60}$")
    kind: Literal["pre_sale", "order_confirmation", "after_sale"]
    language: Literal["zh-hans", "en"]
    title: str = Field(min_length=1, max_length=120)
    brief: str = Field(min_length=1)
    persona: Persona
    shop: Shop
    order: Order | None = None
    start: str
    states: dict[str, State] = Field(min_length=1)
    endings: dict[str, Ending] = Field(min_length=1)

    @model_validator(mode="after")
    def _references_resolve(self) -> Script:
        if self.start not in self.states:
            raise ValueError(f"start: unknown state {self.start!r}")
        for name, state in self.states.items():
            if state.end is not None and state.end not in self.endings:
                raise ValueError(f"states.{name}.end: unknown ending {state.end!r}")
            if state.end is None and not state.transitions:
                raise ValueError(f"states.{name}: a state needs transitions or an end")
            for i, transition in enumerate(state.transitions):
                if transition.to not in self.states:
                    raise ValueError(
                        f"states.{name}.transitions.{i}.to: unknown state {transition.to!r}"
                    )
        return self

    def product(self, sku: str) -> Product | None:
        return next((p for p in self.shop.products if p.sku == sku), None)


# ---------------------------------------------------------------- loading with line numbers


def _reject_aliases(yaml: YAML, source: str) -> None:
    """Anchors and aliases have no use in a scenario and enable the billion-laughs bomb.

    Also stops at MAX_DEPTH nesting, before the composer or the validator walks the tree.
    """
    depth = 0
    for event in yaml.parse(source):
        if isinstance(event, AliasEvent):
            mark = event.start_mark
            raise ScenarioError(
                [Problem(mark.line + 1 if mark else None, "", "aliases (*name) are not allowed")]
            )
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                message = f"nested more than {MAX_DEPTH} levels deep"
                raise ScenarioError([Problem(mark.line + 1 if mark else None, "", message)])
        elif isinstance(event, CollectionEndEvent):
            depth -= 1


def _line_of(tree: Any, loc: tuple[int | str, ...]) -> int | None:
    """The 1-based line of the deepest node of `loc` that the YAML tree still has."""
    # A key missing from the top level still gets a line: where the document's mapping starts.
    line = tree.lc.line + 1 if isinstance(tree, CommentedMap) and tree.lc.line is not None else None
    node = tree
    for key in loc:
        if isinstance(node, CommentedMap) and key in node:
            line = node.lc.key(key)[0] + 1
            node = node[key]
        elif isinstance(node, CommentedSeq) and isinstance(key, int) and key < len(node):
            line = node.lc.item(key)[0] + 1
            node = node[key]
        else:
            break
    return line


def _path_line(tree: Any, path: str) -> int | None:
    parts: list[int | str] = [int(p) if p.isdigit() else p for p in path.split(".") if p]
    return _line_of(tree, tuple(parts))


def parse_source(source: str | bytes) -> Script:
    """Parse and validate one scenario document; raise ScenarioError naming line and field."""
    if isinstance(source, bytes):
        if len(source) > MAX_SOURCE_BYTES:
            raise ScenarioError([Problem(None, "", "file is larger than 256 KB")])
        try:
            source = source.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = source[: error.start].count(b"\n") + 1
            message = f"not UTF-8 text ({error.reason}); save the file as UTF-8"
            raise ScenarioError([Problem(line, "", message)]) from None
    source = source.removeprefix("\ufeff")
    if len(source.encode("utf-8")) > MAX_SOURCE_BYTES:
        raise ScenarioError([Problem(None, "", "file is larger than 256 KB")])
    if "\x00" in source:
        line = source[: source.index("\x00")].count("\n") + 1
        raise ScenarioError([Problem(line, "", "file contains a NUL character")])
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        _reject_aliases(yaml, source)
        tree = yaml.load(source)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(str(part) for part in (error.context, error.problem) if part)
        raise ScenarioError([Problem(mark.line + 1 if mark else None, "", message)]) from None
    except YAMLError as error:
        raise ScenarioError([Problem(None, "", str(error))]) from None
    except ScenarioError:
        raise
    except (ValueError, OverflowError, RecursionError) as error:
        # Raised while constructing scalars: an int of 5,000 digits, a date like 2024-13-45.
        raise ScenarioError([Problem(None, "", f"unreadable value: {error}")]) from None
    if not isinstance(tree, Mapping):
        raise ScenarioError([Problem(1, "", "a scenario must be a mapping of keys to values")])
    try:
        return Script.model_validate(_plain(tree))
    except ValidationError as error:
        raise ScenarioError(_problems(tree, error)) from None


def _problems(tree: Any, error: ValidationError) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        path = ".".join(str(part) for part in loc)
        message = item["msg"].removeprefix("Value error, ")
        # Cross-reference errors carry their own path ("states.x.to: ...").
        # Match the head by its first segment so state names with '-' or spaces keep their path.
        head, sep, rest = message.partition(": ")
        if not path and sep and head.split(".", 1)[0] in Script.model_fields:
            path, message = head, rest
        problems.append(Problem(_path_line(tree, path) if path else None, path, message))
    return problems


def _plain(node: Any) -> Any:
    """ruamel's round-trip containers as plain dicts and lists, for pydantic."""
    if isinstance(node, Mapping):
        return {str(key): _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(value) for value in node]
    return node
