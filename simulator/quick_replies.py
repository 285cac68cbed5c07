"""Quick replies (快捷短语): a class's phrases and a student's own, with placeholders filled
from the conversation. The agent inserts one into the reply box and edits it; nothing here
sends a message, so a phrase reaches the customer, the recogniser and the scorer as typed text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scenarios.schema import Script
from simulator import audit
from simulator.models import Classroom, Conversation, QuickReply, User
from simulator.selectors import teaches
from simulator.services import ChatError

MAX_TITLE = 30
MAX_GROUP = 20
MAX_TEXT = 500
MAX_PHRASES = 200  # per class or per student: a list longer than this is no longer quick
# Each field of the conversation a phrase may name, under its English and Chinese names.
PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "customer": ("customer", "顾客", "客户", "买家"),
    "order": ("order", "订单号", "订单"),
    "product": ("product", "商品", "宝贝"),
    "shop": ("shop", "店铺", "店名"),
}
NAMES = {name: field for field, names in PLACEHOLDERS.items() for name in names}
PLACEHOLDER = re.compile(r"\{([^{}\n]{1,40})\}")
# The preview of the management pages: an invented customer and order.
EXAMPLE = {
    "zh-hans": {
        "customer": "林女士",
        "order": "20241105201734",
        "product": "羊毛大衣",
        "shop": "简衣旗舰店",
    },
    "en": {
        "customer": "Ms Lin",
        "order": "20241105201734",
        "product": "Wool coat",
        "shop": "Jianyi",
    },
}


T = TypeVar("T")


class QuickReplyError(ChatError):
    """A phrase that cannot be stored; `message` says which rule it breaks."""

    code = "quick_reply_invalid"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TooManyQuickReplies(QuickReplyError):
    def __init__(self) -> None:
        super().__init__(
            _("There are already %(n)s phrases here: delete some first.") % {"n": MAX_PHRASES}
        )


HELP_TEXT = gettext_lazy(
    "Placeholders are filled from the chat: {customer}, {order} (the order number), {product} "
    "and {shop}; their Chinese names {顾客}, {订单号}, {商品}, {店铺} work too."
)


def text_problems(text: str) -> list[str]:
    """What is wrong with a phrase's text, in the user's language; empty when it may be stored."""
    stripped = text.strip()
    if not stripped:
        return [_("The phrase is empty: write what the agent should say.")]
    problems = []
    if len(stripped) > MAX_TEXT:
        problems.append(
            _("The phrase is %(n)s characters long; at most %(max)s are allowed.")
            % {"n": len(stripped), "max": MAX_TEXT}
        )
    unknown = [name for name in PLACEHOLDER.findall(stripped) if name.strip() not in NAMES]
    for name in dict.fromkeys(unknown):
        problems.append(
            _("Unknown placeholder {%(name)s}: use {customer}, {order}, {product} or {shop}.")
            % {"name": name}
        )
    return problems


def conversation_values(script: Script) -> dict[str, str]:
    """What the placeholders stand for in this conversation; a field the scenario lacks is absent."""
    values = {"customer": script.persona.name, "shop": script.shop.name}
    if script.order is not None:
        values["order"] = script.order.id
        values["product"] = script.order.items[0].name
    elif script.shop.products:
        values["product"] = script.shop.products[0].name
    return {field: value for field, value in values.items() if value}


def fill(text: str, values: Mapping[str, str]) -> str:
    """The text with each known placeholder replaced; one with no value stays as written, so
    the agent sees what to type there."""

    def value(match: re.Match[str]) -> str:
        field = NAMES.get(match.group(1).strip())
        return values.get(field, match.group(0)) if field else match.group(0)

    return PLACEHOLDER.sub(value, text)


@dataclass(frozen=True)
class Phrase:
    """One phrase as the workspace shows it: filled for the conversation at hand."""

    reply: QuickReply
    text: str


@dataclass(frozen=True)
class Panel:
    """The workspace's quick replies: the class's and the student's own, each by group."""

    class_groups: list[tuple[str, list[Phrase]]]
    own_groups: list[tuple[str, list[Phrase]]]

    @property
    def sections(self) -> list[tuple[str, list[tuple[str, list[Phrase]]]]]:
        """(whose, groups): the class's phrases first, as a shop's shared list comes first."""
        return [(_("Class"), self.class_groups), (_("Mine"), self.own_groups)]

    @property
    def phrases(self) -> list[Phrase]:
        return [p for _g, ps in [*self.class_groups, *self.own_groups] for p in ps]


def phrases_for(
    user: User, conversation: Conversation | None, *, classroom_id: int | None = None
) -> Panel:
    """The class's phrases (if the student is in the conversation's class) and the student's
    own, filled from the conversation's scenario. Without a conversation (a rush drill's
    workspace, where each tab is another customer) the placeholders stay for the student to
    fill."""
    values = conversation_values(conversation.scenario_version.script) if conversation else {}
    class_wide = QuickReply.objects.filter(
        classroom_id=conversation.assignment.classroom_id if conversation else classroom_id,
        classroom__memberships__student=user,
    )
    own = QuickReply.objects.filter(student=user)

    def filled(replies: QuerySet[QuickReply]) -> list[tuple[str, list[Phrase]]]:
        phrases = [Phrase(reply, fill(reply.text, values)) for reply in replies]
        return grouped(phrases, lambda phrase: phrase.reply.group)

    return Panel(filled(class_wide), filled(own))


def class_replies(classroom: Classroom) -> QuerySet[QuickReply]:
    return QuickReply.objects.filter(classroom=classroom)


def own_replies(student: User) -> QuerySet[QuickReply]:
    return QuickReply.objects.filter(student=student)


def editable_reply_for(user: User, reply_id: int) -> QuickReply:
    """A phrase the user may change: their own, or one of a class they teach; Http404 otherwise."""
    if not user.is_authenticated:
        raise Http404
    mine = Q(student=user) if not user.is_instructor else Q(pk__in=[])
    reply = (
        QuickReply.objects.filter(mine | teaches(user, via="classroom"), pk=reply_id)
        .select_related("classroom")
        .first()
    )
    if reply is None:
        raise Http404
    return reply


def _siblings(*, classroom: Classroom | None, student: User | None) -> QuerySet[QuickReply]:
    if classroom is not None:
        return QuickReply.objects.filter(classroom=classroom)
    return QuickReply.objects.filter(student=student)


def _cleaned(*, group: str, title: str, text: str) -> dict[str, str]:
    problems = text_problems(text)
    title = title.strip()
    if not title:
        problems.insert(0, _("The title is empty: give the phrase a short name to find it by."))
    elif len(title) > MAX_TITLE:
        problems.insert(0, _("The title is longer than %(max)s characters.") % {"max": MAX_TITLE})
    if len(group.strip()) > MAX_GROUP:
        problems.append(_("The group is longer than %(max)s characters.") % {"max": MAX_GROUP})
    if problems:
        raise QuickReplyError(" ".join(problems))
    return {"group": group.strip(), "title": title, "text": text.strip()}


@transaction.atomic
def add_quick_reply(
    owner: Classroom | User, *, group: str = "", title: str, text: str, by: User | None = None
) -> QuickReply:
    """Store a phrase at the end of its class's list or of the student's own. `by`: who did
    it; a class's phrase is then in the class's activity log (a student's own is theirs)."""
    fields = _cleaned(group=group, title=title, text=text)
    classroom = owner if isinstance(owner, Classroom) else None
    student = owner if isinstance(owner, User) else None
    siblings = _siblings(classroom=classroom, student=student)
    if siblings.count() >= MAX_PHRASES:
        raise TooManyQuickReplies
    last = siblings.aggregate(last=Max("position"))["last"]
    reply = QuickReply.objects.create(
        classroom=classroom,
        student=student,
        position=0 if last is None else last + 1,
        **fields,
    )
    _audit(reply, "added", by)
    return reply


def _audit(reply: QuickReply, change: str, by: User | None) -> None:
    """A class's phrase added, changed or removed, in its activity log."""
    if by is not None and reply.classroom_id is not None:
        audit.record(
            audit.Action.QUICK_REPLY_CHANGED,
            by=by,
            classroom=reply.classroom,
            change=change,
            title=reply.title,
        )


@transaction.atomic
def update_quick_reply(
    reply: QuickReply, *, group: str, title: str, text: str, by: User | None = None
) -> QuickReply:
    """Change a phrase's group, title or text; it keeps its place."""
    for name, value in _cleaned(group=group, title=title, text=text).items():
        setattr(reply, name, value)
    reply.save(update_fields=["group", "title", "text"])
    _audit(reply, "changed", by)
    return reply


@transaction.atomic
def delete_quick_reply(reply: QuickReply, *, by: User | None = None) -> None:
    """Remove a phrase; the others keep their order."""
    _audit(reply, "removed", by)
    reply.delete()


@transaction.atomic
def move_quick_reply(reply: QuickReply, *, up: bool) -> QuickReply:
    """Swap a phrase with its neighbour above or below in the same group; at an end, no change."""
    siblings = list(
        _siblings(classroom=reply.classroom, student=reply.student)
        .filter(group=reply.group)
        .select_for_update()
    )
    index = next(i for i, other in enumerate(siblings) if other.pk == reply.pk)
    other_index = index - 1 if up else index + 1
    if not 0 <= other_index < len(siblings):
        return reply
    # Renumber the whole scope first, so two phrases that shared a position can still swap.
    scope = list(_siblings(classroom=reply.classroom, student=reply.student))
    for position, phrase in enumerate(scope):
        phrase.position = position
    by_pk = {phrase.pk: phrase for phrase in scope}
    a, b = by_pk[reply.pk], by_pk[siblings[other_index].pk]
    a.position, b.position = b.position, a.position
    QuickReply.objects.bulk_update(scope, ["position"])
    reply.position = a.position
    return reply


@transaction.atomic
def move_quick_reply_group(reply: QuickReply, *, up: bool) -> None:
    """Move the phrase's whole group above the group before it, or below the one after; the
    list is renumbered so each group's phrases stand together in the new order."""
    scope = list(_siblings(classroom=reply.classroom, student=reply.student).select_for_update())
    groups = grouped(scope, lambda phrase: phrase.group)
    index = next(i for i, (name, _phrases) in enumerate(groups) if name == reply.group)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(groups):
        return
    groups[index], groups[other] = groups[other], groups[index]
    ordered = [phrase for _name, phrases in groups for phrase in phrases]
    for position, phrase in enumerate(ordered):
        phrase.position = position
    QuickReply.objects.bulk_update(ordered, ["position"])


def grouped(items: Iterable[T], group: Callable[[T], str]) -> list[tuple[str, list[T]]]:
    """Items by group, groups in the order of their first item (the list's order)."""
    groups: dict[str, list[T]] = {}
    for item in items:
        groups.setdefault(group(item), []).append(item)
    return list(groups.items())
