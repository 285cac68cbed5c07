"""Checks the agent's factual claims (prices, stock, size-chart numbers, ship and transit times,
return rules) against the scenario's facts. Conservative by design: a claim is an error only
when the facts settle it; anything the facts do not cover is left alone."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from assessment.scoring.report import FactError
from scenarios.cues import Claim, ShopFacts
from scenarios.cues.facts import Product

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_DIGIT = re.compile(r"\d")
# Words without which no policy or promotion claim can be made (the checks below need one).
_POLICY_GATE = re.compile(
    r"无理由|运费|邮费|活动|优惠|赠品|满|减|定金|券|\bdays?\b|-day|return|promotion|discount|offer|deal"
    r"|off\b|postage|shipping|deposit|coupon|voucher",
    re.I,
)
# Stock is judged per clause: "黑色L有货，驼色S也有" speaks of two variants.
_CLAUSE = re.compile(r"[,，;；]|\bbut\b|但是|不过", re.I)
# Sentences end at Chinese and English stops; a full stop between digits (4.5L) is no end.
_SENTENCE = re.compile(r"(?:[^。！？!?；;\n.]|(?<=\d)\.(?=\d))+(?:[。！？!?；;\n]+|\.+|$)")
# A size, not the s of "it's" or the m of "I'm".
_SIZE_TOKEN = re.compile(r"(?<![A-Za-z'’])(XXXL|XXL|2XL|3XL|XL|XS|S|M|L)(?![A-Za-z])")
_IN_STOCK = re.compile(r"有货|现货|有的|还有|in stock|available", re.I)
_NO_STOCK = re.compile(
    r"没货|无货|缺货|断货|售罄|卖完|卖光|没有了|没库存|没有库存|库存没了|已经没了"
    r"|out of stock|sold out|run out|ran out|none left|no (?:\w+ ){0,3}left|all gone"
    r"|(?:isn't|is not|aren't|not|no longer|un)\s*available",
    re.I,
)
_LEFT = re.compile(
    r"(?:只|仅|还)(?:剩|有)(?:最后)?\s*(\d+)\s*(?:件|个|条|双|台|套|箱|盒|瓶|支|袋|份|罐|包|只|部)|only (\d+) (?:[a-z\d.]+ ){0,3}left|(?<![\d.])(\d+) (?:[a-z\d.]+ ){0,3}left"
    r"|库存(?:还)?(?:有|剩|是|为|只有)?\s*(\d+)\s*(?:件|个|条|双|台|套|箱|盒|瓶|支|袋|份|罐|包|只|部)?"
    r"|(?:we have|there are|there's) (?:only )?(\d+) (?:\w+ ){0,3}in stock|(\d+) in stock",
    re.I,
)
_PLENTY = re.compile(r"很多|充足|大把|多的是|管够|十几|几十|lots|plenty|loads|tons", re.I)
_PROMO_CLAIM = re.compile(
    r"满\s*(\d+)\s*减\s*(\d+)|(\d+) off (?:orders? )?(?:over|above|of) (\d+)", re.I
)
_SHIP = re.compile(
    r"(\d+)\s*(?:个)?(小时|h|天)(?:内|之内|左右)?(?:就|会|都|能|可以)?(?:给您|帮您|给你|帮你)?"
    r"(?:发货|发出|寄出|发走|发(?![票生现]))"
    r"|(?:ships?|dispatch(?:es|ed)?|goes out|sent out|send it out|will be sent)"
    r" (?:with)?in (\d+)\s*(hours?|h|days?|business days?|working days?)\b",
    re.I,
)
_TRANSIT = re.compile(
    r"(\d+)(?:\s*[-~到至]\s*(\d+))?\s*天(?:左右|内|之内)?(?:就)?(?:能)?(?:到|送达|到货)"
    r"|(?:arrives?|deliver\w*|get there|be there|reach you|be with you|takes?)"
    r" (?:with)?(?:in )?(?:about |around |roughly )?(\d+)(?:\s*(?:-|to)\s*(\d+))? (?:business )?days?"
    r"|(?:快递|物流|运输|路上)(?:一般|大概|大约|通常)?(?:要|需要)?(\d+)(?:\s*[-~到至]\s*(\d+))?\s*天",
    re.I,
)
_RETURN_DAYS = re.compile(r"(\d+|七)\s*天无理由|(\d+)[- ]day (?:no[- ]reason )?returns?", re.I)
_SELLER_PAYS = re.compile(
    r"(?:运费|邮费)(?:由)?(?:我们|店铺|商家|卖家)(?:来)?(?:承担|出|负责|包)|包退运费|(?:我们|店铺)(?:出|承担)(?:退货)?运费"
    r"|free returns?|we(?:'ll| will)? (?:pay|cover) (?:the )?return (?:shipping|postage)",
    re.I,
)
_SELLER_FAULT = re.compile(
    r"质量(?:或|和|/)?\S{0,3}问题|发错|错发|漏发|破损|损坏|开裂|坏了|瑕疵|wrong (?:item|colou?r|size)|damaged|faulty|defect",
    re.I,
)
_COMPENSATION = re.compile(r"赔|补偿|返|红包|compensat|cash ?back|give you|pay you", re.I)
# "100元补偿", "100 yuan compensation": the amount names what follows it.
_COMPENSATION_AFTER = re.compile(
    r"\s*(?:元|块|yuan|dollars)?\s*(?:的)?\s*(?:补偿|赔偿|红包|返现|compensation|cash ?back)", re.I
)
_REFUND = re.compile(r"退款|退您|退给|退回|给您退|给你退|refund|back\b", re.I)
_PRICE = re.compile(
    r"(?:¥|￥|\$|rmb)\s*(\d+(?:\.\d+)?)"
    r"|(\d+(?:\.\d+)?)\s*(?:元|块|yuan|dollars)(?!\s*(?:钱)?(?:券|红包|优惠券|无门槛|coupon|off))"
    r"|(?:refund(?:ed)?(?: you)?(?: the)?(?: full)?(?: amount)?(?: of)?|get (?:the )?(?:full )?|so|comes to|total(?: is)?|that's)\s*\$?(\d{2,}(?:\.\d+)?)(?=\s*(?:back|total|paid|$|[,.!]|\s+(?:in total|after|with|and)))"
    r"|(\d{2,}(?:\.\d+)?)(?=\s*(?:yuan\s*)?paid\b)"
    r"|(?:退款|退您|退给您|退给你|退回|给您退|给你退)\s*(\d{2,}(?:\.\d+)?)(?![\d.]|\s*(?:天|小时|个工作日|%))"
    r"|(?:一共|总共|合计|两件|二件|三件|到手|只要|才|总价|价格|售价|价钱|单价|现价)\s*(?:是|为|:|：)?\s*(?:要|需要)?(?:付|支付)?\s*(\d{2,}(?:\.\d+)?)(?![\d.]|\s*(?:件|个|天|小时|cm|码|%|g|w|l|ml))"
    r"|(\d{2,}(?:\.\d+)?)\s*(?=一(?:件|条|个|台|盒|双|套|瓶))"
    r"|(?:costs?|priced at|price is|total (?:would be|will be|of))\s*(?:¥|\$)?(\d{2,}(?:\.\d+)?)(?!\d|\.\d|\s*(?:%|cm|days?|hours?|more|extra))",
    re.I,
)
_NO_PROMOTION = re.compile(
    r"(?:没有|没|无)(?:任何)?(?:活动|优惠|赠品|满减|券)"
    r"|no (?:promotions?|discounts?|offers?|deals?|coupons?|vouchers?)",
    re.I,
)
_TOTAL = re.compile(
    r"minus|discount|\boff\b|尾款|定金|抵|一共|总共|合计|加起来|到手|实付|付款|凑|满|减|两件|二件|三件|\d\s*件|总价|差价"
    r"|活动价|券后|优惠后|折后|立减|促销价|相当于"
    r"|total|altogether|after|each|both|two|three|\bx\s*\d|sale price|promo|discounted|works out",
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
    checker = _checker_for(facts)
    found: list[FactError] = []
    for line in lines:
        found.extend(checker.check(line))
    return tuple(found)


_CHECKERS: dict[int, tuple[ShopFacts, _Checker]] = {}


def _checker_for(facts: ShopFacts) -> _Checker:
    """One checker per facts object: a class's conversations share their scenario's facts, and
    working out the allowed figures once keeps stored conversations fast to score."""
    cached = _CHECKERS.get(id(facts))
    if cached is not None and cached[0] is facts:
        return cached[1]
    if len(_CHECKERS) > 256:
        _CHECKERS.clear()
    checker = _CHECKERS[id(facts)] = (facts, _Checker(_with_free_text(facts)))
    return checker[1]


# In free-text facts, a part that prices a product ("坚果礼盒 ¥89", "100 g pouch ¥58"); parts
# about postage, thresholds or coupons price no product.
_PRICED_PART = re.compile(
    r"^\s*(?P<name>[^¥￥$:：]*[A-Za-z\u4e00-\u9fff][^¥￥$:：]*?)\s*(?:[¥￥$]\s*(?P<a>\d+(?:\.\d+)?)"
    r"|(?P<b>\d+(?:\.\d+)?)\s*(?:元|yuan))\s*$",
    re.I,
)
_NOT_A_PRODUCT = re.compile(
    r"满|减|包邮|运费|邮费|券|补偿|赔|定金|shipping|postage|spend|over|off\b|coupon|compensat|deposit"
    r"|店铺|shop:",
    re.I,
)
_FREE_SPEC = re.compile(r"^\s*([\u4e00-\u9fff]{2,5})\s*[:：]?\s*(\d[^，,；;]*)$")
_RETURN_NOTE = re.compile(r"无理由|no-reason|no reason|returns?\b|拆封", re.I)


def _with_free_text(facts: ShopFacts) -> ShopFacts:
    """Facts given as free text (an imported transcript's `shop_facts` list) carry products,
    prices and the returns rule in their lines: read them so the same checks apply."""
    if facts.products and facts.returns:
        return facts
    products: list[Product] = []
    if not facts.products:
        for note in facts.notes:
            if _NOT_A_PRODUCT.search(note):
                continue  # "Free shipping over ¥99, otherwise ¥10" prices postage, not a product
            current: list[Product] = []
            for part in re.split(r"[;；，,]", _nfkc(note)):
                priced = _PRICED_PART.match(part)
                if priced:
                    name = priced.group("name").strip(" ：:")
                    price = float(priced.group("a") or priced.group("b"))
                    current.append(
                        Product(sku=f"free-{len(products) + len(current)}", name=name, price=price)
                    )
                elif current and (spec := _FREE_SPEC.match(part)):
                    last = current[-1]
                    current[-1] = replace(
                        last, specs=(*last.specs, (spec.group(1), spec.group(2).strip()))
                    )
            products.extend(current)
    returns = facts.returns or "；".join(n for n in facts.notes if _RETURN_NOTE.search(n))
    return replace(facts, products=facts.products or tuple(products), returns=returns)


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
        self.spec_ranges = _spec_ranges(self.products)
        self.fault_returns = any(_FAULT_RETURNS.search(_nfkc(n)) for n in facts.notes)
        # The shop's notes put the postage on it for faults or allergies: ShopFacts' one reading.
        self.fault_postage = bool(facts.postage_paid_cases())
        self.materials = {
            id(p): {
                word
                for key, text in p.specs
                if _MATERIAL_KEY.search(key)
                for word in _MATERIAL_WORDS.findall(_nfkc(text).lower())
            }
            for p in self.products
        }
        gate_keys = [re.escape(key) for key in [*self.specs, *self.unpublished, *self.spec_ranges]]
        gate_keys += [re.escape(alias) for key in self.specs for alias in _KEY_ALIASES.get(key, ())]
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
        self.named_stock = self._named_stock_entries()
        stock_words = [re.escape(c) for c in self.colours] + [
            r"(?<![A-Za-z])(?:XXXL|XXL|XL|XS|S|M|L)(?![A-Za-z])"
        ]
        named = [a.pattern for _, _, _, aliases in self.named_stock for a in aliases]
        # Rows named otherwise ("iPhone 15 Pro", "6L"); a default row wherever stock is spoken of.
        self.named_gate = (
            _STOCK_WORD
            if any(not aliases for *_, aliases in self.named_stock)
            else re.compile("|".join(named), re.I)
            if named
            else None
        )
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
            if not _SHIP_NOTE.search(text):
                continue  # "24小时内退款" is no ship window
            for match in re.finditer(r"(\d+)\s*小时|(\d+)\s*hours?", _nfkc(text)):
                self.ship_hours.add(float(match.group(1) or match.group(2)))
        self.transit = _range(facts.transit_days)
        # Specs with one figure and a unit, per product: {"w": [("功率", 1700.0)], "cm": …}.
        self.unit_specs = {id(p): _unit_specs(p) for p in self.products}
        self.unit_gate = any(self.unit_specs.values())
        # Figures in product names ("空气炸锅 4.5L") name a product; they claim nothing.
        self.name_figures = {
            (float(m.group(1)), _unit(m.group(2)))
            for p in self.products
            for m in _UNIT_FIGURE.finditer(_nfkc(p.name).lower())
        }
        self.durations = _duration_rules(facts)
        self.topics = self.duration_topics()
        self.deposits = {
            pair
            for text in (*facts.promotions, *facts.notes)
            for pair in _deposit_pairs(numerals_to_digits(_nfkc(text)))
        }
        self.conditions = _return_conditions(numerals_to_digits(_nfkc(facts.returns)))
        self.no_reason_refused = _NO_REASON_REFUSED.search(
            _nfkc(facts.returns)
        ) is not None and not (
            _NO_REASON_OFFERED.search(_NO_REASON_REFUSED.sub("", _nfkc(facts.returns)))
        )
        self.ingredients = {id(p): _ingredients(p) for p in self.products}
        self.thresholds = {
            float(m.group(1) or m.group(2))
            for text in facts.promotions
            for m in _THRESHOLD_FACT.finditer(numerals_to_digits(_nfkc(text)))
        }
        carriers = " ".join(
            [facts.shipping_default, *facts.shipping_upgrades, *facts.notes, facts.transit_days]
        )
        self.carriers = (
            {name for name, pattern in _CARRIERS if pattern.search(carriers)}
            if facts.shipping_default
            else set()
        )
        self.return_rules = bool(self.conditions or self.no_reason_refused or self.fault_returns)
        self.any_ingredients = any(present for present, _ in self.ingredients.values())
        self.any_materials = any(self.materials.values())
        self.mentions = {id(p): self._mention_words(p) for p in self.products}
        rules = [*facts.promotions, *facts.notes, facts.shipping_default, facts.transit_days]
        rules = [numerals_to_digits(_nfkc(rule)) for rule in rules]
        self.cutoffs = {_clock(m) for rule in rules for m in _CUTOFF.finditer(rule)}
        self.dates = {
            name: {(int(m.group(1)), int(m.group(2))) for m in _DATE.finditer(rule)}
            for name, pattern in _DATE_TOPICS
            for rule in rules
            if pattern.search(rule) and _DATE.search(rule)
        }
        # What the shop's promotions take off: "满300减30" → 30, "30 off orders over 300" → 30.
        self.promotion_cuts = {
            float(m.group(2) or m.group(3))
            for text in facts.promotions
            for m in _PROMO_CLAIM.finditer(numerals_to_digits(_nfkc(text)))
        }
        self.order_items = [
            item for item in (facts.order.items if facts.order else ()) if item.size.strip()
        ]
        self.kept = _kept_items(facts.notes)
        self._price_sets: dict[tuple[tuple[int, ...], bool], set[float]] = {}

    # -- one agent message --------------------------------------------------------------

    def check(self, line: AgentLine) -> list[FactError]:
        errors: list[FactError] = []
        text = numerals_to_digits(_nfkc(line.text))
        # Most chat lines state no number and name no spec: skip the checks they cannot fail.
        numbers = _DIGIT.search(text) is not None
        specs = numbers and self.spec_gate is not None and self.spec_gate.search(text) is not None
        stock = (self.stock_gate is not None and self.stock_gate.search(text) is not None) or (
            self.named_gate is not None and self.named_gate.search(text.lower()) is not None
        )
        policy = _POLICY_GATE.search(text) is not None
        units = numbers and self.unit_gate and _UNIT_FIGURE.search(text.lower()) is not None
        durations = numbers and bool(self.durations) and _DURATION.search(text) is not None
        returns = self.return_rules and _RETURN_GATE.search(text) is not None
        goods = self.any_ingredients and _ABSENT_CLAIM.search(text) is not None
        materials = self.any_materials and _MATERIAL_WORDS.search(text.lower()) is not None
        read_back = bool(self.order_items) and _SIZE_TOKEN.search(text.upper()) is not None
        carrier = bool(self.carriers) and _SENT_BY.search(text) is not None
        kept = bool(self.kept) and _REFUND_ANY.search(text) is not None
        if not (
            numbers
            or stock
            or policy
            or returns
            or goods
            or materials
            or read_back
            or carrier
            or kept
        ):
            return []  # most chat lines: nothing any check could fail
        # The customer's words, read only by checks that need them.
        context = (
            numerals_to_digits(_nfkc(line.context))
            if units or durations or returns or materials or read_back
            else ""
        )
        for start, end in _sentences(text):
            sentence = text[start:end]
            digits = numbers and _DIGIT.search(sentence) is not None
            if digits:
                errors.extend(self._prices(line, sentence))
                if _TIME_WORD.search(sentence):
                    errors.extend(self._times(line, sentence))
            if specs:
                errors.extend(self._specs(line, sentence, text[:start]))
            if units and digits:
                errors.extend(self._unit_figures(line, sentence, context))
            if durations and digits:
                errors.extend(self._durations(line, sentence, context))
            if read_back and _SIZE_TOKEN.search(sentence.upper()):
                errors.extend(self._read_back(line, sentence, context))
            if returns and _RETURN_GATE.search(sentence):
                errors.extend(self._returns(line, sentence, context))
            if goods:
                errors.extend(self._goods(line, sentence))
            if materials:
                errors.extend(self._materials(line, sentence, context))
            if carrier:
                errors.extend(self._carrier(line, sentence))
            if kept:
                errors.extend(self._kept(line, sentence))
            if digits and (self.cutoffs or self.dates):
                errors.extend(self._clock_and_dates(line, sentence))
            if stock:
                for clause in _CLAUSE.split(sentence):
                    errors.extend(self._stock(line, clause))
            if policy:
                errors.extend(self._policy(line, sentence))
            if digits and self.products and _REACHES_THRESHOLD.search(sentence):
                errors.extend(self._threshold_reached(line, sentence))
        # One error per message and kind is enough to mark and to explain.
        seen: set[str] = set()
        unique = []
        for error in errors:
            if error.kind not in seen:
                seen.add(error.kind)
                unique.append(error)
        return unique

    def _kept(self, line: AgentLine, sentence: str) -> Iterable[FactError]:
        """ "定金可以退的" where the notes say 定金不退: a refund claimed for what the shop keeps.
        A sentence that refuses the refund agrees with the rule."""
        if _REFUND_REFUSED.search(sentence):
            return
        lowered = sentence.lower()
        for name, note in self.kept:
            if name in lowered and _REFUND_OFFERED.search(lowered):
                yield FactError(line.seq, sentence.strip(), note, "policy")
                return

    def _threshold_reached(self, line: AgentLine, sentence: str) -> Iterable[FactError]:
        """ "4盒就能用满300减30" where 4 boxes cost 272: the count times the price (of the product
        named, else of the shop's one product) falls short of the threshold it claims to reach."""
        for match in _REACHES_THRESHOLD.finditer(sentence):
            if _THRESHOLD_DENIED.search(match.group(0)) or _denied(sentence, match.start()):
                continue
            count, threshold = (float(n) for n in [g for g in match.groups() if g][:2])
            named = self._named_products(sentence[: match.end()])[-1:]
            products = named or [p for p in self.products if p.price is not None][:2]
            if len(products) != 1 or products[0].price is None:
                continue  # which product is counted is not clear: no claim to check
            price = products[0].price
            if count * price < threshold:
                fact = f"{count:g} × {price:g} = {count * price:g} < {threshold:g}"
                yield FactError(line.seq, match.group(0), fact, "promotion")
                return

    def _mention_words(self, product: Product) -> tuple[str, tuple[str, ...]]:
        """How `product` is found in a sentence: ("own", words only it has), ("heads", its
        name and the beginnings only it has) or ("tail", its name)."""
        words = _nfkc(product.name).lower().split()
        others = [_nfkc(p.name).lower().split() for p in self.products if p is not product]
        own = [w for w in words if not any(w in other for other in others)]
        if own and len(own) < len(words):
            return "own", tuple(own)
        name = _nfkc(product.name)
        tail = re.sub(r"[\d.]+\s*[lL升]?$", "", name)[-2:]
        if len(words) == 1 and any(tail and tail in other[-1] for other in others if other):
            # 水润柔雾粉底液 and 敏感肌修护粉底液 share 粉底液: each is named by what only it has.
            heads = [name[:n] for n in (4, 3, 2) if not any(name[:n] in "".join(o) for o in others)]
            return "heads", (name, *heads)
        return "tail", (product.name,)

    def _mention_at(self, sentence: str, product: Product) -> int:
        """Where `product` is last named; products sharing a last word (空气炸锅 4.5L and 6L)
        are told apart by the words only they have."""
        how, words = self.mentions.get(id(product)) or self._mention_words(product)
        if how == "own":
            lowered = sentence.lower()
            return max(lowered.rfind(w) for w in words)
        if how == "heads":
            return max(sentence.rfind(w) for w in words)
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
            number = next(i for i, group in enumerate(match.groups(), 1) if group)
            clause = sentence[_clause_start(sentence, match.start()) : match.start(number)]
            if _REDUCTION_BEFORE.search(clause) or _denied(sentence, match.start(number)):
                continue  # "立减50元": a reduction, judged with the promotions; "不是299元"
            if _DECLINED.search(clause):
                continue  # "I can't approve 100 yuan": a demand turned down, no price stated
            if _PRICE_OFFER.search(clause):
                continue  # "给你改成60一盒": a price change offered, judged as a promise
            if (
                _REFUND.search(around)
                or _names_payment(clause)
                or _PAID.match(sentence, match.end())
            ):
                # A refund gives back what was paid: the order's amount or an item's price; an
                # amount read back as paid is the same figure.
                paid = self._paid()
                if (
                    paid
                    and not any(_close(value, amount) for amount in paid)
                    and value
                    not in self.fact_numbers  # "SF Express (12 paid)": a fee the facts name
                ):
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

    def _named_stock_entries(self) -> list[tuple[Product, str, int, list[re.Pattern[str]]]]:
        """Stock rows not made of a colour and a size ("02自然色", "#505豆沙", "JJ级", "6L",
        "iPhone 15 Pro", "礼盒", "28", "default"), each with the ways a chat names it."""
        entries = []
        colours = set(self.colours)
        for product in self.products:
            for key, count in product.stock:
                parts = key.lower().replace("/", " ").split()
                if all(p in colours or _SIZE_TOKEN.fullmatch(p.upper()) for p in parts):
                    continue  # "驼色 M": the colour and size path reads it
                entries.append((product, key, count, _stock_aliases(key)))
        return entries

    def _named_stock(self, sentence: str) -> list[tuple[str, int]]:
        lowered = sentence.lower()
        found: list[tuple[str, int, str]] = []
        for product, key, count, aliases in self.named_stock:
            if aliases:
                hit = next((m.group() for a in aliases if (m := a.search(lowered))), None)
            elif _STOCK_WORD.search(lowered) and (
                self._mention_at(sentence, product) >= 0 or len(self.products) == 1
            ):
                hit = "\x00" + product.name  # "default": the product itself is the row
            else:
                hit = None
            if hit:
                found.append((f"{product.name} {key}", count, hit))
        # "iPhone 15 Pro" also contains "iPhone 15": the longer name is the one meant.
        found = [f for f in found if not any(f[2] != o[2] and f[2] in o[2] for o in found)]
        return [(name, count) for name, count, _ in found]

    def _stock(self, line: AgentLine, sentence: str) -> Iterable[FactError]:
        if not any(p.stock for p in self.products):
            return
        colour, size = self._variant(sentence)
        matches = self._stock_of(colour, size) if colour or size else []
        if not matches or ((colour is None or size is None) and len(matches) > 1):
            matches = self._named_stock(sentence) if self.named_stock else []
            if len(matches) != 1:
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
        no_stock = _NO_STOCK.search(sentence)
        if no_stock and _denied(sentence, no_stock.start()):
            return  # "不是没货": stock affirmed
        if no_stock:
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

    def _specs(self, line: AgentLine, sentence: str, before: str = "") -> Iterable[FactError]:
        lowered = sentence.lower()
        for key, pattern in self.unpublished.items():
            # The facts say the figure is not published: any number stated for it is invented.
            found = pattern.search(lowered)
            if found:
                yield FactError(line.seq, found.group(0), f"{key}: {_UNPUBLISHED_TEXT}", "spec")
                return
        for key, entries in self.specs.items():
            for value, unit, at in _spec_numbers(lowered, key):
                if unit and unit != self.units.get(key, unit):
                    continue  # "功率：4.5L" is a capacity next to the word, not a wattage
                if _DIFFERENCE.search(lowered[max(0, at - 3) : at]) or lowered[at - 1 : at] == "还":
                    continue  # "比您的空隙还高1cm": a difference
                named, every = self._subject(sentence, at)
                candidates = [(p, table) for p, table in entries if not named or p in named]
                if not candidates:
                    continue
                # The size of a chart row: named before the figure, in this sentence or an
                # earlier one of the message ("选M码。它肩宽42cm"), else just after it.
                size = _nearest_size(sentence, at, before)
                rows: list[list[float]] = []
                for _, table in candidates:
                    if size and size in table:
                        rows.append([table[size]])
                    elif None in table:
                        rows.append([table[None]])
                    elif not size:
                        rows.append([v for k, v in table.items() if k is not None])
                rows = [row for row in rows if row]
                # "两款都是1700W" must hold for each product, else for one of them.
                holds = all if every else any
                if rows and not holds(any(_near(value, v) for v in row) for row in rows):
                    product, table = next(
                        (
                            pair
                            for pair, row in zip(candidates, rows, strict=False)
                            if not any(_near(value, v) for v in row)
                        ),
                        candidates[0],
                    )
                    fact = " / ".join(
                        f"{k} {v:g}" if k else f"{product.name} {v:g}" for k, v in table.items()
                    )
                    claim = sentence[max(0, at - 8) : at + 8].strip()
                    kind = "spec" if None in table else "size"
                    yield FactError(line.seq, claim, f"{key}: {fact}", kind)
                    return

        for key, entries in self.spec_ranges.items():
            for value, _unit_said, at in _spec_numbers(lowered, key):
                named, every = self._subject(sentence, at)
                ranges = [(p, lo, hi) for p, lo, hi in entries if not named or p in named]
                inside = [lo - 0.05 <= value <= hi + 0.05 for _, lo, hi in ranges]
                if ranges and not (all(inside) if every else any(inside)):
                    product, lo, hi = ranges[inside.index(False)]
                    claim = sentence[max(0, at - 8) : at + 8].strip()
                    yield FactError(line.seq, claim, f"{key}: {product.name} {lo:g}-{hi:g}", "size")
                    return

    def _returns(self, line: AgentLine, sentence: str, context: str) -> Iterable[FactError]:
        """Returns promised where the rule refuses them: an opened, used or worn item where the
        rule wants it sealed, unused or unworn; no-reason returns for goods that have none. A
        faulty item or an allergy may be returned used, so those are left alone."""
        if self._fault_around(sentence, context):
            # A fault or an allergy the policy takes back: refusing the return is wrong.
            refused = _RETURN_REFUSED.search(sentence)
            if refused and self.fault_returns and not _RETURN_WINDOW.search(sentence):
                fact = next(n for n in self.facts.notes if _FAULT_RETURNS.search(_nfkc(n)))
                yield FactError(line.seq, refused.group(0), fact, "policy")
            return
        for condition, pattern in _USED_RETURNABLE:
            found = pattern.search(sentence)
            if found and condition in self.conditions and not _REFUSED.search(found.group(0)):
                yield FactError(line.seq, found.group(0), self.facts.returns, "policy")
                return
        if self.no_reason_refused:
            offered = _NO_REASON_OFFERED.search(sentence)
            if offered and not _REFUSED.search(
                sentence[max(0, offered.start() - 8) : offered.end()]
            ):
                yield FactError(line.seq, offered.group(0), self.facts.returns, "policy")

    def _goods(self, line: AgentLine, sentence: str) -> Iterable[FactError]:
        """An ingredient said to be absent ("不含香精", "alcohol-free") from the product the
        sentence names, or from every product, where the specs list it."""
        lowered = sentence.lower()
        for match in _ABSENT_CLAIM.finditer(lowered):
            said = match.group(1) or match.group(2) or match.group(3) or ""
            named, every = self._subject(sentence, match.start())
            if not named and not every:
                if len(self.products) != 1:
                    continue  # "这款不含香精": which product is not said
                named = list(self.products)
            subjects = named or list(self.products)
            for product in subjects:
                present, _ = self.ingredients[id(product)]
                if any(said and (said in word or word in said) for word in present):
                    spec = next((t for k, t in product.specs if said in t.lower()), "")
                    yield FactError(line.seq, match.group(0), f"{product.name}: {spec}", "spec")
                    return

    def _materials(self, line: AgentLine, sentence: str, context: str) -> Iterable[FactError]:
        """A material claimed for a product ("全硅胶材质的", "made of silicone") that its
        material spec does not name."""
        lowered = sentence.lower()
        heard = context.lower()
        for clause in _CLAUSE.split(lowered):
            if not _MATERIAL_CUE.search(clause):
                continue
            for match in _MATERIAL_WORDS.finditer(clause):
                word = match.group()
                before = clause[max(0, match.start() - 6) : match.start()]
                if word in heard or _REFUSED.search(before) or re.search(r"不是|isn't|not", before):
                    continue  # the customer's word, or a material denied
                at = lowered.find(clause) + match.start()
                named, _ = self._subject(sentence, at)
                subjects = [p for p in (named or self.products) if self.materials.get(id(p))]
                if subjects and not any(
                    word in w or w in word for p in subjects for w in self.materials[id(p)]
                ):
                    product = subjects[0]
                    spec = next(t for k, t in product.specs if _MATERIAL_KEY.search(k))
                    yield FactError(line.seq, word, f"{product.name}: {spec}", "spec")
                    return

    def _clock_and_dates(self, line: AgentLine, sentence: str) -> Iterable[FactError]:
        """A cut-off hour for same-day dispatch ("16点前付款当天发") or a date of a presale or
        promotion ("尾款11月11日") stated otherwise than the facts."""
        cutoff = _CUTOFF.search(sentence) if self.cutoffs else None
        if cutoff and _clock(cutoff) not in self.cutoffs:
            fact = " / ".join(f"{h:g}:00" for h in sorted(self.cutoffs))
            yield FactError(line.seq, cutoff.group(0), fact, "delivery")
        for clause in _CLAUSE.split(sentence):
            for name, pattern in _DATE_TOPICS:
                allowed = self.dates.get(name)
                if not allowed or not pattern.search(clause):
                    continue
                for match in _DATE.finditer(clause):
                    if (int(match.group(1)), int(match.group(2))) not in allowed:
                        fact = " / ".join(f"{m}月{d}日" for m, d in sorted(allowed))
                        yield FactError(line.seq, match.group(0), fact, "promotion")
                        return

    def _carrier(self, line: AgentLine, sentence: str) -> Iterable[FactError]:
        """A parcel said to have gone by a carrier the shop does not use ("是顺丰发的")."""
        found = _SENT_BY.search(sentence)
        if not found:
            return
        named = next((name for name, pattern in _CARRIERS if pattern.search(found.group(0))), None)
        if named and named not in self.carriers:
            yield FactError(line.seq, found.group(0), self.facts.shipping_default, "delivery")

    def _subject(self, sentence: str, at: int) -> tuple[list[Product], bool]:
        """The product a figure at `at` is stated for (the last named before it), and whether
        it is stated for every product ("两款都是", "both are")."""
        found = [(self._mention_at(sentence[:at], p), p) for p in self.products if p.name]
        found = [(where, p) for where, p in found if where >= 0]
        last = max(found, key=lambda pair: pair[0]) if found else None
        window = sentence[last[0] if last else 0 : at]
        if _EVERY.search(window):
            return [], True
        return ([last[1]] if last else []), False

    def _unit_figures(self, line: AgentLine, sentence: str, context: str) -> Iterable[FactError]:
        """A figure with a spec's unit and no spec name ("the 4.5 L is 1500 W", "it's the
        1.5 L"): checked against the product it is said of, when that product has one spec in
        that unit."""
        lowered = sentence.lower()
        heard = context.lower()
        for match in _UNIT_FIGURE.finditer(lowered):
            value, unit = float(match.group(1)), _unit(match.group(2))
            if (value, unit) in self.name_figures:
                continue  # "4.5L的299元": the product's name
            if re.search(
                rf"(?<![\d.]){re.escape(match.group(1))}\s*{re.escape(match.group(2))}", heard
            ):
                continue  # the customer's own figure (a cupboard's 35 cm), restated
            if (
                _NOT_A_SPEC.match(lowered, match.end())
                or _YOURS.search(lowered[max(0, match.start() - 8) : match.start()])
                or _DIFFERENCE.search(lowered[max(0, match.start() - 12) : match.start()])
            ):
                continue  # the customer's space, a difference or a sample, not the product's spec
            named, every = self._subject(sentence, match.start())
            subjects = named or [p for p in self.products if self._values(p, unit)]
            rows = [self._values(p, unit) for p in subjects]
            rows = [row for row in rows if row]
            if not rows:
                continue
            holds = all if every else any
            if not holds(any(_near(value, v) for _, v in row) for row in rows):
                wrong = next(
                    (
                        p
                        for p in subjects
                        if not any(_near(value, v) for _, v in self._values(p, unit))
                    ),
                    subjects[0],
                )
                fact = "、".join(
                    f"{wrong.name} {k} {v:g}{unit}" for k, v in self._values(wrong, unit)
                )
                yield FactError(line.seq, match.group(0), fact, "spec")
                return

    def _values(self, product: Product, unit: str) -> list[tuple[str, float]]:
        return self.unit_specs.get(id(product), {}).get(unit, [])

    def _durations(self, line: AgentLine, sentence: str, context: str) -> Iterable[FactError]:
        """A time the policy sets (a refund after the return arrives, a warranty, a window to
        report damage after signing), stated otherwise. Each rule's steps may be added up
        (48 h to inspect + 24 h to refund = 3 days)."""
        for clause in _DURATION_CLAUSE.split(sentence):
            if _RETURN_WINDOW.search(clause) or _SHIPPING_WORDS.search(clause):
                continue  # the return window and ship or transit times have their own checks
            topics = [name for name, pattern in self.topics if pattern.search(clause)]
            if not topics:
                continue
            allowed = {hours for name in topics for hours in self.durations.get(name, ())}
            if not allowed:
                continue
            for match in _DURATION.finditer(clause):
                hours = _hours(match)
                if hours is None or match.group(0).strip() in context:
                    continue
                if _AGO.match(clause, match.end()):
                    continue  # "10天前签收的": when something happened, not how long a rule allows
                if not any(abs(hours - h) <= 0.03 * h for h in allowed):
                    facts = self.durations.get(topics[0]) or allowed
                    fact = " / ".join(_show_hours(h) for h in sorted(facts))
                    yield FactError(line.seq, match.group(0).strip(), fact, "policy")
                    return

    def duration_topics(self) -> list[tuple[str, re.Pattern[str]]]:
        topics = [(name, pattern) for name, pattern in _DURATION_TOPICS if name in self.durations]
        topics += [
            (name, re.compile(re.escape(name[5:]), re.I))
            for name in self.durations
            if name.startswith("spec:")
        ]
        return topics

    def _read_back(self, line: AgentLine, sentence: str, context: str) -> Iterable[FactError]:
        """The order read back with a size or colour it does not have ("black L" for an order of
        black M). Left alone: a size the customer spoke of, a change, a question, a stock
        answer. A sentence that also changes or asks something is read clause by clause: "牛仔夹克
        黑色L码1件，地址改好了，对吗" still reads the item back wrong."""
        if not _not_read_back(sentence):
            yield from self._read_back_part(line, sentence, context)
            return
        if _OTHER_ITEM.search(sentence):
            return  # the item received, sent back or written in the remark: not the order's
        for clause in _READ_BACK_CLAUSE.split(sentence):
            if clause.strip() and not _not_read_back(clause, quantities=False):
                for error in self._read_back_part(line, clause, context):
                    yield error
                    return

    def _read_back_part(self, line: AgentLine, sentence: str, context: str) -> Iterable[FactError]:
        upper = sentence.upper().replace("码", " ").replace("号", " ")
        heard = {m.group(1) for m in _SIZE_TOKEN.finditer(context.upper().replace("码", " "))}
        lowered = sentence.lower()
        for match in _SIZE_TOKEN.finditer(upper):
            said = match.group(1)
            if said in heard or _CHART_ROW.match(upper[match.end() :]):
                continue  # a size the customer spoke of, or a size-chart row ("S 38cm")
            if any(item.size.upper() == said for item in self.order_items):
                continue
            window = lowered[max(0, match.start() - 14) : match.start()]
            if len(self.order_items) == 1 and _ORDER_WORDS.search(window):
                # "您拍的是M码", "you ordered the M": the order's one item read back.
                item = self.order_items[0]
                fact = " ".join(x for x in (item.name, item.colour, item.size) if x)
                yield FactError(line.seq, window.strip() + said, fact, "order")
                return
            for item in self.order_items:
                words = [item.colour.lower()] if item.colour else []
                words += re.findall(r"[a-z]{3,}", _nfkc(item.name).lower())[-1:]
                if not re.search(r"[a-z]", item.name.lower()):
                    words.append(_nfkc(item.name)[-2:])
                if any(word and word in window for word in words):
                    fact = " ".join(x for x in (item.name, item.colour, item.size) if x)
                    yield FactError(
                        line.seq,
                        sentence[match.start() - len(window) : match.end()].strip(),
                        fact,
                        "order",
                    )
                    return
        # The right size in another colour ("黑色M" for an order of 驼色 M).
        heard_text = context.lower()
        ordered = {item.colour.lower() for item in self.order_items if item.colour}
        for item in self.order_items:
            if not item.colour:
                continue
            for colour in self.colours:
                if colour in ordered or colour in heard_text:
                    continue
                size = re.escape(item.size.lower())
                found = re.search(rf"{re.escape(colour)}\s*(?:的|,|，)?\s*{size}(?![a-z])", lowered)
                if found:
                    fact = " ".join(x for x in (item.name, item.colour, item.size) if x)
                    yield FactError(line.seq, found.group(0), fact, "order")
                    return

    def _times(self, line: AgentLine, sentence: str) -> Iterable[FactError]:
        ship = _SHIP.search(sentence)
        if ship and _denied(sentence, ship.start()):
            ship = next(
                (m for m in _SHIP.finditer(sentence) if not _denied(sentence, m.start())), None
            )
        if ship and self.ship_hours:
            unit = (ship.group(2) or ship.group(4) or "").lower()
            hours = float(ship.group(1) or ship.group(3)) * (
                24 if unit[:1] in ("天", "d", "b", "w") else 1
            )
            if not any(_close(hours, h) for h in self.ship_hours):
                fact = " / ".join(f"{h:g}h" for h in sorted(self.ship_hours))
                yield FactError(line.seq, ship.group(0), fact, "delivery")
        transit = _TRANSIT.search(sentence)
        if transit and _denied(sentence, transit.start()):
            transit = None
        if (
            transit
            and self.transit
            and not re.search(
                r"发货|发出|ships?|dispatch\w*|goes out", sentence[: transit.start()][-4:], re.I
            )
        ):
            low = float(transit.group(1) or transit.group(3) or transit.group(5))
            high_text = transit.group(2) or transit.group(4) or transit.group(6)
            high = float(high_text) if high_text else low
            lo, hi = self.transit
            if low < lo or high > hi + 1:
                yield FactError(line.seq, transit.group(0), self.facts.transit_days, "delivery")

    @staticmethod
    def _fault_in(text: str) -> bool:
        """A fault or an allergy the agent's sentence names, not one it denies ("不属于发错货")."""
        if _ALLERGY.search(text):
            return True
        return any(
            not _FAULT_DENIED.search(text[max(0, m.start() - 6) : m.start()])
            for m in _SELLER_FAULT.finditer(text)
        )

    def _fault_around(self, sentence: str, context: str) -> bool:
        """A fault or an allergy in the sentence or the customer's lines before it."""
        return self._fault_in(sentence) or _fault_in_context(context)

    def _policy(self, line: AgentLine, sentence: str) -> Iterable[FactError]:
        for promo in _PROMO_CLAIM.finditer(sentence):
            # "满300减50" where the shop offers 满300减30: a promotion that does not exist.
            if _denied(sentence, promo.start()):
                continue
            said = [float(n) for n in promo.groups() if n]
            offered = [
                [float(n) for n in _NUMBER.findall(_nfkc(text))] for text in self.facts.promotions
            ]
            if self.facts.promotions and not any(sorted(said) == sorted(o[:2]) for o in offered):
                promotions = " / ".join(self.facts.promotions)
                yield FactError(line.seq, promo.group(0), promotions, "promotion")
                break
        gift = _THRESHOLD_CLAIM.search(sentence) if self.thresholds else None
        if gift:
            said = float(next(n for n in gift.groups() if n))
            if not any(_close(said, t) for t in self.thresholds):
                promotions = " / ".join(self.facts.promotions)
                yield FactError(line.seq, gift.group(0), promotions, "promotion")
        discount = _DISCOUNT_CLAIM.search(sentence) if self.promotion_cuts else None
        if discount and not re.search(r"券|coupon|voucher", sentence, re.I):
            said = float(next(n for n in discount.groups() if n))
            if not any(_close(said, cut) for cut in self.promotion_cuts):
                promotions = " / ".join(self.facts.promotions)
                yield FactError(line.seq, discount.group(0), promotions, "promotion")
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
            and not self._fault_around(sentence, line.context)
        ):
            yield FactError(line.seq, seller.group(0), "return_freight=buyer", "policy")
        buyer = _BUYER_PAYS.search(sentence)
        if (
            buyer
            and (
                self.facts.return_freight == "seller"
                or (self.fault_postage and self._fault_around(sentence, line.context))
            )
            and not _NO_REASON.search(sentence)
            and not _DECLINED_BEFORE.search(sentence[max(0, buyer.start() - 8) : buyer.start()])
        ):
            # The shop pays the postage here (a wrong or faulty item): the buyer is told otherwise.
            yield FactError(line.seq, buyer.group(0), "return_freight=seller", "policy")
        if self.deposits and ("定金" in sentence or "deposit" in sentence.lower()):
            for pair in _deposit_pairs(sentence):
                if pair not in self.deposits:
                    fact = " / ".join(f"{a:g}→{b:g}" for a, b in sorted(self.deposits))
                    yield FactError(line.seq, f"{pair[0]:g}→{pair[1]:g}", fact, "promotion")
                    break


_CLAUSE_BREAK = re.compile(r"[,，;；]|\bbut\b|\band\b|但是|不过|另外", re.I)
_DECLINED = re.compile(
    r"不能|没法|无法|做不到|不可以|给不了|批不了|can't|cannot|can not|unable|not able|won't", re.I
)
_REFUND_WORD = re.compile(r"退款|退您|退给|退回|给您退|给你退|refund", re.I)
_PAID_BEFORE = re.compile(
    r"(?:实付|已付|付了|支付了|订单金额|付款金额|支付金额|实付款|you paid|paid|order total|amount paid)"
    r"\s*(?:款)?\s*(?:是|为|was|is|of)?\s*(?:¥|￥)?\s*$",
    re.I,
)
_PAID = re.compile(r"\s*(?:yuan|元|块)?\s*(?:paid\b|you paid)", re.I)


# Before a figure: the figure denied or quoted to correct it ("不是299", "您说的满300减50",
# "you said 24 hours"), so no claim of the agent's own.
_DENIED = re.compile(
    r"(?:不是|并非|并不是|而不是|您说的|你说的|您说|你说|not|isn't|is not|aren't|rather than"
    r"|instead of|you said|you mentioned)\s*(?:the\s*)?$",
    re.I,
)


def _denied(sentence: str, at: int) -> bool:
    return _DENIED.search(sentence[max(0, at - 16) : at]) is not None


def _clause_start(sentence: str, at: int) -> int:
    starts = [m.end() for m in _CLAUSE_BREAK.finditer(sentence, 0, at)]
    return starts[-1] if starts else 0


def _names_payment(clause: str) -> bool:
    """A refund or payment word in the clause before an amount with no other figure between
    ("I'll refund you 399 yuan", "退给您239元", "实付259元")."""
    refunds = list(_REFUND_WORD.finditer(clause))
    if refunds and not _DIGIT.search(clause, refunds[-1].end()):
        return True
    return _PAID_BEFORE.search(clause) is not None


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


def _near(a: float, b: float) -> bool:
    """Equal as a spec figure: 1.5 L is not 1.7 L, 1750 W is not 1700 W."""
    return abs(a - b) <= max(0.015 * abs(b), 0.05)


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_CN_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_EN_WORD_GATE = re.compile(r"[A-Za-z]")
_CN_RUN = re.compile(r"[零〇一二两三四五六七八九十百千]+")
# A numeral without 十/百/千 is a number only before a unit of time or money or in a range
# ("七天", "三到七天", "两百块"); elsewhere it is a word (一下, 两件, 十分感谢, 千万别).
_CN_FOLLOWER = re.compile(
    r"\s*(?:个\s*)?(?:天|小时|工作日|月|年|周|星期|元|块|分钟)"
    r"|\s*[到至~-]\s*[零一二两三四五六七八九十百千\d]"
)


def _cn_value(run: str) -> int | None:
    """三百五十七 → 357, 十五 → 15, 两百 → 200, 三百五 → 350; None for what is no number (三四)."""
    total, digit, last_unit = 0, None, 10_000
    for char in run:
        if char in ("零", "〇"):
            digit = None
            continue
        if char in _CN_DIGITS:
            if digit is not None:
                return None
            digit = _CN_DIGITS[char]
            continue
        unit = _CN_UNITS[char]
        if unit >= last_unit:
            return None
        total += (1 if digit is None else digit) * unit
        digit, last_unit = None, unit
    if digit is not None:
        # 三百五 is 350 in speech; 三百零五 and 十五 end on units.
        total += digit * (last_unit // 10 if last_unit in (100, 1000) and run[-2] != "零" else 1)
    return total


_EN_ONES = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50,
}  # fmt: skip
# An English number word is a number only before a unit or a count ("three days", "a two-year
# warranty", "four left"); "one" only before a unit of time ("the black one left" is no count).
_EN_NUMBER = re.compile(
    r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty"
    r"|forty|fifty)\b(?=(?:\s+(?:to|or|-)\s+\w+)?[\s-]+(?:(?:business|working)\s+)?"
    r"(?:days?|hours?|weeks?|months?|years?|yuan|pieces?|left|in stock|more)"
    r"|\s+(?:[a-z\d.]+\s+){1,3}(?:left\b|in stock))",
    re.I,
)


def _english_numbers(text: str) -> str:
    def digit(match: re.Match[str]) -> str:
        word = match.group(1).lower()
        after = text[match.end() : match.end() + 12].lower()
        if word == "one" and not re.match(r"[\s-]+(?:days?|hours?|weeks?|months?|years?)", after):
            return match.group(0)
        return str(_EN_ONES[word])

    return _EN_NUMBER.sub(digit, text)


def numerals_to_digits(text: str) -> str:
    """Numbers written in Chinese characters or English words as digits, so every check reads
    one kind of figure ("一共三百五十七" is "一共357", "three days" "3 days"); idioms with
    numerals stay words."""
    if _EN_WORD_GATE.search(text):
        text = _english_numbers(text)
    if not _CN_RUN.search(text):
        return text
    parts: list[str] = []
    last = 0
    for match in _CN_RUN.finditer(text):
        run = match.group()
        has_unit = any(char in _CN_UNITS for char in run)
        if not ((has_unit and len(run) > 1) or _CN_FOLLOWER.match(text, match.end())) or (
            text.startswith("分", match.end()) and not text.startswith("分钟", match.end())
        ):
            continue
        value = _cn_value(run)
        if value is None:
            continue
        parts.append(text[last : match.start()])
        parts.append(str(value))
        last = match.end()
    parts.append(text[last:])
    return "".join(parts)


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
                if len(numbers) != 1 or _DURATION.search(text):
                    continue  # a warranty or shelf life is a time: _durations checks it
                table = {None: float(numbers[0])}
            tables.setdefault(key.lower(), []).append((product, table))
    return tables


def _spec_numbers(lowered: str, key: str) -> list[tuple[float, str, int]]:
    """Numbers stated for a spec: "肩宽40cm", "肩宽是40", "shoulder is 40", "42 cm across the
    shoulders"; a range ("39-40") is a customer's measurement restated, not a claim."""
    names = "|".join(re.escape(name) for name in (key, *_KEY_ALIASES.get(key, ())))
    key = rf"(?:{names})"
    found = []
    for match in re.finditer(
        rf"{key}s?\s*(?:两款|两个|两台|都|均|也|both|all)*\s*(?:(?:xxl|xl|xs|s|m|l)\s*码?\s*)?(?:的)?"
        rf"(?:是|为|有|:|：|is|are|of)?\s*(?:约|大约|大概|差不多|about|around|roughly)?\s*(\d+(?:\.\d+)?)(?![\d.]|\s*[-~～到])\s*(cm|厘米|w|l|kg|g)?"
        # The figure before the key: "42 cm across the shoulders", "40cm的肩宽"; never "肩宽40cm胸围
        # 100cm", where 40 is the shoulder's and the chest's figure follows its key.
        rf"|(?<![\d.\-~])(\d+(?:\.\d+)?)\s*(?:cm|厘米)"
        rf"(?:\s*(?:across the |at the |on the |的)|\s+(?=[a-z]))\s*{key}",
        lowered,
    ):
        number = match.group(1) or match.group(3)
        unit = (match.group(2) or ("cm" if match.group(3) else "")).replace("厘米", "cm")
        found.append((float(number), unit, match.start()))
    return found


def _nearest_size(sentence: str, at: int, earlier: str = "") -> str | None:
    before = list(_SIZE_TOKEN.finditer(sentence[:at].upper().replace("码", " ")))
    if before:
        return before[-1].group(1)
    before = list(_SIZE_TOKEN.finditer(earlier.upper().replace("码", " ")))
    if before:
        return before[-1].group(1)
    after = _SIZE_TOKEN.search(sentence[at:].upper().replace("码", " "))
    return after.group(1) if after else None


# Words a spec is also called by: "35 cm tall" is a height, "高32cm" too.
_KEY_ALIASES = {
    "height": ("tall", "high"),
    "高度": ("高",),
    "power": ("wattage",),
    "功率": ("瓦数",),
    "weight": ("weighs",),
}
# A figure said of every product at once.
_EVERY = re.compile(
    r"两款|两个都|两台|都是|均为|均是|\bboth\b|\ball (?:of them|three|two)\b|\beach\b", re.I
)
_UNIT_FIGURE = re.compile(
    r"(?<![\d.])(\d+(?:\.\d+)?)\s*(w|l|ml|cm|mm|kg|g|db|mah|瓦|升|毫升|厘米|毫米|千克|公斤|克|分贝)(?![a-z])"
)
_UNIT_NAMES = {"瓦": "w", "升": "l", "毫升": "ml", "厘米": "cm", "毫米": "mm", "千克": "kg"}
_UNIT_NAMES |= {"公斤": "kg", "克": "g", "分贝": "db"}
# After a figure: a space or a body, not the product ("35cm的空间", "a 35 cm gap").
_NOT_A_SPEC = re.compile(
    r"\s*(?:的)?(?:空间|空位|柜|台面|余量|gap|space|cupboard|shelf|wide|以内|以上|以下"
    r"|more|less|higher|taller|shorter|lower|bigger|smaller|extra|to spare)"
)
_YOURS = re.compile(r"您|你|your|you have", re.I)
# Before a figure: a difference, what is left over, or a sample's size ("还高1cm", "leaves you
# 3 cm", "小样2支(各3ml)").
_DIFFERENCE = re.compile(
    r"还高|还矮|还多|还少|高出|矮了|差|多出|剩|余|比|各|每|小样|试用|leaves?|left|more than"
    r"|less than|than|extra|spare|samples?|difference",
    re.I,
)


def _unit(text: str) -> str:
    return _UNIT_NAMES.get(text, text).lower()


def _unit_specs(product: Product) -> dict[str, list[tuple[str, float]]]:
    """A product's one-figure specs by unit: {"w": [("Power", 1800.0)], "l": [("Capacity", 1.7)]}."""
    table: dict[str, list[tuple[str, float]]] = {}
    for key, text in product.specs:
        figures = list(_UNIT_FIGURE.finditer(_nfkc(text).lower()))
        if len(figures) == 1 and len(_NUMBER.findall(_nfkc(text))) == 1:
            figure = figures[0]
            table.setdefault(_unit(figure.group(2)), []).append((key, float(figure.group(1))))
    return table


_DURATION = re.compile(
    r"(\d+(?:\.\d+)?)(?:\s*[-~到至]\s*(\d+(?:\.\d+)?))?[\s-]*(?:个\s*)?"
    r"(小时|hours?|hrs?|天|days?|工作日|business days?|working days?|周|星期|weeks?|月|months?|年|years?)"
    r"(?![A-Za-z\d])",
    re.I,
)
_UNIT_HOURS = {"小时": 1, "hour": 1, "hr": 1, "天": 24, "day": 24, "工作日": 24, "business day": 24}
_UNIT_HOURS |= {"working day": 24, "周": 168, "星期": 168, "week": 168, "月": 730, "month": 730}
_UNIT_HOURS |= {"年": 8760, "year": 8760}
# Times with a subject in the policy: which rule a stated time belongs to.
_DURATION_TOPICS = (
    ("refund", re.compile(r"退款|退您|退给|退钱|到账|refund", re.I)),
    ("warranty", re.compile(r"保修|质保|warranty", re.I)),
    (
        "signing",
        re.compile(r"签收|of signing|after signing|signed for|of delivery|after delivery", re.I),
    ),
    ("report", re.compile(r"反馈|拍照|照片|photos?|report", re.I)),
    ("inspect", re.compile(r"检测|inspect", re.I)),
    ("exchange", re.compile(r"换新|换货|exchange", re.I)),
    ("price_protection", re.compile(r"价保|保价|price protection|price guarantee", re.I)),
    ("reply", re.compile(r"回复|答复|回电|get back to you|reply", re.I)),
)
# A time belongs to the rule named in its own part of the sentence ("a 1-year warranty and a
# 15-day exchange window" states two rules).
# Chinese chat often parts its clauses by a space alone ("续航9小时 明天到货").
_DURATION_CLAUSE = re.compile(
    r"[,，;；]|\bbut\b|\band\b|\bplus\b|但是|不过|并且|以及|另外|和|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff\d])",
    re.I,
)
_RETURN_WINDOW = re.compile(r"无理由|no[- ]reason", re.I)
_SHIPPING_WORDS = re.compile(r"发货|发出|寄出|到货|送达|揽收|ships?\b|shipped|arrive|transit", re.I)


def _hours(match: re.Match[str]) -> float | None:
    unit = match.group(3).lower().rstrip("s")
    if unit == "月" and "个" not in match.group(0):
        return None  # "11月" is a date, "3个月" a time
    value = float(match.group(2) or match.group(1))
    if unit in ("年", "year") and value > 10:
        return None  # 2024年 is a year
    return value * _UNIT_HOURS.get(unit, _UNIT_HOURS.get(unit.rstrip("s"), 0)) or None


def _show_hours(hours: float) -> str:
    if hours >= 8760 and hours % 8760 == 0:
        return f"{hours / 8760:g}y"
    if hours >= 48 and hours % 24 == 0:
        return f"{hours / 24:g}d"
    return f"{hours:g}h"


def _duration_rules(facts: ShopFacts) -> dict[str, set[float]]:
    """Per topic the times the policy states: each time of a rule that names the topic and
    the sums of a rule's consecutive times; the return window is allowed everywhere."""
    rules = [*facts.notes, facts.returns]
    rules += [f"{key} {text}" for p in facts.products for key, text in p.specs]
    found: dict[str, set[float]] = {}
    spec_topics = {
        key for p in facts.products for key, text in p.specs if _DURATION.search(_nfkc(text))
    }
    window = {
        h for m in _DURATION.finditer(numerals_to_digits(_nfkc(facts.returns))) if (h := _hours(m))
    }
    for rule in rules:
        for part in re.split(r"[;；。\n]", numerals_to_digits(_nfkc(rule))):
            times = [h for m in _DURATION.finditer(part) if (h := _hours(m))]
            if not times:
                continue
            sums = {
                sum(times[i:j]) for i in range(len(times)) for j in range(i + 1, len(times) + 1)
            }
            for name, pattern in _DURATION_TOPICS:
                if pattern.search(part):
                    found.setdefault(name, set()).update(sums)
            for key in spec_topics:
                if part.startswith(f"{key} "):
                    found.setdefault(f"spec:{key}", set()).update(sums)
    for hours in found.values():
        hours |= window
    return found


# What the shop's notes say it keeps ("定金不退", "赠品不退不换", "the deposit is non-refundable"):
# the thing is the 2–3 characters (or English word) before the refusal, past an amount.
_KEPT_ZH = re.compile(
    r"([\u4e00-\u9fff]{2,3})(?:\d+(?:\.\d+)?\s*(?:元|块))?\s*(?:不退|不予退|不可退|不能退)"
)
_KEPT_EN = re.compile(
    r"(?:the\s+)?(?:\d+\s*(?:yuan\s+)?)?([a-z]+)\s+(?:is|are)\s+non-?refundable", re.I
)
_REFUND_ANY = re.compile(r"退|refund", re.I)
_REFUND_REFUSED = re.compile(
    r"不退|不能退|不可以退|不可退|不予退|退不了|无法退|没法退|不支持退|不给退|不会退"
    r"|non-?refundable|not refundable|can'?t be refunded|cannot be refunded|no refunds?",
    re.I,
)
_REFUND_OFFERED = re.compile(
    # "可以退", "随时能退": a refund allowed. Not "退回的" or "申请退款时…": those say how a
    # return goes, not that the thing kept is refunded.
    r"(?:可以|能|可|支持|随时)[^，。,.!！？?]{0,4}?退(?!回|货)"
    r"|refundable|can (?:be )?refund|get (?:it|your \w+) back|refund (?:it|the \w+|your \w+)",
    re.I,
)


def _kept_items(notes: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """(thing, note) for each thing a note says the shop does not refund."""
    found: dict[str, str] = {}  # the first note that keeps a thing names it
    for note in notes:
        text = numerals_to_digits(_nfkc(note))
        # 预售定金 → 定金, 预约金 → 约金: the part a message names.
        names = [m.group(1)[-2:] for m in _KEPT_ZH.finditer(text)]
        names += [m.group(1).lower() for m in _KEPT_EN.finditer(text)]
        for name in names:
            found.setdefault(name, note)
    return tuple(found.items())


_BUYER_PAYS = re.compile(
    r"postage (?:is )?at your (?:own )?(?:cost|expense)|you(?:'ll| will)? (?:need to |have to )?(?:pay|cover) (?:the )?(?:return )?(?:postage|shipping)"
    r"|return (?:postage|shipping) is (?:on you|yours)"
    r"|(?:运费|邮费)(?:需要|要|得)?(?:您|你|亲)?(?:自己|自行)?(?:承担|出|付|负责)"
    r"|(?:您|你|亲)(?:需要|要|得)?(?:自己|自行)(?:承担|出|付)(?:一下)?(?:退货|寄回)?(?:的)?(?:运费|邮费)"
    r"|(?:运费|邮费)自理|自费寄回",
    re.I,
)
_NO_REASON = re.compile(
    r"无理由|不喜欢|不想要|no[- ]reason|changed? (?:your|my) mind|don't like", re.I
)
_DECLINED_BEFORE = re.compile(r"不用|不需要|无需|不必|免|don't|do not|won't|no need|not", re.I)
_DEPOSIT = re.compile(
    r"定金\s*(\d+(?:\.\d+)?)\s*(?:元|块)?\s*(?:就)?(?:可以|可|能)?(?:直接)?(?:抵|当|顶)(?:扣)?\s*(\d+(?:\.\d+)?)"
    r"|deposit of (?:¥|rmb\s*)?(\d+(?:\.\d+)?)(?: yuan)? (?:counts as|is worth|takes|goes as) (?:¥)?(\d+(?:\.\d+)?)",
    re.I,
)


def _deposit_pairs(text: str) -> list[tuple[float, float]]:
    """(paid, worth) of each deposit stated: "定金30元抵60元" → (30, 60)."""
    pairs = []
    for match in _DEPOSIT.finditer(text):
        numbers = [float(n) for n in match.groups() if n]
        pairs.append((numbers[0], numbers[1]))
    return pairs


_ORDER_WORDS = re.compile(
    r"您拍的|你拍的|您买的|你买的|您下单的|你下单的|订单(?:里|上)?(?:是|的是)|您选的|"
    r"you ordered|your order (?:is|was)|you bought|you picked",
    re.I,
)


def _not_read_back(text: str, *, quantities: bool = True) -> bool:
    """A change, a question, a stock answer or the item received: no read-back of the order.
    `quantities`: "3件" reads as stock in a whole sentence; in a read-back's own clause
    ("大衣驼色M码1件") it is the quantity ordered."""
    # 还有 alone is "anything else?" after a read-back, so only stock words proper count.
    if _NO_STOCK.search(text) or _LEFT.search(text):
        return True
    found = _NOT_READ_BACK.search(text)
    if found and not quantities:
        found = next(
            (m for m in _NOT_READ_BACK.finditer(text) if not _QUANTITY.fullmatch(m[0])), None
        )
    return found is not None


_FAULT_DENIED = re.compile(
    r"(?:不属于|不算|不是|并非|并不是|没有|非)\s*$|(?:isn't|is not|not|no) (?:a |an )?$", re.I
)
_PRICE_OFFER = re.compile(
    r"(?:改成|改到|改价|改为|降到|便宜到|算你|算您|给你算|给您算|给你按|给您按)\s*$"
    r"|(?:knock it down to|let you have it for|give it to you for|make it)\s*(?:¥|rmb\s*)?$",
    re.I,
)
_REACHES_THRESHOLD = re.compile(
    r"(\d+)\s*(?:件|盒|个|条|瓶|支|袋|台|箱|份|pcs|boxes|items)[^，。,；;]{0,8}?满\s*(\d+)"
    r"|(\d+) (?:boxes|items|pieces|bottles)[^.,;]{0,20}?(?:over|reach\w*|hit\w*) (?:the )?(\d+)",
    re.I,
)
_THRESHOLD_DENIED = re.compile(
    r"不满|不够|达不到|凑不|用不了|不能用|还差|没到|not|won't|doesn't|short", re.I
)
_AGO = re.compile(r"\s*(?:前|以前|之前|ago\b)", re.I)
_OTHER_ITEM = re.compile(
    r"收到|发成|发错|错发|寄成|取回|寄回|退回|备注|receiv|wrong|sent you|return|remark|noted", re.I
)
# Clauses: punctuation, or a space between Chinese words (an English space is no clause end).
_READ_BACK_CLAUSE = re.compile(r"[，,；;。.!！]|(?<=[\u4e00-\u9fff\d])\s+(?=[\u4e00-\u9fff])")
_QUANTITY = re.compile(r"\d\s*(?:件|个|条)")
# A size followed by a figure is a size-chart row ("S 38cm"), unless the figure is a quantity.
_CHART_ROW = re.compile(r"\s*\d+(?![\d.]|\s*(?:件|个|条|套|pcs))")
# Not a read-back of the order: a change, a question, a stock answer, or the item received.
_NOT_READ_BACK = re.compile(
    r"改|换|更新|备注|有货|没货|现货|库存|剩|缺货|售罄|卖光|只有|\d\s*(?:件|个|条)|收到|发成|发错|错发|寄成"
    r"|吗|要不要|\?|？"
    r"|chang|switch|swap|updat|instead|exchange|noted|remark|in stock|out of stock|sold out|left\b"
    r"|available"
    r"|receiv|got|sent you|wrong|would you|do you|want",
    re.I,
)


# A discount stated as the shop's ("50 off", "a 50-yuan discount", "立减50"), not a coupon.
_REDUCTION_BEFORE = re.compile(r"(?:立减|满减|再减|减|discount of|minus)\s*$", re.I)
_DISCOUNT_CLAIM = re.compile(
    r"(?<![\d.])(\d+)\s*(?:yuan\s*)?off\b(?!\s*(?:orders?|over|above|of))|(\d+)[- ]yuan discount"
    r"|discount of (\d+)|立减\s*(\d+)|满减\s*(\d+)(?!\s*减)",
    re.I,
)
_TIME_WORD = re.compile(r"天|小时|hours?|days?|\dh", re.I)


@lru_cache(maxsize=256)
def _fault_in_context(context: str) -> bool:
    # The same customer lines stand before several agent lines: read them once.
    return _SELLER_FAULT.search(context) is not None or _ALLERGY.search(context) is not None


_SHIP_NOTE = re.compile(r"发货|发出|寄出|ships?\b|shipped|dispatch", re.I)
_RETURN_GATE = re.compile(r"退|return", re.I)
_ALLERGY = re.compile(r"过敏|红肿|疹|刺痛|发痒|allerg|rash|itch", re.I)
_REFUSED = re.compile(
    r"不能|不可以|不可|不支持|不行|没法|无法|不接受|can't|cannot|not|won't|no\b", re.I
)
_CAN_RETURN = r"(?:也|都|照样|一样|还是|仍然)?(?:能|可以|可|支持)(?:无理由)?(?:退|退货|退换|退款)"
# An item in a state the return rule may exclude, said to be returnable anyway.
_USED_RETURNABLE = (
    (
        "opened",
        re.compile(
            rf"(?:拆封|拆开|拆了|开封|打开)(?:了|过)?[^。！？!?]{{0,6}}?{_CAN_RETURN}"
            r"|(?:even if|even though|although)[^.!?]{0,20}\bopened\b[^.!?]{0,30}(?:return|refund)"
            r"|opened[^.!?]{0,20}(?:can|could) (?:still )?(?:be )?return",
            re.I,
        ),
    ),
    (
        "used",
        re.compile(
            rf"(?:用过|用了|使用过|试用过)(?:了)?[^。！？!?]{{0,6}}?{_CAN_RETURN}"
            r"|(?:even if|even though|although)[^.!?]{0,20}\bused\b[^.!?]{0,30}(?:return|refund)",
            re.I,
        ),
    ),
    (
        "worn",
        re.compile(
            rf"(?:穿过|穿了|洗过|剪了吊牌|吊牌剪了|摘了吊牌)(?:了)?[^。！？!?]{{0,6}}?{_CAN_RETURN}"
            r"|(?:even if|even though|although)[^.!?]{0,20}\b(?:worn|washed|tags? (?:off|removed))\b[^.!?]{0,30}(?:return|refund)",
            re.I,
        ),
    ),
)
_CONDITION_WORDS = (
    (
        "opened",
        re.compile(
            r"未拆封|塑封完好|拆封后[^；;。]*不支持|已拆封[^；;。]*不支持|unopened|sealed", re.I
        ),
    ),
    ("used", re.compile(r"未使用|未拆封|不影响二次销售|unused|unopened", re.I)),
    ("worn", re.compile(r"未穿|吊牌完好|unworn|tags attached", re.I)),
)
_NO_REASON_REFUSED = re.compile(
    r"(?:不支持|不提供|不享受|不适用|无)(?:\s*\d+\s*天)?\s*无理由(?:退货|退换)?|no (?:\d+-day )?no-reason returns?",
    re.I,
)
_NO_REASON_OFFERED = re.compile(
    r"\d+\s*天无理由|无理由退|no-reason returns?|\d+-day returns?", re.I
)


def _return_conditions(text: str) -> set[str]:
    return {name for name, pattern in _CONDITION_WORDS if pattern.search(text)}


# "不含香精", "无酒精", "alcohol-free", "no fragrance", "without alcohol".
_ABSENT_CLAIM = re.compile(
    r"(?:不含|无添加|没有添加|没加|不加|零|无)([\u4e00-\u9fff]{2,3}?)(?=的|，|,|。|、|和|$|\s|成分)"
    r"|([a-z]{4,})-free\b|(?:no|without|free of|free from) (?:any )?(alcohol|fragrance|perfume|parabens?|preservatives?|sugar)\b",
    re.I,
)
_PRESENT_SPEC = re.compile(
    r"含(?:有)?([^，,。；;、与和(（]+(?:[、与和][^，,。；;、与和(（]+)*)|contains? ([a-z ,]+)", re.I
)


def _ingredients(product: Product) -> tuple[set[str], set[str]]:
    """(present, absent) words of a product's ingredient specs: "含酒精与香精" → present
    {酒精, 香精}; "无酒精、无香精" or "香精: 无" → absent."""
    present: set[str] = set()
    absent: set[str] = set()
    for key, text in product.specs:
        text = _nfkc(text).lower()
        if text.strip() in ("无", "none", "free", "不含"):
            absent.add(key.lower())
            continue
        if re.match(r"(?:无|不含)", text):
            absent.update(
                w
                for w in re.split(r"[、,，与和]\s*(?:无|不含)?", re.sub(r"^(?:无|不含)", "", text))
                if w
            )
            continue
        found = _PRESENT_SPEC.match(text)
        if found:
            words = found.group(1) or found.group(2) or ""
            present.update(w.strip() for w in re.split(r"[、,，与和]|\band\b", words) if w.strip())
    return present - absent, absent


_THRESHOLD_FACT = re.compile(r"满\s*(\d+)|orders? (?:of|over|above) (?:¥)?(\d+)", re.I)
_THRESHOLD_CLAIM = re.compile(
    r"满\s*(\d+)\s*(?:元|块)?\s*(?:就)?(?:送|赠|包邮)"
    r"|(?:free|gift)[^.!?]{0,30}orders? (?:of|over|above) (?:¥)?(\d+)",
    re.I,
)
_CARRIERS = (
    ("sf", re.compile(r"顺丰|\bSF\b", re.I)),
    ("zto", re.compile(r"中通|\bZTO\b", re.I)),
    ("yto", re.compile(r"圆通|\bYTO\b", re.I)),
    ("sto", re.compile(r"申通|\bSTO\b", re.I)),
    ("yunda", re.compile(r"韵达|yunda", re.I)),
    ("jd", re.compile(r"京东|\bJD\b", re.I)),
    ("ems", re.compile(r"\bEMS\b|邮政", re.I)),
    ("jt", re.compile(r"极兔|J&T", re.I)),
)
# A parcel that has gone by a named carrier (past, not an offer to switch).
_SENT_BY = re.compile(
    r"(?:包裹|快递|订单|货)(?:是|已经)?(?:用|走|由)?(顺丰|中通|圆通|申通|韵达|京东|邮政|极兔)(?:快递)?(?:发的|发出的|寄的|寄出的|发出了)"
    r"|(?:was|were|has been|went|it's been) (?:sent|shipped|dispatched) (?:by|with|via) (SF|ZTO|YTO|STO|Yunda|JD|EMS|J&T)",
    re.I,
)


def _spec_ranges(products: Sequence[Product]) -> dict[str, list[tuple[Product, float, float]]]:
    """Specs stated as one range ("果径: 28-30mm"): name → (product, low, high)."""
    found: dict[str, list[tuple[Product, float, float]]] = {}
    for product in products:
        for key, text in product.specs:
            match = re.fullmatch(
                r"\s*(\d+(?:\.\d+)?)\s*[-~～到至]\s*(\d+(?:\.\d+)?)\s*([a-z]+)?\s*",
                _nfkc(text).lower(),
            )
            if match and not _DURATION.search(_nfkc(text)):
                low, high = sorted((float(match.group(1)), float(match.group(2))))
                found.setdefault(key.lower(), []).append((product, low, high))
    return found


_MATERIAL_KEY = re.compile(r"材质|材料|面料|material|fabric", re.I)
_MATERIAL_WORDS = re.compile(
    r"硅胶|不锈钢|塑料|玻璃|陶瓷|铝合金|铝|真皮|牛皮|皮革|纯棉|羊毛|羊绒|涤纶|聚酯|尼龙|亚克力|实木|竹"
    r"|(?<![a-z])(?:tpu|pc|silicone|polycarbonate|stainless steel|plastic|glass|ceramic|alumin(?:i)?um"
    r"|leather|cotton|wool|cashmere|polyester|nylon|acrylic|bamboo)(?![a-z])",
    re.I,
)
_MATERIAL_CUE = re.compile(r"材质|材料|面料|做的|制成|made of|made from|material|fabric", re.I)
_RETURN_REFUSED = re.compile(
    r"不能退|不可以退|退不了|不支持退|不给退|没法退|无法退|不退|不能申请退"
    r"|can(?:no|')t (?:be )?(?:returned|return|refund)|no returns?|not returnable",
    re.I,
)
# The policy takes back a fault or an allergy ("过敏…可退货退款", "faulty … refund").
_FAULT_RETURNS = re.compile(
    r"(?:过敏|质量问题|破损|发错|faulty|quality|damage|wrong item|allerg)[^；;。]*(?:退|换|refund|return|exchange|resend)",
    re.I,
)


_DEFAULT_STOCK = {"default", "默认", "库存", "stock", "all"}
# A default row is judged only where stock is spoken of ("没有了" alone may be anything).
_STOCK_WORD = re.compile(r"货|库存|stock|sold|available|left|卖|剩", re.I)


def _stock_aliases(key: str) -> list[re.Pattern[str]]:
    """How a chat names a stock row, matched on the lower-case clause without spaces: the whole
    key ("6l", "iphone15pro", "礼盒"), a shade's name or number ("自然色", "02号", "#505"),
    a waist size with its word ("28码"); none for a default row (the product is the row)."""
    lowered = _nfkc(key).lower()
    if lowered in _DEFAULT_STOCK:
        return []
    # "4.5 L" is also "4.5L", "iPhone 15 Pro" also "iphone15pro".
    tokens = re.findall(r"[a-z]+|\d+(?:\.\d+)?|[^\sa-z\d]", lowered)
    loose = r"\s*".join(re.escape(token) for token in tokens)
    if re.fullmatch(r"\d+", lowered):
        return [re.compile(rf"(?<![\d.]){loose}\s*(?:码|腰|号)|size {loose}|waist {loose}")]
    aliases = [re.compile(rf"(?<![\d.a-z]){loose}(?![a-z\d])")]
    code = re.match(r"#?(\d+)\s*([\u4e00-\u9fff]{2,})$", lowered)
    if code:
        aliases.append(re.compile(re.escape(code.group(2))))
        aliases.append(re.compile(rf"#?{code.group(1)}号|#{code.group(1)}(?!\d)"))
    return aliases


# "16点前", "下午5点前", "before 4 pm", "16:00前": the last hour for something today.
_CUTOFF = re.compile(
    r"(上午|下午|晚上)?\s*(\d{1,2})\s*(?:点|:00|：00)\s*(?:前|之前|以前)"
    r"|before (\d{1,2})\s*(?::00)?\s*(am|pm)?",
    re.I,
)
_DATE = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*(?:日|号)")
# Only the balance day: a presale's other dates (its start, say) are seldom in the facts.
_DATE_TOPICS = (("balance", re.compile(r"尾款|balance|final payment", re.I)),)


def _clock(match: re.Match[str]) -> float:
    hour = float(match.group(2) or match.group(3))
    later = (match.group(1) or "") in ("下午", "晚上") or (match.group(4) or "").lower() == "pm"
    return hour + 12 if later and hour < 12 else hour
