"""Shop facts and policies, read from a scenario's `shop`/`order` mapping or a transcript's
free-form `shop_facts`, in the shape the recogniser needs to judge `promise` and claims."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

ReturnFreight = Literal["buyer", "seller"]


# Cases a shop's rules may pay the return postage for (its notes say which).
POSTAGE_CASES = (
    "过敏", "质量", "破损", "损坏", "发错", "错发", "少发", "漏发", "瑕疵", "运输",
    "allerg", "quality", "damage", "faulty", "defect", "wrong item",
)  # fmt: skip
_SHOP_PAYS_POSTAGE = re.compile(
    r"(?:店铺|商家|卖家|我们|本店|shop|seller|we)[^。;；.]{0,6}(?:承担|出|付|负责|pay|cover)[^。;；.]{0,4}"
    r"(?:运费|邮费|postage|shipping)|(?:运费|邮费|postage|shipping)[^。;；.]{0,6}(?:由)?"
    r"(?:店铺|商家|卖家|我们|本店|the shop|the seller|us)"
)


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    price: float | None = None
    options: tuple[tuple[str, tuple[str, ...]], ...] = ()
    stock: tuple[tuple[str, int], ...] = ()
    specs: tuple[tuple[str, str], ...] = ()  # ("肩宽", "S 38cm / M 40cm / …")

    def option_values(self, key: str) -> tuple[str, ...]:
        return next((values for name, values in self.options if name == key), ())


@dataclass(frozen=True)
class OrderItem:
    sku: str
    name: str = ""
    colour: str = ""
    size: str = ""
    qty: int = 1
    price: float | None = None


@dataclass(frozen=True)
class Order:
    id: str = ""
    items: tuple[OrderItem, ...] = ()
    recipient: str = ""
    address: str = ""
    total: float | None = None  # the amount paid


@dataclass(frozen=True)
class ShopFacts:
    """Policy flags that decide what counts as an unauthorised promise, plus products and prices.

    A flag left as None is unknown: the recogniser then applies only its policy-free rules.
    """

    name: str = ""
    products: tuple[Product, ...] = ()
    promotions: tuple[str, ...] = ()
    shipping_default: str = ""
    shipping_upgrades: tuple[str, ...] = ()
    ship_within_hours: float | None = None
    transit_days: str = ""
    returns: str = ""
    return_freight: ReturnFreight | None = (
        "buyer"  # Consumer law Art. 25: the buyer pays by default
    )
    freight_insurance: bool | None = False
    refund_before_return: bool | None = False
    price_change: bool | None = False
    compensation_limit: float | None = None
    guaranteed_delivery: bool | None = False
    # May the shop issue a VAT special invoice (增值税专用发票)? None: the facts do not say.
    special_invoice: bool | None = None
    notes: tuple[str, ...] = ()
    order: Order | None = None

    @property
    def free_return_allowed(self) -> bool | None:
        """May the agent offer free return postage on a no-reason return?"""
        if self.return_freight == "seller" or self.freight_insurance:
            return True
        if self.return_freight is None and self.freight_insurance is None:
            return None
        return False

    def postage_paid_cases(self) -> tuple[str, ...]:
        """The cases (过敏, 质量, 破损 …) for which the shop's own rules pay the postage:
        words of POSTAGE_CASES in a note that also puts the postage on the shop."""
        found: list[str] = []
        for note in self.notes:
            lowered = note.lower()
            if not _SHOP_PAYS_POSTAGE.search(lowered):
                continue
            found += [case for case in POSTAGE_CASES if case in lowered and case not in found]
        return tuple(found)

    def promotion_text(self) -> str:
        return " ".join(self.promotions)


def facts_from_mapping(data: Mapping[str, Any] | str | Iterable[str] | None) -> ShopFacts | None:
    """Reads a scenario `{"shop": …, "order": …}` mapping, a bare `shop` mapping, or free-form
    transcript `shop_facts` (a mapping, a string or a list of strings); None gives None."""
    if data is None:
        return None
    if isinstance(data, str):
        return _facts_from_text(data)
    if not isinstance(data, Mapping):
        return _facts_from_text("\n".join(str(item) for item in data))
    shop = data.get("shop") if isinstance(data.get("shop"), Mapping) else data
    order = data.get("order") if isinstance(data.get("order"), Mapping) else shop.get("order")
    policy = shop.get("policy") if isinstance(shop.get("policy"), Mapping) else {}
    shipping = shop.get("shipping") if isinstance(shop.get("shipping"), Mapping) else {}
    free_text = _free_text(shop)
    base = _facts_from_text(free_text) if free_text else ShopFacts()
    notes = tuple(str(item) for item in _seq(policy.get("notes"))) + base.notes
    return ShopFacts(
        name=str(shop.get("name", "") or ""),
        products=tuple(
            _product(item) for item in _seq(shop.get("products")) if isinstance(item, Mapping)
        ),
        promotions=tuple(str(item) for item in _seq(shop.get("promotions"))),
        shipping_default=str(shipping.get("default", "") or ""),
        shipping_upgrades=tuple(str(item) for item in _seq(shipping.get("upgrades"))),
        ship_within_hours=_number(shipping.get("ship_within_hours")),
        transit_days=str(shipping.get("transit_days", "") or ""),
        returns=str(policy.get("returns", "") or ""),
        return_freight=_freight(policy.get("return_freight"), base.return_freight),
        freight_insurance=_flag(policy.get("freight_insurance"), base.freight_insurance),
        refund_before_return=_flag(policy.get("refund_before_return"), base.refund_before_return),
        price_change=_flag(policy.get("price_change"), base.price_change),
        compensation_limit=_number(policy.get("compensation_limit", base.compensation_limit)),
        guaranteed_delivery=_flag(policy.get("guaranteed_delivery"), base.guaranteed_delivery),
        special_invoice=_special_invoice(policy, notes),
        notes=notes,
        order=_order(order) if isinstance(order, Mapping) else None,
    )


def _seq(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str | bytes | Mapping):
        return [value]
    try:
        return list(value)
    except TypeError:
        return [value]


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    found = re.search(r"\d+(?:\.\d+)?", unicodedata.normalize("NFKC", str(value)))
    return float(found.group()) if found else None


def _flag(value: Any, default: bool | None) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in {"true", "yes", "y", "1", "是", "有", "允许", "可以"}:
            return True
        if lowered in {"false", "no", "n", "0", "否", "无", "没有", "不允许", "不可以"}:
            return False
    return default


def _freight(value: Any, default: ReturnFreight | None) -> ReturnFreight | None:
    text = str(value or "").strip().lower()
    if text in {"buyer", "买家", "customer"}:
        return "buyer"
    if text in {"seller", "卖家", "店铺", "shop"}:
        return "seller"
    return default


def _product(item: Mapping[str, Any]) -> Product:
    options = item.get("options") if isinstance(item.get("options"), Mapping) else {}
    stock = item.get("stock") if isinstance(item.get("stock"), Mapping) else {}
    specs = item.get("specs") if isinstance(item.get("specs"), Mapping) else {}
    return Product(
        sku=str(item.get("sku", "") or ""),
        name=str(item.get("name", "") or ""),
        price=_number(item.get("price")),
        options=tuple(
            (str(key), tuple(str(v) for v in _seq(values))) for key, values in options.items()
        ),
        stock=tuple((str(key), int(_number(count) or 0)) for key, count in stock.items()),
        specs=tuple((str(key), str(value)) for key, value in specs.items()),
    )


def _order(data: Mapping[str, Any]) -> Order:
    items = []
    for item in _seq(data.get("items")):
        if isinstance(item, Mapping):
            qty = _number(item.get("qty"))
            items.append(
                OrderItem(
                    sku=str(item.get("sku", "") or ""),
                    name=str(item.get("name", "") or ""),
                    colour=str(item.get("colour", item.get("color", "")) or ""),
                    size=str(item.get("size", "") or ""),
                    qty=int(qty) if qty else 1,
                    price=_number(item.get("price")),
                )
            )
    return Order(
        id=str(data.get("id", "") or ""),
        items=tuple(items),
        recipient=str(data.get("recipient", "") or ""),
        address=str(data.get("address", "") or ""),
        total=_number(data.get("total")),
    )


def _free_text(shop: Mapping[str, Any]) -> str:
    # Transcripts carry shop_facts as free text ("facts"/"policies" lists); scenarios do not.
    parts: list[str] = []
    for key in ("facts", "policies", "policy_text", "text"):
        parts.extend(str(item) for item in _seq(shop.get(key)))
    return "\n".join(parts)


_NO = r"(?:不|没有|无|未|非|不支持|不提供|不含|不可|不能|不允许|禁止|no|not|without|don't|doesn't|cannot|can't)"


def _facts_from_text(text: str) -> ShopFacts:
    """Best-effort policy flags from free-form facts such as "无运费险；不支持改价；补偿上限10元"."""
    norm = unicodedata.normalize("NFKC", text).lower()

    def negated(term: str) -> bool | None:
        found = re.search(
            rf"{_NO}[^,.;，。；\n]{{0,6}}{term}|{term}[^,.;，。；\n]{{0,4}}{_NO}", norm
        )
        if found:
            return True
        return False if re.search(term, norm) else None

    insurance = negated(r"(?:运费险|freight insurance|return insurance)")
    price_change = negated(r"(?:改价|议价|price change|discount)")
    early_refund = negated(r"(?:先退款|先行退款|refund before)")
    guarantee = negated(r"(?:保证到货|承诺送达|guaranteed delivery)")
    limit = re.search(r"(?:补偿|赔偿|优惠券|compensation)[^\d\n]{0,10}(\d+(?:\.\d+)?)", norm)
    freight: ReturnFreight | None = "buyer"
    if re.search(
        r"(?:卖家|店铺|商家|我们|seller|shop)(?:承担|出|pays?)[^,.;，。；\n]{0,6}(?:退货)?运费|包退运费|free returns?",
        norm,
    ):
        freight = "seller"
    notes = tuple(line.strip() for line in re.split(r"[\n;；]", text) if line.strip())
    return ShopFacts(
        return_freight=freight,
        freight_insurance=(not insurance) if insurance is not None else False,
        refund_before_return=(not early_refund) if early_refund is not None else False,
        price_change=(not price_change) if price_change is not None else False,
        compensation_limit=float(limit.group(1)) if limit else None,
        guaranteed_delivery=(not guarantee) if guarantee is not None else False,
        special_invoice=_special_invoice({}, notes),
        notes=notes,
    )


# Invoice policy in words: "只开电子普通发票", "不能开专票", "普票 only" → no special invoice.
_SPECIAL = r"(?:专用发票|专票|special (?:vat )?invoice|vat special invoice)"
_NO_SPECIAL = re.compile(
    rf"{_NO}[^,.;，。；\n]{{0,6}}{_SPECIAL}|{_SPECIAL}[^,.;，。；\n]{{0,4}}{_NO}"
    r"|(?:只|仅|只能|仅能|only)[^,.;，。；\n]{0,6}(?:普通发票|普票|ordinary invoice|regular invoice)"
    r"|(?:普通发票|普票|ordinary invoice|regular invoice)[^,.;，。；\n]{0,4}only"
)
_YES_SPECIAL = re.compile(rf"(?:可|可以|能|支持|提供|can)[^,.;，。；\n]{{0,4}}{_SPECIAL}")


def _special_invoice(policy: Mapping[str, Any], notes: Iterable[str]) -> bool | None:
    """Whether the shop may issue a 增值税专用发票: a `special_invoice` flag, else the words of
    an `invoice` policy or the notes; None when nothing is said about invoices."""
    flag = _flag(policy.get("special_invoice"), None)
    if flag is not None:
        return flag
    text = " ".join([str(policy.get("invoice") or ""), *notes])
    norm = unicodedata.normalize("NFKC", text).lower()
    if _NO_SPECIAL.search(norm):
        return False
    if _YES_SPECIAL.search(norm):
        return True
    return None
