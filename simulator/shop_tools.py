"""The shop's tools in the workspace's order panel (issue 7 part 6), around the pure workbench.

A tool use is a line of the chat (Message.Role.TOOL) whose card the server builds from the
scenario and the order as it stands: the scenario's order with every earlier change and remark
of the conversation applied. Read here, under the conversation's lock (services.post_messages).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from simulator import customer
from simulator.engine.workbench import (
    CHANGEABLE,
    COUPON,
    ORDER_CHANGE,
    ORDER_CHECK,
    PRODUCT_CARD,
    REMARK,
    TOOLS,
    TRANSFER,
    ToolError,
    Use,
    authority,
    coupons_of,
    current_order,
    is_shipped,
    option_values,
    use,
)
from simulator.models import Conversation, Message

__all__ = [
    "CHANGEABLE",
    "COUPON",
    "ORDER_CHANGE",
    "ORDER_CHECK",
    "PRODUCT_CARD",
    "REMARK",
    "TOOLS",
    "TRANSFER",
    "Bench",
    "ToolError",
    "Use",
    "order_now",
]


def _payloads(conversation_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
    found: dict[int, list[dict[str, Any]]] = {}
    rows = (
        Message.objects.filter(conversation_id__in=list(conversation_ids), role=Message.Role.TOOL)
        .order_by("conversation_id", "seq")
        .values_list("conversation_id", "payload")
    )
    for pk, payload in rows:
        found.setdefault(pk, []).append(payload)
    return found


@dataclass
class Bench:
    """The tool payloads so far of the conversations of one batch: one query for all of them,
    kept up to date as the batch stores more (a change then a check in one group commit)."""

    payloads: dict[int, list[dict[str, Any]]] = field(default_factory=dict)

    @classmethod
    def load(cls, conversations: list[Conversation]) -> Bench:
        if not conversations:
            return cls()
        return cls(_payloads(c.pk for c in conversations))

    def use(self, conversation: Conversation, request: Mapping[str, Any]) -> Use:
        script = customer.engine_for(conversation).script
        earlier = self.payloads.setdefault(conversation.pk, [])
        made = use(
            script,
            str(request.get("tool", "")),
            request,
            order=current_order(script, earlier),
            coupons=coupons_of(earlier),
        )
        earlier.append(made.payload)
        return made


@dataclass(frozen=True)
class OrderNow:
    """What the order panel shows: the order as it stands, the tools' limits, and per item of
    the order the sizes and colours its product comes in (the change form's choices)."""

    order: dict[str, Any] | None
    shipped: bool
    coupon_limit: float
    coupons: float
    choices: list[dict[str, list[str]]] = field(default_factory=list)


def order_now(conversation: Conversation) -> OrderNow:
    script = customer.engine_for(conversation).script
    payloads = _payloads([conversation.pk]).get(conversation.pk, [])
    order = current_order(script, payloads)
    products = {p.sku: p.options for p in script.shop.products}
    choices = [
        {
            name: option_values(products.get(item.get("sku"), {}), name)
            for name in ("size", "colour")
        }
        for item in (order or {}).get("items", ())
    ]
    return OrderNow(
        order=order,
        shipped=bool(order and is_shipped(order)),
        coupon_limit=authority(script),
        coupons=coupons_of(payloads),
        choices=choices,
    )
