"""Reads for the assessment pages, scoped through simulator's access checks."""

from __future__ import annotations

from dataclasses import dataclass

from assessment.messages import move_label
from assessment.scoring.response_time import (
    AVERAGE_LINES,
    FIRST_RESPONSE_LINES,
    ResponseTimes,
    band,
    response_times,
)
from assessment.scoring.transcript import Line, Transcript, transcript_json
from simulator import selectors as simulator_selectors
from simulator.models import Conversation, Message, User


@dataclass(frozen=True)
class TranscriptRow:
    message: Message
    seconds_from_start: float
    # For a customer line: how long until the student answered its run; None if unanswered.
    waited: float | None = None
    answered: bool = True
    closing: bool = False  # the customer's parting line: nothing left to answer

    @property
    def move_labels(self) -> list[tuple[str, str]]:
        return [(code, move_label(code)) for code in self.message.moves]

    @property
    def band(self) -> str:
        return band(self.waited, AVERAGE_LINES)


@dataclass(frozen=True)
class TranscriptPage:
    conversation: Conversation
    rows: tuple[TranscriptRow, ...]
    times: ResponseTimes
    ending_note: str = ""  # the scenario's own words for how this conversation ended

    @property
    def first_response_band(self) -> str:
        return band(self.times.first_response, FIRST_RESPONSE_LINES)

    @property
    def average_band(self) -> str:
        return band(self.times.average, AVERAGE_LINES)


def transcript_of(conversation: Conversation) -> Transcript:
    """The conversation in the interchange form, with its scenario's facts for re-scoring."""
    messages = list(conversation.messages.order_by("seq"))
    start = conversation.started_at
    script = conversation.scenario_version.script
    return Transcript(
        lines=tuple(
            Line(
                seq=m.seq,
                role=m.role,
                text=m.text,
                at=(m.created_at - start).total_seconds(),
                moves=frozenset(m.moves),
            )
            for m in messages
        ),
        language=conversation.scenario_version.language,
        kind=conversation.scenario_version.kind,
        shop_facts=script.model_dump(include={"shop", "order"}, mode="json", exclude_none=True),
    )


def transcript_export_for(user: User, conversation_id: int) -> dict:
    """The transcript file of a conversation the user may see (docs/transcript-format.md)."""
    conversation = simulator_selectors.conversation_for(user, conversation_id)
    data = transcript_json(transcript_of(conversation))
    data["scenario"] = {
        "id": conversation.scenario_version.scenario.slug,
        "version": conversation.scenario_version.number,
    }
    return data


def transcript_page_for(user: User, conversation_id: int) -> TranscriptPage:
    """The transcript with response times; Http404 unless the user may see it."""
    conversation = simulator_selectors.conversation_for(user, conversation_id)
    messages = list(conversation.messages.order_by("seq"))
    transcript = transcript_of(conversation)
    times = response_times(
        transcript, customer_left=conversation.end_reason == Conversation.EndReason.CUSTOMER
    )
    # Every customer line of a run shares the run's wait: the clock started at its first line.
    wait_by_seq: dict[int, float | None] = {}
    current = iter(times.waits)
    wait = next(current, None)
    for line in transcript.lines:
        if line.role == "customer" and wait is not None and wait.customer_seq <= line.seq:
            wait_by_seq[line.seq] = wait.seconds
        elif line.role == "agent" and wait is not None and wait.answered_by == line.seq:
            wait = next(current, None)
    rows = tuple(
        TranscriptRow(
            message=m,
            seconds_from_start=(m.created_at - conversation.started_at).total_seconds(),
            waited=wait_by_seq.get(m.seq),
            answered=m.role != "customer" or wait_by_seq.get(m.seq) is not None,
            closing=m.role == "customer" and m.seq not in wait_by_seq,
        )
        for m in messages
    )
    ending = conversation.scenario_version.script.endings.get(conversation.ending)
    return TranscriptPage(conversation, rows, times, ending.description if ending else "")
