"""The project's one signal (DESIGN.md): a conversation ended and was committed.

`simulator` may not import `assessment`; assessment connects a receiver that scores.
"""

from django.dispatch import Signal

conversation_ended = Signal()  # kwargs: conversation_id
