"""The shop's workbench tools (issue 7 part 6) as data: what one use of a tool stores.

Pure: the services hand in the scenario's script, the order as it stands (the scenario's order
with every earlier change and remark applied) and the student's request; `use` returns the
line the transcript shows and the payload every page draws its card from. The engine and the
scorer read the same payloads (`order_problems` is the one comparison of an order with what
the customer asked for).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from scenarios.schema import Script

PRODUCT_CARD = "product_card"
ORDER_CHECK = "order_check"
ORDER_CHANGE = "order_change"
REMARK = "remark"
COUPON = "coupon"
TRANSFER = "transfer"
TOOLS = (PRODUCT_CARD, ORDER_CHECK, ORDER_CHANGE, REMARK, COUPON, TRANSFER)
# What an order change may touch (an unshipped order only).
CHANGEABLE = ("address", "size", "colour")
MAX_REMARK = 200
MAX_NOTE = 200
MAX_COUPON = 10_000

# An order that has left the warehouse: its address and items are the courier's now.
_SHIPPED = re.compile(r"已发货|已签收|签收|运输中|派送|delivered|in transit|(?<!not )shipped", re.I)


class ToolError(ValueError):
    """A tool use the scenario cannot take; `code` goes back in the error frame."""

    def __init__(self, code: str, field: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.field = field


@dataclass(frozen=True)
class Use:
    """One tool use as stored: the transcript's line and the card's payload."""

    text: str
    payload: dict[str, Any]


def order_of(script: Script) -> dict[str, Any] | None:
    """The scenario's order as the workbench keeps it (JSON), before any change."""
    if script.order is None:
        return None
    return script.order.model_dump(mode="json", exclude_none=True)


def is_shipped(order: Mapping[str, Any]) -> bool:
    return bool(_SHIPPED.search(str(order.get("status", ""))))


def authority(script: Script) -> float:
    """How much the agent may give in coupons in one conversation (the policy's limit)."""
    return float(script.shop.policy.compensation_limit)


def use(
    script: Script,
    tool: str,
    request: Mapping[str, Any],
    *,
    order: Mapping[str, Any] | None,
    coupons: float = 0.0,
) -> Use:
    """What one tool use stores. `order` is the order as it stands, `coupons` what earlier
    coupons of the conversation came to. Raises ToolError for what the scenario cannot take."""
    zh = script.language != "en"
    match tool:
        case "product_card":
            return _product_card(script, str(request.get("sku") or ""), zh)
        case "order_check":
            current = _need_order(order)
            return Use(_order_line(current, zh), {"kind": tool, "order": dict(current)})
        case "order_change":
            return _order_change(script, _need_order(order), request, zh)
        case "remark":
            current = dict(_need_order(order))
            text = str(request.get("text") or "").strip()
            current["remark"] = text
            line = f"[备注] {text or '（清空）'}" if zh else f"[Remark] {text or '(cleared)'}"
            return Use(line, {"kind": tool, "text": text, "order": current})
        case "coupon":
            amount = float(request.get("amount") or 0)
            if not 0 < amount <= MAX_COUPON:
                raise ToolError("invalid", "amount")
            limit = authority(script)
            within = coupons + amount <= limit + 1e-9
            shown = f"{amount:g}"
            line = f"[优惠券] ¥{shown}" if zh else f"[Coupon] ¥{shown}"
            payload = {"kind": tool, "amount": amount, "limit": limit, "within": within}
            return Use(line, payload)
        case "transfer":
            note = str(request.get("text") or "").strip()
            line = f"[转接主管] {note}" if zh else f"[Transferred to a supervisor] {note}"
            return Use(line.strip(), {"kind": tool, "note": note})
    raise ToolError("invalid", "tool")


def _need_order(order: Mapping[str, Any] | None) -> Mapping[str, Any]:
    if order is None:
        raise ToolError("no_order")
    return order


def _product_card(script: Script, sku: str, zh: bool) -> Use:
    product = next((p for p in script.shop.products if p.sku == sku), None)
    if product is None:
        raise ToolError("unknown_product", "sku")
    options = {name: list(values) for name, values in product.options.items()}
    payload = {
        "kind": PRODUCT_CARD,
        "sku": product.sku,
        "name": product.name,
        "price": product.price,
        "options": options,
    }
    shown = (
        "；".join(f"{k}：{'/'.join(v)}" for k, v in options.items())
        if zh
        else "; ".join(f"{k}: {'/'.join(v)}" for k, v in options.items())
    )
    head = "[商品卡片]" if zh else "[Product card]"
    return Use(f"{head} {product.name} ¥{product.price:g} {shown}".strip(), payload)


def _order_change(
    script: Script, order: Mapping[str, Any], request: Mapping[str, Any], zh: bool
) -> Use:
    if is_shipped(order):
        raise ToolError("order_shipped")
    current = {**order, "items": [dict(item) for item in order.get("items", ())]}
    changes: dict[str, list[str]] = {}
    address = str(request.get("address") or "").strip()
    if address and address != current.get("address", ""):
        changes["address"] = [str(current.get("address", "")), address]
        current["address"] = address
    index = request.get("item")
    wants_item = any(request.get(name) for name in ("size", "colour"))
    item: dict[str, Any] | None = None
    if wants_item:
        if not isinstance(index, int) or not 0 <= index < len(current["items"]):
            raise ToolError("invalid", "item")
        item = current["items"][index]
        product = next((p for p in script.shop.products if p.sku == item.get("sku")), None)
        for name in ("size", "colour"):
            value = str(request.get(name) or "").strip()
            if not value or value == item.get(name, ""):
                continue
            if product is not None and value not in option_values(product.options, name):
                raise ToolError("unknown_option", name)
            changes[name] = [str(item.get(name, "")), value]
            item[name] = value
    if not changes:
        raise ToolError("no_change")
    parts = []
    names = {"address": "地址", "size": "尺码", "colour": "颜色"} if zh else {}
    for name, (_old, new) in changes.items():
        parts.append(f"{names.get(name, name)}{'→' if zh else ' → '}{new}")
    head = "[修改订单]" if zh else "[Order changed]"
    target = f" {item['name']}" if item is not None else ""
    payload = {
        "kind": ORDER_CHANGE,
        "item": index if item is not None else None,
        "changes": changes,
        "order": current,
    }
    sep = "；" if zh else "; "
    return Use(f"{head}{target} {sep.join(parts)}", payload)


_SIZE_KEYS = {"尺码", "码数", "码", "尺寸", "size"}
_COLOUR_KEYS = {"颜色", "色号", "色", "colour", "color", "shade"}


def option_values(options: Mapping[str, list[str]], name: str) -> list[str]:
    """The sizes (or colours) a product comes in, in the shop's order."""
    keys = _SIZE_KEYS if name == "size" else _COLOUR_KEYS
    found = (str(v) for key, values in options.items() if key.lower() in keys for v in values)
    return list(dict.fromkeys(found))


def _order_line(order: Mapping[str, Any], zh: bool) -> str:
    items = []
    for item in order.get("items", ()):
        detail = " ".join(str(item.get(k)) for k in ("colour", "size") if item.get(k))
        items.append(f"{item.get('name', '')} {detail} ×{item.get('qty', 1)}".replace("  ", " "))
    words = _ORDER_WORDS["zh" if zh else "en"]
    sep = "；" if zh else "; "
    parts = [f"{words['head']} " + sep.join(items)]
    for name in ("recipient", "address"):
        if order.get(name):
            parts.append(f"{words[name]}{order[name]}")
    parts.append(f"{words['remark']}{order.get('remark') or words['none']}")
    return sep.join(parts)


# The order check's summary line, in the scenario's language (data, like the customer's words).
_ORDER_WORDS = {
    "zh": {
        "head": "[核对订单]",
        "recipient": "收货人：",
        "address": "地址：",
        "remark": "备注：",
        "none": "无",
    },
    "en": {
        "head": "[Order check]",
        "recipient": "recipient: ",
        "address": "address: ",
        "remark": "remark: ",
        "none": "none",
    },
}


def current_order(script: Script, payloads: list[Mapping[str, Any]]) -> dict[str, Any] | None:
    """The order as it stands after these tool payloads (in order): the latest one that
    carries an order, else the scenario's."""
    order = order_of(script)
    for payload in payloads:
        if isinstance(payload.get("order"), Mapping) and payload.get("kind") != ORDER_CHECK:
            order = dict(payload["order"])
    return order


def coupons_of(payloads: list[Mapping[str, Any]]) -> float:
    return sum(float(p.get("amount") or 0) for p in payloads if p.get("kind") == COUPON)


# ------------------------------------------------------------------ what the customer asked for


@dataclass(frozen=True)
class Problem:
    """A detail of an order that is not what the customer asked for."""

    field: str  # address, size, colour, quantity
    shown: str  # what the order says
    wanted: str  # what the customer asked for
    item: str = ""  # the item's name, for a size or colour


def order_problems(
    order: Mapping[str, Any],
    wants: Mapping[str, str],
    offered: Mapping[str, Mapping[str, list[str]]] | None = None,
) -> list[Problem]:
    """Where `order` differs from what the customer wants (`wants`: address, size, colour,
    quantity; empty values ask for nothing). A wanted size or colour is the one item's that
    comes in it (a coat in S, not the hoodie that has no S)."""
    found: list[Problem] = []
    address = str(wants.get("address") or "").strip()
    if address and not _same_address(str(order.get("address", "")), address):
        found.append(Problem("address", str(order.get("address", "")), address))
    items = list(order.get("items", ()))
    offered = offered or {}
    for name in ("size", "colour"):
        wanted = str(wants.get(name) or "").strip()
        if not wanted:
            continue
        fits = [
            item
            for item in items
            if item.get("sku") not in offered
            or wanted in option_values(offered[item.get("sku")], name)
        ]
        target = fits[0] if fits else None
        if target is not None and str(target.get(name, "")) != wanted:
            found.append(Problem(name, str(target.get(name, "")), wanted, str(target.get("name"))))
    quantity = str(wants.get("quantity") or "").strip()
    if quantity and items and str(items[0].get("qty", 1)) != quantity:
        found.append(Problem("quantity", str(items[0].get("qty", 1)), quantity))
    return found


def _squash(text: str) -> str:
    return re.sub(r"[\s,，、.。:：\-]+", "", text).lower()


def _same_address(shown: str, wanted: str) -> bool:
    """One address written two ways: the shorter read in the longer, or the same numbers with
    most of the same words (Chinese: pairs of characters) in another order."""
    a, b = _squash(shown), _squash(wanted)
    if not a or not b:
        return a == b
    if a in b or b in a:
        return True
    if set(re.findall(r"\d+", shown)) != set(re.findall(r"\d+", wanted)):
        return False
    words_a, words_b = words_of(shown), words_of(wanted)
    return len(words_a & words_b) >= 0.6 * max(1, min(len(words_a), len(words_b)))


def words_of(text: str) -> set[str]:
    """Latin words and pairs of Chinese characters: what two wordings of a phrase share."""
    latin = {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 1}
    cjk = re.sub(r"[^\u4e00-\u9fff]", "", text)
    return latin | {cjk[i : i + 2] for i in range(len(cjk) - 1)}
