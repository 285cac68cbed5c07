"""Checks the agent's factual claims (prices, stock, size-chart numbers, ship and transit times,
return rules) against the scenario's facts. Conservative by design: a claim is an error only
when the facts settle it; anything the facts do not cover is left alone."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assessment.scoring.report import FactError
from scenarios.cues import Claim, ShopFacts
from scenarios.cues.facts import Product

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_DIGIT = re.compile(r"\d")
# Words without which no policy or promotion claim can be made (the checks below need one).
_POLICY_GATE = re.compile(
    r"无理由|运费|邮费|活动|优惠|赠品|满|day|return|promotion|discount|offer|deal|off\b", re.I
)
# Stock is judged per clause: "黑色L有货，驼色S也有" speaks of two variants.
_CLAUSE = re.compile(r"[,，;；]|\bbut\b|但是|不过", re.I)
# Sentences end at Chinese and English stops; a full stop between digits (4.5L) is no end.
_SENTENCE = re.compile(r"(?:[^。！？!?；;\n.]|(?<=\d)\.(?=\d))+(?:[。！？!?；;\n]+|\.+|$)")
_SIZE_TOKEN = re.compile(r"(?<![A-Za-z])(XXXL|XXL|2XL|3XL|XL|XS|S|M|L)(?![A-Za-z])")
_IN_STOCK = re.compile(r"有货|现货|有的|还有|in stock|available", re.I)
_NO_STOCK = re.compile(r"没货|无货|缺货|断货|售罄|卖完|没有了|out of stock|sold out", re.I)
_LEFT = re.compile(
    r"(?:只|仅|还)(?:剩|有)(?:最后)?\s*(\d+)\s*(?:件|个|条|双|台|套)|only (\d+) left|(\d+) left",
    re.I,
)
_PLENTY = re.compile(r"很多|充足|大把|多的是|管够|十几|几十|lots|plenty|loads|tons", re.I)
_PROMO_CLAIM = re.compile(
    r"满\s*(\d+)\s*减\s*(\d+)|(\d+) off (?:orders? )?(?:over|above|of) (\d+)", re.I
)
_SHIP = re.compile(
    r"(\d+)\s*(?:个)?小时(?:内|之内|左右)?(?:发货|发出|寄出)|ships? (?:with)?in (\d+)\s*hours?",
    re.I,
)
_TRANSIT = re.compile(
    r"(\d+)(?:\s*-\s*(\d+))?\s*天(?:左右|内|之内)?(?:就)?(?:能)?(?:到|送达|到货)"
    r"|(?:arrives?|deliver\w*) (?:with)?in (\d+)(?:\s*-\s*(\d+))? (?:business )?days",
    re.I,
)
_RETURN_DAYS = re.compile(r"(\d+|七)\s*天无理由|(\d+)[- ]day (?:no[- ]reason )?returns?", re.I)
_SELLER_PAYS = re.compile(
    r"(?:运费|邮费)(?:由)?(?:我们|店铺|商家|卖家)(?:来)?(?:承担|出|负责|包)|包退运费|(?:我们|店铺)(?:出|承担)(?:退货)?运费"
    r"|free returns?|we(?:'ll| will)? (?:pay|cover) (?:the )?return (?:shipping|postage)",
    re.I,
)
_SELLER_FAULT = re.compile(
    r"质量问题|发错|错发|漏发|破损|损坏|开裂|坏了|瑕疵|wrong (?:item|colou?r|size)|damaged|faulty|defect",
    re.I,
)
_COMPENSATION = re.compile(r"赔|补偿|返|红包|compensat|cash ?back|give you|pay you", re.I)
# "100元补偿", "100 yuan compensation": the amount names what follows it.
_COMPENSATION_AFTER = re.compile(
    r"\s*(?:元|块|yuan|dollars)?\s*(?:的)?\s*(?:补偿|赔偿|红包|返现|compensation|cash ?back)", re.I
)
_REFUND = re.compile(r"退款|退您|退给|退回|refund|back\b", re.I)
_PRICE = re.compile(
    r"(?:¥|￥|\$|rmb)\s*(\d+(?:\.\d+)?)"
    r"|(\d+(?:\.\d+)?)\s*(?:元|块|yuan|dollars)(?!\s*(?:钱)?(?:券|红包|优惠券|无门槛|coupon|off))"
    r"|(?:refund(?:ed)?(?: you)?|get (?:the )?(?:full )?|so|comes to|total(?: is)?|that's)\s*\$?(\d{2,}(?:\.\d+)?)(?=\s*(?:back|total|$|[,.!]|\s+(?:in total|after|with)))"
    r"|(?:退款|退您|退给您|退给你|退回)\s*(\d{2,}(?:\.\d+)?)(?![\d.]|\s*(?:天|小时|个工作日|%))"
    r"|(?:一共|总共|合计|两件|二件|三件|到手|只要|才|总价)\s*(?:是|为|:|：)?\s*(\d{2,}(?:\.\d+)?)(?![\d.]|\s*(?:件|个|天|小时|cm|码|%|g|w|l|ml))",
    re.I,
)
_NO_PROMOTION = re.compile(
    r"(?:没有|没|无)(?:任何)?(?:活动|优惠|赠品|满减)|no (?:promotions?|discounts?|offers?|deals?)",
    re.I,
)
_TOTAL = re.compile(
    r"minus|discount|\boff\b|尾款|定金|抵|一共|总共|合计|加起来|到手|实付|付款|凑|满|减|两件|二件|三件|\d\s*件|总价|差价"
    r"|total|altogether|after|each|both|two|three|\bx\s*\d",
    re.I,
)


@dataclass(frozen=True)
class AgentLine:
    seq: int
    text: str
    claims: tuple[Claim, ...]
    moves: frozenset[str]
    context: str = ""  # the customer's lines before this one in the conversation


def fact_errors(lines: Sequence[AgentLine], facts: ShopFacts | None) -> tuple[FactError, ...]:
    """Every claim in `lines` that the facts contradict, in message order."""
    if facts is None:
        return ()
    checker = _Checker(facts)
    found: list[FactError] = []
    for line in lines:
        found.extend(checker.check(line))
    return tuple(found)


class _Checker:
    def __init__(self, facts: ShopFacts) -> None:
        self.facts = facts
        self.products = facts.products
        self.specs = _spec_tables(self.products)
        self.unpublished = {
            key: _unpublished_pattern(key)
            for p in self.products
            for key, text in p.specs
            if _UNPUBLISHED.search(_nfkc(text))
        }
        gate_keys = [re.escape(key) for key in [*self.specs, *self.unpublished]]
        gate_keys += list(_SPEC_UNITS.values())
        self.spec_gate = re.compile("|".join(gate_keys), re.I) if gate_keys else None
        self.units = {
            key.lower(): match.group(1).lower().replace("厘米", "cm")
            for p in self.products
            for key, text in p.specs
            if (match := re.search(r"\d\s*([a-zA-Z]+|厘米)", _nfkc(text)))
        }
        self.colours = sorted(
            {
                value.lower()
                for p in self.products
                for name, values in p.options
                if name.lower() in ("颜色", "colour", "color")
                for value in values
            },
            key=len,
            reverse=True,
        )
        stock_words = [re.escape(c) for c in self.colours] + [
            r"(?<![A-Za-z])(?:XXXL|XXL|XL|XS|S|M|L)(?![A-Za-z])"
        ]
        self.stock_gate = (
            re.compile("|".join(stock_words), re.I) if any(p.stock for p in self.products) else None
        )
        texts = [
            *facts.promotions,
            *facts.shipping_upgrades,
            *facts.notes,
            facts.returns,
            facts.transit_days,
        ]
        self.fact_numbers = {float(n) for t in texts for n in _NUMBER.findall(_nfkc(t))}
        if facts.compensation_limit is not None:
            self.fact_numbers.add(facts.compensation_limit)
        # What a total may add or take off: promotions, upgrades, deposits (not the coupon limit).
        money = [*facts.promotions, *facts.shipping_upgrades]
        money += [
            t
            for t in facts.notes
            if re.search(r"定金|尾款|抵|减|运费|postage|deposit|off", t, re.I)
        ]
        self.reductions = {float(n) for t in money for n in _NUMBER.findall(_nfkc(t))}
        self.ship_hours = {facts.ship_within_hours} if facts.ship_within_hours else set()
        for text in facts.notes:
            for match in re.finditer(r"(\d+)\s*小时|(\d+)\s*hours?", _nfkc(text)):
                self.ship_hours.add(float(match.group(1) or match.group(2)))
        self.transit = _range(facts.transit_days)
        self._price_sets: dict[tuple[tuple[int, ...], bool], set[float]] = {}

    # -- one agent message --------------------------------------------------------------

    def check(self, line: AgentLine) -> list[FactError]:
        errors: list[FactError] = []
        text = _nfkc(line.text)
        # Most chat lines state no number and name no spec: skip the checks they cannot fail.
        numbers = _DIGIT.search(text) is not None
        specs = numbers and self.spec_gate is not None and self.spec_gate.search(text) is not None
        stock = self.stock_gate is not None and self.stock_gate.search(text) is not None
        policy = _POLICY_GATE.search(text) is not None
        for start, end in _sentences(text):
            sentence = text[start:end]
            if numbers:
                errors.extend(self._prices(line, sentence))
                errors.extend(self._times(line, sentence))
            if specs:
                errors.extend(self._specs(line, sentence))
            if stock:
                for clause in _CLAUSE.split(sentence):
                    errors.extend(self._stock(line, clause))
            if policy:
                errors.extend(self._policy(line, sentence))
        # One error per message and kind is enough to mark and to explain.
        seen: set[str] = set()
        unique = []
        for error in errors:
            if error.kind not in seen:
                seen.add(error.kind)
                unique.append(error)
        return unique

    def _mention_at(self, sentence: str, product: Product) -> int:
        """Where `product` is last named; products sharing a last word (空气炸锅 4.5L and 6L)
        are told apart by the words only they have."""
        words = _nfkc(product.name).lower().split()
        others = [_nfkc(p.name).lower().split() for p in self.products if p is not product]
        own = [w for w in words if not any(w in other for other in others)]
        if own and len(own) < len(words):
            lowered = sentence.lower()
            return max(lowered.rfind(w) for w in own)
        return _mention_at(sentence, product.name)

    def _named_products(self, sentence: str) -> list[Product]:
        """Products named in `sentence`, the last-named last (a price belongs to the name
        before it: "大衣399元，卫衣129元")."""
        found = [(self._mention_at(sentence, p), p) for p in self.products if p.name]
        return [p for at, p in sorted(found, key=lambda pair: pair[0]) if at >= 0]

    def _prices(self, line: AgentLine, sentence: str) -> Iterable[FactError]:
        if not self.products:
            return
        for match in _PRICE.finditer(sentence):
            value = float(next(group for group in match.groups() if group))
            before = sentence[max(0, match.start() - 8) : match.start()]
            around = before + sentence[match.start() : match.end() + 14]
            if (
                value < 5
                or _COMPENSATION.search(before + match.group(0))
                or _COMPENSATION_AFTER.match(sentence, match.end())
            ):
                continue  # compensation is judged as a promise, not as a price
            if _REFUND.search(around):
                # A refund gives back what was paid: the order's amount or an item's price.
                paid = self._paid()
                if paid and not any(_close(value, amount) for amount in paid):
                    fact = " / ".join(f"{amount:g}" for amount in sorted(paid))
                    yield FactError(line.seq, match.group(0), fact, "price")
                    return
                continue
            named = self._named_products(sentence[: match.start()])[-1:] or self._named_products(
                sentence
            )
            combined = bool(_TOTAL.search(sentence))
            if not any(_close(value, a) for a in self._price_set(named or self.products, combined)):
                fact = "、".join(
                    f"{p.name} {p.price:g}" for p in (named or self.products) if p.price is not None
                )
                yield FactError(line.seq, match.group(0), fact, "price")
                return

    def _paid(self) -> set[float]:
        order = self.facts.order
        if order is None:
            return set()
        if order.total is not None and len(order.items) == 1:
            return {order.total}
        amounts = {i.price * i.qty for i in order.items if i.price is not None}
        amounts |= {i.price for i in order.items if i.price is not None}
        if amounts:
            amounts.add(sum(i.price * i.qty for i in order.items if i.price is not None))
        # Less an authorised reduction (满300减30) when the amount paid was reduced.
        amounts |= {amount - cut for amount in list(amounts) for cut in self.reductions}
        if order.total is not None:
            amounts.add(order.total)
        return amounts

    def _price_set(self, products: Sequence[Product], combined: bool = True) -> set[float]:
        """Prices the facts allow: each price and the numbers the facts state (a ¥12 upgrade, a
        ¥30 reduction); when the sentence speaks of a total, quantities and promotions too.
        Worked out once per set of products for the conversation."""
        key = (tuple(id(p) for p in products), combined)
        found = self._price_sets.get(key)
        if found is None:
            found = self._price_sets[key] = self._allowed_prices(products, combined)
        return found

    def _allowed_prices(self, products: Sequence[Product], combined: bool) -> set[float]:
        base = [p.price for p in products if p.price is not None]
        if not combined:
            return set(base) | self.fact_numbers
        every = [p.price for p in self.products if p.price is not None]
        reductions = sorted(self.reductions)
        allowed = set(self.fact_numbers)
        for price in base:
            for qty in range(1, 6):
                total = price * qty
                allowed.add(total)
                for other in every:
                    allowed.add(total + other)
                for number in reductions:
                    allowed.add(total - number)
                    allowed.add(total + number)
                    for other in every:
                        allowed.add(total + other - number)
        if self.facts.order is not None:
            items = [i.price * i.qty for i in self.facts.order.items if i.price is not None]
            if items:
                allowed.add(sum(items))
                allowed.update(items)
        return allowed

    def _variant(self, sentence: str) -> tuple[str | None, str | None]:
        # The colour named first in the clause; longer names win a tie (藏青色 over 青色). Never
        # set order: it changes between processes, and a score must not.
        lowered = sentence.lower()
        named = [(lowered.find(c), -len(c), c) for c in self.colours if c and c in lowered]
        colour = min(named)[2] if named else None
        size = _SIZE_TOKEN.search(sentence.upper().replace("码", " "))
        return colour, size.group(1) if size else None

    def _stock_of(self, colour: str | None, size: str | None) -> list[tuple[str, int]]:
        found = []
        for product in self.products:
            for key, count in product.stock:
                parts = key.lower().replace("/", " ").split()
                if colour and colour not in parts:
                    continue
                if size and size.upper() not in [p.upper() for p in parts]:
                    continue
                found.append((f"{product.name} {key}", count))
        return found

    def _stock(self, line: AgentLine, sentence: str) -> Iterable[FactError]:
        if not any(p.stock for p in self.products):
            return
        colour, size = self._variant(sentence)
        if colour is None and size is None:
            return
        matches = self._stock_of(colour, size)
        if not matches or ((colour is None or size is None) and len(matches) > 1):
            return
        name, count = matches[0]
        left = _LEFT.search(sentence)
        if left:
            claimed = int(next(group for group in left.groups() if group))
            if claimed != count:
                yield FactError(line.seq, left.group(0), f"{name}: {count}", "stock")
            return
        plenty = _PLENTY.search(sentence)
        if plenty and count <= 3 and _IN_STOCK.search(sentence):
            yield FactError(line.seq, plenty.group(0), f"{name}: {count}", "stock")
            return
        if _NO_STOCK.search(sentence):
            if count > 0:
                yield FactError(
                    line.seq, _NO_STOCK.search(sentence).group(0), f"{name}: {count}", "stock"
                )
            return
        claim = next((c for c in line.claims if c.kind == "stock"), None)
        if count == 0 and (
            (claim is not None and _IN_STOCK.search(claim.text))
            or re.search(r"有货|现货|in stock", sentence, re.I)
        ):
            yield FactError(
                line.seq, claim.text if claim else sentence.strip(), f"{name}: 0", "stock"
            )

    def _specs(self, line: AgentLine, sentence: str) -> Iterable[FactError]:
        lowered = sentence.lower()
        for key, pattern in self.unpublished.items():
            # The facts say the figure is not published: any number stated for it is invented.
            found = pattern.search(lowered)
            if found:
                yield FactError(line.seq, found.group(0), f"{key}: {_UNPUBLISHED_TEXT}", "spec")
                return
        for key, entries in self.specs.items():
            for value, unit, at in _spec_numbers(lowered, key):
                named = self._named_products(sentence[:at])[-1:]
                if unit and unit != self.units.get(key, unit):
                    continue  # "功率：4.5L" is a capacity next to the word, not a wattage
                candidates = [(p, table) for p, table in entries if not named or p in named]
                if not candidates:
                    continue
                size = _nearest_size(sentence, at)
                values: list[float] = []
                for _, table in candidates:
                    if size and size in table:
                        values.append(table[size])
                    elif None in table:
                        values.append(table[None])
                    elif not size:
                        values.extend(v for k, v in table.items() if k is not None)
                if values and not any(_close(value, v) for v in values):
                    product, table = candidates[0]
                    fact = " / ".join(
                        f"{k} {v:g}" if k else f"{product.name} {v:g}" for k, v in table.items()
                    )
                    claim = sentence[max(0, at - 8) : at + 8].strip()
                    yield FactError(line.seq, claim, f"{key}: {fact}", "size")
                    return

    def _times(self, line: AgentLine, sentence: str) -> Iterable[FactError]:
        ship = _SHIP.search(sentence)
        if ship and self.ship_hours:
            hours = float(ship.group(1) or ship.group(2))
            if not any(_close(hours, h) for h in self.ship_hours):
                fact = " / ".join(f"{h:g}h" for h in sorted(self.ship_hours))
                yield FactError(line.seq, ship.group(0), fact, "delivery")
        transit = _TRANSIT.search(sentence)
        if (
            transit
            and self.transit
            and not re.search(r"发货|ships?", sentence[: transit.start()][-4:], re.I)
        ):
            low = float(transit.group(1) or transit.group(3))
            high_text = transit.group(2) or transit.group(4)
            high = float(high_text) if high_text else low
            lo, hi = self.transit
            if low < lo or high > hi + 2:
                yield FactError(line.seq, transit.group(0), self.facts.transit_days, "delivery")

    def _policy(self, line: AgentLine, sentence: str) -> Iterable[FactError]:
        for promo in _PROMO_CLAIM.finditer(sentence):
            # "满300减50" where the shop offers 满300减30: a promotion that does not exist.
            said = [float(n) for n in promo.groups() if n]
            offered = [
                [float(n) for n in _NUMBER.findall(_nfkc(text))] for text in self.facts.promotions
            ]
            if self.facts.promotions and not any(sorted(said) == sorted(o[:2]) for o in offered):
                promotions = " / ".join(self.facts.promotions)
                yield FactError(line.seq, promo.group(0), promotions, "promotion")
                break
        no_promo = _NO_PROMOTION.search(sentence)
        if no_promo and self.facts.promotions:
            promotions = " / ".join(self.facts.promotions)
            yield FactError(line.seq, no_promo.group(0), promotions, "promotion")
        days = _RETURN_DAYS.search(sentence)
        wanted = _NUMBER.search(_nfkc(self.facts.returns).replace("七", "7"))
        if days and wanted:
            said = (days.group(1) or days.group(2) or "").replace("七", "7")
            if said and float(said) != float(wanted.group()):
                yield FactError(line.seq, days.group(0), self.facts.returns, "policy")
        seller = _SELLER_PAYS.search(sentence)
        if (
            seller
            and "promise" not in line.moves
            and self.facts.free_return_allowed is False
            and not _SELLER_FAULT.search(sentence + line.context)
        ):
            yield FactError(line.seq, seller.group(0), "return_freight=buyer", "policy")


def _sentences(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(text)] or [(0, len(text))]


def _mention_at(sentence: str, name: str) -> int:
    """Where a product is last named by its last word (大衣 for 羊毛混纺双面大衣, kettle for
    Electric kettle); -1 when it is not."""
    name = _nfkc(name)
    if re.search(r"[A-Za-z]", name):
        words = re.findall(r"[A-Za-z]+", name.lower())
        return sentence.lower().rfind(words[-1]) if words else -1
    tail = re.sub(r"[\d.]+\s*[lL升]?$", "", name)[-2:]
    return sentence.rfind(tail) if tail else -1


def _range(text: str) -> tuple[float, float] | None:
    numbers = [float(n) for n in _NUMBER.findall(_nfkc(text or ""))]
    if not numbers:
        return None
    return min(numbers), max(numbers)


def _close(a: float, b: float) -> bool:
    return abs(a - b) < 0.51


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


_UNPUBLISHED = re.compile(r"未公布|未知|暂无|不详|not published|unknown|n/a", re.I)
_UNPUBLISHED_TEXT = "未公布 / not published"
# Units a figure is stated in when its name is left out: "大概50分贝" is a noise figure.
_SPEC_UNITS = {"噪音": r"分贝|db\b", "noise": r"分贝|db\b|decibels?"}


def _unpublished_pattern(key: str) -> re.Pattern[str]:
    name = re.escape(key.lower())
    unit = _SPEC_UNITS.get(key.lower())
    parts = [rf"{name}[^,.!?，。0-9]{{0,6}}?\d+(?:\.\d+)?"]
    if unit:
        parts.append(rf"\d+(?:\.\d+)?\s*(?:{unit})")
    # "不到/低于/around 50" is still a figure; "没有数据" has no digit and never matches.
    return re.compile("|".join(parts), re.I)


def _spec_tables(
    products: Sequence[Product],
) -> dict[str, list[tuple[Product, dict[str | None, float]]]]:
    """Spec name (lower case) → per product a table: size → number, or None → the one number
    ("肩宽": {"S": 38, "M": 40, …}; "高度": {None: 32})."""
    tables: dict[str, list[tuple[Product, dict[str | None, float]]]] = {}
    for product in products:
        for key, text in product.specs:
            text = _nfkc(text)
            pairs = re.findall(
                r"(?<![A-Za-z])(XXXL|XXL|XL|XS|S|M|L)\s*(\d+(?:\.\d+)?)", text.upper()
            )
            if pairs:
                table: dict[str | None, float] = {size: float(value) for size, value in pairs}
            else:
                numbers = _NUMBER.findall(text)
                if len(numbers) != 1:
                    continue
                table = {None: float(numbers[0])}
            tables.setdefault(key.lower(), []).append((product, table))
    return tables


def _spec_numbers(lowered: str, key: str) -> list[tuple[float, str, int]]:
    """Numbers stated for a spec: "肩宽40cm", "肩宽是40", "shoulder is 40", "42 cm across the
    shoulders"; a range ("39-40") is a customer's measurement restated, not a claim."""
    key = re.escape(key)
    found = []
    for match in re.finditer(
        rf"{key}s?\s*(?:是|为|:|：|is|are|of)?\s*(\d+(?:\.\d+)?)(?![\d.]|\s*[-~～到])\s*(cm|厘米|w|l|kg|g)?"
        rf"|(?<![\d.\-~])(\d+(?:\.\d+)?)\s*(?:cm|厘米)\s*(?:across the |at the |on the )?{key}",
        lowered,
    ):
        number = match.group(1) or match.group(3)
        unit = (match.group(2) or ("cm" if match.group(3) else "")).replace("厘米", "cm")
        found.append((float(number), unit, match.start()))
    return found


def _nearest_size(sentence: str, at: int) -> str | None:
    before = list(_SIZE_TOKEN.finditer(sentence[:at].upper().replace("码", " ")))
    if before:
        return before[-1].group(1)
    after = _SIZE_TOKEN.search(sentence[at:].upper().replace("码", " "))
    return after.group(1) if after else None
