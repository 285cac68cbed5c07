"""Live hints in a practice chat (reads): the chat so far, scored with the rubric that will
grade it. Exams get none (Http404), so nothing is shown until the teacher releases the report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment import messages
from assessment.models import Assessment
from assessment.scoring.response_time import AVERAGE_LINES, FIRST_RESPONSE_LINES
from assessment.selectors import transcript_of
from simulator import selectors as simulator_selectors
from simulator.models import Conversation, Message, User


@dataclass(frozen=True)
class Hint:
    kind: Literal["step", "wait", "fact", "promise"]
    text: str
    seq: int | None = None


@dataclass(frozen=True)
class Hints:
    conversation: Conversation
    items: tuple[Hint, ...]
    result: Assessment | None = None  # once the chat has ended and been scored

    @property
    def finished(self) -> bool:
        return not self.conversation.is_active

    @property
    def final(self) -> bool:
        """Nothing more will change: scored, or ended a minute ago and still unscored."""
        if not self.finished:
            return False
        if self.result is not None or self.conversation.ended_at is None:
            return True
        return (timezone.now() - self.conversation.ended_at).total_seconds() > 60


def hints_for(user: User, conversation_id: int, *, now: datetime | None = None) -> Hints:
    """Live hints for the student's own practice chat; Http404 in an exam or for anyone else.

    The chat so far is scored with the rubric that will grade it: the first method step not
    yet shown, a customer waiting past the rubric's lines, claims against the facts, promises.
    """
    from assessment import services
    from assessment.scoring import Ending, score
    from assessment.scoring import Rubric as RubricSpec

    conversation = simulator_selectors.own_conversation_for(user, conversation_id)
    if conversation.assignment is not None and conversation.assignment.is_exam:
        raise Http404
    if not conversation.is_active:
        result = Assessment.objects.filter(conversation=conversation, current=True).first()
        return Hints(conversation, (), result if result and result.is_released else None)
    rubric = services.rubric_for(conversation)
    transcript = transcript_of(conversation)
    report = score(
        transcript,
        RubricSpec.from_mapping(rubric.data),
        facts=services.facts_for(conversation),
        ending=Ending(),
    ).to_json()
    items: list[Hint] = []
    agent_lines = [line for line in transcript.lines if line.role == "agent"]
    for item in report["criteria"]:
        if item["key"] == "promises" and item.get("failed"):
            seq = item["evidence"][0] if item["evidence"] else None
            items.append(
                Hint(
                    "promise",
                    _("Message #%(seq)s promises what the shop does not allow.") % {"seq": seq},
                    seq,
                )
            )
    for error in report.get("fact_errors", ()):
        items.append(
            Hint(
                "fact",
                _("Message #%(seq)s: “%(claim)s” contradicts the facts (%(fact)s).")
                % {"seq": error["seq"], "claim": error["claim"], "fact": error["fact"]},
                error["seq"],
            )
        )
    wait = _waiting_since(conversation, now or timezone.now())
    line = FIRST_RESPONSE_LINES[0] if not agent_lines else AVERAGE_LINES[0]
    if wait is not None and wait > line:
        items.append(
            Hint(
                "wait", _("The customer has been waiting %(s)s s: answer now.") % {"s": round(wait)}
            )
        )
    if agent_lines:
        for item in report["criteria"]:
            if item["key"] in ("clear", "seven_steps") and item["applicable"]:
                missing = [part for part in item.get("parts", ()) if not part["present"]]
                if missing:
                    items.append(
                        Hint(
                            "step",
                            _("Not shown yet: %(step)s.")
                            % {"step": messages.part_label(missing[0]["key"])},
                        )
                    )
    return Hints(conversation, tuple(items))


def _waiting_since(conversation: Conversation, now: datetime) -> float | None:
    """Seconds since the first customer line the student has not answered yet, if any."""
    unanswered = None
    lines = conversation.messages.exclude(role=Message.Role.NOTE).order_by("seq")
    for role, created_at in lines.values_list("role", "created_at"):
        # A reply resets the clock; further customer lines of the run do not (DOMAIN.md §5).
        unanswered = (unanswered or created_at) if role == Message.Role.CUSTOMER else None
    return (now - unanswered).total_seconds() if unanswered else None
