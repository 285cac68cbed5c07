"""The editor's form face: a scenario's YAML document shown as form fields and written back.

The YAML source is the truth (docs/decisions.md, 2026-11-24). `form_view(tree)` renders the
parsed document as fields, each named by its kind and its place in the document; `apply(tree,
data)` writes back only the fields whose value differs from the document's, into the same
ruamel round-trip tree. So comments, key order, flow style, and every key the form does not
show (a field added to the script language later) survive untouched, and
``parse(serialise(form(doc))) == doc`` holds for every document the form can show.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from io import StringIO
from typing import Any, Protocol

from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel
from pydantic_core import PydanticUndefined
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString, PlainScalarString

from scenarios import schema
from scenarios.cues import MOVES
from scenarios.schema import SHOP_TYPES, SPECIAL_EVENTS, Loc, format_path

MISSING = object()
# Kinds whose change re-renders the form face (a choice can show or hide other fields); text
# typed into the others only updates the source, so the field being typed in keeps its focus.
RERENDER = frozenset({"choice", "nchoice", "moves", "key"})
EVENTS = (*MOVES, *SPECIAL_EVENTS)


class FormData(Protocol):
    """What a submitted form offers (Django's QueryDict): every value of a name, in order."""

    def getlist(self, key: str) -> list[str]: ...

    def keys(self) -> Iterable[str]: ...


# ------------------------------------------------------------------ YAML in and out


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    # The library's layout: block lists indented under their key, long lines never wrapped.
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.preserve_quotes = True
    yaml.allow_duplicate_keys = False
    return yaml


def load(source: str) -> CommentedMap:
    """The round-trip tree of `source`; ScenarioError (line and field) when it is not YAML."""
    schema._load_tree(source)  # size, encoding, aliases, depth and duplicate keys, with lines
    return _yaml().load(source.removeprefix("\ufeff"))


def dump(tree: CommentedMap) -> str:
    out = StringIO()
    _yaml().dump(tree, out)
    return out.getvalue()


def wire_name(kind: str, loc: Loc) -> str:
    """A field's form name: its kind and its place, `text:["persona","name"]`."""
    return f"{kind}:{json.dumps(list(loc), ensure_ascii=False, separators=(',', ':'))}"


def read_name(name: str) -> tuple[str, Loc] | None:
    kind, sep, rest = name.partition(":")
    if not sep or not rest.startswith("["):
        return None
    try:
        loc = json.loads(rest)
    except ValueError:
        return None
    if not isinstance(loc, list) or not all(isinstance(p, str | int) for p in loc):
        return None
    return kind, tuple(loc)


# ------------------------------------------------------------------ values


def scalar_text(value: Any) -> str:
    """A number, flag or text as the form shows it."""
    if value is None or value is MISSING:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(float(value))
    return str(value)


INTEGER = re.compile(r"^[+-]?\d{1,15}$")


def scalar_value(text: str) -> Any:
    """What a number field's text means: int, float, true/false, or the text itself (which the
    validator then reports as not a number, on its line)."""
    text = text.strip()
    if INTEGER.match(text):
        return int(text)
    try:
        return float(text)
    except ValueError:
        pass
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    return text


def lines_of(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


LIST_SPLIT = re.compile(r"\s*[,，、]\s*")


def split_values(text: str) -> list[str]:
    return [part for part in LIST_SPLIT.split(text.strip()) if part]


def default_at(loc: Loc) -> Any:
    """The script language's default for a field that the document leaves out."""
    model: Any = schema.Script
    info = None
    for part in loc:
        if isinstance(model, type) and issubclass(model, BaseModel):
            info = model.model_fields.get(str(part))
            if info is None:
                return MISSING
            model = schema._unwrap(info.annotation)
        elif getattr(model, "__origin__", None) in (dict, list):
            model = schema._unwrap(model.__args__[-1])
            info = None
        else:
            return MISSING
    if info is None:
        return MISSING
    if info.default is not PydanticUndefined:
        default = info.default
        return default.model_dump() if isinstance(default, BaseModel) else default
    if info.default_factory is not None:
        return info.default_factory()
    return MISSING


def _get(tree: Any, loc: Loc) -> Any:
    node = tree
    for part in loc:
        in_mapping = isinstance(node, Mapping) and isinstance(part, str) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if not (in_mapping or in_list):
            return MISSING
        node = node[part]
    return node


def current(tree: Any, loc: Loc) -> Any:
    """The document's value at `loc`, or the default it stands for."""
    value = _get(tree, loc)
    return default_at(loc) if value is MISSING else value


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def _parent(tree: Any, loc: Loc, *, create: bool) -> Any:
    """The mapping or list holding `loc`, creating missing mappings on the way if asked."""
    node = tree
    for part in loc[:-1]:
        if isinstance(node, Mapping) and isinstance(part, str):
            if part not in node:
                if not create:
                    return None
                node[part] = CommentedMap()
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return None
    return node if isinstance(node, Mapping | list) else None


def _set(tree: Any, loc: Loc, value: Any) -> bool:
    if type(value) is str:
        # Plain unless YAML needs quotes ('123', 'true'): a value that replaces a quoted one
        # would otherwise inherit its quotes.
        value = PlainScalarString(value)
    parent = _parent(tree, loc, create=True)
    key = loc[-1]
    if isinstance(parent, Mapping) and isinstance(key, str):
        old = parent.get(key, MISSING)
        if isinstance(old, CommentedSeq) and isinstance(value, list):
            old[:] = value  # in place: the list keeps its flow or block style
        else:
            parent[key] = value
        return True
    if isinstance(parent, list) and isinstance(key, int) and 0 <= key < len(parent):
        parent[key] = value
        return True
    return False


def _delete(tree: Any, loc: Loc) -> bool:
    parent = _parent(tree, loc, create=False)
    key = loc[-1]
    if isinstance(parent, Mapping) and key in parent:
        del parent[key]
        return True
    if isinstance(parent, list) and isinstance(key, int) and 0 <= key < len(parent):
        del parent[key]
        return True
    return False


def _flow(items: Iterable[Any]) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _text(value: str) -> Any:
    # Several lines stay a readable block (brief: |) rather than one quoted line with \n.
    return LiteralScalarString(value) if "\n" in value.strip() else value


# ------------------------------------------------------------------ writing the form back


def apply(tree: CommentedMap, data: FormData, *, renames: bool = True) -> bool:
    """Write the submitted fields into `tree`; returns whether anything changed.

    Fields whose value equals the document's are left alone; renames of states and endings
    come last, since every other field was named with the old name, and only when the form is
    rendered again (`renames`), or the next request would still use the old names.
    """
    changed = False
    renamed: list[tuple[Loc, str]] = []
    pairs: dict[Loc, tuple[str, list[str], list[str]]] = {}
    for name in list(data.keys()):
        parsed = read_name(name)
        if parsed is None:
            continue
        kind, loc = parsed
        values = data.getlist(name)
        if not loc:
            continue
        if kind == "key":
            renamed.append((loc, (values[-1] if values else "").strip()))
        elif kind == "pk":
            pairs.setdefault(loc, ("text", [], []))
            pairs[loc] = (pairs[loc][0], values, pairs[loc][2])
        elif kind.startswith("pv-"):
            keys = pairs.get(loc, ("", [], []))[1]
            pairs[loc] = (kind[3:], keys, values)
        else:
            changed |= _apply_field(tree, kind, loc, values)
    for loc, (sub, keys, values) in pairs.items():
        changed |= _apply_pairs(tree, loc, sub, keys, values)
    for loc, new in renamed if renames else ():
        changed |= rename(tree, loc, new)
    return changed


def _apply_field(tree: CommentedMap, kind: str, loc: Loc, values: list[str]) -> bool:
    raw = (values[-1] if values else "").replace("\r\n", "\n")
    old = current(tree, loc)
    present = _get(tree, loc) is not MISSING
    if kind == "text":
        if old is MISSING or old is None:
            return _set(tree, loc, _text(raw)) if raw else False
        if scalar_text(old) == raw:
            return False
        return _set(tree, loc, _text(raw))
    if kind in ("num", "nchoice", "choice"):
        if raw.strip() == "":
            return _delete(tree, loc) if present else False
        new = raw if kind == "choice" else scalar_value(raw)
        if old is not MISSING and _same(old, new):
            return False
        return _set(tree, loc, new)
    if kind == "bool":
        new = raw == "true"
        if old is not MISSING and bool(old) == new and isinstance(old, bool):
            return False
        return _set(tree, loc, new)
    if kind == "lines":
        new_lines = lines_of(raw)
        old_lines = [str(old)] if isinstance(old, str) else _plain(old)
        if old_lines == new_lines or (old is MISSING and not new_lines):
            return False
        if isinstance(old, str) and len(new_lines) == 1:
            return _set(tree, loc, new_lines[0])  # `say: 好的` stays one line
        return _set(tree, loc, new_lines if present else CommentedSeq(new_lines))
    if kind == "moves":
        new_moves = list(dict.fromkeys(v.strip() for v in values if v.strip()))
        if _plain(old) == new_moves or (old is MISSING and not new_moves):
            return False
        if not new_moves and loc[-1] != "on":
            return _delete(tree, loc)  # an empty `all:` or `unless:` is left out
        return _set(tree, loc, new_moves if present else _flow(new_moves))
    return False


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, bool) or isinstance(new, bool):
        return type(old) is type(new) and old == new
    if isinstance(old, int | float) and isinstance(new, int | float):
        return float(old) == float(new)
    return isinstance(old, str) and isinstance(new, str) and str(old) == new


def _apply_pairs(tree: CommentedMap, loc: Loc, sub: str, keys: list[str], values: list[str]):
    new: dict[str, Any] = {}
    for key, value in zip(keys, values, strict=False):
        key = key.strip()
        if not key or key in new:
            continue
        if sub == "list":
            new[key] = split_values(value)
        elif sub == "num":
            new[key] = scalar_value(value) if value.strip() else 0
        else:
            new[key] = value.strip()
    old = _get(tree, loc)
    if old is MISSING:
        if not new:
            return False
        mapping = CommentedMap()
        if sub != "text":
            mapping.fa.set_flow_style()
        for key, value in new.items():
            mapping[key] = _flow(value) if isinstance(value, list) else value
        return _set(tree, loc, mapping)
    if not isinstance(old, CommentedMap):
        return False  # not a mapping: the source face shows why; nothing is overwritten
    if _plain_pairs(old, sub) == new:
        return False
    for key in [k for k in old if str(k) not in new]:
        del old[key]
    for key, value in new.items():
        was = old.get(key, MISSING)
        if was is not MISSING and _plain_pairs({key: was}, sub) == {key: value}:
            continue
        old[key] = _flow(value) if isinstance(value, list) else value
    return True


def _plain_pairs(mapping: Mapping[Any, Any], sub: str) -> dict[str, Any]:
    """A mapping as the pairs table reads it back, to see whether a row changed."""
    found: dict[str, Any] = {}
    for key, value in mapping.items():
        if sub == "list":
            found[str(key)] = (
                [str(v) for v in value] if isinstance(value, list) else split_values(str(value))
            )
        elif sub == "num":
            found[str(key)] = scalar_value(scalar_text(value))
        else:
            found[str(key)] = scalar_text(value).strip()
    return found


def rename(tree: CommentedMap, loc: Loc, new: str) -> bool:
    """Rename a state or an ending in place, and every reference to it."""
    *where, old = loc
    mapping = _get(tree, tuple(where))
    if not isinstance(mapping, CommentedMap) or old not in mapping:
        return False
    if not new or new == old or new in mapping:
        return False
    position = list(mapping).index(old)
    value = mapping.pop(old)
    mapping.insert(position, new, value)
    if old in mapping.ca.items:
        mapping.ca.items[new] = mapping.ca.items.pop(old)
    states = tree.get("states")
    if tuple(where) == ("states",):
        if tree.get("start") == old:
            tree["start"] = new
        for state in states.values() if isinstance(states, Mapping) else ():
            for transition in _transitions(state):
                if transition.get("to") == old:
                    transition["to"] = new
    elif tuple(where) == ("endings",) and isinstance(states, Mapping):
        for state in states.values():
            if isinstance(state, Mapping) and state.get("end") == old:
                state["end"] = new
    return True


def _transitions(state: Any) -> list[Any]:
    transitions = state.get("transitions") if isinstance(state, Mapping) else None
    return (
        [t for t in transitions if isinstance(t, Mapping)] if isinstance(transitions, list) else []
    )


# ------------------------------------------------------------------ adding and removing


class EditError(ValueError):
    """An edit the form cannot make (a name already used); the message is shown."""


NAME = re.compile(r"^[A-Za-z0-9_\-]{1,40}$")


def operate(tree: CommentedMap, op: str, data: FormData) -> bool:
    """Add, remove or move up a part of the document: `add:["shop","products"]`."""
    verb, _sep, rest = op.partition(":")
    parsed = read_name(f"x:{rest}")
    if parsed is None:
        return False
    loc = parsed[1]
    if verb == "add":
        return _add(tree, loc, data)
    if verb == "remove" and loc:
        return _delete(tree, loc)
    if verb == "up" and loc and isinstance(loc[-1], int) and loc[-1] > 0:
        parent = _get(tree, loc[:-1])
        if isinstance(parent, list) and loc[-1] < len(parent):
            i = loc[-1]
            parent[i - 1], parent[i] = parent[i], parent[i - 1]
            return True
    return False


def _add(tree: CommentedMap, loc: Loc, data: FormData) -> bool:
    if loc in (("states",), ("endings",)):
        mapping = tree.get(loc[0])
        if not isinstance(mapping, CommentedMap):
            mapping = tree[loc[0]] = CommentedMap()
        typed = (data.getlist(f"new_{loc[0][:-1]}") or [""])[-1].strip()
        name = typed or _free_name(mapping, "state" if loc[0] == "states" else "ending")
        if not NAME.match(name):
            raise EditError(
                _("A name has up to 40 letters, digits, - or _ (no spaces): “%(name)s”.")
                % {"name": name}
            )
        if name in mapping:
            raise EditError(_("The name “%(name)s” is already used.") % {"name": name})
        if loc[0] == "states":
            mapping[name] = CommentedMap([("say", CommentedSeq()), ("transitions", CommentedSeq())])
        else:
            mapping[name] = _flow_map([("outcome", "success"), ("rating", 5)])
        return True
    if loc == ("order",):
        if isinstance(tree.get("order"), Mapping):
            return False
        tree["order"] = CommentedMap([("id", ""), ("items", CommentedSeq([_blank_item(tree)]))])
        return True
    blank = _blank(tree, loc)
    if blank is None:
        return False
    parent = _parent(tree, loc, create=True)
    if not isinstance(parent, Mapping):
        return False
    items = parent.get(loc[-1])
    if items is None or items is MISSING:
        items = parent[loc[-1]] = CommentedSeq()
    if not isinstance(items, list):
        return False
    items.append(blank)
    return True


def _blank(tree: CommentedMap, loc: Loc) -> Any:
    if loc == ("shop", "products"):
        return CommentedMap([("sku", ""), ("name", ""), ("price", 0)])
    if loc == ("order", "items"):
        return _blank_item(tree)
    if len(loc) == 3 and loc[0] == "states" and loc[2] == "transitions":
        states = tree.get("states")
        target = str(loc[1]) if not isinstance(states, Mapping) else str(next(iter(states), ""))
        return _flow_map([("on", _flow(["any"])), ("to", target)])
    return None


def _blank_item(tree: CommentedMap) -> CommentedMap:
    products = _get(tree, ("shop", "products"))
    first = products[0] if isinstance(products, list) and products else {}
    sku = str(first.get("sku", "")) if isinstance(first, Mapping) else ""
    name = str(first.get("name", "")) if isinstance(first, Mapping) else ""
    price = first.get("price", 0) if isinstance(first, Mapping) else 0
    return CommentedMap([("sku", sku), ("name", name), ("qty", 1), ("price", price)])


def _flow_map(pairs: list[tuple[str, Any]]) -> CommentedMap:
    mapping = CommentedMap(pairs)
    mapping.fa.set_flow_style()
    return mapping


def _free_name(mapping: Mapping[str, Any], stem: str) -> str:
    n = len(mapping) + 1
    while f"{stem}_{n}" in mapping:
        n += 1
    return f"{stem}_{n}"


# ------------------------------------------------------------------ the form, from the tree


@dataclass(frozen=True)
class Field:
    kind: str  # text, area, num, bool, choice, nchoice, lines, moves, key
    loc: Loc
    value: Any
    label: Any = ""
    choices: tuple[tuple[str, Any], ...] = ()
    hint: Any = ""
    readonly: bool = False

    @property
    def name(self) -> str:
        return wire_name("text" if self.kind == "area" else self.kind, self.loc)

    @property
    def path(self) -> str:
        return format_path(self.loc)

    @property
    def rerender(self) -> bool:
        return self.kind in RERENDER

    @property
    def selected(self) -> list[tuple[str, Any]]:
        """A move list's values in the document's order, with their labels."""
        labels = dict(self.choices)
        return [(value, labels.get(value, value)) for value in self.value]

    @property
    def addable(self) -> list[tuple[str, Any]]:
        return [(value, label) for value, label in self.choices if value not in self.value]

    @property
    def dom_id(self) -> str:
        # Stable across renders, unique even for state names that differ only in punctuation.
        digest = zlib.crc32(self.name.encode("utf-8"))
        return "f-" + re.sub(r"[^A-Za-z0-9_-]", "_", self.path)[:60] + f"-{digest:x}"


@dataclass(frozen=True)
class Pairs:
    """A mapping as a two-column table (a product's options, specs or stock)."""

    loc: Loc
    sub: str  # text, list, num
    rows: tuple[tuple[str, str], ...]
    key_label: Any
    value_label: Any

    @property
    def key_name(self) -> str:
        return wire_name("pk", self.loc)

    @property
    def value_name(self) -> str:
        return wire_name(f"pv-{self.sub}", self.loc)

    @property
    def path(self) -> str:
        return format_path(self.loc)

    def row_path(self, key: str) -> str:
        return format_path((*self.loc, key))


@dataclass(frozen=True)
class Group:
    """Fields of one mapping in a list (a product, an order item, a transition, an ending)."""

    loc: Loc
    fields: tuple[Field, ...]
    pairs: tuple[Pairs, ...] = ()
    title: str = ""

    @property
    def path(self) -> str:
        return format_path(self.loc)

    @property
    def op_loc(self) -> str:
        return json.dumps(list(self.loc), ensure_ascii=False, separators=(",", ":"))

    def get(self, key: str) -> Field | None:
        return next((f for f in self.fields if f.loc[-1] == key), None)


@dataclass(frozen=True)
class StateCard:
    name: str
    key: Field
    say: Field
    end: Field
    transitions: tuple[Group, ...]
    start: bool
    ending: str  # the ending it leads to, if an end state

    @property
    def path(self) -> str:
        return format_path(("states", self.name))

    @property
    def op_loc(self) -> str:
        return json.dumps(["states", self.name], ensure_ascii=False, separators=(",", ":"))

    @property
    def add_transition(self) -> str:
        return json.dumps(
            ["states", self.name, "transitions"], ensure_ascii=False, separators=(",", ":")
        )


@dataclass(frozen=True)
class FormView:
    basics: tuple[Field, ...]
    persona: tuple[Field, ...]
    shop: tuple[Field, ...]
    products: tuple[Group, ...]
    shipping: tuple[Field, ...]
    policy: tuple[Field, ...]
    order: tuple[Field, ...] | None
    items: tuple[Group, ...]
    start: Field
    states: tuple[StateCard, ...]
    endings: tuple[Group, ...]
    unshown: tuple[str, ...] = field(default=())  # keys kept as written, not shown in the form
    # A field's path → its label and its group's title, so a problem reads in the form's words.
    labels: Mapping[str, tuple[Any, str]] = field(default_factory=dict)

    def label_of(self, path: str) -> str:
        """The form's name for the field at `path` (or the nearest field above it), else ""."""
        while path:
            if path in self.labels:
                label, group = self.labels[path]
                return f"{group} · {label}" if group else str(label)
            # Up one level: "a.b[2]" → "a.b" → "a".
            path = path[: path.rindex("[")] if path.endswith("]") else path.rpartition(".")[0]
        return ""


def _choices(values: Iterable[tuple[str, Any]], value: Any, *, empty: Any = None) -> tuple:
    found = list(values)
    text = scalar_text(value)
    if empty is not None:
        found.insert(0, ("", empty))
    if text and text not in {v for v, _l in found}:
        found.append((text, text))  # a value the form does not know is kept, not replaced
    elif not text and empty is None:
        found.insert(0, ("", "—"))
    return tuple(found)


def form_view(tree: Any) -> FormView:
    """Every field the form face shows, with its value in the document."""
    from scenarios.messages import MOVE_LABELS, OUTCOME_LABELS, PERSONA_LABELS
    from scenarios.models import Difficulty, Kind, ShopType

    shown: set[Loc] = set()  # fields: the form writes their whole value
    opened: set[Loc] = set()  # mappings the form shows field by field

    def f(kind: str, loc: Loc, label: Any = "", **extra: Any) -> Field:
        shown.add(loc)
        value = current(tree, loc)
        if kind in ("lines",):
            value = "\n".join(
                [str(value)] if isinstance(value, str) else [scalar_text(v) for v in _list(value)]
            )
        elif kind == "moves":
            value = [str(v) for v in _list(value)]
        elif kind == "bool":
            value = bool(value) if isinstance(value, bool) else False
        else:
            value = scalar_text(value)
        choices = extra.pop("choices", None)
        if kind == "moves":
            extra["choices"] = tuple(choices or ())
        elif choices is not None:
            extra["choices"] = _choices(choices, value, empty=extra.pop("empty", None))
        return Field(kind, loc, value, label, **extra)

    def pairs(loc: Loc, sub: str, key_label: Any, value_label: Any) -> Pairs:
        shown.add(loc)
        mapping = _get(tree, loc)
        rows = tuple(
            (
                str(k),
                ", ".join(scalar_text(x) for x in v) if isinstance(v, list) else scalar_text(v),
            )
            for k, v in (mapping.items() if isinstance(mapping, Mapping) else ())
        )
        return Pairs(loc, sub, rows, key_label, value_label)

    state_names = [str(n) for n in _mapping(tree.get("states"))]
    ending_names = [str(n) for n in _mapping(tree.get("endings"))]
    basics = (
        f(
            "text",
            ("id",),
            _("Identifier"),
            readonly=True,
            hint=_("Names this scenario's versions; fixed."),
        ),
        f("text", ("title",), _("Title")),
        f("choice", ("kind",), _("Kind"), choices=Kind.choices),
        f(
            "choice",
            ("language",),
            _("Customer's language"),
            choices=[("zh-hans", "简体中文"), ("en", "English")],
        ),
        f(
            "nchoice",
            ("difficulty",),
            _("Difficulty"),
            choices=[(str(v), label) for v, label in Difficulty.choices],
        ),
        f(
            "text",
            ("summary",),
            _("One-line summary"),
            hint=_("Shown in the library: what the scenario trains."),
        ),
        f(
            "area",
            ("brief",),
            _("The student's task"),
            hint=_("Say what to do, not the hidden constraints."),
        ),
    )
    persona = (
        f("text", ("persona", "name"), _("Customer's name")),
        f("choice", ("persona", "type"), _("Persona type"), choices=PERSONA_LABELS.items()),
        f("area", ("persona", "description"), _("Hidden facts (for teachers)")),
        f(
            "num",
            ("persona", "patience"),
            _("Patience ×"),
            hint=_("Multiplies every silence timer; 0.5 impatient, 1.5 patient."),
        ),
        f("num", ("persona", "typing_speed"), _("Typing, seconds per character")),
        # What {size}, {colour}… in her lines say when the student never said: what the
        # student recommends or confirms wins.
        f("text", ("remember", "size"), _("Size she takes unless told")),
        f("text", ("remember", "colour"), _("Colour she takes unless told")),
        f("num", ("remember", "quantity"), _("Quantity she takes unless told")),
        f("text", ("remember", "address"), _("Address she gives unless told")),
    )
    opened.add(("remember",))
    shop = (
        f("text", ("shop", "name"), _("Shop name")),
        f(
            "choice",
            ("shop", "type"),
            _("Shop type"),
            choices=[(v, ShopType(v).label) for v in SHOP_TYPES],
        ),
        f(
            "lines",
            ("shop", "promotions"),
            _("Promotions (one a line)"),
            hint=_("Only these count as authorised offers."),
        ),
    )
    products = []
    for i, _product in enumerate(_list(_get(tree, ("shop", "products")))):
        loc = ("shop", "products", i)
        opened.add(loc)
        products.append(
            Group(
                loc,
                (
                    f("text", (*loc, "sku"), _("SKU")),
                    f("text", (*loc, "name"), _("Product")),
                    f("num", (*loc, "price"), _("Price (yuan)")),
                ),
                (
                    pairs((*loc, "options"), "list", _("Option"), _("Values (comma-separated)")),
                    pairs((*loc, "specs"), "text", _("Specification / size chart"), _("Value")),
                    pairs((*loc, "stock"), "num", _("Variant (option values)"), _("In stock")),
                ),
            )
        )
    shipping = (
        f("text", ("shop", "shipping", "default"), _("Default shipping")),
        f("lines", ("shop", "shipping", "upgrades"), _("Upgrades (one a line)")),
        f("num", ("shop", "shipping", "ship_within_hours"), _("Ships within (hours)")),
        f("text", ("shop", "shipping", "transit_days"), _("Transit time")),
    )
    policy = (
        f("text", ("shop", "policy", "returns"), _("Returns rule")),
        f(
            "choice",
            ("shop", "policy", "return_freight"),
            _("Return postage paid by"),
            choices=[("buyer", _("the buyer")), ("seller", _("the shop"))],
        ),
        f("num", ("shop", "policy", "compensation_limit"), _("Compensation limit (yuan)")),
        f(
            "bool",
            ("shop", "policy", "freight_insurance"),
            _("The order carries return-postage insurance"),
        ),
        f(
            "bool",
            ("shop", "policy", "refund_before_return"),
            _("May refund before the return arrives"),
        ),
        f("bool", ("shop", "policy", "price_change"), _("May change the price")),
        f("bool", ("shop", "policy", "guaranteed_delivery"), _("May guarantee an arrival date")),
        f("lines", ("shop", "policy", "notes"), _("Other rules (one a line)")),
    )
    order = None
    items = []
    if isinstance(tree.get("order"), Mapping):
        opened.add(("order",))
        order = (
            f("text", ("order", "id"), _("Order number")),
            f("text", ("order", "status"), _("Status")),
            f("num", ("order", "total"), _("Amount paid (yuan)")),
            f("text", ("order", "recipient"), _("Recipient")),
            f("text", ("order", "phone"), _("Phone")),
            f("text", ("order", "address"), _("Address")),
            f("text", ("order", "remark"), _("Seller's remark")),
        )
        for i, _item in enumerate(_list(_get(tree, ("order", "items")))):
            loc = ("order", "items", i)
            opened.add(loc)
            items.append(
                Group(
                    loc,
                    (
                        f("text", (*loc, "sku"), _("SKU")),
                        f("text", (*loc, "name"), _("Product")),
                        f("text", (*loc, "colour"), _("Colour")),
                        f("text", (*loc, "size"), _("Size")),
                        f("num", (*loc, "qty"), _("Qty")),
                        f("num", (*loc, "price"), _("Price (yuan)")),
                    ),
                )
            )
    move_choices = [(m, MOVE_LABELS.get(m, m)) for m in MOVES]
    event_choices = [("any", _("any message")), ("silence", _("silence (timer)")), *move_choices]
    state_choices = [(n, n) for n in state_names]
    ending_choices = [(n, n) for n in ending_names]
    start = f("choice", ("start",), _("The customer starts in"), choices=state_choices)
    states = []
    for name in state_names:
        loc = ("states", name)
        opened.add(loc)
        state = _get(tree, loc)
        transitions = []
        for i, _t in enumerate(_transitions_raw(state)):
            tloc = (*loc, "transitions", i)
            opened.add(tloc)
            fields = [
                f(
                    "moves",
                    (*tloc, "on"),
                    _("When the student's message shows"),
                    choices=event_choices,
                ),
                f("moves", (*tloc, "all"), _("…and also all of"), choices=move_choices),
                f("moves", (*tloc, "unless"), _("…but none of"), choices=move_choices),
            ]
            # Seconds only mean something for a silence timer: shown when it is one (or set).
            if (
                "silence" in _list(_get(tree, (*tloc, "on")))
                or _get(tree, (*tloc, "after")) is not MISSING
            ):
                fields.append(f("num", (*tloc, "after"), _("after (seconds of silence)")))
            fields.append(f("choice", (*tloc, "to"), _("go to"), choices=state_choices))
            transitions.append(Group(tloc, tuple(fields)))
        end = f(
            "choice",
            (*loc, "end"),
            _("Ends the conversation with"),
            choices=ending_choices,
            empty=_("— no, the script goes on —"),
        )
        states.append(
            StateCard(
                name=name,
                key=Field("key", loc, name, _("State name")),
                say=f("lines", (*loc, "say"), _("The customer says (one variant a line)")),
                end=end,
                transitions=tuple(transitions),
                start=tree.get("start") == name,
                ending=end.value,
            )
        )
    endings = []
    for name in ending_names:
        loc = ("endings", name)
        opened.add(loc)
        endings.append(
            Group(
                loc,
                (
                    Field("key", loc, name, _("Ending")),
                    f("choice", (*loc, "outcome"), _("Outcome"), choices=OUTCOME_LABELS.items()),
                    f(
                        "nchoice",
                        (*loc, "rating"),
                        _("Rating"),
                        choices=[(str(n), f"{n}/5") for n in range(1, 6)],
                    ),
                    f("text", (*loc, "description"), _("What happened")),
                ),
                title=name,
            )
        )
    labels = {
        field.path: (field.label, title)
        for title, fields in _labelled(
            basics,
            persona,
            shop,
            shipping,
            policy,
            order or (),
            (start,),
            products,
            items,
            states,
            endings,
        )
        for field in fields
        if field.label
    }
    return FormView(
        labels=labels,
        basics=basics,
        persona=persona,
        shop=shop,
        products=tuple(products),
        shipping=shipping,
        policy=policy,
        order=order,
        items=tuple(items),
        start=start,
        states=tuple(states),
        endings=tuple(endings),
        unshown=tuple(unshown(tree, shown, opened)),
    )


def _labelled(*parts: Any) -> Iterable[tuple[str, Iterable[Field]]]:
    """(the group's title or "", its fields) for loose fields, groups and state cards alike."""
    for part in parts:
        for item in part:
            if isinstance(item, Field):
                yield "", (item,)
            elif isinstance(item, StateCard):
                yield item.name, (item.key, item.say, item.end)
                for transition in item.transitions:
                    yield item.name, transition.fields
            else:
                yield _group_title(item), (f for f in item.fields if isinstance(f, Field))


def _group_title(group: Group) -> str:
    """An ending's name, else a product's or item's own name, else its number in the list."""
    named = {f.loc[-1]: f.value for f in group.fields if isinstance(f, Field) and f.value}
    title = group.title or named.get("name") or named.get("sku")
    if not title and isinstance(group.loc[-1], int):
        title = f"#{group.loc[-1] + 1}"
    return str(title or "")


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def _mapping(value: Any) -> Mapping[Any, Any]:
    return value if isinstance(value, Mapping) else {}


def _transitions_raw(state: Any) -> list[Any]:
    transitions = state.get("transitions") if isinstance(state, Mapping) else None
    return list(transitions) if isinstance(transitions, list) else []


def unshown(tree: Any, shown: set[Loc], opened: set[Loc]) -> list[str]:
    """The document's keys the form does not show (they are kept as written)."""
    found: list[str] = []
    known = shown | opened

    def inside(loc: Loc) -> bool:
        return loc in known or any(k[: len(loc)] == loc for k in known)

    def walk(node: Any, loc: Loc) -> None:
        if loc in shown:
            return
        children = (
            [(str(k), v) for k, v in node.items()]
            if isinstance(node, Mapping)
            else list(enumerate(node))
            if isinstance(node, list)
            else []
        )
        for key, value in children:
            child = (*loc, key)
            if inside(child):
                walk(value, child)
            elif isinstance(node, Mapping):
                found.append(format_path(child))

    walk(tree, ())
    return found


def submitted(view: FormView) -> list[tuple[str, str]]:
    """The (name, value) pairs a browser sends for `view` untouched (for tests and checks)."""
    pairs: list[tuple[str, str]] = []

    def add(item: Field) -> None:
        if item.kind == "bool":
            pairs.append((item.name, "false"))
            if item.value:
                pairs.append((item.name, "true"))
        elif item.kind == "moves":
            pairs.append((item.name, ""))
            pairs.extend((item.name, value) for value in item.value)
        else:
            pairs.append((item.name, item.value))

    def add_pairs(table: Pairs) -> None:
        for key, value in (*table.rows, ("", "")):
            pairs.append((table.key_name, key))
            pairs.append((table.value_name, value))

    for item in (*view.basics, *view.persona, *view.shop, *view.shipping, *view.policy):
        add(item)
    for group in (*view.products, *view.items, *view.endings):
        for item in group.fields:
            add(item)
        for table in group.pairs:
            add_pairs(table)
    for item in view.order or ():
        add(item)
    add(view.start)
    for card in view.states:
        for item in (card.key, card.say, card.end):
            add(item)
        for group in card.transitions:
            for item in group.fields:
                add(item)
    return pairs


# ------------------------------------------------------------------ one editor request


@dataclass(frozen=True)
class Editing:
    """The editor after one request: the document, its problems and the form of it."""

    source: str
    face: str  # "form" or "source": which face the teacher is on
    problems: tuple[schema.Problem, ...]
    view: FormView | None  # None when the source is not YAML the form can show
    note: str = ""  # an edit refused, or why the form face cannot open
    changed: bool = False  # the form changed the source

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors


def edit(source: str, data: FormData, *, face: str, op: str = "", rerender: bool = False):
    """Apply what the authoritative face sent, then check the document.

    On the form face the submitted fields (and an add/remove `op`) are written into the
    source; on the source face the source is taken as typed. `face:form` / `face:source`
    switch faces; the form face opens only on YAML it can read.
    """
    note = ""
    changed = False
    tree: CommentedMap | None
    try:
        tree = load(source)
    except schema.ScenarioError:
        tree = None
    if face == "form" and tree is not None:
        changed = apply(tree, data, renames=rerender or bool(op))
        if op and not op.startswith("face:"):
            try:
                changed |= operate(tree, op, data)
            except EditError as error:
                note = str(error)
        if changed:
            source = dump(tree)
    if op == "face:source":
        face = "source"
    elif op == "face:form" or face == "form":
        face = "form"
        if tree is None:
            face = "source"
            note = str(
                _(
                    "The form opens once the YAML can be read: fix the problems on these lines first."
                )
            )
    _script, problems = schema.check_source(source)
    return Editing(
        source=source,
        face=face,
        problems=tuple(problems),
        view=form_view(tree) if tree is not None else None,
        note=note,
        changed=changed,
    )
