"""The receiver of simulator's one signal, and the start-up sweep (DESIGN.md data flow, step 5)."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


def score_ended_conversation(sender: Any, *, conversation_id: int, **kwargs: Any) -> None:
    """Score a conversation that just ended; a failure is logged and left to the sweep.

    Sent on commit from the code that ended the chat: raising here would surface as an error
    in the runtime or the socket that closed it, so nothing escapes.
    """
    from assessment import services

    try:
        services.assess_conversation(conversation_id)
    except Exception:
        log.exception("scoring conversation %s failed; the start-up sweep retries", conversation_id)


def sweep_on_start() -> None:
    """Score every ended conversation left without a score (runs when the runtime starts)."""
    from assessment import services

    scored = services.sweep_unscored()
    if scored:
        log.info("start-up sweep scored %s conversation(s)", scored)
