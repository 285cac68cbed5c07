"""What the customer remembers of a conversation, and what an agent's message establishes.

Pure: the adapter hands the engine an agent's text with the recogniser's claims; `Catalogue.
facts_in` reads from them the facts a shopper would notice (a size or colour recommended, stock
said to be there or not, a size-chart figure, a quantity, an address, a bare refusal) against the
scenario's own products. `Memory` keeps them as the conversation goes, so the customer chooses
what was recommended, does not ask again what was answered, and notices a contradiction.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from scenarios.schema import Script

SIZE_KEYS = frozenset({"尺码", "码数", "码", "尺寸", "size"})
COLOUR_KEYS = frozenset({"颜色", "色号", "色", "colour", "color", "shade"})
# The slots a customer line may name as {size}, {colour}, {quantity}, {address}.
SLOTS = ("size", "colour", "quantity", "address")
# Topics an agent's message can answer: the slots, and the recogniser's claim kinds.
TOPICS = (*SLOTS, "price", "stock", "delivery", "policy", "spec")

_CLAUSE = re.compile(r"[。！？!?；;\n]+|[,，、]\s*|(?<!\d)\.(?!\d)\s*")
_RECOMMEND = re.compile(
    r"建议|推荐|选|拍|穿|适合|就要|要|recommend|suggest|go (?:for|with)|take|fit"
)
_OUT = re.compile(
    r"没货|无货|缺货|断货|售罄|卖完|没有了|没了|暂时没有|out of stock|sold out|none left|unavailable"
)
_IN = re.compile(r"有货|现货|还有|有的|库存充足|只剩|还剩|in stock|available|we have|still have")
_QUANTITY = re.compile(
    r"(\d+|一|两|二|三|四|五)\s*(?:件|个|盒|双|瓶|支|袋|箱|份|台)|\b(\d+)\s*(?:pieces|pcs|boxes|pairs|items)\b"
)
_CN_DIGITS = {"一": "1", "两": "2", "二": "2", "三": "3", "四": "4", "五": "5"}
_ADDRESS = re.compile(
    r"[\u4e00-\u9fff]{2,}(?:省|市)[\u4e00-\u9fff\w]*(?:区|县|镇|路|街|号)|\d+\s+\w+\s+(?:street|st|road|rd|avenue|ave|lane)\b"
)
_REFUSAL = re.compile(
    r"不行|不可以|不能|没办法|办不到|做不到|不支持|不给|不退|不换|\bno\b|can't|cannot|won't|not possible|unable|not able"
)
_REASON = re.compile(
    r"因为|由于|规定|政策|规则|按照|根据|所以|平台|系统|原因|because|since|policy|rules?|platform|system|due to"
)
_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*(?:cm|厘米|公分|in\b|inches)")


@dataclass(frozen=True)
class Fact:
    """One thing an agent's message establishes: `kind` (size, stock, …) about `key` is `value`."""

    kind: str
    key: str = ""
    value: str = ""


@dataclass(frozen=True)
class Promise:
    """A commitment the agent made; `out_of_policy` when the recogniser judged it a `promise`."""

    text: str
    out_of_policy: bool


@dataclass(frozen=True)
class Contradiction:
    """A claim the customer challenged: against the shop's facts or the agent's earlier word."""

    kind: str  # a challenge kind (Challenges in the schema)
    key: str
    said: str
    against: str  # the fact or the earlier statement


@dataclass(frozen=True)
class Memory:
    """What the conversation has established, as sorted pairs (frozen, JSON-friendly)."""

    slots: tuple[tuple[str, str], ...] = ()  # size/colour/quantity/address -> the agent's latest
    stated: tuple[tuple[str, str], ...] = ()  # "stock:驼色 M" -> "in", "spec:肩宽 M" -> "40"
    answered: tuple[str, ...] = ()  # topics the agent has spoken to
    counts: tuple[tuple[str, int], ...] = ()  # how often the customer asked (State.asks)
    steps: tuple[str, ...] = ()  # CLEAR steps seen: each calms the customer once
    promises: tuple[Promise, ...] = ()
    challenged: tuple[Contradiction, ...] = ()

    def slot(self, name: str) -> str | None:
        return dict(self.slots).get(name)

    def count(self, name: str) -> int:
        return dict(self.counts).get(name, 0)

    def counted(self, name: str) -> Memory:
        return replace(self, counts=_put(self.counts, name, self.count(name) + 1))

    def to_json(self) -> dict[str, Any]:
        return {
            "slots": dict(self.slots),
            "stated": dict(self.stated),
            "answered": list(self.answered),
            "counts": dict(self.counts),
            "steps": list(self.steps),
            "promises": [[p.text, p.out_of_policy] for p in self.promises],
            "challenged": [[c.kind, c.key, c.said, c.against] for c in self.challenged],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Memory:
        if not data:
            return cls()
        return cls(
            slots=tuple(sorted(data.get("slots", {}).items())),
            stated=tuple(sorted(data.get("stated", {}).items())),
            answered=tuple(data.get("answered", ())),
            counts=tuple(sorted(data.get("counts", {}).items())),
            steps=tuple(data.get("steps", ())),
            promises=tuple(Promise(text, bool(flag)) for text, flag in data.get("promises", ())),
            challenged=tuple(Contradiction(*item) for item in data.get("challenged", ())),
        )


def _put(pairs: tuple[tuple[str, Any], ...], key: str, value: Any) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted({**dict(pairs), key: value}.items()))


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


# ------------------------------------------------------------------ reading an agent's message


@dataclass(frozen=True)
class Catalogue:
    """The scenario's products as the customer sees them: option values, stock, the size chart."""

    sizes: tuple[str, ...]
    colours: tuple[str, ...]
    stock: tuple[tuple[str, int], ...]
    specs: tuple[tuple[str, str, float], ...]  # (spec name, size, figure)
    zh: bool
    _size_re: re.Pattern[str] | None = field(default=None, compare=False)
    _colour_re: re.Pattern[str] | None = field(default=None, compare=False)

    @classmethod
    def of(cls, script: Script) -> Catalogue:
        sizes: dict[str, None] = {}
        colours: dict[str, None] = {}
        stock: dict[str, int] = {}
        specs: list[tuple[str, str, float]] = []
        for product in script.shop.products:
            for key, values in product.options.items():
                target = (
                    sizes
                    if fold(key) in SIZE_KEYS
                    else colours
                    if fold(key) in COLOUR_KEYS
                    else None
                )
                if target is not None:
                    target.update(dict.fromkeys(str(v) for v in values))
            stock.update(product.stock)
            for name, chart in product.specs.items():
                for size, figure in re.findall(r"([A-Za-z0-9]+)\s*[:：]?\s*(\d+(?:\.\d+)?)", chart):
                    if size in sizes:
                        specs.append((name, size, float(figure)))
        return cls(
            sizes=tuple(sizes),
            colours=tuple(colours),
            stock=tuple(stock.items()),
            specs=tuple(specs),
            zh=script.language == "zh-hans",
            _size_re=_alternation(sizes),
            _colour_re=_alternation(colours),
        )

    def facts_in(self, text: str, claims: Iterable[Mapping[str, Any]] = ()) -> tuple[Fact, ...]:
        """What `text` establishes, with the recogniser's `claims` (their JSON form)."""
        found: list[Fact] = []
        claims = list(claims)
        for kind in dict.fromkeys(str(c.get("kind", "")) for c in claims):
            if kind in TOPICS:
                found.append(Fact("topic", kind))
        offered = {size.upper() for size in self.sizes}
        for claim in claims:
            value = str(claim.get("value") or "").upper()
            # A letter size the product does not come in ("XXL" when sizes stop at XL).
            letters = re.fullmatch(r"[A-Z]{1,4}", value)
            if claim.get("kind") == "size" and offered and letters and value not in offered:
                found.append(Fact("size_unknown", "", value))
        clauses = [c for c in _CLAUSE.split(fold(text)) if c.strip()]
        found += self._choice("size", self._size_re, clauses)
        found += self._choice("colour", self._colour_re, clauses)
        spec_name = None
        for clause in clauses:
            size = self._first(self._size_re, clause)
            colour = self._first(self._colour_re, clause)
            spec_name = next((n for n, _, _ in self.specs if fold(n) in clause), spec_name)
            if (size or colour) and (_OUT.search(clause) or _IN.search(clause)):
                key = " ".join(v for v in (colour, size) if v)
                found.append(Fact("stock", key, "out" if _OUT.search(clause) else "in"))
            elif quantity := _QUANTITY.search(clause):
                number = quantity.group(1) or quantity.group(2)
                found.append(Fact("quantity", "", _CN_DIGITS.get(number, number)))
            if spec_name and size and (figure := _NUMBER.search(clause)):
                found.append(Fact("spec", f"{spec_name} {size}", _number(figure.group(1))))
            if address := _ADDRESS.search(clause):
                found.append(
                    Fact("address", "", re.sub(r"^(?:收货)?地址(?:是|为)?", "", address.group()))
                )
        if _REFUSAL.search(fold(text)):
            found.append(Fact("refusal", "", "reasoned" if _REASON.search(fold(text)) else "bare"))
        return tuple(dict.fromkeys(found))

    def _choice(self, kind: str, pattern: re.Pattern[str] | None, clauses: list[str]) -> list[Fact]:
        """The size (colour) the message settles on: the one in a recommending clause, or the
        only one it names ("S码会紧，建议M码" recommends M)."""
        if pattern is None:
            return []
        clauses = [c for c in clauses if not _OUT.search(c)]  # "M码没货了" does not choose M
        named = [self._canon(m) for c in clauses for m in pattern.findall(c)]
        recommended = [
            self._canon(m) for c in clauses if _RECOMMEND.search(c) for m in pattern.findall(c)
        ]
        choice = recommended[0] if recommended else named[0] if len(set(named)) == 1 else None
        return [Fact(kind, "", choice)] if choice else []

    def _first(self, pattern: re.Pattern[str] | None, clause: str) -> str | None:
        found = pattern.search(clause) if pattern else None
        return self._canon(found.group(1)) if found else None

    def _canon(self, folded: str) -> str:
        return next((v for v in (*self.sizes, *self.colours) if fold(v) == folded), folded)

    # -- judging a fact against the shop

    def stock_of(self, key: str) -> int | None:
        """Units of the variant `key` ("驼色 M", or "M" summed over colours); None if unknown."""
        parts = set(key.split())
        counts = [n for variant, n in self.stock if parts <= set(variant.split())]
        return sum(counts) if counts else None

    def spec_of(self, key: str) -> float | None:
        name, _, size = key.rpartition(" ")
        return next((f for n, s, f in self.specs if n == name and s == size), None)

    def shown(self, key: str) -> str:
        """A variant as the customer writes it: M码 / 驼色M码 in Chinese, size M / black M in English."""
        parts = key.split()
        size = next((p for p in parts if p in self.sizes), None)
        colour = " ".join(p for p in parts if p != size)
        if self.zh:
            suffix = "码" if size and re.fullmatch(r"[A-Za-z]+", size) else ""
            return f"{colour}{size or ''}{suffix}"
        if size and not colour:
            return f"size {size}"
        return key


def _alternation(values: Iterable[str]) -> re.Pattern[str] | None:
    folded = sorted({fold(v) for v in values if v}, key=len, reverse=True)
    if not folded:
        return None
    # Latin values are whole words ("s" is not the s of "it's", "m" not the m of "cm").
    return re.compile("(" + "|".join(_word(v) for v in folded) + ")")


def _word(value: str) -> str:
    if not value.isascii():
        return re.escape(value)  # 驼色 is 驼色 wherever it stands, even in 驼色M码
    return rf"(?<![a-z0-9'’]){re.escape(value)}(?![a-z])"


def _number(text: str) -> str:
    value = float(text)
    return str(int(value)) if value.is_integer() else str(value)
