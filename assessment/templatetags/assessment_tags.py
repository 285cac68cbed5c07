"""Scores on simulator's pages (home pages), without simulator importing assessment."""

from __future__ import annotations

from django import template

from assessment import selectors
from assessment.models import Assessment
from simulator.models import Conversation, User

register = template.Library()


@register.simple_tag
def score_of(conversation: Conversation, user: User) -> Assessment | None:
    """The current assessment of the conversation if `user` may see it now, else None.

    The class's teacher always; the student once it is released.
    """
    assessment = Assessment.objects.filter(conversation=conversation, current=True).first()
    if assessment is None:
        return None
    if conversation.student_id == user.pk and not assessment.is_released:
        return None
    return assessment


@register.simple_tag
def open_disputes(user: User) -> tuple[selectors.DisputeAlert, ...]:
    """The teacher's unanswered disputes per class, for the alert on the teaching home."""
    return selectors.open_disputes_for(user)
