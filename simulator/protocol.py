"""The workspace websocket protocol, version 1 (docs/protocol.md).

Client frames are validated by one pydantic discriminated union, so every malformed frame
(bad JSON, 100k-deep nesting, lone surrogates, wrong types) becomes a ProtocolError that
names the field, never an exception that closes the socket.
"""

from __future__ import annotations

import json
import unicodedata
from typing import TYPE_CHECKING, Annotated, Any, Literal, NotRequired, TypedDict
from uuid import UUID

from django.conf import settings
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

if TYPE_CHECKING:
    from simulator.models import Conversation, Message

VERSION = 1
MAX_ID = 2**53  # ids travel through JavaScript numbers


class ProtocolError(Exception):
    """A frame the server cannot act on; `code` and `field` go back to the client."""

    def __init__(self, code: str, field: str = "", detail: str = "", frame: Any = None) -> None:
        super().__init__(detail or code)
        self.code = code
        self.field = field
        self.detail = detail or code
        self.frame = frame  # the parsed frame, when the error is about its content


class _Frame(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    # The integer 1: strict, so `true` and `1.0` (equal to 1 in Python) are refused.
    v: int = Field(default=VERSION, ge=VERSION, le=VERSION, strict=True)


ConversationId = Annotated[int, Field(gt=0, lt=MAX_ID, strict=True)]


class SubscribeFrame(_Frame):
    """Join a conversation and receive every message after `after` (0 for all)."""

    type: Literal["subscribe"]
    conversation: ConversationId
    after: int = Field(default=0, ge=0, lt=MAX_ID, strict=True)


class _TextFrame(_Frame):
    """A line to store under the conversation's next seq, idempotent on `client_id`."""

    conversation: ConversationId
    client_id: UUID
    text: str = Field(min_length=1)


class SendFrame(_TextFrame):
    """The student's reply as the shop's agent."""

    type: Literal["message.send"]


class CustomerSendFrame(_TextFrame):
    """A line as the customer, while the conversation is taken over: by a teacher of the
    class, or by the classmate who plays its customer."""

    type: Literal["customer.send"]


class CoachFrame(_TextFrame):
    """A teacher's private coaching note to the student."""

    type: Literal["coach.send"]


class TypingFrame(_Frame):
    type: Literal["typing.start"]
    conversation: ConversationId


class EndFrame(_Frame):
    type: Literal["conversation.end"]
    conversation: ConversationId
    # A teacher may say why (kept in the class's audit log); the student's end ignores it.
    reason: str = Field(default="", max_length=200)
    # A classmate playing the customer ends with one of the scenario's endings (its key);
    # every other end ignores it.
    ending: str | None = Field(default=None, min_length=1, max_length=64)


class MonitorFrame(_Frame):
    """A teacher watches the active conversations of one class (the live monitor)."""

    type: Literal["monitor.subscribe"]
    classroom: ConversationId


class TakeOverFrame(_Frame):
    """A teacher plays the customer from now on: the scripted customer pauses."""

    type: Literal["takeover.start"]
    conversation: ConversationId


class HandBackFrame(_Frame):
    """The teacher hands the customer back to the script, at `state` (None: where it paused)."""

    type: Literal["takeover.end"]
    conversation: ConversationId
    state: str | None = Field(default=None, min_length=1, max_length=100)


# What each tool needs besides the conversation and client_id (docs/protocol.md, tool.use).
TOOL_FIELDS: dict[str, tuple[str, ...]] = {
    "product_card": ("sku",),
    "order_check": (),
    "order_change": (),
    "remark": (),
    "coupon": ("amount",),
    "transfer": (),
}


class ToolFrame(_Frame):
    """A use of the shop's tools from the order panel: stored like a chat line, under the
    conversation's next seq and idempotent on `client_id`; its card is built by the server."""

    type: Literal["tool.use"]
    conversation: ConversationId
    client_id: UUID
    tool: Literal["product_card", "order_check", "order_change", "remark", "coupon", "transfer"]
    sku: str | None = Field(default=None, min_length=1, max_length=64)
    item: int | None = Field(default=None, ge=0, lt=100, strict=True)
    size: str | None = Field(default=None, max_length=40)
    colour: str | None = Field(default=None, max_length=40)
    address: str | None = Field(default=None, max_length=200)
    # A remark's text, or the note a transfer carries to the supervisor.
    text: str | None = Field(default=None, max_length=200)
    amount: float | None = Field(default=None, gt=0, le=10_000, allow_inf_nan=False)

    def request(self) -> dict[str, Any]:
        """The tool's own fields as stored with the card: what a resend is compared with."""
        fields = ("sku", "item", "size", "colour", "address", "text", "amount")
        return {"tool": self.tool} | {
            name: value for name in fields if (value := getattr(self, name)) is not None
        }


ClientFrame = Annotated[
    SubscribeFrame
    | SendFrame
    | TypingFrame
    | EndFrame
    | MonitorFrame
    | TakeOverFrame
    | HandBackFrame
    | CustomerSendFrame
    | CoachFrame
    | ToolFrame,
    Field(discriminator="type"),
]
_client_frame: TypeAdapter[ClientFrame] = TypeAdapter(ClientFrame)


# Characters dropped from chat text: controls (NUL breaks PostgreSQL text; CR and the rest
# mean nothing in a chat line) but not newline or tab, and invisible marks no chat needs.
_DROPPED = {"\u00ad", "\u180e", "\u200b", "\u2060", "\ufeff"}
# Letters that render as nothing: Hangul fillers and the blank Braille pattern.
_BLANK_LETTERS = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"}


def clean_text(text: str) -> str:
    """Chat text as stored: without control characters and invisible marks, trimmed."""
    kept = (
        ch
        for ch in text
        if ch in "\n\t" or (ch not in _DROPPED and unicodedata.category(ch) != "Cc")
    )
    return "".join(kept).strip()


def is_blank(text: str) -> bool:
    """Nothing a reader would see: only spaces, format characters (zero-width) and fillers."""
    return all(
        ch.isspace() or ch in _BLANK_LETTERS or unicodedata.category(ch) in ("Cf", "Cc")
        for ch in text
    )


def parse(raw: str | bytes | None) -> ClientFrame:
    """Validate one client frame; raise ProtocolError naming the first bad field.

    A `message.send` comes back with its text cleaned (`clean_text`): what is stored and
    what a resend is compared with.
    """
    if raw is None:
        raise ProtocolError("binary_frame", detail="frames are JSON text")
    try:
        frame = _client_frame.validate_json(raw)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        field = ".".join(str(part) for part in first["loc"])
        code = {
            "json_invalid": "malformed",
            "union_tag_invalid": "unknown_type",
            "union_tag_not_found": "unknown_type",
            "model_type": "malformed",
            "model_attributes_type": "malformed",
        }.get(first["type"], "invalid")
        if code == "unknown_type":
            field = "type"
        elif first["loc"][-1:] == ("v",):
            code = "unsupported_version"
        raise ProtocolError(code, field, first["msg"]) from None
    if isinstance(frame, _TextFrame):
        text = clean_text(frame.text)
        if is_blank(text):
            raise ProtocolError("empty", "text", "message is empty", frame)
        if len(text) > settings.CHAT_MAX_TEXT:
            raise ProtocolError(
                "too_long", "text", f"at most {settings.CHAT_MAX_TEXT} characters", frame
            )
        frame = frame.model_copy(update={"text": text})
    elif isinstance(frame, ToolFrame):
        frame = _clean_tool(frame)
    return frame


def _clean_tool(frame: ToolFrame) -> ToolFrame:
    """Free text cleaned as chat text is; a tool without what it needs is `invalid`."""
    update = {
        name: clean_text(value)
        for name in ("size", "colour", "address", "text")
        if (value := getattr(frame, name)) is not None
    }
    frame = frame.model_copy(update=update)
    for name in TOOL_FIELDS[frame.tool]:
        if getattr(frame, name) is None:
            raise ProtocolError("invalid", f"tool.use.{name}", f"{frame.tool} needs {name}", frame)
    if frame.tool == "order_change" and not any(
        getattr(frame, name) for name in ("address", "size", "colour")
    ):
        raise ProtocolError("invalid", "tool.use.address", "nothing to change", frame)
    if frame.tool == "order_change" and (frame.size or frame.colour) and frame.item is None:
        raise ProtocolError("invalid", "tool.use.item", "which item to change", frame)
    return frame


# --------------------------------------------------------------------------- server frames


class MessageFrame(TypedDict):
    v: int
    type: Literal["message.new"]
    conversation: int
    seq: int
    role: str
    text: str
    at: str
    client_id: str | None
    tool: NotRequired[dict[str, Any]]


def message_new(message: Message) -> MessageFrame:
    """The stored message as every subscriber sees it. A customer line never carries its
    client_id or author: one a teacher typed reads exactly as the script's own. A tool use
    carries its card (`tool`), the stored payload without the request it answered."""
    shows_id = message.client_id and message.role != "customer"
    frame: MessageFrame = {
        "v": VERSION,
        "type": "message.new",
        "conversation": message.conversation_id,
        "seq": message.seq,
        "role": message.role,
        "text": message.text,
        "at": message.created_at.isoformat(),
        "client_id": str(message.client_id) if shows_id else None,
    }
    if message.role == "tool":
        frame["tool"] = {k: v for k, v in message.payload.items() if k != "request"}
    return frame


# The last line a monitor row shows is cut to this many characters: the row is a glance.
MONITOR_TEXT = 140
# What a stored agent line can raise on the monitor: its recogniser moves of the same name.
ALERT_MOVES = ("promise", "rude")


def monitor_line(message: Message, conversation: Conversation, classroom_id: int) -> dict[str, Any]:
    """A monitor row's update after one stored chat line: small, built once, fanned out as is."""
    state = conversation.engine_state
    return {
        "v": VERSION,
        "type": "monitor.row",
        "conversation": conversation.pk,
        "classroom": classroom_id,
        "status": conversation.status,
        "state": state.get("node", ""),
        "mood": state.get("mood"),
        "taken_over": bool(state.get("taken_over")),
        "last": {
            "seq": message.seq,
            "role": message.role,
            "text": message.text[:MONITOR_TEXT],
            "at": message.created_at.isoformat(),
        },
        "alerts": [move for move in ALERT_MOVES if move in message.moves],
    }


def monitor_row(row: Any) -> dict[str, Any]:
    """A whole monitor row (simulator.selectors.MonitorRow): on subscribe, start, takeover, end.

    `full` tells the page it may create the row; a bare update for an unknown conversation asks
    the page to subscribe again.
    """
    conversation = row.conversation
    state = conversation.engine_state
    last = row.last
    return {
        "v": VERSION,
        "type": "monitor.row",
        "full": True,
        "conversation": conversation.pk,
        "classroom": row.classroom_id,
        "status": conversation.status,
        "student": conversation.student.display_name,
        "scenario": conversation.scenario_version.title,
        "started_at": conversation.started_at.isoformat(),
        "state": state.get("node", ""),
        "mood": state.get("mood"),
        "taken_over": bool(state.get("taken_over")),
        "taken_over_by": row.taken_over_by,
        "played_by_classmate": row.is_played_by_classmate,
        "waiting_since": row.waiting_since.isoformat() if row.waiting_since else None,
        "last": {
            "seq": last.seq,
            "role": last.role,
            "text": last.text[:MONITOR_TEXT],
            "at": last.created_at.isoformat(),
        }
        if last is not None
        else None,
        "alerts": sorted(row.alerts),
    }


def monitor_subscribed(classroom_id: int, active: int) -> dict[str, Any]:
    return {"v": VERSION, "type": "monitor.subscribed", "classroom": classroom_id, "active": active}


def ack(message: Message) -> dict[str, Any]:
    return {
        "v": VERSION,
        "type": "message.ack",
        "conversation": message.conversation_id,
        "client_id": str(message.client_id),
        "seq": message.seq,
        "at": message.created_at.isoformat(),
    }


def typing(conversation_id: int, role: str, seconds: float) -> dict[str, Any]:
    return {
        "v": VERSION,
        "type": "typing.start",
        "conversation": conversation_id,
        "role": role,
        "seconds": round(seconds, 1),
    }


def subscribed(conversation: Conversation, *, more: bool = False) -> dict[str, Any]:
    """`more`: the backlog was cut at a page; subscribe again after the last seq received."""
    return {
        "v": VERSION,
        "type": "subscribed",
        "conversation": conversation.pk,
        "last_seq": conversation.last_seq,
        "status": conversation.status,
        "more": more,
    }


def seat_control(conversation: Conversation) -> dict[str, Any]:
    """Who plays a role-play's customer now, for the classmate's seat only: "you", "teacher"
    (a teacher took over and the classmate may still type) or "script" (handed back)."""
    by = conversation.taken_over_by_id
    mode = "script" if by is None else "you" if by == conversation.customer_player_id else "teacher"
    return {
        "v": VERSION,
        "type": "seat.control",
        "conversation": conversation.pk,
        "mode": mode,
        "teacher": conversation.taken_over_by.display_name if mode == "teacher" else None,
    }


def ended(conversation: Conversation) -> dict[str, Any]:
    return {
        "v": VERSION,
        "type": "conversation.ended",
        "conversation": conversation.pk,
        "last_seq": conversation.last_seq,
        "reason": conversation.end_reason,
        "outcome": conversation.outcome,
        "rating": conversation.rating,
        "review": conversation.review,
    }


def error(
    code: str,
    *,
    field: str = "",
    detail: str = "",
    ref: Any = None,
    retry_after: float | None = None,
) -> dict[str, Any]:
    """An error frame; `ref` names the frame it answers, so the client can mark that message failed.

    `retry_after` (seconds) comes with `rate_limited`: the same frame passes after that long.
    """
    frame: dict[str, Any] = {"v": VERSION, "type": "error", "code": code, "field": field}
    if detail:
        frame["detail"] = detail
    if retry_after is not None:
        frame["retry_after"] = retry_after
    if isinstance(ref, _Frame):
        frame["ref"] = {
            key: str(value) if isinstance(value, UUID) else value
            for key in ("type", "conversation", "client_id")
            if (value := getattr(ref, key, None)) is not None
        }
    return frame


def dumps(frame: dict[str, Any]) -> str:
    # ensure_ascii off: Chinese text stays readable on the wire and a third smaller.
    return json.dumps(frame, ensure_ascii=False, separators=(",", ":"))


def drill_state(state: Any) -> dict[str, Any]:
    """A student's rush drill: their open chats, their queue, whether it still runs
    (simulator.drills.StudentState; sent to the student's own sockets only)."""
    return {"v": VERSION, "type": "drill.state", **state.to_json()}
