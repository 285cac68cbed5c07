"""Response times as shops measure them (DOMAIN.md §5).

A run of customer messages is answered by the next agent message; the clock runs from
the first unanswered one, so a nudge (在吗?) never resets it.
"""

from __future__ import annotations

from dataclasses import dataclass

from assessment.scoring.transcript import Transcript


@dataclass(frozen=True)
class Wait:
    customer_seq: int  # the first customer message of the run
    answered_by: int | None  # the agent message that answered it, None if never answered
    seconds: float | None


@dataclass(frozen=True)
class ResponseTimes:
    waits: tuple[Wait, ...]

    @property
    def first_response(self) -> float | None:
        """Customer's first message to the first agent reply (FRT)."""
        return self.waits[0].seconds if self.waits else None

    @property
    def average(self) -> float | None:
        answered = [w.seconds for w in self.waits if w.seconds is not None]
        return sum(answered) / len(answered) if answered else None

    @property
    def unanswered(self) -> int:
        return sum(1 for w in self.waits if w.answered_by is None)


# A customer's closing run that lasted longer than this was waiting for an answer, not saying
# goodbye: it counts as unanswered even though the customer left (seconds, first line to last).
LEAVING_GRACE = 15.0


def response_times(transcript: Transcript, *, customer_left: bool = False) -> ResponseTimes:
    """Every customer run and how long the student took to answer it.

    When the customer ended the chat, their closing lines ("算了我去别家看看") could not be
    answered and are left out, unless the run shows them waiting (it lasted over
    LEAVING_GRACE, or nobody answered at all); otherwise a final unanswered run counts (未回复).
    """
    waits: list[Wait] = []
    run_start: tuple[int, float] | None = None
    last_at = 0.0
    for line in transcript.lines:
        if line.role == "customer":
            last_at = line.at
            if run_start is None:
                run_start = (line.seq, line.at)
        elif run_start is not None:
            seq, at = run_start
            waits.append(Wait(seq, line.seq, max(0.0, line.at - at)))
            run_start = None
    if run_start is not None:
        waited = last_at - run_start[1] > LEAVING_GRACE or not waits
        if not customer_left or waited:
            waits.append(Wait(run_start[0], None, None))
    return ResponseTimes(tuple(waits))


# DOMAIN.md §5 default rubric: full marks, 80 % and 60 % lines, in seconds.
FIRST_RESPONSE_LINES = (15.0, 30.0, 60.0)
AVERAGE_LINES = (35.0, 45.0, 55.0)


def band(seconds: float | None, lines: tuple[float, float, float]) -> str:
    """'good' within full marks, 'fair' within the 60 % line, 'poor' beyond, 'none' if unanswered."""
    if seconds is None:
        return "none"
    if seconds <= lines[0]:
        return "good"
    return "fair" if seconds <= lines[2] else "poor"
