"""What the scorer reads of the shop's tools (issue 7 part 6): order checks count as the read-
back, an order change is held against what the customer asked for, the seller's remark against
the changes made and the note she asked for, a coupon against the agent's authority, and a
transfer against what the customer demanded. Pure: the stored cards come in the transcript."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from assessment.scoring.report import FactError
from simulator.engine.workbench import COUPON, ORDER_CHANGE, ORDER_CHECK, order_problems, words_of


@dataclass(frozen=True)
class ToolUse:
    """One use of a shop tool as stored: its message number, its kind and its card."""

    seq: int
    kind: str
    card: Mapping[str, Any] = field(default_factory=dict)


def checks(tools: Iterable[ToolUse]) -> list[ToolUse]:
    return [tool for tool in tools if tool.kind == ORDER_CHECK]


def last_remark(tools: Iterable[ToolUse]) -> str | None:
    """The seller's remark on the order as the last card showed it; None without a card."""
    remark = None
    for tool in tools:
        order = tool.card.get("order")
        if isinstance(order, Mapping):
            remark = str(order.get("remark") or "")
    return remark


def coupons_beyond(tools: Iterable[ToolUse]) -> list[ToolUse]:
    """Coupons that took the conversation's total past the agent's authority."""
    return [t for t in tools if t.kind == COUPON and t.card.get("within") is False]


def change_errors(
    tools: Iterable[ToolUse], requested: Mapping[str, str], shop: Mapping[str, Any] | None
) -> list[FactError]:
    """Each order change that set a field to what the customer did not ask for."""
    offered = _offered(shop)
    errors = []
    for tool in tools:
        if tool.kind != ORDER_CHANGE or not requested:
            continue
        changed = set((tool.card.get("changes") or {}).keys())
        for problem in order_problems(tool.card.get("order") or {}, requested, offered):
            if problem.field in changed:
                errors.append(
                    FactError(
                        seq=tool.seq,
                        claim=f"{problem.field}: {problem.shown}",
                        fact=f"{problem.field}: {problem.wanted}",
                        kind="order_change",
                    )
                )
    return errors


def _offered(shop: Mapping[str, Any] | None) -> dict[str, Mapping[str, list[str]]]:
    if not isinstance(shop, Mapping):
        return {}
    shop = shop.get("shop") if isinstance(shop.get("shop"), Mapping) else shop
    return {
        str(p.get("sku")): p.get("options") or {}
        for p in shop.get("products") or ()
        if isinstance(p, Mapping)
    }


# What a customer asks to be noted: 备注写“生日礼物，不放价签” / note 'birthday gift, no price tag'.
_ASKED_NOTE = re.compile(
    r"备注[^“\"「『'‘]{0,6}[“\"「『'‘]([^”\"」』'’]{2,60})[”\"」』'’]"
    r"|\b(?:note|remark)[^'\"“‘]{0,12}['\"“‘]([^'\"”’]{2,60})['\"”’]",
    re.I,
)
_ADDRESS_WORDS = re.compile(r"地址|address", re.I)


@dataclass(frozen=True)
class RemarkCheck:
    """Whether the seller's remark holds what it must: `missing` names what it lacks
    (remark_size, remark_colour, remark_address, remark_note, or remark_empty)."""

    needed: bool
    missing: tuple[str, ...]
    seq: int | None  # the remark's message, when one was written


def remark_check(
    remark: str, tools: Iterable[ToolUse], customer_lines: Iterable[str]
) -> RemarkCheck:
    """The remark must hold every change made (size, colour, address) and each note the
    customer asked for in her words; nothing needed when neither happened."""
    tools = list(tools)
    text = remark.lower()
    missing: list[str] = []
    needed = False
    for tool in tools:
        if tool.kind != ORDER_CHANGE:
            continue
        for name, (_old, new) in (tool.card.get("changes") or {}).items():
            needed = True
            if name == "address":
                covered = bool(_ADDRESS_WORDS.search(text)) or _shares(new, text)
            else:
                covered = str(new).lower() in text
            if not covered and f"remark_{name}" not in missing:
                missing.append(f"remark_{name}")
    for line in customer_lines:
        for match in _ASKED_NOTE.finditer(line):
            needed = True
            note = match.group(1) or match.group(2)
            if not _shares(note, text) and "remark_note" not in missing:
                missing.append("remark_note")
    written = [tool.seq for tool in tools if tool.kind == "remark"]
    if needed and not text.strip():
        missing = ["remark_empty"]
    return RemarkCheck(needed, tuple(missing), written[-1] if written else None)


def _shares(phrase: str, text: str) -> bool:
    """Most of the phrase's words (Chinese: pairs of characters) are in the text."""
    words = words_of(phrase)
    if not words:
        return phrase.lower() in text
    return len(words & words_of(text)) >= 0.6 * len(words)


# A demand the agent may not meet alone: money, a refund, a complaint, the manager.
_BEYOND = re.compile(
    r"赔偿|赔我|补偿|全额退|退一赔|三倍|十倍|投诉|12315|主管|经理|领导|负责人|平台介入|差评"
    r"|compensat|refund|manager|supervisor|complain|report you",
    re.I,
)
_MONEY = re.compile(r"(\d+(?:\.\d+)?)\s*(?:元|块|¥|yuan|rmb)|[¥$]\s*(\d+(?:\.\d+)?)", re.I)


def demand_beyond_authority(customer_lines: Iterable[str], limit: float | None) -> bool:
    """Whether the customer asked for what only a supervisor can give."""
    for line in customer_lines:
        if _BEYOND.search(line):
            return True
        if limit is not None:
            for match in _MONEY.finditer(line):
                if float(match.group(1) or match.group(2)) > limit and re.search(
                    r"赔|补|退|返|少|便宜|优惠|off|discount|back", line, re.I
                ):
                    return True
    return False
