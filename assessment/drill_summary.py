"""After a rush drill: per student, the chats served and left unanswered, the average first
response (the queue included) and the average score, with links to each report."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from assessment.exports import safe
from assessment.models import Assessment
from simulator import drills
from simulator.models import Conversation, Drill, DrillArrival, Message, User


@dataclass
class Chat:
    conversation: Conversation
    total: float | None  # the current assessment's total, None until scored
    first_response: float | None  # seconds from the customer's arrival to the first reply


@dataclass
class SummaryRow:
    student: User
    chats: list[Chat] = field(default_factory=list)
    never_served: int = 0  # customers who gave up in the queue or were queued at the end

    @property
    def served(self) -> int:
        return sum(1 for chat in self.chats if chat.first_response is not None)

    @property
    def unanswered(self) -> int:
        return len(self.chats) - self.served + self.never_served

    @property
    def average_first_response(self) -> float | None:
        times = [c.first_response for c in self.chats if c.first_response is not None]
        return sum(times) / len(times) if times else None

    @property
    def average_score(self) -> float | None:
        totals = [c.total for c in self.chats if c.total is not None]
        return sum(totals) / len(totals) if totals else None


def drill_summary(drill: Drill) -> list[SummaryRow]:
    """Every student of the class, in username order (the caller checked who may see it).
    Four queries whatever the size of the class."""
    rows = {
        m.student_id: SummaryRow(student=m.student)
        for m in drill.classroom.memberships.select_related("student").order_by("student__username")
    }
    conversations = list(
        Conversation.objects.filter(drill=drill)
        .select_related("scenario_version")
        .order_by("started_at", "pk")
    )
    totals = dict(
        Assessment.objects.filter(conversation__drill=drill, current=True).values_list(
            "conversation_id", "total"
        )
    )
    first_customer: dict[int, Any] = {}
    first_reply: dict[int, float] = {}
    for pk, role, at in (
        Message.objects.filter(conversation__drill=drill)
        .exclude(role=Message.Role.NOTE)
        .order_by("conversation_id", "seq")
        .values_list("conversation_id", "role", "created_at")
    ):
        if role == Message.Role.CUSTOMER:
            first_customer.setdefault(pk, at)
        elif pk not in first_reply and pk in first_customer:
            first_reply[pk] = (at - first_customer[pk]).total_seconds()
    for conversation in conversations:
        if (row := rows.get(conversation.student_id)) is not None:
            row.chats.append(
                Chat(conversation, totals.get(conversation.pk), first_reply.get(conversation.pk))
            )
    for student_id in DrillArrival.objects.filter(
        drill=drill, state__in=drills.NEVER_SERVED
    ).values_list("student_id", flat=True):
        if (row := rows.get(student_id)) is not None:
            row.never_served += 1
    return list(rows.values())


def summary_csv(rows: list[SummaryRow]) -> bytes:
    """UTF-8 with a BOM, as the grade book's, so Excel on Chinese Windows reads the names."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            _("Student"),
            _("Username"),
            _("Chats served"),
            _("Left unanswered"),
            _("Average first response (s)"),
            _("Average score"),
        ]
    )
    for row in rows:
        first, score = row.average_first_response, row.average_score
        writer.writerow(
            [
                safe(row.student.display_name),
                safe(row.student.username),
                row.served,
                row.unanswered,
                round(first) if first is not None else "",
                round(score, 1) if score is not None else "",
            ]
        )
    return buffer.getvalue().encode("utf-8-sig")
